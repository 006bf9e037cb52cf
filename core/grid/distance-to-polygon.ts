import { metersPerDegreeAt } from '../geo/local-projection.ts';
import type { PackedPolygons } from './packed-polygons.ts';

/**
 * Distance in metres from (x, y) to the nearest edge of a polygon, in a local projection centred on
 * the point (accurate to well under 0.1 % within a district). Zero is never returned for a point
 * outside: callers use this for points no grid covers.
 */
export function distanceToPolygonMeters(polygons: PackedPolygons, polygon: number, x: number, y: number): number {
  const scale = metersPerDegreeAt(y);
  const kx = scale.lng;
  const ky = scale.lat;
  const { partStart, ringStart, pointStart, xy } = polygons;
  let best = Infinity;
  for (let part = partStart[polygon]!; part < partStart[polygon + 1]!; part++) {
    for (let ring = ringStart[part]!; ring < ringStart[part + 1]!; ring++) {
      for (let k = pointStart[ring]!; k + 1 < pointStart[ring + 1]!; k++) {
        const ax = (xy[2 * k]! - x) * kx;
        const ay = (xy[2 * k + 1]! - y) * ky;
        const bx = (xy[2 * k + 2]! - x) * kx;
        const by = (xy[2 * k + 3]! - y) * ky;
        const dx = bx - ax;
        const dy = by - ay;
        const lengthSq = dx * dx + dy * dy;
        const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSq));
        const d = Math.hypot(ax + t * dx, ay + t * dy);
        if (d < best) best = d;
      }
    }
  }
  return best;
}
