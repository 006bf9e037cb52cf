import { useMemo } from 'react';
import type { GridCollection } from '../../core/protocol/http-api.ts';
import { type CountLevel, measureByArea } from '../live/area-counts.ts';
import { type LiveSession, useStoreVersion } from '../live/use-live.ts';
import type { AreaFill } from '../map/area-fill.ts';
import type { FillMeasure } from '../state/view-url.ts';
import { useNow } from '../state/use-now.ts';

/** Zoom below which streets are coloured, then communities, then (zoomed in) grids: what is legible at each scale. */
export const STREET_FILL_BELOW_ZOOM = 11.5;
export const COMMUNITY_FILL_BELOW_ZOOM = 13.5;

/** `gridMinZoom`: below it the map has no grid outlines to colour (unit grids load by view). */
export function fillLevelAt(zoom: number | undefined, gridMinZoom = 0): CountLevel {
  if (zoom === undefined || zoom < STREET_FILL_BELOW_ZOOM) return 'street';
  return zoom < Math.max(COMMUNITY_FILL_BELOW_ZOOM, gridMinZoom) ? 'community' : 'grid';
}

/** How often the fill is recounted (deadlines pass without events). */
const REFRESH_MS = 1_000;

/**
 * The supervisor's choropleth: live figures of the legible level, by the chosen measure. At grid
 * level only the grids the map has loaded (`grids`, around the view) are counted out: the others
 * are not drawn, and there are tens of thousands of them.
 */
export function useLiveFill(live: LiveSession | undefined, measure: FillMeasure, zoom: number | undefined, gridMinZoom: number, grids: GridCollection | undefined): AreaFill | undefined {
  const level = fillLevelAt(zoom, gridMinZoom);
  const version = useStoreVersion(live?.store, REFRESH_MS);
  const now = useNow(REFRESH_MS * 5, live !== undefined);
  const loaded = level === 'grid' ? grids : undefined;
  return useMemo(() => {
    if (!live || measure === 'none') return undefined;
    // Areas with nothing to show stay unfilled: the basemap shows through, the few that matter stand out.
    const values = measureByArea(live.store, level, measure, now, loaded?.features.map((f) => f.properties.code));
    let max = 1;
    for (const value of values.values()) if (value > max) max = value;
    return { level, values, max, scheme: measure === 'open' ? 'count' : 'alert' };
  }, [live, measure, level, now, version, loaded]);
}
