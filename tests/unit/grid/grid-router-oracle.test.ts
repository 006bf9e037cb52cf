import { describe, expect, it } from 'vitest';
import type { BBox, LngLat } from '../../../core/geo/lng-lat.ts';
import { buildBucketIndex, type BucketIndexOptions } from '../../../core/grid/bucket-index.ts';
import { createGridRouter, type RoutableGrid } from '../../../core/grid/grid-router.ts';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { createRandom } from '../../../scripts/geodata/seeded-random.ts';
import {
  buildBucketAlignedLattice,
  buildHoleAndMultipartGrids,
  buildLatticeGrids,
  buildOverlappingRectGrids,
  buildVoronoiGrids,
  createBruteForceRouter,
  createCoverageCounter,
  extentOf,
  extentProbePoints,
  findMismatches,
  nudgedAround,
  randomPointsIn,
  vertexAndMidpoints,
} from './grid-fixtures.ts';

// The router's bucket index must give exactly the documented answer, "the lowest code among the grids
// that cover the point", on every point: random ones, and above all every vertex and edge midpoint
// (where the tie rule decides) and points a rounding error or a bucket margin away from them.

const families: { name: string; build: () => RoutableGrid[] }[] = [
  { name: 'a Voronoi tiling of 150 cells', build: () => buildVoronoiGrids({ seed: 1, count: 150 }) },
  { name: 'a Voronoi tiling of 40 cells', build: () => buildVoronoiGrids({ seed: 2, count: 40 }) },
  { name: 'a lattice of rectangles with exactly shared edges', build: () => buildLatticeGrids({ columns: 12, rows: 9 }) },
  { name: 'overlapping rectangles', build: () => buildOverlappingRectGrids({ seed: 3, count: 120 }) },
  { name: 'overlapping grids with holes, several parts and islands', build: () => buildHoleAndMultipartGrids({ seed: 4, count: 60 }) },
];

const indexOptions: { name: string; options: BucketIndexOptions }[] = [
  { name: 'bucketsPerPolygon 1', options: { bucketsPerPolygon: 1 } },
  { name: 'bucketsPerPolygon 4', options: { bucketsPerPolygon: 4 } },
  { name: 'the default index', options: {} },
  { name: 'bucketsPerPolygon 200', options: { bucketsPerPolygon: 200 } },
  { name: 'maxBuckets 50', options: { bucketsPerPolygon: 200, maxBuckets: 50 } },
];

function grow(box: BBox, by: number): BBox {
  return [box[0] - by, box[1] - by, box[2] + by, box[3] + by];
}

function probePoints(grids: readonly RoutableGrid[], seed: number): LngLat[] {
  const random = createRandom(seed);
  const extent = extentOf(grids);
  return [
    ...randomPointsIn(grow(extent, 0.01), 4000, random),
    ...nudgedAround(vertexAndMidpoints(grids)),
    ...extentProbePoints(extent, random),
  ];
}

describe.each(families)('the router on $name', ({ build }) => {
  it.each(indexOptions)('routes every probe point by the lowest-code rule with $name', ({ options }) => {
    const grids = build();
    const router = createGridRouter(grids, options);
    const oracle = createBruteForceRouter(grids);
    const points = probePoints(grids, 5);
    expect(findMismatches(router, points, points.map(([x, y]) => oracle(x, y)))).toEqual([]);
  });

  it('has probe points where two or more grids tie', () => {
    const grids = build();
    const covering = createCoverageCounter(grids);
    const ties = probePoints(grids, 5).filter(([x, y]) => covering(x, y) >= 2).length;
    expect(ties).toBeGreaterThan(200);
  });

  it('gives the same answers whatever order the grids come in', () => {
    const grids = build();
    const forward = createGridRouter(grids);
    const backward = createGridRouter(grids.slice().reverse());
    const points = probePoints(grids, 6);
    const expected = points.map(([x, y]) => {
      const i = forward.locate(x, y);
      return i >= 0 ? forward.codeAt(i) : null;
    });
    expect(findMismatches(backward, points, expected)).toEqual([]);
  });
});

const alignedBoxes: { name: string; box: BBox }[] = [
  { name: 'in Beijing', box: [116.25, 39.9, 116.35, 40.0] },
  { name: 'across the equator and the prime meridian, where ulps are tiny', box: [-0.05, -0.04, 0.05, 0.04] },
];

describe.each(alignedBoxes)('the router where grid edges lie a few ulps off the bucket borders, $name', ({ box }) => {
  it('uses the bucket grid the lattice was laid over (fixture check)', () => {
    const { grids, options, columns, rows } = buildBucketAlignedLattice({ box });
    const index = buildBucketIndex(packPolygons(grids.map((g) => g.rings)), options);
    expect([index.columns, index.rows]).toEqual([columns, rows]);
  });

  it('routes every vertex and edge midpoint, and the points an ulp or a margin away, by the lowest-code rule', () => {
    const { grids, options } = buildBucketAlignedLattice({ box });
    const router = createGridRouter(grids, options);
    const oracle = createBruteForceRouter(grids);
    const points = nudgedAround(vertexAndMidpoints(grids));
    expect(findMismatches(router, points, points.map(([x, y]) => oracle(x, y)))).toEqual([]);
  });
});
