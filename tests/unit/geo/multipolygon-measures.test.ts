import { describe, expect, it } from 'vitest';
import type { MultiPolygonRings, Ring } from '../../../core/geo/lng-lat.ts';
import { areaSquareMeters, bboxOf, labelPointOf } from '../../../core/geo/multipolygon-measures.ts';

const EARTH_RADIUS_METERS = 6_371_008.8;

function rect(west: number, south: number, east: number, north: number, clockwise = false): Ring {
  const ring: [number, number][] = [[west, south], [east, south], [east, north], [west, north], [west, south]];
  return clockwise ? ring.reverse() : ring;
}

/** Area of a lng/lat rectangle on a sphere: R² · Δλ · (sin φ2 − sin φ1). */
function sphericalRectArea(west: number, south: number, east: number, north: number): number {
  const rad = Math.PI / 180;
  return EARTH_RADIUS_METERS ** 2 * (east - west) * rad * (Math.sin(north * rad) - Math.sin(south * rad));
}

describe('areaSquareMeters', () => {
  it('matches the spherical area of a 0.01° square in Beijing within 0.1 %', () => {
    const area = areaSquareMeters([[rect(116.3, 39.95, 116.31, 39.96)]]);
    const expected = sphericalRectArea(116.3, 39.95, 116.31, 39.96);
    expect(Math.abs(area - expected) / expected).toBeLessThan(0.001);
  });

  it('subtracts holes', () => {
    const area = areaSquareMeters([[rect(116.3, 39.95, 116.32, 39.97), rect(116.305, 39.955, 116.315, 39.965, true)]]);
    const expected = sphericalRectArea(116.3, 39.95, 116.32, 39.97) - sphericalRectArea(116.305, 39.955, 116.315, 39.965);
    expect(Math.abs(area - expected) / expected).toBeLessThan(0.001);
  });

  it('adds parts', () => {
    const one = areaSquareMeters([[rect(116.3, 39.95, 116.31, 39.96)]]);
    expect(areaSquareMeters([[rect(116.3, 39.95, 116.31, 39.96)], [rect(116.4, 39.95, 116.41, 39.96)]])).toBeCloseTo(2 * one, -1);
  });

  it('is zero for no polygons', () => {
    expect(areaSquareMeters([])).toBe(0);
  });
});

describe('bboxOf', () => {
  it('spans every part', () => {
    expect(bboxOf([[rect(116.3, 39.95, 116.31, 39.96)], [rect(116.4, 39.9, 116.41, 39.92)]])).toEqual([116.3, 39.9, 116.41, 39.96]);
  });

  it('reads exteriors only: holes lie inside them anyway', () => {
    expect(bboxOf([[rect(116.3, 39.95, 116.32, 39.97), rect(116.305, 39.955, 116.315, 39.965)]])).toEqual([116.3, 39.95, 116.32, 39.97]);
  });

  it('is an inverted infinite box for no polygons', () => {
    expect(bboxOf([])).toEqual([Infinity, Infinity, -Infinity, -Infinity]);
  });
});

describe('labelPointOf', () => {
  it("is the middle of the largest part's box", () => {
    const rings: MultiPolygonRings = [[rect(116.3, 39.95, 116.31, 39.96)], [rect(116.4, 39.9, 116.44, 39.94)]];
    const [lng, lat] = labelPointOf(rings);
    expect(lng).toBeCloseTo(116.42, 12);
    expect(lat).toBeCloseTo(39.92, 12);
  });

  it('is [0, 0] for no polygons', () => {
    expect(labelPointOf([])).toEqual([0, 0]);
  });
});
