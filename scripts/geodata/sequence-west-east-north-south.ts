import type { LngLat } from '../../core/geo/lng-lat.ts';

/**
 * Orders areas the way the Beijing grid standard numbers cells: in rows from north to south, and
 * west to east within a row. Rows are bands `bandHeightDegrees` tall, measured from the northmost item.
 */
export function sequenceWestEastNorthSouth<T>(items: readonly T[], centreOf: (item: T) => LngLat, bandHeightDegrees: number): T[] {
  const centres = items.map(centreOf);
  const north = Math.max(...centres.map((c) => c[1]));
  return items
    .map((item, i) => ({ item, row: Math.floor((north - centres[i]![1]) / bandHeightDegrees), lng: centres[i]![0] }))
    .sort((a, b) => a.row - b.row || a.lng - b.lng)
    .map((x) => x.item);
}
