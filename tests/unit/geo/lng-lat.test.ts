import { describe, expect, it } from 'vitest';
import { isValidLngLat } from '../../../core/geo/lng-lat.ts';

describe('isValidLngLat', () => {
  it.each([
    [116.3, 39.95],
    [-180, -90],
    [180, 90],
    [0, 0],
  ])('accepts (%f, %f)', (lng, lat) => {
    expect(isValidLngLat(lng, lat)).toBe(true);
  });

  it.each([
    ['NaN longitude', Number.NaN, 0],
    ['NaN latitude', 0, Number.NaN],
    ['infinite longitude', Number.POSITIVE_INFINITY, 0],
    ['infinite latitude', 0, Number.NEGATIVE_INFINITY],
    ['longitude past 180', 180.000001, 0],
    ['longitude past -180', -180.000001, 0],
    ['latitude past 90', 0, 90.000001],
    ['latitude past -90', 0, -90.000001],
    ['swapped Beijing coordinates (lat, lng)', 39.95, 116.3],
  ])('rejects %s', (_what, lng, lat) => {
    expect(isValidLngLat(lng, lat)).toBe(false);
  });
});
