import { describe, expect, it } from 'vitest';
import type { BBox } from '../../core/geo/lng-lat.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { areaNamesOf, boxOf, buildHierarchy, codesOf, gridCentersOf, rectangleSquareMeters } from '../fixtures/geography-builders.ts';
import { writeGeoJsonSet } from '../fixtures/geography-files.ts';
import { importOnce, storedNames } from '../fixtures/imported-geography.ts';

// Each successful import gets its own copy of the seeded store (the Haidian reference geography),
// imports once in beforeAll, and the tests read what it stored. Shapefile imports are in
// geography-import-shapefiles.test.ts, so the two files' stores open in parallel.

describe.each(storeDrivers())('importGeography stores a valid set (%s)', (driver) => {
  describe('from GeoJSON files', () => {
    const hierarchy = buildHierarchy();
    const imported = importOnce(driver, (dir) => writeGeoJsonSet(dir, hierarchy));

    it('GeoJSON: reports ok with no problems', () => {
      expect(imported.report.problems).toEqual([]);
      expect(imported.report.ok).toBe(true);
    });

    it('GeoJSON: raises the stored geography version by one', async () => {
      const expected = imported.before!.version + 1;
      expect(imported.report.stored?.version).toBe(expected);
      expect((await imported.db.store.geography.version())?.version).toBe(expected);
    });

    it('GeoJSON: records the imported files as the version source', async () => {
      expect((await imported.db.store.geography.version())?.source).toMatch(/^import: .*district\.geojson, .*streets\.geojson, .*communities\.geojson, .*grids\.geojson$/);
    });

    it('GeoJSON: counts one district, 2 streets, 4 communities and 10 grids', () => {
      expect(imported.report.stored?.counts).toEqual({ district: 1, street: 2, community: 4, grid: 10 });
    });

    it('GeoJSON: serves exactly the new grids as routable grids', async () => {
      const grids = await imported.db.store.geography.routableGrids();
      expect(grids.map((g) => g.code)).toEqual(codesOf(hierarchy.grids).sort());
    });

    it('GeoJSON: routes each grid centre in the database to the new grid that holds it', async () => {
      expect(await imported.db.store.geography.routeInDatabase(gridCentersOf(hierarchy))).toEqual(codesOf(hierarchy.grids));
    });

    it('GeoJSON: routes a point outside the new district to no grid', async () => {
      // Inside the old Haidian reference geography, outside the imported rectangles.
      expect(await imported.db.store.geography.routeInDatabase([[116.25, 39.99]])).toEqual([null]);
    });

    it('GeoJSON: stores every area under its Chinese name', async () => {
      expect(await storedNames(imported.db)).toEqual(areaNamesOf(hierarchy));
    });
  });

  describe('without a district file', () => {
    const hierarchy = buildHierarchy();
    const imported = importOnce(driver, (dir) => writeGeoJsonSet(dir, hierarchy, { withDistrict: false }), { districtName: '海淀区' });

    async function storedDistrict(): Promise<{ properties: { code: string; name: string; areaSquareMeters: number }; geometry: { coordinates: number[][][][] } }> {
      const collection = JSON.parse(await imported.db.store.geography.features('district', { limit: 10, offset: 0 })) as { features: unknown[] };
      expect(collection.features).toHaveLength(1);
      return collection.features[0] as never;
    }

    it('derived district: the import succeeds', () => {
      expect(imported.report.problems).toEqual([]);
      expect(imported.report.stored?.counts).toEqual({ district: 1, street: 2, community: 4, grid: 10 });
    });

    it("derived district: takes the streets' common 6-digit prefix as its code and the districtName option as its name", async () => {
      expect((await storedDistrict()).properties).toMatchObject({ code: '110108', name: '海淀区' });
    });

    it('derived district: its outline is the union of the streets', async () => {
      const outer = (await storedDistrict()).geometry.coordinates.flatMap((polygon) => polygon[0]!);
      const box: BBox = [Math.min(...outer.map((p) => p[0]!)), Math.min(...outer.map((p) => p[1]!)), Math.max(...outer.map((p) => p[0]!)), Math.max(...outer.map((p) => p[1]!))];
      expect(box).toEqual(boxOf(hierarchy.district, '110108'));
    });

    it('derived district: its stored area is the streets’ total, within 1 %', async () => {
      const streetsSquareMeters = codesOf(hierarchy.streets).reduce((sum, code) => sum + rectangleSquareMeters(boxOf(hierarchy.streets, code)), 0);
      expect(Math.abs((await storedDistrict()).properties.areaSquareMeters / streetsSquareMeters - 1)).toBeLessThan(0.01);
    });
  });
});
