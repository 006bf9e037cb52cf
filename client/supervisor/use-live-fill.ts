import { useMemo } from 'react';
import type { CountLevel } from '../live/area-counts.ts';
import { valuesOf } from '../live/area-counts.ts';
import type { LiveSession } from '../live/use-live.ts';
import type { AreaFill } from '../map/area-fill.ts';
import type { FillMeasure } from '../state/view-url.ts';
import { useAreaCounts } from './use-live-figures.ts';

/** Zoom below which streets are coloured, then communities, then (zoomed in) grids: what is legible at each scale. */
export const STREET_FILL_BELOW_ZOOM = 11.5;
export const COMMUNITY_FILL_BELOW_ZOOM = 13.5;

/** `gridMinZoom`: below it the map has no grid outlines to colour (unit grids load by view). */
export function fillLevelAt(zoom: number | undefined, gridMinZoom = 0): CountLevel {
  if (zoom === undefined || zoom < STREET_FILL_BELOW_ZOOM) return 'street';
  return zoom < Math.max(COMMUNITY_FILL_BELOW_ZOOM, gridMinZoom) ? 'community' : 'grid';
}

/** The supervisor's choropleth: live figures of the legible level, by the chosen measure. */
export function useLiveFill(live: LiveSession | undefined, measure: FillMeasure, zoom: number | undefined, gridMinZoom: number): AreaFill | undefined {
  const level = fillLevelAt(zoom, gridMinZoom);
  const counts = useAreaCounts(live, level, undefined);
  return useMemo(() => {
    if (!live || measure === 'none') return undefined;
    // Areas with nothing to show stay unfilled: the basemap shows through, the few that matter stand out.
    const values = new Map([...valuesOf(counts, measure)].filter(([, value]) => value > 0));
    let max = 1;
    for (const value of values.values()) if (value > max) max = value;
    return { level, values, max, scheme: measure === 'open' ? 'count' : 'alert' };
  }, [live, measure, counts, level]);
}
