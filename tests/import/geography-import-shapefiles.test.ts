import { describe, expect, it } from 'vitest';
import { storeDrivers } from '../fixtures/drivers.ts';
import { areaNamesOf, buildHierarchy, codesOf, gridCentersOf } from '../fixtures/geography-builders.ts';
import { writeShapefileZipSet } from '../fixtures/geography-files.ts';
import { importOnce, storedNames } from '../fixtures/imported-geography.ts';

// The valid fixture as zipped shapefiles written by @mapbox/shp-write: one import per describe
// block, each into its own copy of the seeded store. shp-write's dbf writer stores one byte per
// UTF-16 code unit, so the fixture hands it the UTF-8 or GBK bytes as a latin1 string (see
// geography-files.ts); the .cpg is added to the zip separately.

describe.each(storeDrivers())('importGeography stores a valid set of zipped shapefiles (%s)', (driver) => {
  describe('from zipped shapefiles with UTF-8 attributes and no .cpg', () => {
    const hierarchy = buildHierarchy();
    const imported = importOnce(driver, (dir) => writeShapefileZipSet(dir, hierarchy, { encoding: 'utf-8' }));

    it('zipped shapefiles: report ok with no problems', () => {
      expect(imported.report.problems).toEqual([]);
      expect(imported.report.ok).toBe(true);
    });

    it('zipped shapefiles: raise the version by one and store every area', () => {
      expect(imported.report.stored).toMatchObject({ version: imported.before!.version + 1, counts: { district: 1, street: 2, community: 4, grid: 10 } });
    });

    it('zipped shapefiles: route each grid centre to the new grid that holds it', async () => {
      expect(await imported.db.store.geography.routeInDatabase(gridCentersOf(hierarchy))).toEqual(codesOf(hierarchy.grids));
    });

    it('zipped shapefiles: keep UTF-8 Chinese names', async () => {
      expect(await storedNames(imported.db)).toEqual(areaNamesOf(hierarchy));
    });
  });

  describe("from zipped shapefiles with GBK attributes and a .cpg saying 'GBK'", () => {
    const hierarchy = buildHierarchy();
    const imported = importOnce(driver, (dir) => writeShapefileZipSet(dir, hierarchy, { encoding: 'gbk', cpg: 'GBK' }));

    it('GBK shapefiles: report ok and store every area', () => {
      expect(imported.report.problems).toEqual([]);
      expect(imported.report.stored?.counts).toEqual({ district: 1, street: 2, community: 4, grid: 10 });
    });

    it('GBK shapefiles: decode the Chinese names through the .cpg', async () => {
      expect(await storedNames(imported.db)).toEqual(areaNamesOf(hierarchy));
    });
  });
});
