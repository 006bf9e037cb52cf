import distance from '@turf/distance';
import { describe, expect, it } from 'vitest';
import { createLocalProjection } from '../../../core/geo/local-projection.ts';
import { createGridRouter, type RoutableGrid, type RouteResult } from '../../../core/grid/grid-router.ts';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { buildGrid, buildGridCode, buildRectGrid, buildRectRing } from './grid-fixtures.ts';

const A = buildGridCode({ grid: 1 });
const B = buildGridCode({ grid: 2 });

function nearestOf(result: RouteResult): { gridCode: string; distanceMeters: number } {
  if (result.routed || !result.nearest) throw new Error(`expected an unrouted result with a nearest grid, got ${JSON.stringify(result)}`);
  return result.nearest;
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / expected;
}

describe('unrouted points: the nearest grid and its distance', () => {
  // A 0.01° square grid; points due east and due north of it at a known offset.
  const square = (): RoutableGrid => buildRectGrid(A, { west: 116.3, south: 39.95, east: 116.31, north: 39.96 });

  it('measures a point due east of a grid as Δlng × metres per degree of longitude there, within 0.5 %', () => {
    const nearest = nearestOf(createGridRouter([square()]).route(116.311, 39.955));
    const expected = 0.001 * createLocalProjection([116.311, 39.955]).metersPerDegreeLng;
    expect(nearest.gridCode).toBe(A);
    expect(relativeError(nearest.distanceMeters, expected)).toBeLessThan(0.005);
  });

  it('measures a point due north of a grid as Δlat × metres per degree of latitude there, within 0.5 %', () => {
    const nearest = nearestOf(createGridRouter([square()]).route(116.305, 39.962));
    const expected = 0.002 * createLocalProjection([116.305, 39.962]).metersPerDegreeLat;
    expect(relativeError(nearest.distanceMeters, expected)).toBeLessThan(0.005);
  });

  it('measures a point beyond a corner to the corner, and agrees with the great-circle distance within 0.5 %', () => {
    const nearest = nearestOf(createGridRouter([square()]).route(116.313, 39.964));
    const expected = distance([116.31, 39.96], [116.313, 39.964], { units: 'meters' });
    expect(relativeError(nearest.distanceMeters, expected)).toBeLessThan(0.005);
  });

  it('agrees with the great-circle distance for a point 5 km away, within 0.5 %', () => {
    const nearest = nearestOf(createGridRouter([square()]).route(116.37, 39.955));
    expect(relativeError(nearest.distanceMeters, distance([116.31, 39.955], [116.37, 39.955], { units: 'meters' }))).toBeLessThan(0.005);
  });

  it('measures a point in a hole to the edge of the hole', () => {
    const holed = buildGrid({ code: A, rings: [[buildRectRing({ west: 116.3, south: 39.95, east: 116.32, north: 39.97 }), buildRectRing({ west: 116.305, south: 39.955, east: 116.315, north: 39.965, clockwise: true })]] });
    const nearest = nearestOf(createGridRouter([holed]).route(116.313, 39.96));
    const expected = 0.002 * createLocalProjection([116.313, 39.96]).metersPerDegreeLng;
    expect(nearest.gridCode).toBe(A);
    expect(relativeError(nearest.distanceMeters, expected)).toBeLessThan(0.005);
  });

  it('picks the grid whose edge is nearer, not the one listed first or coded lower', () => {
    const router = createGridRouter([
      buildRectGrid(A, { west: 116.3, south: 39.95, east: 116.31, north: 39.96 }),
      buildRectGrid(B, { west: 116.32, south: 39.95, east: 116.33, north: 39.96 }),
    ]);
    expect(nearestOf(router.route(116.318, 39.955)).gridCode).toBe(B);
  });

  it.each([
    ['west', 116.0, 116.25],
    ['east', 116.75, 117.0],
  ])('breaks an exact tie in distance towards the smaller code (smaller code to the %s)', (_side, west, east) => {
    // Both edges are exactly 0.25° from the point (dyadic coordinates), so the distances are equal.
    const other = west === 116.0 ? { west: 116.75, east: 117.0 } : { west: 116.0, east: 116.25 };
    const router = createGridRouter([buildRectGrid(B, { ...other, south: 40.0, north: 40.25 }), buildRectGrid(A, { west, east, south: 40.0, north: 40.25 })]);
    expect(nearestOf(router.route(116.5, 40.125)).gridCode).toBe(A);
  });

  it('breaks a tie among 40 identical grids (more than one batch of candidates) towards the smallest code', () => {
    const grids = Array.from({ length: 40 }, (_, k) => buildRectGrid(buildGridCode({ grid: 40 - k }), { west: 116.0, south: 40.0, east: 116.25, north: 40.25 }));
    expect(nearestOf(createGridRouter(grids).route(116.5, 40.125)).gridCode).toBe(buildGridCode({ grid: 1 }));
  });

  it('never reports zero metres for an unrouted point', () => {
    const router = createGridRouter([buildRectGrid(A, { west: 116.25, south: 40.0, east: 116.5, north: 40.25 })]);
    expect(nearestOf(router.route(116.5 + 1e-9, 40.125)).distanceMeters).toBeGreaterThan(0);
  });
});

describe('unrouted points: when the box-nearest grid is not the edge-nearest one', () => {
  /**
   * Twenty long, thin diagonal strips whose boxes all contain the point (box distance 0) but whose
   * edges are kilometres away, and a small square whose box is further (box distance > 0) but whose
   * corner is about 200 m away. The square is the 21st candidate by box, past the first 16 looked at.
   */
  function buildDecoysAndSquare(): RoutableGrid[] {
    const strips = Array.from({ length: 20 }, (_, k) =>
      buildGrid({
        code: buildGridCode({ community: 1, grid: k }),
        rings: [[[[116.2 + 0.0008 * k, 39.8], [116.2005 + 0.0008 * k, 39.8], [116.5005 + 0.0008 * k, 40.1], [116.5 + 0.0008 * k, 40.1], [116.2 + 0.0008 * k, 39.8]]]],
      }),
    );
    return [...strips, buildRectGrid(buildGridCode({ community: 9, grid: 1 }), { west: 116.397, south: 39.903, east: 116.398, north: 39.904 })];
  }

  it('names the small square, whose edge is nearer', () => {
    const nearest = nearestOf(createGridRouter(buildDecoysAndSquare()).route(116.395, 39.905));
    expect(nearest.gridCode).toBe(buildGridCode({ community: 9, grid: 1 }));
  });

  it('gives the distance to the square corner by hand computation, within 0.5 %', () => {
    const nearest = nearestOf(createGridRouter(buildDecoysAndSquare()).route(116.395, 39.905));
    const projection = createLocalProjection([116.395, 39.905]);
    const expected = Math.hypot(0.002 * projection.metersPerDegreeLng, 0.001 * projection.metersPerDegreeLat);
    expect(relativeError(nearest.distanceMeters, expected)).toBeLessThan(0.005);
  });

  it('(fixture check) the point lies in every strip\'s box, so the strips are the box-nearest candidates', () => {
    const packed = packPolygons(buildDecoysAndSquare().map((g) => g.rings));
    let inBox = 0;
    for (let i = 0; i < 20; i++) {
      const [x0, y0, x1, y1] = packed.bbox.subarray(4 * i, 4 * i + 4);
      if (116.395 >= x0! && 116.395 <= x1! && 39.905 >= y0! && 39.905 <= y1!) inBox++;
    }
    expect(inBox).toBe(20);
  });
});

describe('unrouted points: when box order in degrees is not distance order in metres', () => {
  /**
   * At 40° N a degree of longitude is 85.4 km and a degree of latitude 111.0 km. Sixteen grids due
   * north at 0.0009° (100 m) come before one due east at 0.001° (85 m) in box order, so the nearest
   * grid is only found by looking past the first 16 candidates.
   */
  function buildNorthAndEast(): RoutableGrid[] {
    const north = Array.from({ length: 16 }, (_, k) => buildRectGrid(buildGridCode({ community: 1, grid: k }), { west: 116.299, south: 40.0009, east: 116.301, north: 40.002 }));
    return [...north, buildRectGrid(buildGridCode({ community: 9, grid: 1 }), { west: 116.301, south: 39.999, east: 116.302, north: 40.001 })];
  }

  it('names the grid due east, 17th by box distance but nearest in metres', () => {
    expect(nearestOf(createGridRouter(buildNorthAndEast()).route(116.3, 40.0)).gridCode).toBe(buildGridCode({ community: 9, grid: 1 }));
  });

  it('gives its distance as 0.001° of longitude in metres, within 0.5 %', () => {
    const nearest = nearestOf(createGridRouter(buildNorthAndEast()).route(116.3, 40.0));
    expect(relativeError(nearest.distanceMeters, 0.001 * createLocalProjection([116.3, 40.0]).metersPerDegreeLng)).toBeLessThan(0.005);
  });
});

describe('unrouted points near the equator', () => {
  /**
   * At latitude 0 a degree of latitude is 110 574 m and a degree of longitude 111 319 m. W is due west
   * of the point at 0.001° (111.32 m); fifteen copies of a strip due east at 0.001004° (111.76 m) fill
   * the first 16 box candidates; N is due north at 0.001005° of box distance but only 111.13 m away.
   * A search that stops once box distance × 111 000 m/° passes the best distance (0.001004° × 111 000
   * = 111.44 m > 111.32 m) misses N: 111 000 m/° is not a lower bound for a degree of latitude below
   * about 38°, and min(kx, 111 000) fails to bound min(kx, ky) within about 6.6° of the equator.
   */
  function buildEquatorCase(): RoutableGrid[] {
    const east = Array.from({ length: 15 }, (_, k) => buildRectGrid(buildGridCode({ community: 5, grid: k }), { west: 0.001004, south: -0.0005, east: 0.0015, north: 0.0005 }));
    return [
      buildRectGrid(buildGridCode({ community: 1, grid: 1 }), { west: -0.002, south: -0.0005, east: -0.001, north: 0.0005 }),
      ...east,
      buildRectGrid(buildGridCode({ community: 9, grid: 1 }), { west: -0.0005, south: 0.001005, east: 0.0005, north: 0.0015 }),
    ];
  }

  it('(fixture check) the grid due north is the nearest there, by hand computation', () => {
    const projection = createLocalProjection([0, 0]);
    expect(0.001005 * projection.metersPerDegreeLat).toBeLessThan(0.001 * projection.metersPerDegreeLng);
  });

  it('names the grid due north, nearest by edge though not among the first 16 box candidates', () => {
    const nearest = nearestOf(createGridRouter(buildEquatorCase()).route(0, 0));
    expect(nearest.gridCode).toBe(buildGridCode({ community: 9, grid: 1 }));
  });
});
