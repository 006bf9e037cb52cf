import distance from '@turf/distance';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { parseInputCrs, toWgs84 } from '../../../core/geo/convert-crs.ts';
import type { LngLat } from '../../../core/geo/lng-lat.ts';

/** Tiananmen, Beijing, in WGS-84. */
const BEIJING: LngLat = [116.3913, 39.9075];

function forward(point: LngLat, to: 'GCJ02' | 'BD09'): LngLat {
  return gcoord.transform([point[0], point[1]], gcoord.WGS84, to === 'GCJ02' ? gcoord.GCJ02 : gcoord.BD09) as [number, number];
}

describe('toWgs84', () => {
  it('returns a WGS-84 point unchanged', () => {
    expect(toWgs84(BEIJING, 'WGS84')).toEqual(BEIJING);
  });

  it.each(['GCJ02', 'BD09'] as const)('undoes gcoord\'s WGS-84 → %s within 1e-5°', (crs) => {
    const back = toWgs84(forward(BEIJING, crs), crs);
    expect(Math.abs(back[0] - BEIJING[0])).toBeLessThan(1e-5);
    expect(Math.abs(back[1] - BEIJING[1])).toBeLessThan(1e-5);
  });

  it.each(['GCJ02', 'BD09'] as const)('moves a Beijing %s point by several hundred metres (it is not the identity)', (crs) => {
    const input = forward(BEIJING, crs);
    const meters = distance([input[0], input[1]], [...toWgs84(input, crs)], { units: 'meters' });
    expect(meters).toBeGreaterThan(200);
    expect(meters).toBeLessThan(1500);
  });

  it('agrees with gcoord\'s own inverse for GCJ-02', () => {
    const input: LngLat = [116.3975, 39.9088];
    expect(toWgs84(input, 'GCJ02')).toEqual(gcoord.transform([input[0], input[1]], gcoord.GCJ02, gcoord.WGS84));
  });

  it('returns a fresh pair, not the input array, for a converted point', () => {
    const input: LngLat = [116.3975, 39.9088];
    const output = toWgs84(input, 'BD09');
    expect(output).not.toBe(input);
    expect(output).toHaveLength(2);
  });
});

describe('parseInputCrs', () => {
  it.each([
    ['GCJ-02', 'GCJ02'],
    ['gcj02', 'GCJ02'],
    ['GCJ02', 'GCJ02'],
    ['BD-09', 'BD09'],
    ['bd09', 'BD09'],
    ['EPSG:4326', 'WGS84'],
    ['epsg:4326', 'WGS84'],
    ['WGS84', 'WGS84'],
    ['wgs-84', 'WGS84'],
    ['CRS84', 'WGS84'],
  ])('reads %s as %s', (name, crs) => {
    expect(parseInputCrs(name)).toBe(crs);
  });

  it.each(['EPSG:3857', 'BD09MC', 'gcj 02', '', 'constructor', '__proto__', 'toString'])('reads %j as unknown', (name) => {
    expect(parseInputCrs(name)).toBeUndefined();
  });
});
