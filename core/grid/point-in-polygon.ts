import type { PackedPolygons } from './packed-polygons.ts';

export const OUTSIDE = 0;
export const INSIDE = 1;
export const BOUNDARY = 2;
export type PointLocation = typeof OUTSIDE | typeof INSIDE | typeof BOUNDARY;

/**
 * Where (x, y) lies relative to one ring, by PostGIS's winding-number test (liblwgeom
 * intervaltree.c, also lwgeom_functions_analytic.c point_in_ring), with the very same double
 * arithmetic: the side of a point is (x2-x1)*(y-y1) - (x-x1)*(y2-y1), a point is on the boundary
 * only when that is exactly 0 and it lies within the edge's box, and zero-length edges are skipped.
 * Using PostGIS's formula rather than turf's is what makes the router agree with ST_Covers on every
 * point, including those a rounding error away from an edge.
 */
export function locateInRing(xy: Float64Array, from: number, to: number, x: number, y: number): PointLocation {
  let winding = 0;
  let x1 = xy[2 * from]!;
  let y1 = xy[2 * from + 1]!;
  for (let k = from + 1; k < to; k++) {
    const x2 = xy[2 * k]!;
    const y2 = xy[2 * k + 1]!;
    if (y1 <= y ? y2 >= y : y2 <= y) {
      if (!(x1 === x2 && y1 === y2)) {
        const side = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
        if (side === 0) {
          if (x1 <= x2 ? x >= x1 && x <= x2 : x >= x2 && x <= x1) return BOUNDARY;
        } else if (y1 <= y && y < y2 && side > 0) {
          winding++;
        } else if (y2 <= y && y < y1 && side < 0) {
          winding--;
        }
      }
    }
    x1 = x2;
    y1 = y2;
  }
  return winding === 0 ? OUTSIDE : INSIDE;
}

/**
 * PostGIS's itree_point_in_multipolygon: inside some part's exterior and in none of that part's
 * holes; any boundary contact ends the search as BOUNDARY. ST_Covers is true for INSIDE and BOUNDARY.
 */
export function locatePointInPolygon(polygons: PackedPolygons, polygon: number, x: number, y: number): PointLocation {
  const { partStart, ringStart, pointStart, xy } = polygons;
  for (let part = partStart[polygon]!, partEnd = partStart[polygon + 1]!; part < partEnd; part++) {
    const firstRing = ringStart[part]!;
    const lastRing = ringStart[part + 1]!;
    if (pointStart[firstRing + 1]! - pointStart[firstRing]! < 4) continue;
    const exterior = locateInRing(xy, pointStart[firstRing]!, pointStart[firstRing + 1]!, x, y);
    if (exterior === BOUNDARY) return BOUNDARY;
    if (exterior === OUTSIDE) continue;
    let inHole = false;
    for (let ring = firstRing + 1; ring < lastRing; ring++) {
      if (pointStart[ring + 1]! - pointStart[ring]! < 4) continue;
      const hole = locateInRing(xy, pointStart[ring]!, pointStart[ring + 1]!, x, y);
      if (hole === BOUNDARY) return BOUNDARY;
      if (hole === INSIDE) {
        inHole = true;
        break;
      }
    }
    if (!inHole) return INSIDE;
  }
  return OUTSIDE;
}

export function polygonCovers(polygons: PackedPolygons, polygon: number, x: number, y: number): boolean {
  return locatePointInPolygon(polygons, polygon, x, y) !== OUTSIDE;
}
