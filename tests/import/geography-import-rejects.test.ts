import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { GeographyProblem } from '../../core/geography/validate-geography.ts';
import { importGeography, type GeographyImportOptions, type GeographyImportReport, type GeographySources } from '../../server/services/geography-import.service.ts';
import type { GeographyVersion } from '../../server/store/store.ts';
import { createRandom } from '../../scripts/geodata/seeded-random.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import {
  areaFeature, bowTieIn, boxOf, buildHierarchy, codesOf, gridCentersOf, grownBox, isInside, toProjectedMeters, withAddedFeatures, withBox, withCoordinates,
  withCrs, withoutFeatures, withoutProperty, type Hierarchy,
} from '../fixtures/geography-builders.ts';
import { BEIJING_1954_PRJ, shapefileFiles, tempDirForTest, UTM_50N_PRJ, writeBytes, writeGeoJson, writeGeoJsonSet, writeShapefileZip, writeZip } from '../fixtures/geography-files.ts';
import { openTestStore, type TestStore } from '../fixtures/test-databases.ts';

// Every test here hands the importer something it must refuse (or a dry run) and then checks that
// the store is exactly as it was: same version, same grid count, and the probe points still routed
// to the seeded Haidian reference grids. So they can share one store per driver.

const GRID_A = '110108901001001';
const GRID_B = '110108901001002';

interface Snapshot {
  readonly version: GeographyVersion | undefined;
  readonly gridCount: number;
  readonly probeGrids: (string | null)[];
}

/** The fixture's grid centres: inside reference grids before any import, inside fixture grids after one. */
const PROBES: LngLat[] = gridCentersOf(buildHierarchy());

function problemWith(report: GeographyImportReport, kind: GeographyProblem['kind']): GeographyProblem {
  const found = report.problems.find((p) => p.kind === kind);
  if (!found) throw new Error(`no ${kind} problem among: ${report.problems.map((p) => p.message).join('; ')}`);
  return found;
}

describe.each(storeDrivers())('importGeography refuses bad input and leaves the store unchanged (%s)', (driver) => {
  let db: TestStore;
  let before: Snapshot;

  async function snapshot(): Promise<Snapshot> {
    return {
      version: await db.store.geography.version(),
      gridCount: (await db.store.geography.routableGrids()).length,
      probeGrids: await db.store.geography.routeInDatabase(PROBES),
    };
  }

  /** Imports, expects a refusal, and checks that nothing in the store changed. */
  async function refused(sources: GeographySources, options: GeographyImportOptions = {}): Promise<GeographyImportReport> {
    const report = await importGeography(db.store, sources, options);
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.stored).toBeUndefined();
    expect(await snapshot()).toEqual(before);
    return report;
  }

  /** The valid fixture as GeoJSON, with `grids` in place of its grids. */
  function sourcesWithGrids(dir: string, grids: Hierarchy['grids']): GeographySources {
    return writeGeoJsonSet(dir, { ...buildHierarchy(), grids });
  }

  /** The valid fixture as GeoJSON, then the grids taken from the file `writeGrids` writes (after, so it may overwrite). */
  async function sourcesWithGridsFile(dir: string, writeGrids: (dir: string) => string | Promise<string>): Promise<GeographySources> {
    const sources = writeGeoJsonSet(dir, buildHierarchy());
    return { ...sources, grids: await writeGrids(dir) };
  }

  beforeAll(async () => {
    db = await openTestStore(driver);
    before = await snapshot();
  });
  afterAll(() => db?.dispose());

  it('starts from the reference geography, with every probe point in a reference grid', () => {
    const fixtureCodes = codesOf(buildHierarchy().grids);
    expect(before.probeGrids.every((code) => code !== null && !fixtureCodes.includes(code))).toBe(true);
  });

  describe('geometry and topology', () => {
    it('refuses a bow-tie grid, naming the grid and where', async () => {
      const grids = buildHierarchy().grids;
      const report = await refused(sourcesWithGrids(tempDirForTest(), withCoordinates(grids, GRID_B, bowTieIn(boxOf(grids, GRID_B)))));
      const invalid = problemWith(report, 'invalid-geometry');
      expect(invalid).toMatchObject({ level: 'grid', code: GRID_B });
      expect(invalid.message).toMatch(new RegExp(`^grid ${GRID_B}: ring 0 intersects itself near \\(116\\.\\d{6}, 39\\.\\d{6}\\)$`));
    });

    it('refuses overlapping grids, naming both', async () => {
      const grids = buildHierarchy().grids;
      const report = await refused(sourcesWithGrids(tempDirForTest(), withBox(grids, GRID_A, grownBox(boxOf(grids, GRID_A), { east: 0.001 }))));
      const overlap = problemWith(report, 'overlap');
      expect([overlap.code, overlap.otherCode].sort()).toEqual([GRID_A, GRID_B]);
      expect(overlap.message).toMatch(new RegExp(`^grid ${GRID_A} overlaps grid ${GRID_B} by [\\d,]+ m² near \\(`));
    });

    it('refuses a gap, saying where it is', async () => {
      const grids = buildHierarchy().grids;
      const missing = '110108902001002';
      const report = await refused(sourcesWithGrids(tempDirForTest(), withoutFeatures(grids, missing)));
      const gap = problemWith(report, 'gap');
      expect(isInside(gap.at, boxOf(grids, missing))).toBe(true);
      expect(gap.message).toContain(`near (${gap.at![0].toFixed(6)}, ${gap.at![1].toFixed(6)})`);
    });
  });

  describe('coordinate reference systems', () => {
    it('refuses projected coordinates in GeoJSON with no crs member, suggesting a wrong CRS for every area', async () => {
      const hierarchy = buildHierarchy();
      const projected: Hierarchy = {
        district: toProjectedMeters(hierarchy.district), streets: toProjectedMeters(hierarchy.streets),
        communities: toProjectedMeters(hierarchy.communities), grids: toProjectedMeters(hierarchy.grids),
      };
      const report = await refused(writeGeoJsonSet(tempDirForTest(), projected));
      expect(report.problems).toHaveLength(1 + 2 + 4 + 10);
      for (const p of report.problems) expect(p.message).toMatch(/is not a WGS-84 longitude\/latitude \(wrong CRS\?\)$/);
    });

    it('refuses a GeoJSON file whose crs member says EPSG:3857', async () => {
      const dir = tempDirForTest();
      const report = await refused(sourcesWithGrids(dir, withCrs(buildHierarchy().grids, 'EPSG:3857')));
      expect(report.problems).toEqual([{
        kind: 'invalid-geometry', level: 'grid', code: '',
        message: `${join(dir, 'grids.geojson')}: declares CRS "EPSG:3857"; only WGS-84 longitude/latitude (EPSG:4326 / CRS84) is accepted — reproject first`,
      }]);
    });

    it('refuses a zipped shapefile whose .prj is a UTM zone (PROJCS)', async () => {
      const sources = await sourcesWithGridsFile(tempDirForTest(), (dir) => writeShapefileZip(dir, 'grids.zip', toProjectedMeters(buildHierarchy().grids), { prj: UTM_50N_PRJ }));
      const report = await refused(sources);
      expect(report.problems).toEqual([{
        kind: 'invalid-geometry', level: 'grid', code: '',
        message: 'grids.zip is in WGS_1984_UTM_Zone_50N, a projected CRS; reproject it to WGS-84 longitude/latitude (EPSG:4326) first, e.g. ogr2ogr -t_srs EPSG:4326',
      }]);
    });

    // TOWGS84[…] in the datum names WGS 84; the datum's own name is what counts. A dry run, so that
    // a regression stores nothing here either.
    it('refuses a zipped shapefile whose .prj is Beijing 1954 with a TOWGS84 clause', async () => {
      const sources = await sourcesWithGridsFile(tempDirForTest(), (dir) => writeShapefileZip(dir, 'grids.zip', buildHierarchy().grids, { prj: BEIJING_1954_PRJ }));
      const report = await refused(sources, { dryRun: true });
      expect(report.problems[0]?.message).toMatch(/^grids\.zip is in Beijing 1954, not WGS-84/);
    });
  });

  describe('attributes', () => {
    it('refuses a shapefile with no code column, for every feature', async () => {
      const sources = await sourcesWithGridsFile(tempDirForTest(), (dir) => writeShapefileZip(dir, 'grids.zip', withoutProperty(buildHierarchy().grids, 'code')));
      const report = await refused(sources);
      expect(report.problems.map((p) => p.message)).toEqual(codesOf(buildHierarchy().grids).map((_, i) => `${sources.grids}: feature ${i} has no "code" property`));
    });

    it('refuses a shapefile with no name column, naming each feature by its code', async () => {
      const sources = await sourcesWithGridsFile(tempDirForTest(), (dir) => writeShapefileZip(dir, 'grids.zip', withoutProperty(buildHierarchy().grids, 'name')));
      const report = await refused(sources);
      expect(report.problems.map((p) => p.code)).toEqual(codesOf(buildHierarchy().grids));
      expect(report.problems[0]?.message).toBe(`${sources.grids}: feature ${GRID_A} has no "name" property`);
    });
  });

  describe('unreadable files', () => {
    it('refuses a truncated JSON file', async () => {
      const report = await refused(await sourcesWithGridsFile(tempDirForTest(), (dir) => writeBytes(dir, 'grids.geojson', JSON.stringify(buildHierarchy().grids).slice(0, 300))));
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatchObject({ kind: 'invalid-geometry', level: 'grid' });
      expect(report.problems[0]!.message).toMatch(/^grids\.geojson is not valid JSON: /);
    });

    it('refuses a zip that holds no .shp', async () => {
      const { 'grids.dbf': dbf, 'grids.prj': prj } = await shapefileFiles(buildHierarchy().grids, { layer: 'grids' });
      const report = await refused(await sourcesWithGridsFile(tempDirForTest(), (dir) => writeZip(dir, 'grids.zip', { 'grids.dbf': dbf!, 'grids.prj': prj! })));
      expect(report.problems.map((p) => p.message)).toEqual(['grids.zip must hold exactly one .shp, found 0']);
    });

    it('refuses 5 MB of random bytes named .geojson with a short message', async () => {
      const random = createRandom(20_240_501);
      const junk = Uint8Array.from({ length: 5_000_000 }, () => Math.floor(random() * 256));
      const report = await refused(await sourcesWithGridsFile(tempDirForTest(), (dir) => writeBytes(dir, 'grids.geojson', junk)));
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]!.message).toMatch(/^grids\.geojson is not valid JSON: /);
      expect(report.problems[0]!.message.length).toBeLessThan(300);
    });

    it('refuses an empty file', async () => {
      const report = await refused(await sourcesWithGridsFile(tempDirForTest(), (dir) => writeBytes(dir, 'grids.geojson', '')));
      expect(report.problems.map((p) => p.message)).toEqual(['grids.geojson is empty']);
    });

    it('refuses a file that does not exist, giving its path', async () => {
      const sources = await sourcesWithGridsFile(tempDirForTest(), (dir) => join(dir, 'no-such-grids.geojson'));
      const report = await refused(sources);
      expect(report.problems.map((p) => p.message)).toEqual([`${sources.grids} does not exist`]);
    });

    it('refuses a file with no features', async () => {
      const sources = await sourcesWithGridsFile(tempDirForTest(), (dir) => writeGeoJson(dir, 'grids.geojson', { type: 'FeatureCollection', features: [] }));
      const report = await refused(sources);
      expect(report.problems).toEqual([{ kind: 'no-children', level: 'grid', code: '', message: `${sources.grids} has no features` }]);
    });

    it('reports the problems of every file, not only the first bad one', async () => {
      const dir = tempDirForTest();
      const valid = writeGeoJsonSet(dir, buildHierarchy());
      const report = await refused({ ...valid, streets: writeBytes(dir, 'streets.geojson', ''), grids: writeBytes(dir, 'grids.geojson', '{') });
      expect(report.problems.map((p) => p.level)).toEqual(['street', 'grid']);
    });
  });

  describe('the district', () => {
    it('refuses a district file holding two districts', async () => {
      const dir = tempDirForTest();
      const hierarchy = buildHierarchy();
      const district = withAddedFeatures(hierarchy.district, areaFeature('110109', '门头沟区', [116.0, 39.9, 116.1, 40.0]));
      const report = await refused(writeGeoJsonSet(dir, { ...hierarchy, district }));
      expect(report.problems.map((p) => p.message)).toEqual([`${join(dir, 'district.geojson')} must hold exactly one district, found 2`]);
    });

    it('refuses to derive a district from streets of two districts', async () => {
      const dir = tempDirForTest();
      const hierarchy = buildHierarchy();
      const streets = withAddedFeatures(hierarchy.streets, areaFeature('110109001', '大峪街道', [116.0, 39.9, 116.1, 40.0]));
      const report = await refused(writeGeoJsonSet(dir, { ...hierarchy, streets }, { withDistrict: false }));
      expect(report.problems[0]).toMatchObject({ kind: 'bad-code', level: 'street' });
      expect(report.problems[0]!.message).toBe('street codes must share one 6-digit district prefix to derive the district, found 110108, 110109');
    });
  });

  describe('dry run', () => {
    it('stores nothing for a valid set, yet reports it valid', async () => {
      const report = await importGeography(db.store, writeGeoJsonSet(tempDirForTest(), buildHierarchy()), { dryRun: true });
      expect(report).toMatchObject({ ok: true, problems: [] });
      expect(report.validation?.ok).toBe(true);
      expect(report.stored).toBeUndefined();
      expect(await snapshot()).toEqual(before);
    });
  });
});
