import area from '@turf/area';
import type { BBox, LngLat, MultiPolygonRings } from './lng-lat.ts';
import { asMultiPolygon } from './geojson-rings.ts';

/** Geodesic area on the WGS-84 authalic sphere (turf), in square metres. */
export function areaSquareMeters(rings: MultiPolygonRings): number {
  return area(asMultiPolygon(rings));
}

export function bboxOf(rings: MultiPolygonRings): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of rings) {
    for (const [x, y] of polygon[0] ?? []) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

/** A point to show where a piece of geometry is: the middle of its largest part's bounding box. */
export function labelPointOf(rings: MultiPolygonRings): LngLat {
  let best: LngLat = rings[0]?.[0]?.[0] ?? [0, 0];
  let bestArea = -1;
  for (const polygon of rings) {
    const [minX, minY, maxX, maxY] = bboxOf([polygon]);
    const a = (maxX - minX) * (maxY - minY);
    if (a > bestArea) {
      bestArea = a;
      best = [(minX + maxX) / 2, (minY + maxY) / 2];
    }
  }
  return best;
}
