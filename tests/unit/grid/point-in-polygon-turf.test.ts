import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { asMultiPolygon } from '../../../core/geo/geojson-rings.ts';
import type { LngLat } from '../../../core/geo/lng-lat.ts';
import { createGridRouter, type RoutableGrid } from '../../../core/grid/grid-router.ts';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { OUTSIDE, locatePointInPolygon } from '../../../core/grid/point-in-polygon.ts';
import { createRandom } from '../../../scripts/geodata/seeded-random.ts';
import {
  DISTRICT_BOX,
  buildHoleAndMultipartGrids,
  buildOverlappingRectGrids,
  buildVoronoiGrids,
  distanceToEdgesDegrees,
  offsetAround,
  randomPointsIn,
  routedCode,
  vertexAndMidpoints,
} from './grid-fixtures.ts';

// Away from the boundary the exact arithmetic does not matter, so the PostGIS-style test must agree
// with turf's. "Away" is more than 1e-9° (about 0.1 mm) from every edge of the polygon in question.
const NEAR_EDGE_DEGREES = 1e-9;

const families: { name: string; build: (seed: number) => RoutableGrid[] }[] = [
  { name: 'a Voronoi tiling', build: (seed) => buildVoronoiGrids({ seed, count: 80 }) },
  { name: 'overlapping rectangles', build: (seed) => buildOverlappingRectGrids({ seed, count: 60 }) },
  { name: 'grids with holes, several parts and islands', build: (seed) => buildHoleAndMultipartGrids({ seed, count: 40 }) },
];

/** Random points, plus points 1e-8° from every vertex and edge midpoint: close to, but clear of, edges. */
function probePoints(grids: readonly RoutableGrid[], seed: number): LngLat[] {
  return [...randomPointsIn(DISTRICT_BOX, 3000, createRandom(seed)), ...offsetAround(vertexAndMidpoints(grids), [1e-8])];
}

describe.each(families)('point-in-polygon agrees with turf on $name', ({ build }) => {
  it('for every polygon and every point clear of its edges', () => {
    const grids = build(11);
    const packed = packPolygons(grids.map((g) => g.rings));
    const geometries = grids.map((g) => asMultiPolygon(g.rings));
    const disagreements: string[] = [];
    let comparedInside = 0;
    for (const [x, y] of probePoints(grids, 12)) {
      for (let i = 0; i < grids.length; i++) {
        const o = 4 * i;
        if (x < packed.bbox[o]! - 1e-6 || y < packed.bbox[o + 1]! - 1e-6 || x > packed.bbox[o + 2]! + 1e-6 || y > packed.bbox[o + 3]! + 1e-6) continue;
        if (distanceToEdgesDegrees(grids[i]!.rings, x, y) <= NEAR_EDGE_DEGREES) continue;
        const ours = locatePointInPolygon(packed, i, x, y) !== OUTSIDE;
        const turfs = booleanPointInPolygon([x, y], geometries[i]!);
        if (ours) comparedInside++;
        if (ours !== turfs) disagreements.push(`${grids[i]!.code} at (${x}, ${y}): ours ${ours}, turf ${turfs}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(comparedInside).toBeGreaterThan(1000);
  });

  it('and the router picks the lowest code turf finds, for points clear of every edge', () => {
    const grids = build(21);
    const router = createGridRouter(grids);
    const geometries = grids.map((g) => asMultiPolygon(g.rings));
    const disagreements: string[] = [];
    for (const [x, y] of randomPointsIn(DISTRICT_BOX, 1500, createRandom(22))) {
      if (grids.some((g) => distanceToEdgesDegrees(g.rings, x, y) <= NEAR_EDGE_DEGREES)) continue;
      let expected: string | null = null;
      grids.forEach((g, i) => {
        if ((expected === null || g.code < expected) && booleanPointInPolygon([x, y], geometries[i]!)) expected = g.code;
      });
      const actual = routedCode(router, x, y);
      if (actual !== expected) disagreements.push(`(${x}, ${y}): router ${actual}, turf ${expected}`);
    }
    expect(disagreements).toEqual([]);
  });
});
