import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { ringsOf } from '../../core/geo/geojson-rings.ts';
import type { MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { unite } from '../../core/geo/overlay.ts';
import type { StreetKind } from '../../core/geography/geography-types.ts';
import { drawCaseIds, drawEventSeqs, drawForBatch, IDENTITY_SEQUENCES } from '../../server/store/identity-sequences.ts';
import { listMigrations, migrate } from '../../server/store/migrate.ts';
import { InvalidGeographyError, type GeographySet } from '../../server/store/store.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { openTestStore, type TestStore } from '../fixtures/test-databases.ts';

describe.each(storeDrivers())('the store (%s)', (driver) => {
  let db: TestStore;
  beforeAll(async () => {
    db = await openTestStore(driver);
  });
  afterAll(() => db?.dispose());

  describe('schema', () => {
    it('keeps every area and case geometry in SRID 4326 with the right type', async () => {
      const rows = await db.sql.query<{ table: string; type: string; srid: number }>(
        `SELECT f_table_name AS table, type, srid FROM geometry_columns WHERE f_table_schema = 'public' ORDER BY f_table_name`,
      );
      expect(rows).toEqual([
        { table: 'analyst_grid_figures', type: 'MULTIPOLYGON', srid: 4326 },
        { table: 'analyst_open_cases', type: 'POINT', srid: 4326 },
        { table: 'cases', type: 'POINT', srid: 4326 },
        { table: 'communities', type: 'MULTIPOLYGON', srid: 4326 },
        { table: 'districts', type: 'MULTIPOLYGON', srid: 4326 },
        { table: 'grids', type: 'MULTIPOLYGON', srid: 4326 },
        { table: 'streets', type: 'MULTIPOLYGON', srid: 4326 },
      ]);
    });

    it('has a GiST index on every geometry column', async () => {
      const rows = await db.sql.query<{ table: string }>(
        `SELECT t.relname AS table FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'gist' ORDER BY t.relname`,
      );
      expect([...new Set(rows.map((r) => r.table))]).toEqual(['cases', 'communities', 'districts', 'grids', 'streets']);
    });

    it('names the identity sequences as ids and sequence numbers are drawn from', async () => {
      const [row] = await db.sql.query<{ caseId: string; eventSeq: string }>(
        `SELECT pg_get_serial_sequence('cases', 'id') AS "caseId", pg_get_serial_sequence('case_events', 'seq') AS "eventSeq"`,
      );
      expect(row).toEqual({ caseId: `public.${IDENTITY_SEQUENCES.caseId}`, eventSeq: `public.${IDENTITY_SEQUENCES.eventSeq}` });
    });

    it('draws ids as one run, or every number where the run has gaps', async () => {
      const run = await drawCaseIds(db.sql, 5);
      expect(run).toEqual([0, 1, 2, 3, 4].map((k) => run[0]! + k));
      // Gaps, as when another session draws at the same time: every number comes back.
      await db.sql.exec(`ALTER SEQUENCE ${IDENTITY_SEQUENCES.caseId} INCREMENT BY 3`);
      try {
        const gapped = await drawCaseIds(db.sql, 4);
        expect(gapped).toEqual([0, 3, 6, 9].map((k) => gapped[0]! + k));
        expect(gapped[0]).toBeGreaterThan(run[4]!);
      } finally {
        await db.sql.exec(`ALTER SEQUENCE ${IDENTITY_SEQUENCES.caseId} INCREMENT BY 1`);
      }
      expect(await drawEventSeqs(db.sql, 0)).toEqual([]);
    });

    it("draws a batch's case ids and sequence numbers in one statement, each a run unless gapped", async () => {
      // The hash it returns is held to the stored chain in catch-up.test.ts, where there are events.
      const drawn = await db.sql.transaction((tx) => drawForBatch(tx, 3, 7));
      expect(drawn.caseIds).toEqual([0, 1, 2].map((k) => drawn.caseIds[0]! + k));
      expect(drawn.seqs).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => drawn.seqs[0]! + k));
      await db.sql.exec(`ALTER SEQUENCE ${IDENTITY_SEQUENCES.eventSeq} INCREMENT BY 2`);
      try {
        const gapped = await drawForBatch(db.sql, 0, 3);
        expect(gapped.caseIds).toEqual([]);
        expect(gapped.seqs).toEqual([0, 2, 4].map((k) => gapped.seqs[0]! + k));
        expect(gapped.seqs[0]).toBeGreaterThan(drawn.seqs[6]!);
      } finally {
        await db.sql.exec(`ALTER SEQUENCE ${IDENTITY_SEQUENCES.eventSeq} INCREMENT BY 1`);
      }
    });

    it("keeps each assignment's department the person's own: copied on insert, following a move", async () => {
      const rollback = new Error('rolled back by the test');
      const seen = await db.sql
        .transaction(async (tx) => {
          const [person] = await tx.query<{ id: string; department_code: string }>(
            'SELECT p.id, p.department_code FROM personnel p WHERE EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = p.id) ORDER BY p.id LIMIT 1',
          );
          const [grid] = await tx.query<{ code: string }>('SELECT code FROM grids g WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.grid_code = g.code AND a.person_id = $1) LIMIT 1', [person!.id]);
          const [other] = await tx.query<{ code: string }>('SELECT code FROM departments WHERE code <> $1 ORDER BY code LIMIT 1', [person!.department_code]);
          const departments = async (): Promise<string[]> =>
            (await tx.query<{ d: string }>('SELECT DISTINCT department_code AS d FROM assignments WHERE person_id = $1', [person!.id])).map((r) => r.d);
          await tx.query('INSERT INTO assignments (person_id, grid_code) VALUES ($1, $2)', [person!.id, grid!.code]);
          const inserted = await departments();
          await tx.query('UPDATE assignments SET department_code = $2 WHERE person_id = $1', [person!.id, other!.code]);
          const typedOver = await departments();
          await tx.query('UPDATE personnel SET department_code = $2 WHERE id = $1', [person!.id, other!.code]);
          const moved = await departments();
          throw Object.assign(rollback, { seen: { own: person!.department_code, other: other!.code, inserted, typedOver, moved } });
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
          return (error as Error & { seen: Record<string, unknown> }).seen;
        });
      expect(seen).toEqual({ own: seen['own'], other: seen['other'], inserted: [seen['own']], typedOver: [seen['own']], moved: [seen['other']] });
      await expect(db.sql.query("INSERT INTO assignments (person_id, grid_code) VALUES ('nobody', (SELECT min(code) FROM grids))")).rejects.toThrow(/foreign key/);
    });

    it('records each migration once; running them again changes nothing', async () => {
      expect(await migrate(db.sql)).toEqual([]);
      const rows = await db.sql.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    });

    it('refuses to run on a database migrated by a newer version', async () => {
      await db.sql.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from-the-future')");
      try {
        await expect(migrate(db.sql)).rejects.toThrow(/migrations 999 that this version does not know/);
      } finally {
        await db.sql.query('DELETE FROM schema_migrations WHERE version = 999');
      }
    });

    it('rejects an area whose code does not start with its parent code', async () => {
      await expect(
        db.sql.query(
          `INSERT INTO grids (code, community_code, street_code, name, geom, area_m2)
           SELECT '110108002001099', '110108001001', '110108001', 'x', geom, 1 FROM grids LIMIT 1`,
        ),
      ).rejects.toThrow();
    });
  });

  describe('reference data', () => {
    it('holds the district, 29 streets, 600 communities, 3,000 grids and their areas in m²', async () => {
      const [row] = await db.sql.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM districts) AS districts, (SELECT count(*)::int FROM streets) AS streets,
                (SELECT count(*)::int FROM communities) AS communities, (SELECT count(*)::int FROM grids) AS grids,
                (SELECT sum(area_m2) FROM grids) AS grid_area, (SELECT area_m2 FROM districts) AS district_area`,
      );
      expect(row).toMatchObject({ districts: 1, streets: 29, communities: 600, grids: 3000 });
      expect(row!['grid_area']! / row!['district_area']!).toBeCloseTo(1, 5);
      expect(row!['district_area']! / 1e6).toBeCloseTo(430.6, 0);
    });

    it('every stored area is valid to PostGIS and no two grids overlap', async () => {
      const [row] = await db.sql.query<{ invalid: number; overlap: number }>(
        `SELECT (SELECT count(*)::int FROM grids WHERE NOT ST_IsValid(geom)) AS invalid,
                (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM grids a JOIN grids b
                   ON a.code < b.code AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')) AS overlap`,
      );
      expect(row).toEqual({ invalid: 0, overlap: 0 });
    });

    it('fails loudly, never with "no rows", when PostGIS raises an error inside a query', async () => {
      // An overlay of an invalid (bow-tie) polygon is a GEOS TopologyException. The server reports it;
      // PGlite can lose the message (electric-sql/pglite#916), which the driver turns back into an error.
      const query = db.sql.query(
        "SELECT ST_AsText(ST_Intersection('POLYGON((0 0,2 2,2 0,0 2,0 0))'::geometry, 'POLYGON((0 0,1 0,1 1,0 1,0 0))'::geometry)) AS v",
      );
      await expect(query).rejects.toThrow();
    });

    it('knows the version and source of the loaded geography', async () => {
      expect(await db.store.geography.version()).toMatchObject({ version: 1, source: expect.stringContaining('reference') });
    });

    it('lists the people of one grid in department order, each with their grid count', async () => {
      const people = await db.store.personnel.forGrid('110108001001001');
      expect(people).toHaveLength(14);
      expect(people[0]!.departmentCode).toBe('public-security');
      expect(people.at(-1)!.departmentCode).toBe('street-office');
      expect(people.every((p) => p.gridCount >= 1)).toBe(true);
    });

    it('returns grid details with the names of its community and street', async () => {
      const details = await db.store.geography.gridDetails('110108011001001');
      expect(details).toMatchObject({ code: '110108011001001', communityCode: '110108011001', streetCode: '110108011', streetName: '中关村街道' });
      expect(details!.areaSquareMeters).toBeGreaterThan(10_000);
      expect(await db.store.geography.gridDetails('110108011001999')).toBeUndefined();
    });
  });

  describe('GeoJSON out of PostGIS', () => {
    it('returns a parseable FeatureCollection filtered by parent, box and page', async () => {
      const body = JSON.parse(await db.store.geography.features('grid', { parent: '110108011001', bbox: [116.0, 39.8, 116.5, 40.2], limit: 2, offset: 1 }));
      expect(body.type).toBe('FeatureCollection');
      expect(body.numberReturned).toBe(2);
      expect(body.features[0].id).toBe('110108011001002');
      expect(body.features[0].geometry.type).toBe('MultiPolygon');
    });

    it('returns an empty collection for a box with no grids', async () => {
      const body = JSON.parse(await db.store.geography.features('grid', { bbox: [10, 10, 10.1, 10.1], limit: 10, offset: 0 }));
      expect(body).toMatchObject({ numberMatched: 0, numberReturned: 0, features: [] });
    });
  });
});

describe.each(storeDrivers())('replacing the geography (%s)', (driver) => {
  let db: TestStore;
  beforeAll(async () => {
    db = await openTestStore(driver);
  });
  afterAll(() => db?.dispose());

  async function snapshot(): Promise<{ version: number; grids: number; assignments: number; routed: (string | null)[] }> {
    const [counts] = await db.sql.query<{ grids: number; assignments: number }>(
      'SELECT (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM assignments) AS assignments',
    );
    return { version: (await db.store.geography.version())!.version, ...counts!, routed: await db.store.geography.routeInDatabase([[116.31, 39.98]]) };
  }

  /** What is stored now, read back through the repository, as a set that replace() takes. */
  async function storedSet(): Promise<GeographySet> {
    type Row = { properties: { code: string; name: string; kind?: StreetKind }; geometry: MultiPolygon };
    const read = async (level: 'district' | 'street' | 'community'): Promise<Row[]> => JSON.parse(await db.store.geography.features(level, { limit: 10_000, offset: 0 })).features;
    const area = (f: Row) => ({ code: f.properties.code, name: f.properties.name, rings: ringsOf(f.geometry) });
    const names = new Map((await db.store.geography.names()).map((n) => [n.code, n.name]));
    const [district] = await read('district');
    return {
      district: area(district!),
      streets: (await read('street')).map((f) => ({ ...area(f), kind: f.properties.kind ?? 'street' })),
      communities: (await read('community')).map(area),
      // Grids exactly as stored (GeoJSON output is rounded to 7 decimals; WKB is not).
      grids: (await db.store.geography.routableGrids()).map((g) => ({ code: g.code, name: names.get(g.code)!, rings: g.rings })),
    };
  }

  it('rolls everything back when PostGIS finds an invalid area, even one the caller did not check', async () => {
    const before = await snapshot();
    const set = await storedSet();
    const bowtie: MultiPolygonRings = [[[[116.3, 39.9], [116.31, 39.91], [116.31, 39.9], [116.3, 39.91], [116.3, 39.9]]]];
    const broken = { ...set, grids: set.grids.map((g, i) => (i === 0 ? { ...g, rings: bowtie } : g)) };
    await expect(db.store.geography.replace(broken, 'test: one self-intersecting grid')).rejects.toBeInstanceOf(InvalidGeographyError);
    expect(await snapshot()).toEqual(before);
  });

  it('stores a valid set as a new version and keeps the roster assignments whose grids still exist', async () => {
    const before = await snapshot();
    const set = await storedSet();
    // Merge the first two grids of one community into one: one grid code disappears.
    const [a, b] = set.grids.filter((g) => g.code.startsWith('110108011001'));
    const merged = { ...a!, rings: unite(a!.rings, b!.rings) };
    const grids = [merged, ...set.grids.filter((g) => g.code !== a!.code && g.code !== b!.code)];
    const result = await db.store.geography.replace({ ...set, grids }, 'test: two grids merged');
    expect(result.version).toBe(before.version + 1);
    expect(result.counts.grid).toBe(2999);
    expect(result.assignmentsDropped).toBe(14);
    expect(result.assignmentsKept).toBe(before.assignments - 14);
    expect(await db.store.geography.version()).toMatchObject({ version: before.version + 1, source: 'test: two grids merged' });
  });
});
