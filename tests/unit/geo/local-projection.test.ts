import distance from '@turf/distance';
import { describe, expect, it } from 'vitest';
import { createLocalProjection } from '../../../core/geo/local-projection.ts';

const ORIGIN = [116.3, 39.95] as const;

describe('createLocalProjection', () => {
  it('maps the origin to (0, 0) and back', () => {
    const projection = createLocalProjection(ORIGIN);
    expect(projection.toMeters(ORIGIN[0], ORIGIN[1])).toEqual([0, 0]);
    expect(projection.toLngLat(0, 0)).toEqual([...ORIGIN]);
    expect(projection.origin).toEqual(ORIGIN);
  });

  it('round-trips a point a few kilometres away', () => {
    const projection = createLocalProjection(ORIGIN);
    const [lng, lat] = projection.toLngLat(...projection.toMeters(116.345, 39.91));
    expect(lng).toBeCloseTo(116.345, 12);
    expect(lat).toBeCloseTo(39.91, 12);
  });

  it('has the WGS-84 metres per degree at the equator', () => {
    const projection = createLocalProjection([0, 0]);
    expect(projection.metersPerDegreeLng).toBeCloseTo(111_319.49, 1);
    expect(projection.metersPerDegreeLat).toBeCloseTo(110_574.27, 1);
  });

  it("has about 85.4 km per degree of longitude and 111.03 km per degree of latitude at Beijing's latitude", () => {
    const projection = createLocalProjection([116.3, 40]);
    expect(projection.metersPerDegreeLng).toBeCloseTo(85_393.9, 0);
    expect(projection.metersPerDegreeLat).toBeCloseTo(111_034.6, 0);
  });

  it('agrees with the great-circle distance within 0.5 % over 5 km in any direction', () => {
    const projection = createLocalProjection(ORIGIN);
    for (let k = 0; k < 16; k++) {
      const angle = (k * Math.PI) / 8;
      const [lng, lat] = projection.toLngLat(5000 * Math.cos(angle), 5000 * Math.sin(angle));
      expect(Math.abs(distance([...ORIGIN], [lng, lat], { units: 'meters' }) - 5000) / 5000).toBeLessThan(0.005);
    }
  });

  it('maps east to +x and north to +y', () => {
    const [x, y] = createLocalProjection(ORIGIN).toMeters(116.31, 39.96);
    expect(x).toBeGreaterThan(0);
    expect(y).toBeGreaterThan(0);
  });
});
