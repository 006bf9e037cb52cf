import { describe, expect, it } from 'vitest';
import { buildBucketIndex, locateInBucketIndex } from '../../../core/grid/bucket-index.ts';
import type { MultiPolygonRings } from '../../../core/geo/lng-lat.ts';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { OUTSIDE, locatePointInPolygon } from '../../../core/grid/point-in-polygon.ts';
import { createRandom } from '../../../scripts/geodata/seeded-random.ts';
import { DISTRICT_BOX, buildOverlappingRectGrids, buildRectRing, nudgedAround, randomPointsIn, vertexAndMidpoints } from './grid-fixtures.ts';

const big: MultiPolygonRings = [[buildRectRing({ west: 116.0, south: 40.0, east: 116.5, north: 40.5 })]];
const small: MultiPolygonRings = [[buildRectRing({ west: 116.125, south: 40.125, east: 116.25, north: 40.25 })]];

/** The first polygon, in pack order, that covers the point: what the index must return. */
function firstCovering(polygons: readonly MultiPolygonRings[], x: number, y: number): number {
  const packed = packPolygons(polygons);
  for (let i = 0; i < packed.count; i++) if (locatePointInPolygon(packed, i, x, y) !== OUTSIDE) return i;
  return -1;
}

describe('buildBucketIndex and locateInBucketIndex', () => {
  it('returns the first polygon in index order, not the smallest or the innermost', () => {
    const packed = packPolygons([big, small]);
    expect(locateInBucketIndex(buildBucketIndex(packed), packed, 116.1875, 40.1875)).toBe(0);
  });

  it('returns the inner polygon when it comes first', () => {
    const packed = packPolygons([small, big]);
    expect(locateInBucketIndex(buildBucketIndex(packed), packed, 116.1875, 40.1875)).toBe(0);
    expect(locateInBucketIndex(buildBucketIndex(packed), packed, 116.0625, 40.0625)).toBe(1);
  });

  it('returns -1 inside the extent where no polygon lies', () => {
    const packed = packPolygons([small, [[buildRectRing({ west: 116.375, south: 40.375, east: 116.5, north: 40.5 })]]]);
    expect(locateInBucketIndex(buildBucketIndex(packed), packed, 116.3125, 40.3125)).toBe(-1);
  });

  it('spans the union of the polygons\' boxes', () => {
    const index = buildBucketIndex(packPolygons([big, [[buildRectRing({ west: 116.75, south: 39.75, east: 117.0, north: 40.0 })]]]));
    expect([index.minX, index.minY, index.maxX, index.maxY]).toEqual([116.0, 39.75, 117.0, 40.5]);
  });

  it('of no polygons is empty and finds nothing', () => {
    const packed = packPolygons([]);
    const index = buildBucketIndex(packed);
    expect(index.columns * index.rows).toBe(0);
    expect(locateInBucketIndex(index, packed, 0, 0)).toBe(-1);
  });

  it('makes about bucketsPerPolygon buckets per polygon', () => {
    const grids = buildOverlappingRectGrids({ seed: 8, count: 100 });
    const index = buildBucketIndex(packPolygons(grids.map((g) => g.rings)), { bucketsPerPolygon: 30 });
    expect(index.columns * index.rows).toBeGreaterThan(2000);
    expect(index.columns * index.rows).toBeLessThan(4500);
  });

  it('keeps to maxBuckets (to within rounding up of each side)', () => {
    const grids = buildOverlappingRectGrids({ seed: 8, count: 100 });
    const index = buildBucketIndex(packPolygons(grids.map((g) => g.rings)), { bucketsPerPolygon: 1000, maxBuckets: 64 });
    expect(index.columns * index.rows).toBeLessThanOrEqual(64 + index.columns + index.rows + 1);
  });

  it('makes roughly square buckets on the ground at Beijing\'s latitude', () => {
    const index = buildBucketIndex(packPolygons([[[buildRectRing({ west: 116.0, south: 39.5, east: 117.0, north: 40.5 })]]]), { bucketsPerPolygon: 10_000 });
    const aspect = (index.bucketWidth * Math.cos((40 * Math.PI) / 180)) / index.bucketHeight;
    expect(aspect).toBeGreaterThan(0.95);
    expect(aspect).toBeLessThan(1.05);
  });

  it('with maxBuckets 1 (a bucket or two) still answers by the first covering polygon', () => {
    const polygons = buildOverlappingRectGrids({ seed: 9, count: 40 }).map((g) => g.rings);
    const packed = packPolygons(polygons);
    const index = buildBucketIndex(packed, { maxBuckets: 1 });
    expect(index.columns * index.rows).toBeLessThanOrEqual(2);
    const mismatches = randomPointsIn(DISTRICT_BOX, 1000, createRandom(10)).filter(([x, y]) => locateInBucketIndex(index, packed, x, y) !== firstCovering(polygons, x, y));
    expect(mismatches).toEqual([]);
  });

  it('answers by pack order (not code order) at every vertex and edge midpoint, and beside them', () => {
    const grids = buildOverlappingRectGrids({ seed: 11, count: 80 });
    const polygons = grids.map((g) => g.rings);
    const packed = packPolygons(polygons);
    const index = buildBucketIndex(packed, { bucketsPerPolygon: 64 });
    const mismatches = nudgedAround(vertexAndMidpoints(grids)).filter(([x, y]) => locateInBucketIndex(index, packed, x, y) !== firstCovering(polygons, x, y));
    expect(mismatches).toEqual([]);
  });
});
