/**
 * The one place the page meets maplibre: it owns the map instance, feeds the basemap's sources,
 * reflects the selection (highlighted grid, clicked point), draws the live cases over it (deck.gl,
 * see case-overlay.ts), and reports clicks and hovers upward. A click on a case selects the case;
 * anywhere else it routes the point to its grid.
 */
import { type GeoJSONSource, Map as MapLibreMap, type MapLayerMouseEvent, NavigationControl } from 'maplibre-gl';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { useStrings } from '../app/i18n.tsx';
import type { CaseRecord } from '../live/case-record.ts';
import type { CaseStore } from '../live/case-store.ts';
import type { GeographyData } from '../state/geography-data.ts';
import { type BasemapTheme, createBasemapStyle, gridCodeFilter, LAYER, LOCAL_IDEOGRAPH_FONT_FAMILY, SOURCE } from './basemap-style.ts';
// deck.gl is loaded only once there are live cases to draw (after sign-in): the public page and a
// signed-out map never download it.
import type { CaseHover, CaseOverlay } from './case-overlay.ts';
import { districtBBox, gridBBox, pointCollection, streetsWithColors } from './map-data.ts';

declare global {
  interface Window {
    /** The live map, for end-to-end tests and debugging from the console. */
    __gridCommandMap?: MapLibreMap;
  }
}

export interface MapViewProps {
  /** Undefined while loading: the map shows its background only. */
  readonly geography: GeographyData | undefined;
  readonly selectedGridCode: string | undefined;
  readonly pickedPoint: LngLat | undefined;
  readonly onPick: (point: LngLat) => void;
  /** 'dark' for the wall display. Read when the map is created. */
  readonly theme?: BasemapTheme;
  /** The wall: no controls, no hover, no clicks. */
  readonly interactive?: boolean;
  /** Live cases to draw (none without a session). */
  readonly cases?: CaseStore | undefined;
  readonly selectedCaseId?: number | undefined;
  readonly onPickCase?: (record: CaseRecord) => void;
  /** What the tooltip says about a hovered case. */
  readonly caseTooltip?: (record: CaseRecord) => ReactNode;
  /** The map instance once loaded (undefined when it goes): for camera moves such as the wall's. */
  readonly onMap?: (map: MapLibreMap | undefined) => void;
  /** Padding when framing the district, in CSS pixels. */
  readonly fitPadding?: number;
}

interface HoveredGrid {
  readonly code: string;
  readonly name: string;
  readonly communityCode: string;
  readonly streetCode: string;
  /** Pointer position in CSS pixels from the map's top-left corner. */
  readonly x: number;
  readonly y: number;
  /** Near the right edge: the tooltip goes left of the pointer. */
  readonly flip: boolean;
}

/** Haidian, roughly: the first frame before the geography arrives and the map fits to it. */
const INITIAL_CENTER: [number, number] = [116.22, 40.03];
const INITIAL_ZOOM = 9.6;
const FIT_PADDING_PIXELS = 32;
const GRID_FOCUS_MAX_ZOOM = 15;
const TOOLTIP_OFFSET_PIXELS = 14;
const TOOLTIP_FLIP_MARGIN_PIXELS = 280;

function hoveredGridOf(event: MapLayerMouseEvent): HoveredGrid | undefined {
  const properties = event.features?.[0]?.properties;
  if (!properties) return undefined;
  const field = (name: string): string => {
    const value: unknown = properties[name];
    return typeof value === 'string' ? value : '';
  };
  const code = field('code');
  if (!code) return undefined;
  const { x, y } = event.point;
  const flip = x > event.target.getCanvas().clientWidth - TOOLTIP_FLIP_MARGIN_PIXELS;
  return { code, name: field('name'), communityCode: field('communityCode'), streetCode: field('streetCode'), x, y, flip };
}

export function MapView({
  geography,
  selectedGridCode,
  pickedPoint,
  onPick,
  theme = 'light',
  interactive = true,
  cases,
  selectedCaseId,
  onPickCase,
  caseTooltip,
  onMap,
  fitPadding = FIT_PADDING_PIXELS,
}: MapViewProps) {
  const strings = useStrings();
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap>();
  const [failure, setFailure] = useState<string>();
  const [mapError, setMapError] = useState<string>();
  const [ready, setReady] = useState(false);
  const [hovered, setHovered] = useState<HoveredGrid>();
  const [caseHover, setCaseHover] = useState<CaseHover>();
  const overlayRef = useRef<CaseOverlay | undefined>(undefined);

  // Latest callbacks and selection for handlers bound once; settings read once, at creation.
  const onPickRef = useRef(onPick);
  const onPickCaseRef = useRef(onPickCase);
  const onMapRef = useRef(onMap);
  const selectedRef = useRef(selectedGridCode);
  const selectedCaseRef = useRef(selectedCaseId);
  const creation = useRef({ theme, interactive, failure: strings.webglUnavailable });
  useEffect(() => {
    onPickRef.current = onPick;
    onPickCaseRef.current = onPickCase;
    onMapRef.current = onMap;
    selectedRef.current = selectedGridCode;
    selectedCaseRef.current = selectedCaseId;
  });

  // Create the map once; tear it down with the component.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const { theme: initialTheme, interactive: clickable, failure: noWebgl } = creation.current;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container,
        style: createBasemapStyle(initialTheme),
        center: INITIAL_CENTER,
        zoom: INITIAL_ZOOM,
        minZoom: 8,
        maxZoom: 18,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        attributionControl: false,
        localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      });
    } catch {
      setFailure(noWebgl);
      return;
    }
    instance.touchZoomRotate.disableRotation();
    if (clickable) instance.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    instance.on('load', () => {
      setMap(instance);
      onMapRef.current?.(instance);
    });
    // Shown rather than logged: maplibre's default is console.error, and a user should see it.
    instance.on('error', (event) => setMapError(event.error.message));
    if (clickable) {
      instance.on('click', (event) => {
        const picked = onPickCaseRef.current ? overlayRef.current?.pickAt(event.point.x, event.point.y) : undefined;
        if (picked) onPickCaseRef.current?.(picked);
        else onPickRef.current([event.lngLat.lng, event.lngLat.lat]);
      });
      instance.on('mousemove', LAYER.gridsFill, (event) => {
        const grid = hoveredGridOf(event);
        setHovered(grid);
        instance.getCanvas().style.cursor = grid ? 'pointer' : '';
      });
      instance.on('mouseleave', LAYER.gridsFill, () => {
        setHovered(undefined);
        instance.getCanvas().style.cursor = '';
      });
    }
    window.__gridCommandMap = instance;
    return () => {
      if (window.__gridCommandMap === instance) delete window.__gridCommandMap;
      onMapRef.current?.(undefined);
      instance.remove();
      setMap(undefined);
      setReady(false);
    };
  }, []);

  // The live cases over the basemap, for as long as there are some to draw.
  useEffect(() => {
    if (!map || !cases) return;
    let overlay: CaseOverlay | undefined;
    let gone = false;
    import('./case-overlay.ts')
      .then(({ CaseOverlay: Overlay }) => {
        if (gone) return;
        overlay = new Overlay(map, cases, (hover) => setCaseHover(creation.current.interactive ? hover : undefined));
        overlay.setSelected(selectedCaseRef.current);
        overlayRef.current = overlay;
      })
      .catch((error: unknown) => setMapError(error instanceof Error ? error.message : String(error)));
    return () => {
      gone = true;
      overlay?.remove();
      if (overlayRef.current === overlay) overlayRef.current = undefined;
      setCaseHover(undefined);
    };
  }, [map, cases]);

  useEffect(() => {
    overlayRef.current?.setSelected(selectedCaseId);
  }, [map, cases, selectedCaseId]);

  useEffect(() => {
    if (!map || !caseHover) return;
    const canvas = map.getCanvas();
    canvas.style.cursor = 'pointer';
    return () => {
      canvas.style.cursor = '';
    };
  }, [map, caseHover]);

  // Feed the sources once the geography is here, and frame the district (or the grid a link opened).
  useEffect(() => {
    if (!map || !geography) return;
    const setData = (id: string, data: Parameters<GeoJSONSource['setData']>[0]): Promise<void> => map.getSource<GeoJSONSource>(id)?.setData(data) ?? Promise.resolve();
    // A source with pending data is not loaded, so the map cannot go idle before all four are drawn.
    Promise.all([
      setData(SOURCE.district, geography.district),
      setData(SOURCE.streets, streetsWithColors(geography)),
      setData(SOURCE.communities, geography.communities),
      setData(SOURCE.grids, geography.grids),
    ]).catch((error: unknown) => setMapError(error instanceof Error ? error.message : String(error)));
    const linked = selectedRef.current;
    const gridBox = linked ? gridBBox(geography, linked) : undefined;
    const box = gridBox ?? districtBBox(geography);
    if (box) map.fitBounds([...box], { padding: fitPadding, animate: false, ...(gridBox ? { maxZoom: GRID_FOCUS_MAX_ZOOM } : {}) });
    const onIdle = (): void => setReady(true);
    map.once('idle', onIdle);
    return () => {
      map.off('idle', onIdle);
    };
    // fitPadding is read once per geography: the frame is set when the map is fed.
  }, [map, geography]);

  useEffect(() => {
    if (!map) return;
    map.setFilter(LAYER.gridsSelectedFill, gridCodeFilter(selectedGridCode));
    map.setFilter(LAYER.gridsSelectedLine, gridCodeFilter(selectedGridCode));
  }, [map, selectedGridCode]);

  const hoveredCode = hovered?.code;
  useEffect(() => {
    if (!map) return;
    map.setFilter(LAYER.gridsHoverFill, gridCodeFilter(hoveredCode));
    map.setFilter(LAYER.gridsHoverLine, gridCodeFilter(hoveredCode));
  }, [map, hoveredCode]);

  useEffect(() => {
    map
      ?.getSource<GeoJSONSource>(SOURCE.pick)
      ?.setData(pointCollection(pickedPoint))
      .catch((error: unknown) => setMapError(error instanceof Error ? error.message : String(error)));
  }, [map, pickedPoint]);

  const context = hovered && geography
    ? [geography.communityNames.get(hovered.communityCode), geography.streetNames.get(hovered.streetCode)].filter(Boolean).join(' · ')
    : '';

  const tooltipAt = (x: number, y: number, flip: boolean) =>
    flip ? `translate(${x - TOOLTIP_OFFSET_PIXELS}px, ${y + TOOLTIP_OFFSET_PIXELS}px) translateX(-100%)` : `translate(${x + TOOLTIP_OFFSET_PIXELS}px, ${y + TOOLTIP_OFFSET_PIXELS}px)`;
  const caseTip = caseHover && caseTooltip ? caseTooltip(caseHover.record) : undefined;

  return (
    <div className={`map-view map-view--${theme}`} data-testid="map" data-ready={ready ? 'true' : 'false'}>
      <div ref={containerRef} className="map-view__canvas" role="application" aria-label={strings.mapLabel} />
      {caseHover && caseTip && (
        <div
          className="map-tooltip map-tooltip--case"
          data-testid="case-tooltip"
          data-case-number={caseHover.record.summary.number}
          style={{ transform: tooltipAt(caseHover.x, caseHover.y, caseHover.x > (map?.getCanvas().clientWidth ?? 0) - TOOLTIP_FLIP_MARGIN_PIXELS) }}
        >
          {caseTip}
        </div>
      )}
      {hovered && !caseHover && (
        <div
          className="map-tooltip"
          data-testid="map-tooltip"
          style={{
            transform: hovered.flip
              ? `translate(${hovered.x - TOOLTIP_OFFSET_PIXELS}px, ${hovered.y + TOOLTIP_OFFSET_PIXELS}px) translateX(-100%)`
              : `translate(${hovered.x + TOOLTIP_OFFSET_PIXELS}px, ${hovered.y + TOOLTIP_OFFSET_PIXELS}px)`,
          }}
        >
          <div className="map-tooltip__name">{hovered.name}</div>
          {context && <div className="map-tooltip__context">{context}</div>}
        </div>
      )}
      {mapError && !failure && (
        <div className="map-view__error" role="alert" data-testid="map-error">
          {strings.mapError(mapError)}
        </div>
      )}
      {failure && (
        <div className="map-view__failure" role="alert">
          {failure}
        </div>
      )}
    </div>
  );
}
