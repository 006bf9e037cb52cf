import type { MultiPolygonRings } from '../geo/lng-lat.ts';

/**
 * Polygons flattened into typed arrays: the router's hot loop reads coordinates from one
 * Float64Array instead of chasing nested JS arrays, and the whole set can be shared or cloned cheaply.
 * Polygon i has parts partStart[i]..partStart[i+1]; part j has rings ringStart[j]..ringStart[j+1]
 * (the first is the exterior); ring r has points pointStart[r]..pointStart[r+1], x at xy[2k], y at xy[2k+1].
 */
export interface PackedPolygons {
  readonly count: number;
  readonly partStart: Uint32Array;
  readonly ringStart: Uint32Array;
  readonly pointStart: Uint32Array;
  readonly xy: Float64Array;
  /** minX, minY, maxX, maxY per polygon. */
  readonly bbox: Float64Array;
}

export function packPolygons(polygons: readonly MultiPolygonRings[]): PackedPolygons {
  let parts = 0;
  let rings = 0;
  let points = 0;
  for (const polygon of polygons) {
    parts += polygon.length;
    for (const part of polygon) {
      rings += part.length;
      for (const ring of part) points += ring.length;
    }
  }
  const partStart = new Uint32Array(polygons.length + 1);
  const ringStart = new Uint32Array(parts + 1);
  const pointStart = new Uint32Array(rings + 1);
  const xy = new Float64Array(points * 2);
  const bbox = new Float64Array(polygons.length * 4);
  let part = 0;
  let ring = 0;
  let point = 0;
  polygons.forEach((polygon, i) => {
    partStart[i] = part;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const p of polygon) {
      ringStart[part++] = ring;
      for (const r of p) {
        pointStart[ring++] = point;
        for (const [x, y] of r) {
          xy[2 * point] = x;
          xy[2 * point + 1] = y;
          point++;
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
      }
    }
    bbox.set([minX, minY, maxX, maxY], i * 4);
  });
  partStart[polygons.length] = part;
  ringStart[parts] = ring;
  pointStart[rings] = point;
  return { count: polygons.length, partStart, ringStart, pointStart, xy, bbox };
}
