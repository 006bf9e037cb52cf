import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, eventHashInput } from '../../core/audit/canonical-json.ts';
import { BEIJING_OFFICE_HOURS } from '../../core/calendar/working-calendar.ts';
import { HISTORIC_COLUMNS } from '../../core/cases/historic-record.ts';
import type { Catalogue } from '../../core/catalogue/catalogue.ts';
import { caseDeadlines } from '../../core/dispatch/case-deadlines.ts';
import { toWgs84 } from '../../core/geo/convert-crs.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { systemClock } from '../../core/time/clock.ts';
import { csvField } from '../../server/import/csv-records.ts';
import { verifyAudit } from '../../server/services/audit.service.ts';
import { createCaseLoopService } from '../../server/services/case-loop.service.ts';
import { createGeographyService, type GeographyService } from '../../server/services/geography.service.ts';
import { importHistoricCases, prepareCase, type HistoricImportOptions, type HistoricImportReport } from '../../server/services/historic-import.service.ts';
import { rerouteOpenCases } from '../../server/services/reroute.service.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { openTestStore, type TestStore } from '../fixtures/test-databases.ts';

type Row = Partial<Record<(typeof HISTORIC_COLUMNS)[number], string | number>>;

const STREET = '110108011'; // 中关村街道
const MB = 1 << 20;

function csvOf(rows: readonly Row[], columns: readonly string[] = HISTORIC_COLUMNS): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c as keyof Row] ?? '')).join(','))].join('\n') + '\n';
}

/** A point just outside the district (a few hundred metres west of its western edge at this latitude). */
function pointJustOutside(geography: GeographyService): LngLat {
  let p: LngLat = [116.2, 40.05];
  while (geography.routeCase(p, 0).routed) p = [p[0] - 0.002, p[1]];
  return [p[0] - 0.003, p[1]];
}

describe.each(storeDrivers())('historic case import, re-routing (%s)', (driver) => {
  let db: TestStore;
  let geography: GeographyService;
  let catalogue: Catalogue;
  let dir: string;
  let inside: LngLat[];
  let outside: LngLat;

  const counts = async (): Promise<{ cases: number; events: number }> => {
    const [row] = await db.sql.query<{ cases: number; events: number }>('SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM case_events) AS events');
    return row!;
  };
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (path: string, options: HistoricImportOptions = {}): Promise<HistoricImportReport> =>
    importHistoricCases({ store: db.store, geography, catalogue, calendar: BEIJING_OFFICE_HOURS }, path, options);
  /** Imports, expects a refusal, and checks that nothing was stored. */
  const refused = async (path: string, options: HistoricImportOptions = {}): Promise<HistoricImportReport> => {
    const before = await counts();
    const report = await run(path, options);
    expect(report.ok).toBe(false);
    expect(report.imported).toBe(0);
    expect(await counts()).toEqual(before);
    return report;
  };

  /** Runs `work` while the database refuses to store the case of this report id: a real failure inside an import's transaction. */
  const whileRefusing = async (reportId: string, work: () => Promise<void>): Promise<void> => {
    await db.sql.exec(`
      CREATE FUNCTION test_refuse_import() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.report_id = '${reportId}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_refuse_import BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION test_refuse_import();`);
    try {
      await work();
    } finally {
      await db.sql.exec('DROP TRIGGER test_refuse_import ON cases; DROP FUNCTION test_refuse_import();');
    }
  };

  /** Eight known records: closed and open, accepted or not, rated or not, one in GCJ-02, one outside every grid. */
  let known: Row[];

  beforeAll(async () => {
    db = await openTestStore(driver);
    geography = await createGeographyService(db.store);
    catalogue = await db.store.catalogue.catalogue();
    dir = mkdtempSync(join(tmpdir(), 'gc-historic-'));
    inside = await pointsInStreet(db.store, geography, STREET, 8, 80, 11);
    outside = pointJustOutside(geography);
    const at = (day: number, hour: number): string => `2025-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:15:00+08:00`;
    known = [
      { report_id: 'HL-1', reported_at: at(3, 9), category: 'E0102', lng: inside[0]![0], lat: inside[0]![1], description: '路边暴露垃圾', status: 'closed', accepted_at: at(3, 10), closed_at: at(4, 9), rating: 5 },
      { report_id: 'HL-2', reported_at: at(3, 11), category: 'E0301', lng: inside[1]![0], lat: inside[1]![1], description: '井盖缺失, "危险"', status: 'closed', closed_at: at(5, 9) },
      { report_id: 'HL-3', reported_at: at(4, 20), category: 'E0102', lng: inside[2]![0], lat: inside[2]![1], description: 'two\nlines', status: 'open' },
      { report_id: 'HL-4', reported_at: at(5, 8), category: 'E0102', lng: inside[3]![0], lat: inside[3]![1], status: 'open', accepted_at: at(5, 9), channel: 'patrol', description: 'tab\there, back\\slash \\N' },
      { report_id: 'HL-5', reported_at: at(6, 8), category: 'E0102', lng: outside[0], lat: outside[1], status: 'open', description: '辖区外' },
      { report_id: 'HL-6', reported_at: at(6, 9), category: 'E0102', lng: outside[0], lat: outside[1], status: 'closed', closed_at: at(7, 9), rating: 2 },
      { report_id: 'HL-7', reported_at: at(7, 9), category: 'E0301', lng: inside[4]![0], lat: inside[4]![1], crs: 'GCJ-02', status: 'closed', accepted_at: at(7, 9), closed_at: at(7, 15), rating: 3 },
      { report_id: 'HL-8', reported_at: at(8, 9), category: 'E0102', lng: inside[5]![0], lat: inside[5]![1], status: 'open' },
    ];
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('refuses malformed files with a clear report, storing nothing', () => {
    it('a missing column', async () => {
      const report = await refused(file('missing.csv', csvOf(known, HISTORIC_COLUMNS.filter((c) => c !== 'lat'))));
      expect(report.fatal).toMatch(/missing column lat/);
    });

    it('a bad date, an unknown category, coordinates out of range, a point far outside: row, column and why, for every bad row', async () => {
      const rows: Row[] = [
        known[0]!,
        { ...known[1]!, reported_at: '2025-13-01T00:00:00+08:00' },
        { ...known[2]!, category: 'Z0000' },
        { ...known[3]!, lng: 200 },
        { ...known[7]!, lng: 0, lat: 0 },
        { ...known[4]!, report_id: 'HL-1' },
      ];
      const report = await refused(file('bad.csv', csvOf(rows)));
      expect(report.badRows).toBe(5);
      expect(report.problems.map((p) => [p.row, p.line, p.column])).toEqual([
        [2, 3, 'reported_at'],
        [3, 4, 'category'],
        [4, 6, 'lng'],
        [5, 7, 'lng'],
        [6, 8, 'report_id'],
      ]);
      expect(report.problems[0]!.message).toMatch(/not a valid date and time/);
      expect(report.problems[1]!.message).toMatch(/unknown category "Z0000"/);
      expect(report.problems[2]!.message).toMatch(/out of range/);
      expect(report.problems[3]!.message).toMatch(/more than 5 km outside the district/);
      expect(report.problems[4]!.message).toBe('"HL-1" repeats row 1');
    });

    it('lists the first 100 problems and counts the rest', async () => {
      const rows = Array.from({ length: 150 }, (_, i): Row => ({ ...known[0]!, report_id: `BAD-${i}`, reported_at: 'yesterday' }));
      const report = await refused(file('many.csv', csvOf(rows)));
      expect(report.problems).toHaveLength(100);
      expect(report.problemCount).toBe(150);
    });

    it('200 MB of random bytes: not UTF-8, said at once', async () => {
      const path = join(dir, 'junk.bin');
      const fd = openSync(path, 'w');
      for (let i = 0; i < 200; i++) writeSync(fd, randomBytes(MB));
      closeSync(fd);
      try {
        const report = await refused(path);
        expect(report.fatal).toMatch(/not UTF-8/);
      } finally {
        rmSync(path, { force: true });
      }
    });

    it('200 MB of text junk after a good header: read to the end as a stream, each line reported', async () => {
      const path = join(dir, 'junk.csv');
      const fd = openSync(path, 'w');
      writeSync(fd, `${HISTORIC_COLUMNS.join(',')}\n`);
      const line = `${randomBytes(6_000).toString('base64')}\n`; // 8 KB, no commas
      const block = line.repeat(Math.floor(MB / line.length));
      let lines = 0;
      for (let written = 0; written < 200 * MB; written += block.length) {
        writeSync(fd, block);
        lines += Math.floor(MB / line.length);
      }
      closeSync(fd);
      try {
        const report = await refused(path);
        expect(report.fatal).toBeUndefined();
        expect(report.rows).toBe(lines);
        expect(report.problemCount).toBe(lines);
        expect(report.problems).toHaveLength(100);
        expect(report.problems[0]).toMatchObject({ row: 1, line: 2, column: '', message: `1 field, the header has ${HISTORIC_COLUMNS.length}` });
      } finally {
        rmSync(path, { force: true });
      }
    });

    it('an empty file and one that is not CSV at all', async () => {
      expect((await refused(file('empty.csv', ''))).fatal).toMatch(/empty/);
      expect((await refused(file('json.csv', '{"type":"FeatureCollection"}\n'))).fatal).toMatch(/unknown column/);
      expect((await refused(file('quote.csv', `${HISTORIC_COLUMNS.join(',')}\nHL-1,"unclosed\n`))).fatal).toMatch(/ends inside a quoted field/);
    });
  });

  it('a dry run validates, routes and counts, and stores nothing', async () => {
    const before = await counts();
    const report = await run(file('known.csv', csvOf(known)), { dryRun: true });
    expect(report).toMatchObject({ ok: true, dryRun: true, rows: 8, badRows: 0, open: 4, closed: 4, routed: 6, unrouted: 2, alreadyStored: 0, imported: 0 });
    expect(await counts()).toEqual(before);
  });

  it('imports known rows: routed as PostGIS routes them, unrouted ones for the district queue, deadlines from the category, one imported event each', async () => {
    const before = await counts();
    const report = await run(file('known.csv', csvOf(known)), { batchSize: 3 });
    expect(report).toMatchObject({ ok: true, rows: 8, imported: 8, batches: 3, routed: 6, unrouted: 2 });
    expect(await counts()).toEqual({ cases: before.cases + 8, events: before.events + 8 });

    const stored = await db.sql.query<{
      report_id: string; lng: number; lat: number; grid_code: string | null; street_code: string | null; status: string; queue_kind: string; queue_street: string | null;
      tier: string; reported_at: Date; accept_due_at: Date; resolve_due_at: Date; accepted_at: Date | null; closed_at: Date | null; rating: number | null; channel: string; description: string; crs: string;
    }>(
      `SELECT report_id, ST_X(geom) AS lng, ST_Y(geom) AS lat, grid_code, street_code, status, queue_kind, queue_street, tier, reported_at, accept_due_at,
              resolve_due_at, accepted_at, closed_at, rating, channel, description, crs
       FROM cases WHERE report_id LIKE 'HL-%' ORDER BY report_id`,
    );
    expect(stored.map((s) => s.report_id)).toEqual(known.map((k) => k.report_id));
    const oracle = await db.store.geography.routeInDatabase(stored.map((s) => [s.lng, s.lat]));
    expect(stored.map((s) => s.grid_code)).toEqual(oracle);
    expect(oracle.filter((g) => g === null)).toHaveLength(2);
    for (const [i, s] of stored.entries()) {
      const row = known[i]!;
      const category = catalogue.categories.find((c) => c.code === row.category)!;
      const point = row.crs === 'GCJ-02' ? toWgs84([Number(row.lng), Number(row.lat)], 'GCJ02') : [Number(row.lng), Number(row.lat)];
      expect([s.lng, s.lat]).toEqual(point);
      expect(s.status).toBe(row.status === 'closed' ? 'closed' : 'queued');
      expect(s.queue_kind).toBe(s.grid_code ? 'street' : 'district');
      expect(s.queue_street).toBe(s.street_code);
      expect(s.tier).toBe(s.grid_code ? 'street' : 'district');
      expect(s.channel).toBe(row.channel ?? 'hotline');
      expect(s.description).toBe(row.description ?? '');
      expect(s.rating).toBe(row.rating ?? null);
      expect(s.closed_at?.toISOString() ?? null).toBe(row.closed_at ? new Date(String(row.closed_at)).toISOString() : null);
      expect(s.accept_due_at.toISOString()).toBe(caseDeadlines(category, s.reported_at, BEIJING_OFFICE_HOURS).acceptDueAt.toISOString());
      if (!row.accepted_at) expect(s.resolve_due_at.toISOString()).toBe(caseDeadlines(category, s.reported_at, BEIJING_OFFICE_HOURS).resolveDueAt.toISOString());
    }
    expect(stored.find((s) => s.report_id === 'HL-7')!.crs).toBe('GCJ02');
    const types = await db.sql.query<{ type: string; actor: string; kind: string }>("SELECT DISTINCT type, actor, kind FROM case_events WHERE case_id IN (SELECT id FROM cases WHERE report_id LIKE 'HL-%')");
    expect(types).toEqual([{ type: 'imported', actor: 'system:import', kind: 'case:created' }]);

    const audit = await verifyAudit(db.store);
    expect(audit).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });

    // Imported events keep no payload: catch-up derives each case, and it is the case as stored.
    const [range] = await db.sql.query<{ from: number; to: number; nulls: number }>(
      "SELECT min(seq)::bigint AS from, max(seq)::bigint AS to, count(*) FILTER (WHERE payload IS NULL)::int AS nulls FROM case_events WHERE case_id IN (SELECT id FROM cases WHERE report_id LIKE 'HL-%')",
    );
    expect(range!.nulls).toBe(8);
    const replayed = (await db.store.cases.events(STREET, range!.from, range!.to, 100))!;
    const open = new Map((await db.store.cases.snapshot(STREET)).cases.map((c) => [c.id, c]));
    const inStreet = stored.filter((s) => s.street_code === STREET);
    expect(replayed.map((e) => e.type)).toEqual(inStreet.map(() => 'imported'));
    for (const event of replayed) {
      expect(event.kind).toBe('case:created');
      const current = open.get(event.case.id) ?? (await db.store.cases.byNumber(event.case.number));
      expect(event.case).toEqual(current);
    }
  });

  it('a re-import skips the ids already stored and stores only the new rows', async () => {
    const before = await counts();
    const again = await run(file('known.csv', csvOf(known)));
    expect(again).toMatchObject({ ok: true, imported: 0, alreadyStored: 8 });
    expect(await counts()).toEqual(before);
    const more = [...known, { ...known[0]!, report_id: 'HL-9' }, { ...known[2]!, report_id: 'HL-10' }];
    expect(await run(file('more.csv', csvOf(more)))).toMatchObject({ ok: true, imported: 2, alreadyStored: 8 });
    expect(await counts()).toEqual({ cases: before.cases + 2, events: before.events + 2 });
  });

  it('--skip-bad stores the good rows and reports the bad ones', async () => {
    const rows: Row[] = [{ ...known[0]!, report_id: 'SB-1' }, { ...known[1]!, report_id: 'SB-2', lat: 'north' }, { ...known[2]!, report_id: 'SB-3' }];
    const before = await counts();
    const report = await run(file('skip.csv', csvOf(rows)), { skipBad: true });
    expect(report).toMatchObject({ ok: true, rows: 3, badRows: 1, imported: 2, problemCount: 1 });
    expect(report.problems[0]).toMatchObject({ row: 2, column: 'lat' });
    expect(await counts()).toEqual({ cases: before.cases + 2, events: before.events + 2 });
    expect((await verifyAudit(db.store)).ok).toBe(true);
  });

  describe('batches written at once (two on a PostgreSQL server)', () => {
    const rowsOf = (prefix: string, n: number): Row[] =>
      Array.from({ length: n }, (_, i) => ({ ...known[i % 2]!, report_id: `${prefix}-${i}`, lng: inside[i % inside.length]![0], lat: inside[i % inside.length]![1] }));
    const eventsOf = (prefix: string): Promise<{ seq: number; n: number }[]> =>
      db.sql.query<{ seq: number; n: number }>(
        `SELECT e.seq, count(*) OVER (PARTITION BY e.case_id)::int AS n FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.report_id LIKE $1 ORDER BY e.seq`,
        [`${prefix}-%`],
      );

    it('two imports at once, in many small batches: every case once with one event, sequence numbers without a gap, one hash chain', async () => {
      const before = await counts();
      const [a, b] = await Promise.all([run(file('pa.csv', csvOf(rowsOf('PA', 300))), { batchSize: 20 }), run(file('pb.csv', csvOf(rowsOf('PB', 300))), { batchSize: 20 })]);
      expect(a).toMatchObject({ ok: true, imported: 300, batches: 15 });
      expect(b).toMatchObject({ ok: true, imported: 300, batches: 15 });
      expect(await counts()).toEqual({ cases: before.cases + 600, events: before.events + 600 });
      const events = [...(await eventsOf('PA')), ...(await eventsOf('PB'))].sort((x, y) => x.seq - y.seq);
      expect(events.every((e) => e.n === 1)).toBe(true);
      // Each batch drew its numbers under the lock: the 600 form one run (nothing else wrote meanwhile).
      expect(events[events.length - 1]!.seq - events[0]!.seq).toBe(599);
      expect(await verifyAudit(db.store)).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });
    });

    it('a batch that fails: the import says why, that batch is stored not at all, the others whole, and a re-run completes it', async () => {
      const before = await counts();
      // A real failure inside one batch's transaction, after its first rows are written.
      const path = file('pf.csv', csvOf(rowsOf('PF', 200)));
      await whileRefusing('PF-47', () => expect(run(path, { batchSize: 20 })).rejects.toThrow(/refused by the test/));
      const stored = await db.sql.query<{ report_id: string; events: number }>(
        "SELECT c.report_id, (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events FROM cases c WHERE c.report_id LIKE 'PF-%'",
      );
      const ids = new Set(stored.map((r) => Number(r.report_id.slice(3))));
      // Rows 40..59 were the failing batch: none of them; any other batch is stored whole or not at all.
      for (let i = 40; i < 60; i++) expect(ids.has(i)).toBe(false);
      for (let k = 0; k < 10; k++) {
        const batch = Array.from({ length: 20 }, (_, i) => ids.has(k * 20 + i));
        expect(batch.every((x) => x === batch[0])).toBe(true);
      }
      expect(stored.every((r) => r.events === 1)).toBe(true);
      expect((await verifyAudit(db.store)).ok).toBe(true);

      const rerun = await run(path, { batchSize: 20 });
      expect(rerun).toMatchObject({ ok: true, imported: 200 - stored.length, alreadyStored: stored.length });
      expect(await counts()).toEqual({ cases: before.cases + 200, events: before.events + 200 });
      expect((await verifyAudit(db.store)).ok).toBe(true);
    });
  });

  describe('in one transaction (--one-transaction: a first load, or a maintenance window)', () => {
    const rowsOf = (prefix: string, n: number): Row[] =>
      Array.from({ length: n }, (_, i) => ({ ...known[i % known.length]!, report_id: `${prefix}-${i}`, ...(i % known.length === 4 || i % known.length === 5 ? {} : { lng: inside[i % inside.length]![0], lat: inside[i % inside.length]![1] }) }));
    /** The case tables' indexes and constraints as the catalogue defines them. */
    const structure = async (): Promise<string[]> => {
      const rows = await db.sql.query<{ d: string }>(
        `SELECT indexdef AS d FROM pg_indexes WHERE tablename IN ('cases', 'case_events')
         UNION ALL SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN ('cases'::regclass, 'case_events'::regclass)
         ORDER BY 1`,
      );
      return rows.map((r) => r.d);
    };
    let tables: string[];
    beforeAll(async () => {
      tables = await structure();
      expect(tables.filter((d) => d.includes('FOREIGN KEY')).length).toBeGreaterThanOrEqual(4);
      expect(tables.filter((d) => d.startsWith('CREATE INDEX')).length).toBeGreaterThanOrEqual(15);
    });

    it('reads the file once, stores every row with its event in one chain, and leaves every index and key as it was', async () => {
      const before = await counts();
      const phases = new Set<string>();
      const report = await run(file('one.csv', csvOf(rowsOf('OT', 230))), { oneTransaction: true, batchSize: 25, onProgress: (p) => phases.add(p.phase) });
      expect(report).toMatchObject({ ok: true, rows: 230, imported: 230, batches: 10, alreadyStored: 0, validateSeconds: 0 });
      expect(phases).toEqual(new Set(['import', 'indexes']));
      expect(await counts()).toEqual({ cases: before.cases + 230, events: before.events + 230 });
      expect(await structure()).toEqual(tables);
      expect(await verifyAudit(db.store)).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });
      // As the row-by-row import stores them: routed by the router, near-boundary flags and all.
      const stored = await db.sql.query<{ lng: number; lat: number; grid_code: string | null }>("SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat, grid_code FROM cases WHERE report_id LIKE 'OT-%' ORDER BY id");
      expect(stored.map((s) => s.grid_code)).toEqual(await db.store.geography.routeInDatabase(stored.map((s) => [s.lng, s.lat])));
      // The rebuilt indexes answer: the street's snapshot (read through its partial index) has the open ones.
      const open = await db.sql.query<{ case_number: string }>("SELECT case_number FROM cases WHERE report_id LIKE 'OT-%' AND street_code = $1 AND closed_at IS NULL", [STREET]);
      expect(open.length).toBeGreaterThan(0);
      const snapshot = new Set((await db.store.cases.snapshot(STREET)).cases.map((c) => c.number));
      expect(open.filter((c) => !snapshot.has(c.case_number))).toEqual([]);
      // Run again: everything is already stored.
      expect(await run(file('one.csv', csvOf(rowsOf('OT', 230))), { oneTransaction: true, batchSize: 25 })).toMatchObject({ ok: true, imported: 0, alreadyStored: 230 });
      expect(await counts()).toEqual({ cases: before.cases + 230, events: before.events + 230 });
    });

    it('a bad row after batches were written: the rest is read for the report, nothing is stored, the indexes are back', async () => {
      const rows = rowsOf('OB', 120);
      rows[101] = { ...rows[101]!, reported_at: 'last tuesday' };
      rows[110] = { ...rows[110]!, category: 'Z0000' };
      const report = await refused(file('one-bad.csv', csvOf(rows)), { oneTransaction: true, batchSize: 20 });
      expect(report).toMatchObject({ rows: 120, badRows: 2, problemCount: 2 });
      expect(report.problems.map((p) => [p.row, p.column])).toEqual([[102, 'reported_at'], [111, 'category']]);
      expect(await structure()).toEqual(tables);
      expect((await db.sql.query("SELECT 1 FROM cases WHERE report_id LIKE 'OB-%'")).length).toBe(0);
      // With skipBad the good ones are stored.
      expect(await run(file('one-bad.csv', csvOf(rows)), { oneTransaction: true, batchSize: 20, skipBad: true })).toMatchObject({ ok: true, imported: 118, badRows: 2 });
      expect(await structure()).toEqual(tables);
      expect((await verifyAudit(db.store)).ok).toBe(true);
    });

    it('a failure in the database: nothing stored, the indexes and keys are back, and the error says why', async () => {
      const before = await counts();
      await whileRefusing('OF-77', () => expect(run(file('one-fail.csv', csvOf(rowsOf('OF', 150))), { oneTransaction: true, batchSize: 20 })).rejects.toThrow(/refused by the test/));
      expect(await counts()).toEqual(before);
      expect(await structure()).toEqual(tables);
    });

    it('with a row-by-row import running at once: that one waits for the commit, both are stored, one chain', async () => {
      const before = await counts();
      const [a, b] = await Promise.all([
        run(file('one-a.csv', csvOf(rowsOf('OA', 200))), { oneTransaction: true, batchSize: 30 }),
        run(file('one-b.csv', csvOf(rowsOf('OC', 100))), { batchSize: 10 }),
      ]);
      expect(a).toMatchObject({ ok: true, imported: 200 });
      expect(b).toMatchObject({ ok: true, imported: 100 });
      expect(await counts()).toEqual({ cases: before.cases + 300, events: before.events + 300 });
      expect(await structure()).toEqual(tables);
      expect(await verifyAudit(db.store)).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });
    });
  });

  it('writes event data whose JSON is its canonical JSON, and a hash input exactly eventHashInput', () => {
    const category = catalogue.categories.find((c) => c.code === 'E0102')!;
    for (const route of [geography.routeCase(inside[0]!, 10), geography.routeCase(outside, 10)]) {
      const record = { reportId: 'X-1', reportedAt: new Date('2025-03-03T01:15:00Z'), category, point: inside[0]!, crs: 'WGS84' as const, channel: 'hotline' as const, description: '“引号” and \\ back', status: 'closed' as const, acceptedAt: new Date('2025-03-03T02:00:00Z'), closedAt: new Date('2025-03-04T01:00:00Z'), rating: 5 as const };
      const prepared = prepareCase({ record, route }, 42, { prefix: 'HD', calendar: BEIJING_OFFICE_HOURS, importedAt: '2026-01-01T00:00:00.000Z' });
      const data = JSON.parse(prepared.dataJson) as unknown;
      expect(canonicalJson(data)).toBe(prepared.dataJson);
      expect(`prev\n7${prepared.hashTail}`).toBe(eventHashInput({ prevHash: 'prev', seq: 7, caseId: 42, type: 'imported', actor: 'system:import', at: '2025-03-03T01:15:00.000Z', data }));
    }
  });

  describe('re-routing open cases after the grids change', () => {
    /** Two open imported cases and one closed one whose points now lie in another grid of the street. */
    let moved: { number: string; to: string }[];
    let closedNumber: string;
    let closedGrid: string;

    beforeAll(async () => {
      const cases = await db.sql.query<{ id: number; case_number: string; grid_code: string; closed_at: Date | null }>(
        "SELECT id, case_number, grid_code, closed_at FROM cases WHERE report_id IN ('HL-3', 'HL-8', 'HL-1') ORDER BY report_id",
      );
      const target = inside[7]!;
      const to = geography.routeCase(target, 0);
      if (!to.routed) throw new Error('target outside');
      for (const c of cases) await db.sql.query('UPDATE cases SET geom = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE id = $1', [c.id, target[0], target[1]]);
      moved = cases.filter((c) => c.closed_at === null).map((c) => ({ number: c.case_number, to: to.gridCode }));
      const closed = cases.find((c) => c.closed_at !== null)!;
      closedNumber = closed.case_number;
      closedGrid = closed.grid_code;
    });

    const caseLoop = () => createCaseLoopService({ store: db.store, geography, clock: systemClock, calendar: BEIJING_OFFICE_HOURS, publish: () => {} });

    it('the dry run counts the moves (from → to) and changes nothing', async () => {
      const before = await counts();
      const report = await rerouteOpenCases({ store: db.store, geography, caseLoop: caseLoop() }, { dryRun: true });
      expect(report.toMove).toBe(2);
      expect(report.table.reduce((n, r) => n + r.count, 0)).toBe(2);
      expect(new Set(report.table.map((r) => r.to))).toEqual(new Set([moved[0]!.to]));
      expect(report.moved).toBe(0);
      expect(await counts()).toEqual(before);
    });

    it('moves open cases with a moved event each, keeps closed cases in their grid, and the audit passes', async () => {
      const before = await counts();
      const report = await rerouteOpenCases({ store: db.store, geography, caseLoop: caseLoop() });
      expect(report).toMatchObject({ toMove: 2, moved: 2, refused: {} });
      expect(await counts()).toEqual({ cases: before.cases, events: before.events + 2 });
      for (const m of moved) {
        const summary = await db.store.cases.byNumber(m.number);
        expect(summary).toMatchObject({ gridCode: m.to, streetCode: m.to.slice(0, 9) });
        const [stored] = await db.sql.query<{ lng: number; lat: number }>('SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM cases WHERE case_number = $1', [m.number]);
        expect(await db.store.geography.routeInDatabase([[stored!.lng, stored!.lat]])).toEqual([m.to]);
      }
      expect((await db.store.cases.byNumber(closedNumber))!.gridCode).toBe(closedGrid);
      const events = await db.sql.query<{ type: string; actor: string }>("SELECT type, actor FROM case_events WHERE type = 'moved'");
      expect(events).toEqual([{ type: 'moved', actor: 'system:reroute' }, { type: 'moved', actor: 'system:reroute' }]);
      expect((await verifyAudit(db.store)).ok).toBe(true);
      expect((await rerouteOpenCases({ store: db.store, geography, caseLoop: caseLoop() }, { dryRun: true })).toMove).toBe(0);
    });
  });
});
