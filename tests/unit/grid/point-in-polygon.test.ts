import { describe, expect, it } from 'vitest';
import type { MultiPolygonRings } from '../../../core/geo/lng-lat.ts';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { BOUNDARY, INSIDE, OUTSIDE, polygonCovers } from '../../../core/grid/point-in-polygon.ts';
import { createRandom } from '../../../scripts/geodata/seeded-random.ts';
import { buildCenteredSquareRing, buildRectRing, locateInRings, nextAfter, randomPointsIn } from './grid-fixtures.ts';

// The default rectangle is [116.25, 40.0]–[116.5, 40.25]; every coordinate below is dyadic, so a point
// "on" an edge is exactly on it in double arithmetic.
const square: MultiPolygonRings = [[buildRectRing()]];
const holed: MultiPolygonRings = [[buildRectRing(), buildRectRing({ west: 116.3125, south: 40.0625, east: 116.4375, north: 40.1875, clockwise: true })]];

describe('locatePointInPolygon on a single ring', () => {
  it('finds a point in the interior INSIDE', () => {
    expect(locateInRings(square, 116.375, 40.125)).toBe(INSIDE);
  });

  it('finds a point east of the ring OUTSIDE', () => {
    expect(locateInRings(square, 116.75, 40.125)).toBe(OUTSIDE);
  });

  it('finds a point on the line of a horizontal edge but past its end OUTSIDE', () => {
    expect(locateInRings(square, 116.75, 40.0)).toBe(OUTSIDE);
  });

  it('finds a point on a vertical edge on the BOUNDARY', () => {
    expect(locateInRings(square, 116.5, 40.125)).toBe(BOUNDARY);
  });

  it.each([
    [116.25, 40.0],
    [116.5, 40.0],
    [116.5, 40.25],
    [116.25, 40.25],
  ])('finds the vertex (%f, %f) on the BOUNDARY', (x, y) => {
    expect(locateInRings(square, x, y)).toBe(BOUNDARY);
  });

  it.each([
    ['bottom', 40.0],
    ['top', 40.25],
  ])('finds a point on the %s horizontal edge on the BOUNDARY', (_side, y) => {
    expect(locateInRings(square, 116.375, y)).toBe(BOUNDARY);
  });

  it('finds the midpoint of a slanted edge on the BOUNDARY', () => {
    const triangle: MultiPolygonRings = [[[[116.25, 40.0], [116.5, 40.0], [116.5, 40.25], [116.25, 40.0]]]];
    expect(locateInRings(triangle, 116.375, 40.125)).toBe(BOUNDARY);
  });

  it('puts a point one ulp either side of a slanted edge inside or outside, never on the boundary', () => {
    const triangle: MultiPolygonRings = [[[[116.25, 40.0], [116.5, 40.0], [116.5, 40.25], [116.25, 40.0]]]];
    expect(locateInRings(triangle, nextAfter(116.375, 1), 40.125)).toBe(INSIDE);
    expect(locateInRings(triangle, nextAfter(116.375, -1), 40.125)).toBe(OUTSIDE);
  });

  it('handles a point level with a vertex (the winding rule counts the crossing once)', () => {
    const diamond: MultiPolygonRings = [[[[116.375, 40.0], [116.5, 40.125], [116.375, 40.25], [116.25, 40.125], [116.375, 40.0]]]];
    expect(locateInRings(diamond, 116.3, 40.125)).toBe(INSIDE);
    expect(locateInRings(diamond, 116.2, 40.125)).toBe(OUTSIDE);
    expect(locateInRings(diamond, 116.6, 40.125)).toBe(OUTSIDE);
  });

  it('finds a point in the notch of a concave ring OUTSIDE', () => {
    const u: MultiPolygonRings = [[[[116.25, 40.0], [116.5, 40.0], [116.5, 40.25], [116.4375, 40.25], [116.4375, 40.0625], [116.3125, 40.0625], [116.3125, 40.25], [116.25, 40.25], [116.25, 40.0]]]];
    expect(locateInRings(u, 116.375, 40.125)).toBe(OUTSIDE);
    expect(locateInRings(u, 116.375, 40.03125)).toBe(INSIDE);
    expect(locateInRings(u, 116.4375, 40.125)).toBe(BOUNDARY);
  });

  it.each([
    ['counter-clockwise', false],
    ['clockwise', true],
  ])('gives the same answers for a %s ring', (_name, clockwise) => {
    const rings: MultiPolygonRings = [[buildRectRing({ clockwise })]];
    expect([locateInRings(rings, 116.375, 40.125), locateInRings(rings, 116.75, 40.125), locateInRings(rings, 116.25, 40.125)]).toEqual([INSIDE, OUTSIDE, BOUNDARY]);
  });

  it('is unaffected by a zero-length edge (a repeated vertex)', () => {
    const repeated: MultiPolygonRings = [[[[116.25, 40.0], [116.5, 40.0], [116.5, 40.0], [116.5, 40.25], [116.25, 40.25], [116.25, 40.0]]]];
    const random = createRandom(7);
    for (const [x, y] of randomPointsIn([116.2, 39.95, 116.55, 40.3], 2000, random)) {
      expect(locateInRings(repeated, x, y)).toBe(locateInRings(square, x, y));
    }
    expect(locateInRings(repeated, 116.5, 40.0)).toBe(BOUNDARY);
    expect(locateInRings(repeated, 116.5, 40.125)).toBe(BOUNDARY);
  });

  it('ignores a ring of fewer than 4 points, even for a point on its segment', () => {
    const degenerate: MultiPolygonRings = [[[[116.25, 40.0], [116.5, 40.25], [116.25, 40.0]]]];
    expect(locateInRings(degenerate, 116.375, 40.125)).toBe(OUTSIDE);
    expect(locateInRings(degenerate, 116.25, 40.0)).toBe(OUTSIDE);
  });

  it('accepts a triangle: 4 points, first and last equal', () => {
    const triangle: MultiPolygonRings = [[[[116.25, 40.0], [116.5, 40.0], [116.5, 40.25], [116.25, 40.0]]]];
    expect(locateInRings(triangle, 116.45, 40.05)).toBe(INSIDE);
  });
});

describe('locatePointInPolygon with holes', () => {
  it('finds a point in the hole OUTSIDE', () => {
    expect(locateInRings(holed, 116.375, 40.125)).toBe(OUTSIDE);
  });

  it('finds a point between the hole and the exterior INSIDE', () => {
    expect(locateInRings(holed, 116.28125, 40.125)).toBe(INSIDE);
  });

  it("finds a point on the hole's edge on the BOUNDARY", () => {
    expect(locateInRings(holed, 116.3125, 40.125)).toBe(BOUNDARY);
  });

  it("finds the hole's vertex on the BOUNDARY", () => {
    expect(locateInRings(holed, 116.4375, 40.1875)).toBe(BOUNDARY);
  });

  it('treats a hole wound the same way as its exterior as a hole', () => {
    const sameWinding: MultiPolygonRings = [[buildRectRing(), buildRectRing({ west: 116.3125, south: 40.0625, east: 116.4375, north: 40.1875 })]];
    expect(locateInRings(sameWinding, 116.375, 40.125)).toBe(OUTSIDE);
  });

  it('ignores a hole of fewer than 4 points', () => {
    const rings: MultiPolygonRings = [[buildRectRing(), [[116.3125, 40.0625], [116.4375, 40.1875], [116.3125, 40.0625]]]];
    expect(locateInRings(rings, 116.375, 40.125)).toBe(INSIDE);
  });

  it('checks every hole, not just the first', () => {
    const rings: MultiPolygonRings = [[buildRectRing(), buildCenteredSquareRing([116.3125, 40.125], 0.03125), buildCenteredSquareRing([116.4375, 40.125], 0.03125)]];
    expect(locateInRings(rings, 116.4375, 40.125)).toBe(OUTSIDE);
    expect(locateInRings(rings, 116.375, 40.125)).toBe(INSIDE);
  });
});

describe('locatePointInPolygon with several parts', () => {
  const twoParts: MultiPolygonRings = [[buildRectRing()], [buildRectRing({ west: 116.75, east: 117.0 })]];

  it('finds a point in the second part INSIDE', () => {
    expect(locateInRings(twoParts, 116.875, 40.125)).toBe(INSIDE);
  });

  it("finds a point on the second part's edge on the BOUNDARY", () => {
    expect(locateInRings(twoParts, 117.0, 40.125)).toBe(BOUNDARY);
  });

  it('finds a point between the parts OUTSIDE', () => {
    expect(locateInRings(twoParts, 116.625, 40.125)).toBe(OUTSIDE);
  });

  it("finds a point on an island inside the first part's hole INSIDE", () => {
    const withIsland: MultiPolygonRings = [...holed, [buildCenteredSquareRing([116.375, 40.125], 0.03125)]];
    expect(locateInRings(withIsland, 116.375, 40.125)).toBe(INSIDE);
    expect(locateInRings(withIsland, 116.34375, 40.125)).toBe(BOUNDARY);
    expect(locateInRings(withIsland, 116.328125, 40.125)).toBe(OUTSIDE);
  });

  it('skips a degenerate first part and still finds the point in the next', () => {
    const rings: MultiPolygonRings = [[[[116.75, 40.0], [117.0, 40.0], [116.75, 40.0]]], [buildRectRing()]];
    expect(locateInRings(rings, 116.375, 40.125)).toBe(INSIDE);
  });

  it('reads the polygon it is asked about, not its neighbours in the pack', () => {
    const packed = packPolygons([square, [[buildRectRing({ west: 116.75, east: 117.0 })]]]);
    expect([polygonCovers(packed, 0, 116.875, 40.125), polygonCovers(packed, 1, 116.875, 40.125)]).toEqual([false, true]);
  });
});

describe('polygonCovers', () => {
  it('is true inside, true on the boundary and false outside', () => {
    const packed = packPolygons([square]);
    expect([polygonCovers(packed, 0, 116.375, 40.125), polygonCovers(packed, 0, 116.5, 40.25), polygonCovers(packed, 0, 116.625, 40.125)]).toEqual([true, true, false]);
  });
});
