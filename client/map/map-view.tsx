/**
 * The one place the page meets maplibre: it owns the map instance, feeds the basemap's sources,
 * reflects the selection (highlighted grid, clicked point), and reports clicks and hovers upward.
 */
import { type GeoJSONSource, Map as MapLibreMap, type MapLayerMouseEvent, NavigationControl } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { strings } from '../app/strings.ts';
import type { GeographyData } from '../state/geography-data.ts';
import { createBasemapStyle, gridCodeFilter, LAYER, LOCAL_IDEOGRAPH_FONT_FAMILY, SOURCE } from './basemap-style.ts';
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

export function MapView({ geography, selectedGridCode, pickedPoint, onPick }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap>();
  const [failure, setFailure] = useState<string>();
  const [mapError, setMapError] = useState<string>();
  const [ready, setReady] = useState(false);
  const [hovered, setHovered] = useState<HoveredGrid>();

  // Latest callbacks and selection for handlers bound once.
  const onPickRef = useRef(onPick);
  const selectedRef = useRef(selectedGridCode);
  useEffect(() => {
    onPickRef.current = onPick;
    selectedRef.current = selectedGridCode;
  });

  // Create the map once; tear it down with the component.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container,
        style: createBasemapStyle(),
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
      setFailure(strings.webglUnavailable);
      return;
    }
    instance.touchZoomRotate.disableRotation();
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    instance.on('load', () => setMap(instance));
    // Shown rather than logged: maplibre's default is console.error, and a user should see it.
    instance.on('error', (event) => setMapError(event.error.message));
    instance.on('click', (event) => onPickRef.current([event.lngLat.lng, event.lngLat.lat]));
    instance.on('mousemove', LAYER.gridsFill, (event) => {
      const grid = hoveredGridOf(event);
      setHovered(grid);
      instance.getCanvas().style.cursor = grid ? 'pointer' : '';
    });
    instance.on('mouseleave', LAYER.gridsFill, () => {
      setHovered(undefined);
      instance.getCanvas().style.cursor = '';
    });
    window.__gridCommandMap = instance;
    return () => {
      if (window.__gridCommandMap === instance) delete window.__gridCommandMap;
      instance.remove();
      setMap(undefined);
      setReady(false);
    };
  }, []);

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
    if (box) map.fitBounds([...box], { padding: FIT_PADDING_PIXELS, animate: false, ...(gridBox ? { maxZoom: GRID_FOCUS_MAX_ZOOM } : {}) });
    const onIdle = (): void => setReady(true);
    map.once('idle', onIdle);
    return () => {
      map.off('idle', onIdle);
    };
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

  return (
    <div className="map-view" data-testid="map" data-ready={ready ? 'true' : 'false'}>
      <div ref={containerRef} className="map-view__canvas" role="application" aria-label={strings.mapLabel} />
      {hovered && (
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
