/**
 * The one place the page meets maplibre: it owns the map instance, feeds the basemap's sources,
 * reflects the selection (highlighted grid, clicked point), colours areas beneath it (area fills,
 * see area-canvas.ts), draws the live cases and the page's own deck.gl layers over it (see
 * case-overlay.ts), and
 * reports clicks, hovers and the camera upward. A click on a case selects the case; on a bin of
 * cases (zoomed out) it zooms in there; anywhere else it routes the point to its grid.
 *
 * Work follows what is visible: the district, streets and communities are fed once; grids are fed
 * as the geography has them (all of them for a small set; otherwise the view's, loaded when the
 * camera settles at a zoom where they can be told apart, see GeographyData.loadGrids) and changed
 * incrementally (maplibre's updateData by code), never re-sent whole.
 */
import type { Layer } from '@deck.gl/core';
import { type GeoJSONSource, Map as MapLibreMap, type MapLayerMouseEvent, NavigationControl } from 'maplibre-gl';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { BBox, LngLat } from '../../core/geo/lng-lat.ts';
import { useStrings } from '../app/i18n.tsx';
import type { CaseRecord } from '../live/case-record.ts';
import type { CaseStore } from '../live/case-store.ts';
import type { GeographyData, GridFeature } from '../state/geography-data.ts';
import { AreaCanvas } from './area-canvas.ts';
import type { AreaFill } from './area-fill.ts';
import { type BasemapTheme, createBasemapStyle, GRID_LAYERS, gridCodeFilter, LAYER, LOCAL_IDEOGRAPH_FONT_FAMILY, SOURCE } from './basemap-style.ts';
// deck.gl is loaded only once there is something to draw with it (live cases after sign-in, or the
// page's own layers): the public page and a signed-out map never download it.
import type * as CaseOverlayModule from './case-overlay.ts';
import type { CaseHover, CaseOverlay } from './case-overlay.ts';
import { cameraOf, type MapCamera, sameCamera } from './map-camera.ts';
import { areaBBox, districtBBox, gridBBox, pointCollection, streetsWithColors } from './map-data.ts';

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
  /** Choropleth: areas of `level` coloured by value (0..max); undefined = no fill. Drawn beneath the map on a canvas of its own, so a live update does not repaint the map. */
  readonly areaFill?: AreaFill | undefined;
  /** Extra deck.gl layers (hex bins, staffing links) drawn in the same overlay, beneath the cases. */
  readonly deckLayers?: readonly Layer[] | undefined;
  /** The camera, on load and after every move (debounced): for viewport-bounded data and the URL. */
  readonly onViewChange?: ((view: MapCamera) => void) | undefined;
  /** Where to open (from the URL); otherwise the district (or the linked grid) is framed. Read when the map is created. */
  readonly initialCamera?: Pick<MapCamera, 'center' | 'zoom'> | undefined;
  /** Fit the map to this area (street, community or grid code) whenever it changes to a new code. */
  readonly focusAreaCode?: string | undefined;
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
const AREA_FOCUS_MAX_ZOOM = 16;
const TOOLTIP_OFFSET_PIXELS = 14;
const TOOLTIP_FLIP_MARGIN_PIXELS = 280;
/** The camera is reported (and the view's grids asked for) once it has rested this long. */
const VIEW_DEBOUNCE_MS = 150;
/** A bin of cases clicked: zoom in to at least this (where cases are points). */
const BIN_ZOOM_IN = 13.5;
/** A grid diff larger than this share of the grids shown is sent as new data instead. */
const GRID_DIFF_MAX_SHARE = 0.5;

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

/** A grid's community (its code's first 12 digits): what to load to find a grid not loaded yet. */
const communityOfGrid = (gridCode: string): string => gridCode.slice(0, 12);
const isGridCode = (code: string): boolean => code.length === 15;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

type OverlayModule = typeof CaseOverlayModule;
let overlayModule: Promise<OverlayModule> | undefined;
/** deck.gl and the case overlay, fetched once (a failed fetch is tried again next time). */
function loadOverlayModule(): Promise<OverlayModule> {
  overlayModule ??= import('./case-overlay.ts').catch((error: unknown) => {
    overlayModule = undefined;
    throw error;
  });
  return overlayModule;
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
  areaFill,
  deckLayers,
  onViewChange,
  initialCamera,
  focusAreaCode,
}: MapViewProps) {
  const strings = useStrings();
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap>();
  const [failure, setFailure] = useState<string>();
  const [mapError, setMapError] = useState<string>();
  const [ready, setReady] = useState(false);
  const [gridLoads, setGridLoadCount] = useState(0);
  const gridLoadsRef = useRef(0);
  const setGridLoads = (change: (n: number) => number): void => {
    gridLoadsRef.current = change(gridLoadsRef.current);
    setGridLoadCount(gridLoadsRef.current);
  };
  const [hovered, setHovered] = useState<HoveredGrid>();
  const [caseHover, setCaseHover] = useState<CaseHover>();
  const overlayRef = useRef<CaseOverlay | undefined>(undefined);
  const [overlay, setOverlay] = useState<CaseOverlay>();

  // Latest callbacks, data and selection for handlers bound once; settings read once, at creation.
  const onPickRef = useRef(onPick);
  const onPickCaseRef = useRef(onPickCase);
  const onMapRef = useRef(onMap);
  const onViewChangeRef = useRef(onViewChange);
  const geographyRef = useRef(geography);
  const selectedRef = useRef(selectedGridCode);
  const selectedCaseRef = useRef(selectedCaseId);
  const focusRef = useRef(focusAreaCode);
  const fitPaddingRef = useRef(fitPadding);
  const creation = useRef({ theme, interactive, failure: strings.webglUnavailable, camera: initialCamera });
  useEffect(() => {
    onPickRef.current = onPick;
    onPickCaseRef.current = onPickCase;
    onMapRef.current = onMap;
    onViewChangeRef.current = onViewChange;
    geographyRef.current = geography;
    selectedRef.current = selectedGridCode;
    selectedCaseRef.current = selectedCaseId;
    focusRef.current = focusAreaCode;
    fitPaddingRef.current = fitPadding;
  });

  // Create the map once; tear it down with the component.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const { theme: initialTheme, interactive: clickable, failure: noWebgl, camera } = creation.current;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container,
        style: createBasemapStyle(initialTheme),
        center: camera ? [camera.center[0], camera.center[1]] : INITIAL_CENTER,
        zoom: camera?.zoom ?? INITIAL_ZOOM,
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
        const { x, y } = event.point;
        const picked = onPickCaseRef.current ? overlayRef.current?.pickAt(x, y) : undefined;
        if (picked) {
          onPickCaseRef.current?.(picked);
          return;
        }
        const bin = overlayRef.current?.pickBinAt(x, y);
        if (bin) {
          instance.easeTo({ center: [bin.center[0], bin.center[1]], zoom: Math.max(BIN_ZOOM_IN, instance.getZoom() + 2) });
          return;
        }
        onPickRef.current([event.lngLat.lng, event.lngLat.lat]);
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

  // The deck.gl overlay, for as long as there are live cases or layers of the page to draw. Its code
  // is fetched as soon as it is wanted, while the map is still loading.
  const wantsOverlay = cases !== undefined || (deckLayers?.length ?? 0) > 0;
  useEffect(() => {
    if (wantsOverlay) loadOverlayModule().catch(() => {});
  }, [wantsOverlay]);
  useEffect(() => {
    if (!map || !wantsOverlay) return;
    let made: CaseOverlay | undefined;
    let gone = false;
    loadOverlayModule()
      .then(({ CaseOverlay: Overlay }) => {
        if (gone) return;
        made = new Overlay(map, cases, (hover) => setCaseHover(creation.current.interactive ? hover : undefined));
        made.setSelected(selectedCaseRef.current);
        overlayRef.current = made;
        setOverlay(made);
      })
      .catch((error: unknown) => setMapError(errorText(error)));
    return () => {
      gone = true;
      made?.remove();
      if (overlayRef.current === made) overlayRef.current = undefined;
      setOverlay(undefined);
      setCaseHover(undefined);
    };
  }, [map, cases, wantsOverlay]);

  useEffect(() => {
    overlay?.setLayers(deckLayers);
  }, [overlay, deckLayers]);

  useEffect(() => {
    overlay?.setSelected(selectedCaseId);
  }, [overlay, selectedCaseId]);

  useEffect(() => {
    if (!map || !caseHover) return;
    const canvas = map.getCanvas();
    canvas.style.cursor = 'pointer';
    return () => {
      canvas.style.cursor = '';
    };
  }, [map, caseHover]);

  // The district, streets and communities: fed once (again only if the geography is reloaded).
  const district = geography?.district;
  const streets = geography?.streets;
  const communities = geography?.communities;
  const [fed, setFed] = useState(false);
  useEffect(() => {
    const data = geographyRef.current;
    if (!map || !data) return;
    const setData = (id: string, value: Parameters<GeoJSONSource['setData']>[0]): Promise<void> => map.getSource<GeoJSONSource>(id)?.setData(value) ?? Promise.resolve();
    // A source with pending data is not loaded, so the map cannot go idle before they are drawn.
    let gone = false;
    Promise.all([setData(SOURCE.district, data.district), setData(SOURCE.streets, streetsWithColors(data)), setData(SOURCE.communities, data.communities)])
      .catch((error: unknown) => setMapError(errorText(error)))
      .finally(() => {
        if (!gone) setFed(true);
      });
    return () => {
      gone = true;
    };
  }, [map, district, streets, communities]);

  // The grids: all of them where the set is small; otherwise what the geography has loaded, changed by code.
  const grids = geography?.grids;
  const gridsComplete = geography?.gridsComplete ?? true;
  const gridMinZoom = geography?.gridMinZoom ?? 0;
  const shownGrids = useRef(new Map<string, GridFeature>());
  useEffect(() => {
    if (!map || !grids) return;
    const source = map.getSource<GeoJSONSource>(SOURCE.grids);
    if (!source) return;
    const shown = shownGrids.current;
    const next = new Map(grids.features.map((f) => [f.properties.code, f] as const));
    const add = grids.features.filter((f) => shown.get(f.properties.code) !== f);
    const remove = [...shown.keys()].filter((code) => !next.has(code));
    if (add.length === 0 && remove.length === 0) return;
    const whole = shown.size === 0 || add.length + remove.length > Math.max(next.size, shown.size) * GRID_DIFF_MAX_SHARE;
    shownGrids.current = next;
    (whole ? source.setData(grids) : source.updateData({ add, remove })).catch((error: unknown) => setMapError(errorText(error)));
  }, [map, grids]);

  // Grids are drawn from the zoom where they read apart (every zoom when all are loaded, as before).
  useEffect(() => {
    if (!map) return;
    for (const key of GRID_LAYERS) map.setLayerZoomRange(LAYER[key], gridsComplete ? 0 : gridMinZoom, 24);
  }, [map, gridsComplete, gridMinZoom]);

  // The camera: reported once it rests, and the view's grids asked for where they are drawn.
  const [tracking, setTracking] = useState(false);
  useEffect(() => {
    if (!map || !tracking) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: MapCamera | undefined;
    const settle = (): void => {
      timer = undefined;
      const camera = cameraOf(map);
      if (sameCamera(last, camera)) return;
      last = camera;
      onViewChangeRef.current?.(camera);
      const data = geographyRef.current;
      if (data && !data.gridsComplete && camera.zoom >= data.gridMinZoom) {
        setGridLoads((n) => n + 1);
        data
          .loadGrids({ bbox: [...camera.bbox] as BBox })
          .catch((error: unknown) => setMapError(errorText(error)))
          .finally(() => setGridLoads((n) => n - 1));
      }
    };
    const onMoveEnd = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(settle, VIEW_DEBOUNCE_MS);
    };
    map.on('moveend', onMoveEnd);
    settle();
    return () => {
      map.off('moveend', onMoveEnd);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [map, tracking]);

  /** Fits the map to an area the geography knows; a grid not loaded yet is loaded with its community first. */
  const fitArea = useRef<(code: string, animate: boolean) => Promise<boolean>>(async () => false);
  fitArea.current = async (code: string, animate: boolean): Promise<boolean> => {
    const data = geographyRef.current;
    if (!map || !data) return false;
    const padding = fitPaddingRef.current;
    const fit = (box: BBox, maxZoom: number): void => {
      map.fitBounds([...box], { padding, animate, maxZoom });
    };
    if (!isGridCode(code)) {
      const box = areaBBox(data, code);
      if (box) fit(box, AREA_FOCUS_MAX_ZOOM);
      return box !== undefined;
    }
    let box = gridBBox(data, code);
    if (!box && !data.gridsComplete) {
      // Its community first (at once), then the grid itself once its community's grids are here.
      const community = areaBBox(data, communityOfGrid(code));
      if (community) fit(community, GRID_FOCUS_MAX_ZOOM);
      setGridLoads((n) => n + 1);
      try {
        await data.loadGrids({ parent: communityOfGrid(code) });
      } finally {
        setGridLoads((n) => n - 1);
      }
      // The new geography arrives as state: give React a moment to hand it over.
      const find = (): BBox | undefined => (geographyRef.current ? gridBBox(geographyRef.current, code) : undefined);
      for (let i = 0; i < 40 && !find(); i++) await new Promise((r) => setTimeout(r, 25));
      box = find();
    }
    if (box) fit(box, GRID_FOCUS_MAX_ZOOM);
    return box !== undefined;
  };

  // The first frame, once the geography is here: the URL's camera, else the linked grid, the focused
  // area or the district. Then the camera is tracked, and the map is ready once it has drawn it all.
  const framed = useRef(false);
  const focused = useRef<string | undefined>(undefined);
  const hasGeography = geography !== undefined;
  useEffect(() => {
    if (!map || !hasGeography || framed.current) return;
    framed.current = true;
    const data = geographyRef.current!;
    let gone = false;
    const frame = async (): Promise<void> => {
      const linked = selectedRef.current;
      const focus = focusRef.current;
      focused.current = focus;
      if (creation.current.camera) return;
      if (linked && (await fitArea.current(linked, false))) return;
      if (focus && (await fitArea.current(focus, false))) return;
      const box = districtBBox(data);
      if (box) map.fitBounds([...box], { padding: fitPaddingRef.current, animate: false });
    };
    // The camera is tracked (and the view's grids asked for) at once, while the areas are still being tiled.
    frame()
      .catch((error: unknown) => setMapError(errorText(error)))
      .finally(() => {
        if (!gone) setTracking(true);
      });
    return () => {
      gone = true;
    };
  }, [map, hasGeography]);

  // Ready (data-ready) once framed, fed and the first view's grids are in, at the next idle map.
  const settled = tracking && fed && gridLoads === 0;
  useEffect(() => {
    if (!map || !settled || ready) return;
    // A load the camera started in this same commit is not in `gridLoads` yet; the ref knows.
    const onIdle = (): void => {
      if (gridLoadsRef.current === 0) setReady(true);
    };
    map.on('idle', onIdle);
    map.triggerRepaint();
    return () => {
      map.off('idle', onIdle);
    };
  }, [map, settled, ready]);

  // A new area to stand in: fit to it (after the first frame, which looked at it already).
  useEffect(() => {
    if (!map || !tracking || !focusAreaCode || focusAreaCode === focused.current) return;
    focused.current = focusAreaCode;
    fitArea.current(focusAreaCode, true).catch((error: unknown) => setMapError(errorText(error)));
  }, [map, tracking, focusAreaCode]);

  // The selected grid: highlighted; loaded with its community first when the grids are not all here.
  useEffect(() => {
    if (!map) return;
    map.setFilter(LAYER.gridsSelectedFill, gridCodeFilter(selectedGridCode));
    map.setFilter(LAYER.gridsSelectedLine, gridCodeFilter(selectedGridCode));
  }, [map, selectedGridCode]);
  const selectedLoaded = selectedGridCode !== undefined && geography?.gridNames.has(selectedGridCode) === true;
  useEffect(() => {
    const data = geographyRef.current;
    if (!data || data.gridsComplete || !selectedGridCode || selectedLoaded) return;
    data.loadGrids({ parent: communityOfGrid(selectedGridCode) }).catch((error: unknown) => setMapError(errorText(error)));
  }, [hasGeography, selectedGridCode, selectedLoaded]);

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
      .catch((error: unknown) => setMapError(errorText(error)));
  }, [map, pickedPoint]);

  // Area fills: on a canvas of their own beneath the map (see area-canvas.ts), made when a first fill
  // comes (with or without values yet: it takes over the ground at once, so that the values coming
  // in later repaint it alone) and kept for the map's life. Only the streets' tints are the map's to
  // hide under a fill.
  const areaCanvas = useRef<AreaCanvas | undefined>(undefined);
  useEffect(() => {
    if (!map) return;
    if (!areaCanvas.current) {
      if (!areaFill) return;
      areaCanvas.current = new AreaCanvas(map, creation.current.theme);
    }
    areaCanvas.current.set(areaFill, geography, gridsComplete ? 0 : gridMinZoom);
  }, [map, areaFill, geography, gridsComplete, gridMinZoom]);
  useEffect(
    () => () => {
      areaCanvas.current?.remove();
      areaCanvas.current = undefined;
    },
    [map],
  );
  const filled = areaFill !== undefined;
  useEffect(() => {
    if (!map) return;
    // Under a fill the streets' tints would only muddy its colours (and cost a pass over the whole map).
    const visibility = filled ? 'none' : 'visible';
    if (map.getLayoutProperty(LAYER.streetsFill, 'visibility') !== visibility) map.setLayoutProperty(LAYER.streetsFill, 'visibility', visibility);
  }, [map, filled]);

  const context = hovered && geography
    ? [geography.communityNames.get(hovered.communityCode), geography.streetNames.get(hovered.streetCode)].filter(Boolean).join(' · ')
    : '';

  const tooltipAt = (x: number, y: number, flip: boolean) =>
    flip ? `translate(${x - TOOLTIP_OFFSET_PIXELS}px, ${y + TOOLTIP_OFFSET_PIXELS}px) translateX(-100%)` : `translate(${x + TOOLTIP_OFFSET_PIXELS}px, ${y + TOOLTIP_OFFSET_PIXELS}px)`;
  const caseTip = caseHover && caseTooltip ? caseTooltip(caseHover.record) : undefined;

  return (
    <div className={`map-view map-view--${theme}`} data-testid="map" data-ready={ready ? 'true' : 'false'} data-grids-loading={gridLoads > 0 ? 'true' : 'false'}>
      <div ref={containerRef} className="map-view__canvas" role="application" aria-label={strings.mapLabel} />
      {caseHover && caseTip && (
        <div
          className="map-tooltip map-tooltip--case"
          data-testid="case-tooltip"
          data-case-number={caseHover.record.number}
          style={{ transform: tooltipAt(caseHover.x, caseHover.y, caseHover.x > (map?.getCanvas().clientWidth ?? 0) - TOOLTIP_FLIP_MARGIN_PIXELS) }}
        >
          {caseTip}
        </div>
      )}
      {hovered && !caseHover && (
        <div className="map-tooltip" data-testid="map-tooltip" style={{ transform: tooltipAt(hovered.x, hovered.y, hovered.flip) }}>
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
