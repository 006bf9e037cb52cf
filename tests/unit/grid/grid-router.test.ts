import { describe, expect, it } from 'vitest';
import { createGridRouter, type RoutableGrid } from '../../../core/grid/grid-router.ts';
import { buildGrid, buildGridCode, buildLatticeGrids, buildRectGrid, nextAfter, routedCode } from './grid-fixtures.ts';

// Dyadic coordinates throughout: a point "on" a shared edge or vertex is exactly on it.
const A = buildGridCode({ community: 1, grid: 1 });
const B = buildGridCode({ community: 1, grid: 2 });
const C = buildGridCode({ community: 2, grid: 1 });
const D = buildGridCode({ community: 2, grid: 2 });

/** Two rectangles sharing the edge lng = 116.25; the lower code is given to the east one, listed second. */
function buildSideBySide(): RoutableGrid[] {
  return [
    buildRectGrid(B, { west: 116.0, south: 40.0, east: 116.25, north: 40.25 }),
    buildRectGrid(A, { west: 116.25, south: 40.0, east: 116.5, north: 40.25 }),
  ];
}

/** Three grids meeting at (116.25, 40.125): one to the west, two stacked to the east. */
function buildThreeAtAVertex(): RoutableGrid[] {
  return [
    buildRectGrid(C, { west: 116.0, south: 40.0, east: 116.25, north: 40.25 }),
    buildRectGrid(B, { west: 116.25, south: 40.125, east: 116.5, north: 40.25 }),
    buildRectGrid(A, { west: 116.25, south: 40.0, east: 116.5, north: 40.125 }),
  ];
}

describe('createGridRouter: the tie rule', () => {
  it('routes a point on an edge shared by codes A < B to A', () => {
    const router = createGridRouter(buildSideBySide());
    expect(router.route(116.25, 40.125)).toMatchObject({ routed: true, gridCode: A });
  });

  it('routes a point on a shared vertex of the shared edge to the smaller code', () => {
    const router = createGridRouter(buildSideBySide());
    expect(routedCode(router, 116.25, 40.25)).toBe(A);
    expect(routedCode(router, 116.25, 40.0)).toBe(A);
  });

  it('routes a vertex shared by three grids to the smallest code', () => {
    const router = createGridRouter(buildThreeAtAVertex());
    expect(routedCode(router, 116.25, 40.125)).toBe(A);
  });

  it('routes a vertex shared by four lattice cells to the smallest of their codes', () => {
    const grids = buildLatticeGrids({ columns: 2, rows: 2, box: [116.0, 40.0, 116.5, 40.5], seed: 9 });
    const smallest = grids.map((g) => g.code).sort()[0];
    expect(routedCode(createGridRouter(grids), 116.25, 40.25)).toBe(smallest);
  });

  it('routes a point on a shared slanted edge to the smaller code', () => {
    const router = createGridRouter([
      buildGrid({ code: B, rings: [[[[116.0, 40.0], [116.25, 40.0], [116.25, 40.25], [116.0, 40.0]]]] }),
      buildGrid({ code: A, rings: [[[[116.0, 40.0], [116.25, 40.25], [116.0, 40.25], [116.0, 40.0]]]] }),
    ]);
    expect(routedCode(router, 116.125, 40.125)).toBe(A);
  });

  it('routes a point one ulp off a shared edge to the grid it lies in, whatever the codes', () => {
    const router = createGridRouter(buildSideBySide());
    expect(routedCode(router, nextAfter(116.25, -1), 40.125)).toBe(B);
    expect(routedCode(router, nextAfter(116.25, 1), 40.125)).toBe(A);
  });

  it('routes a point covered by two overlapping grids to the smaller code, even in both interiors', () => {
    const router = createGridRouter([buildRectGrid(B, { west: 116.0, east: 116.5 }), buildRectGrid(A, { west: 116.25, east: 116.75 })]);
    expect(routedCode(router, 116.375, 40.125)).toBe(A);
  });

  it('orders codes as strings, so a code is never compared as a number', () => {
    const router = createGridRouter([buildRectGrid('110108001001010', { east: 116.5 }), buildRectGrid('110108001001002', { west: 116.5, east: 116.75 })]);
    expect(routedCode(router, 116.5, 40.125)).toBe('110108001001002');
  });
});

describe('createGridRouter: onBoundary', () => {
  it('is true for a point on a shared edge', () => {
    expect(createGridRouter(buildSideBySide()).route(116.25, 40.125)).toMatchObject({ routed: true, onBoundary: true });
  });

  it('is true for a vertex shared by three grids', () => {
    expect(createGridRouter(buildThreeAtAVertex()).route(116.25, 40.125)).toMatchObject({ routed: true, onBoundary: true });
  });

  it('is true for a point on an outer edge that no other grid shares', () => {
    expect(createGridRouter(buildSideBySide()).route(116.0, 40.125)).toMatchObject({ routed: true, gridCode: B, onBoundary: true });
  });

  it('is false in the interior', () => {
    expect(createGridRouter(buildThreeAtAVertex()).route(116.375, 40.0625)).toMatchObject({ routed: true, gridCode: A, onBoundary: false });
  });

  it('is true on the boundary of the chosen grid even where it overlaps the interior of another', () => {
    const router = createGridRouter([buildRectGrid(B, { west: 116.0, east: 116.5 }), buildRectGrid(A, { west: 116.25, east: 116.75 })]);
    expect(router.route(116.25, 40.125)).toMatchObject({ routed: true, gridCode: A, onBoundary: true });
  });
});

describe('createGridRouter: the routed result', () => {
  it('gives the grid, its community (first 12 digits) and its street (first 9 digits)', () => {
    const code = buildGridCode({ street: '110108015', community: 7, grid: 42 });
    expect(createGridRouter([buildRectGrid(code)]).route(116.375, 40.125)).toEqual({
      routed: true,
      gridCode: '110108015007042',
      communityCode: '110108015007',
      streetCode: '110108015',
      onBoundary: false,
    });
  });

  it('counts its grids and reads codes back in code order', () => {
    const router = createGridRouter(buildThreeAtAVertex());
    expect([router.gridCount, router.codeAt(0), router.codeAt(1), router.codeAt(2)]).toEqual([3, A, B, C]);
  });

  it('locates a point to the index of its grid in code order', () => {
    const router = createGridRouter(buildThreeAtAVertex());
    expect([router.locate(116.375, 40.0625), router.locate(116.375, 40.1875), router.locate(116.125, 40.0625)]).toEqual([0, 1, 2]);
  });

  it("routes a point in a grid's hole to the island grid inside it", () => {
    const router = createGridRouter([
      buildGrid({ code: A, rings: [[[[116.0, 40.0], [116.5, 40.0], [116.5, 40.5], [116.0, 40.5], [116.0, 40.0]], [[116.125, 40.125], [116.125, 40.375], [116.375, 40.375], [116.375, 40.125], [116.125, 40.125]]]] }),
      buildRectGrid(B, { west: 116.125, south: 40.125, east: 116.375, north: 40.375 }),
    ]);
    expect([routedCode(router, 116.25, 40.25), routedCode(router, 116.0625, 40.25), routedCode(router, 116.125, 40.25)]).toEqual([B, A, A]);
  });
});

describe('createGridRouter: points at and beyond the extent', () => {
  // Extent of the side-by-side pair: [116.0, 40.0]–[116.5, 40.25].
  it.each([
    ['the max-longitude edge', 116.5, 40.125, A],
    ['the max-latitude edge', 116.375, 40.25, A],
    ['the max corner', 116.5, 40.25, A],
    ['the min corner', 116.0, 40.0, B],
    ['the min-longitude edge', 116.0, 40.125, B],
  ])('routes a point exactly on %s', (_where, lng, lat, code) => {
    for (const bucketsPerPolygon of [1, 48, 200]) {
      expect(routedCode(createGridRouter(buildSideBySide(), { bucketsPerPolygon }), lng, lat)).toBe(code);
    }
  });

  it.each([
    ['east', nextAfter(116.5, 1), 40.125],
    ['north', 116.375, nextAfter(40.25, 1)],
    ['west', nextAfter(116.0, -1), 40.125],
    ['south', 116.375, nextAfter(40.0, -1)],
    ['far away', 0, 0],
  ])('locates nothing one ulp (or more) %s of the extent', (_where, lng, lat) => {
    expect(createGridRouter(buildSideBySide()).locate(lng, lat)).toBe(-1);
  });

  it('leaves a point outside the extent unrouted, with its nearest grid', () => {
    expect(createGridRouter(buildSideBySide()).route(116.75, 40.125)).toMatchObject({ routed: false, nearest: { gridCode: A } });
  });

  it.each([
    ['NaN longitude', Number.NaN, 40.125],
    ['NaN latitude', 116.25, Number.NaN],
    ['infinite longitude', Number.POSITIVE_INFINITY, 40.125],
    ['infinite latitude', 116.25, Number.NEGATIVE_INFINITY],
    ['longitude over 180', 180.5, 40.125],
    ['latitude under -90', 116.25, -90.5],
  ])('route throws a RangeError for %s', (_what, lng, lat) => {
    expect(() => createGridRouter(buildSideBySide()).route(lng, lat)).toThrow(RangeError);
  });

  it.each([
    ['NaN', Number.NaN, Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  ])('locate returns -1 for %s coordinates without throwing', (_what, lng, lat) => {
    expect(createGridRouter(buildSideBySide()).locate(lng, lat)).toBe(-1);
  });

  it('accepts the limits of longitude and latitude themselves', () => {
    expect(createGridRouter(buildSideBySide()).route(180, -90)).toMatchObject({ routed: false });
  });
});

describe('createGridRouter: degenerate sets', () => {
  it('with no grids, routes nothing and names no nearest grid', () => {
    const router = createGridRouter([]);
    expect(router.gridCount).toBe(0);
    expect(router.locate(116.25, 40.125)).toBe(-1);
    expect(router.route(116.25, 40.125)).toEqual({ routed: false });
  });

  it('throws on a duplicate code, naming it', () => {
    expect(() => createGridRouter([buildRectGrid(A), buildRectGrid(B, { west: 116.5, east: 116.75 }), buildRectGrid(A, { west: 116.75, east: 117.0 })])).toThrow(`duplicate grid code ${A}`);
  });

  it('routes with a single grid', () => {
    expect(routedCode(createGridRouter([buildRectGrid(D)]), 116.375, 40.125)).toBe(D);
  });

  it('routes on a grid of zero width (a degenerate extent) without dividing by zero', () => {
    const router = createGridRouter([buildGrid({ code: A, rings: [[[[116.25, 40.0], [116.25, 40.25], [116.25, 40.0], [116.25, 40.0]]]] })]);
    expect(routedCode(router, 116.25, 40.125)).toBe(A);
    expect(routedCode(router, 116.26, 40.125)).toBeNull();
  });
});
