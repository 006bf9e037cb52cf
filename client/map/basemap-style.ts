/**
 * The basemap, built in code and fully offline: no tiles, no glyphs, no sprite, no URL at all.
 * Four GeoJSON sources (district, streets, communities, grids) are fed from the API after the style
 * loads; lines grow heavier up the hierarchy so the levels read apart at any zoom. There are no
 * symbol (text) layers, which would need glyphs: names show in the side panel and the hover tooltip.
 */
import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, FilterSpecification, StyleSpecification } from 'maplibre-gl';

export const SOURCE = {
  district: 'district',
  streets: 'streets',
  communities: 'communities',
  grids: 'grids',
  /** The point the user last clicked. */
  pick: 'pick',
} as const;

export const LAYER = {
  background: 'background',
  districtFill: 'district-fill',
  streetsFill: 'streets-fill',
  /** The grids' hit area for hover and the tooltip; not drawn (opacity 0: maplibre skips it, queries still find it). */
  gridsFill: 'grids-fill',
  gridsHoverFill: 'grids-hover-fill',
  gridsSelectedFill: 'grids-selected-fill',
  gridsLine: 'grids-line',
  communitiesLine: 'communities-line',
  streetsLine: 'streets-line',
  districtLine: 'district-line',
  gridsHoverLine: 'grids-hover-line',
  gridsSelectedLine: 'grids-selected-line',
  pickHalo: 'pick-halo',
  pickPoint: 'pick-point',
} as const;

/** CJK glyphs drawn by the browser from local fonts, for when symbol layers arrive (no glyph server). */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

/** Street/town fills: light, distinct tints; neighbours get different ones (see street-colors.ts). */
export const STREET_FILL_COLORS = ['#cfe0f3', '#d7ebcd', '#f4e0c6', '#e1d5f0', '#f3d4da', '#cbe9e4', '#eee5bf', '#d5dbf4'] as const;

/** The wall's dark tints: the same eight, deep enough that the cases carry the light. */
export const STREET_FILL_COLORS_DARK = ['#16263d', '#1a2e2a', '#2b2419', '#241e35', '#2f1d24', '#16302e', '#2a2a1a', '#1c2140'] as const;

export type BasemapTheme = 'light' | 'dark';

interface BasemapColors {
  readonly background: string;
  readonly districtFill: string;
  readonly gridLine: string;
  readonly communityLine: string;
  readonly streetLine: string;
  readonly districtLine: string;
  readonly hover: string;
  readonly selected: string;
  readonly pick: string;
  readonly streetFills: readonly string[];
  readonly streetFillOpacity: number;
}

const LIGHT: BasemapColors = {
  background: '#cfd6df',
  districtFill: '#f8f9fb',
  gridLine: '#7d8a9c',
  communityLine: '#44536b',
  streetLine: '#2c3a52',
  districtLine: '#121a2b',
  hover: '#2563eb',
  selected: '#e8590c',
  pick: '#c92a2a',
  streetFills: STREET_FILL_COLORS,
  streetFillOpacity: 0.9,
};

/** The wall display: dark, so that coloured cases read from across the room. */
const DARK: BasemapColors = {
  background: '#070c16',
  districtFill: '#0e1726',
  gridLine: '#34455f',
  communityLine: '#4b6186',
  streetLine: '#7e95bb',
  districtLine: '#c3d2ea',
  hover: '#4dabf7',
  selected: '#ff922b',
  pick: '#ff6b6b',
  streetFills: STREET_FILL_COLORS_DARK,
  streetFillOpacity: 1,
};

/** Line width in pixels by zoom: [zoom, widthPixels] stops, interpolated linearly. */
function widthByZoom(...stops: readonly (readonly [zoom: number, widthPixels: number])[]): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], ...stops.flat()];
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The layers that draw grids (hover and tooltip included): shown from the geography's gridMinZoom. */
export const GRID_LAYERS = ['gridsFill', 'gridsHoverFill', 'gridsLine', 'gridsHoverLine'] as const;

/** The colours beneath everything: what an area fill's own canvas draws while it hides the map's (see area-canvas.ts). */
export function basemapGround(theme: BasemapTheme): { readonly background: string; readonly districtFill: string } {
  const { background, districtFill } = theme === 'dark' ? DARK : LIGHT;
  return { background, districtFill };
}

/** Matches nothing until a code is given. */
export function gridCodeFilter(gridCode: string | undefined): FilterSpecification {
  return ['==', ['get', 'code'], gridCode ?? ''];
}

/** fill-color for streets: the tint picked for each street, carried as its `colorIndex` property. */
function streetFillColor(colors: readonly string[]): ExpressionSpecification {
  return ['to-color', ['at', ['get', 'colorIndex'], ['literal', [...colors]]], colors[0]!];
}

export function createBasemapStyle(theme: BasemapTheme = 'light'): StyleSpecification {
  const COLOR = theme === 'dark' ? DARK : LIGHT;
  const geojson = { type: 'geojson', data: EMPTY } as const;
  // Areas are identified by their code: incremental updates (grids loaded by view) use it.
  const areas = { ...geojson, promoteId: 'code' } as const;
  // Street and community outlines follow their grids' edges (hundreds of vertices each with unit
  // grids): simplified to a pixel where zoomed out, so that drawing them stays cheap; exact zoomed in.
  const outlines = { ...areas, tolerance: 1 } as const;
  return {
    version: 8,
    name: `grid-command-basemap-${theme}`,
    sources: {
      [SOURCE.district]: geojson,
      [SOURCE.streets]: outlines,
      [SOURCE.communities]: outlines,
      [SOURCE.grids]: areas,
      [SOURCE.pick]: geojson,
    },
    layers: [
      { id: LAYER.background, type: 'background', paint: { 'background-color': COLOR.background } },
      { id: LAYER.districtFill, type: 'fill', source: SOURCE.district, paint: { 'fill-color': COLOR.districtFill } },
      { id: LAYER.streetsFill, type: 'fill', source: SOURCE.streets, paint: { 'fill-color': streetFillColor(COLOR.streetFills), 'fill-opacity': COLOR.streetFillOpacity } },
      { id: LAYER.gridsFill, type: 'fill', source: SOURCE.grids, paint: { 'fill-color': '#ffffff', 'fill-opacity': 0 } },
      { id: LAYER.gridsHoverFill, type: 'fill', source: SOURCE.grids, filter: gridCodeFilter(undefined), paint: { 'fill-color': COLOR.hover, 'fill-opacity': 0.16 } },
      { id: LAYER.gridsSelectedFill, type: 'fill', source: SOURCE.grids, filter: gridCodeFilter(undefined), paint: { 'fill-color': COLOR.selected, 'fill-opacity': 0.32 } },
      {
        id: LAYER.gridsLine,
        type: 'line',
        source: SOURCE.grids,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': COLOR.gridLine,
          'line-width': widthByZoom([9, 0.2], [11, 0.35], [13, 0.8], [16, 1.4]),
          'line-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.2, 11, 0.32, 13, 0.7, 15, 0.85],
        },
      },
      {
        id: LAYER.communitiesLine,
        type: 'line',
        source: SOURCE.communities,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': COLOR.communityLine,
          'line-width': widthByZoom([9, 0.6], [11, 0.9], [13, 1.5], [16, 2.6]),
          'line-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.7, 12, 0.9],
        },
      },
      {
        id: LAYER.streetsLine,
        type: 'line',
        source: SOURCE.streets,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': COLOR.streetLine, 'line-width': widthByZoom([9, 1.3], [11, 1.8], [13, 2.6], [16, 4]) },
      },
      {
        id: LAYER.districtLine,
        type: 'line',
        source: SOURCE.district,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': COLOR.districtLine, 'line-width': widthByZoom([9, 2.6], [11, 3.2], [16, 6]) },
      },
      {
        id: LAYER.gridsHoverLine,
        type: 'line',
        source: SOURCE.grids,
        filter: gridCodeFilter(undefined),
        layout: { 'line-join': 'round' },
        paint: { 'line-color': COLOR.hover, 'line-width': widthByZoom([9, 1.5], [16, 3]) },
      },
      {
        id: LAYER.gridsSelectedLine,
        type: 'line',
        source: SOURCE.grids,
        filter: gridCodeFilter(undefined),
        layout: { 'line-join': 'round' },
        paint: { 'line-color': COLOR.selected, 'line-width': widthByZoom([9, 2.5], [16, 4.5]) },
      },
      { id: LAYER.pickHalo, type: 'circle', source: SOURCE.pick, paint: { 'circle-radius': 9, 'circle-color': COLOR.pick, 'circle-opacity': 0.2 } },
      {
        id: LAYER.pickPoint,
        type: 'circle',
        source: SOURCE.pick,
        paint: { 'circle-radius': 4.5, 'circle-color': COLOR.pick, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
      },
    ],
  };
}
