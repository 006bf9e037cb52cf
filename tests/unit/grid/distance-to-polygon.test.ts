import { describe, expect, it } from 'vitest';
import { createLocalProjection } from '../../../core/geo/local-projection.ts';
import { distanceToPolygonMeters } from '../../../core/grid/distance-to-polygon.ts';
import { buildBoxIndex, findNearestPolygon } from '../../../core/grid/nearest-polygon.ts';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { buildCenteredSquareRing, buildRectRing } from './grid-fixtures.ts';

const squareAt = (west: number, south: number, size = 0.01): ReturnType<typeof buildRectRing> => buildRectRing({ west, south, east: west + size, north: south + size });

describe('distanceToPolygonMeters', () => {
  it('is the perpendicular distance to the nearest edge in the local projection', () => {
    const packed = packPolygons([[[squareAt(116.3, 39.95)]]]);
    const kx = createLocalProjection([116.312, 39.955]).metersPerDegreeLng;
    expect(distanceToPolygonMeters(packed, 0, 116.312, 39.955)).toBeCloseTo((116.312 - 116.31) * kx, 6);
  });

  it('is the distance to the vertex for a point beyond a corner', () => {
    const packed = packPolygons([[[squareAt(116.3, 39.95)]]]);
    const projection = createLocalProjection([116.29, 39.94]);
    const expected = Math.hypot((116.3 - 116.29) * projection.metersPerDegreeLng, (39.95 - 39.94) * projection.metersPerDegreeLat);
    expect(distanceToPolygonMeters(packed, 0, 116.29, 39.94)).toBeCloseTo(expected, 6);
  });

  it('counts the edges of holes and of every part', () => {
    const packed = packPolygons([[[squareAt(116.3, 39.95), buildCenteredSquareRing([116.305, 39.955], 0.002, true)], [squareAt(116.4, 39.95)]]]);
    const kx = createLocalProjection([116.305, 39.955]).metersPerDegreeLng;
    expect(distanceToPolygonMeters(packed, 0, 116.305, 39.955)).toBeCloseTo(0.002 * kx, 6);
    expect(distanceToPolygonMeters(packed, 0, 116.395, 39.955)).toBeCloseTo((116.4 - 116.395) * createLocalProjection([116.395, 39.955]).metersPerDegreeLng, 6);
  });

  it('survives a zero-length edge', () => {
    const ring = [[116.3, 39.95], [116.31, 39.95], [116.31, 39.95], [116.31, 39.96], [116.3, 39.96], [116.3, 39.95]] as const;
    const packed = packPolygons([[[ring]]]);
    const reference = packPolygons([[[squareAt(116.3, 39.95)]]]);
    expect(distanceToPolygonMeters(packed, 0, 116.32, 39.94)).toBe(distanceToPolygonMeters(reference, 0, 116.32, 39.94));
  });

  it('measures only the polygon it is asked about', () => {
    const packed = packPolygons([[[squareAt(116.3, 39.95)]], [[squareAt(116.5, 39.95)]]]);
    expect(distanceToPolygonMeters(packed, 1, 116.32, 39.955)).toBeCloseTo(0.18 * createLocalProjection([116.32, 39.955]).metersPerDegreeLng, 3);
  });
});

describe('findNearestPolygon', () => {
  it('returns undefined when there are no polygons', () => {
    const packed = packPolygons([]);
    expect(findNearestPolygon(packed, buildBoxIndex(packed), 116.3, 39.95)).toBeUndefined();
  });

  it('returns the index of the nearest polygon and its distance', () => {
    const packed = packPolygons([[[squareAt(116.3, 39.95)]], [[squareAt(116.33, 39.95)]]]);
    const nearest = findNearestPolygon(packed, buildBoxIndex(packed), 116.325, 39.955);
    expect(nearest?.polygon).toBe(1);
    expect(nearest?.distanceMeters).toBeCloseTo(distanceToPolygonMeters(packed, 1, 116.325, 39.955), 9);
  });

  it('matches a scan of every polygon for many scattered polygons and points', () => {
    const rings = Array.from({ length: 200 }, (_, k) => [[squareAt(116.25 + 0.0047 * (k % 20), 39.9 + 0.0093 * Math.floor(k / 20), 0.002)]]);
    const packed = packPolygons(rings);
    const boxes = buildBoxIndex(packed);
    const mismatches: string[] = [];
    for (let k = 0; k < 400; k++) {
      const x = 116.2 + 0.2 * ((k * 0.6180339887) % 1);
      const y = 39.85 + 0.2 * ((k * 0.7548776662) % 1);
      let best = Infinity;
      for (let i = 0; i < packed.count; i++) best = Math.min(best, distanceToPolygonMeters(packed, i, x, y));
      const found = findNearestPolygon(packed, boxes, x, y);
      if (found?.distanceMeters !== best) mismatches.push(`(${x}, ${y}): ${found?.distanceMeters} vs ${best}`);
    }
    expect(mismatches).toEqual([]);
  });
});
