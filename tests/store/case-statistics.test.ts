import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkResult } from '../../core/protocol/cases-api.ts';
import { casesBeforeNextAnalyze, FIRST_ANALYZE_AFTER, INDEX_CLEANUP_EVERY_MS, indexCleanupDue } from '../../server/services/intake.service.ts';
import { ANALYSED_CASE_COLUMNS, UNANALYSED_CASE_COLUMNS } from '../../server/store/create-store.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('how often intake refreshes the case statistics', () => {
  it('soon on a store the planner counts (almost) empty, then once the cases last counted have doubled', () => {
    expect(FIRST_ANALYZE_AFTER).toBe(250);
    expect(casesBeforeNextAnalyze(0)).toBe(250);
    expect(casesBeforeNextAnalyze(249)).toBe(250);
    expect(casesBeforeNextAnalyze(4_999)).toBe(4_999);
    expect(casesBeforeNextAnalyze(100_000)).toBe(100_000);
    expect(casesBeforeNextAnalyze(1_000_000)).toBe(1_000_000);
  });
});

describe('how often intake\'s vacuums of the cases clean their indexes up', () => {
  it('the first time, then once INDEX_CLEANUP_EVERY_MS has passed since the last', () => {
    const at = new Date('2026-11-29T08:00:00Z');
    const later = (ms: number): Date => new Date(at.getTime() + ms);
    expect(INDEX_CLEANUP_EVERY_MS).toBe(600_000);
    expect(indexCleanupDue(undefined, at)).toBe(true);
    expect(indexCleanupDue(at, at)).toBe(false);
    expect(indexCleanupDue(at, later(INDEX_CLEANUP_EVERY_MS - 1))).toBe(false);
    expect(indexCleanupDue(at, later(INDEX_CLEANUP_EVERY_MS))).toBe(true);
    // A clock set back does not put the cleanups off by as much.
    expect(indexCleanupDue(at, later(-60_000))).toBe(true);
  });
});

describe.each(storeDrivers())('refreshing the statistics of cases and their events (%s)', (driver) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(driver);
  });
  afterAll(() => server?.close());

  /** Files `count` reports in `street` through the bulk door; resolves with how many were accepted. */
  const report = async (street: string, count: number, prefix: string): Promise<number> => {
    const points = await pointsInStreet(server.db.store, server.geography, street, count, 60, 5);
    const lines = points.map(([lng, lat], i) => JSON.stringify({ reportId: `${prefix}-${driver}-${i}`, category: 'E0102', lng, lat }));
    return ((await (await server.post('/api/cases/bulk', lines.join('\n'), 'application/x-ndjson')).json()) as BulkResult).accepted;
  };

  it('intake teaches the planner a fresh store\'s cases by itself, once FIRST_ANALYZE_AFTER of them are written', async () => {
    const planned = () => server.db.store.plannedCaseCount();
    expect(await planned()).toBe(0);
    expect(await report('110108015', FIRST_ANALYZE_AFTER - 10, 'first-few')).toBe(FIRST_ANALYZE_AFTER - 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await planned()).toBe(0);
    expect(await report('110108015', 10, 'first-enough')).toBe(10);
    // The refresh runs after the batch's commit, beside intake: wait for it.
    const until = Date.now() + 10_000;
    while ((await planned()) === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await planned()).toBe(FIRST_ANALYZE_AFTER);
  });

  it('counts the cases and teaches the planner the size of both tables', async () => {
    expect(await report('110108016', 40, 'statistics')).toBe(40);
    const counted = await server.db.store.analyzeCaseTables();
    const [actual] = await server.db.sql.query<{ cases: number; events: number }>('SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events');
    expect(counted).toBe(actual!.cases);
    expect(actual!.events).toBeGreaterThanOrEqual(80);
    // Small tables are read whole, so the planner's figures are exact.
    const planner = await server.db.sql.query<{ relname: string; reltuples: number }>("SELECT relname, reltuples::int AS reltuples FROM pg_class WHERE relname IN ('cases', 'case_events') ORDER BY relname");
    expect(planner).toEqual([
      { relname: 'case_events', reltuples: actual!.events },
      { relname: 'cases', reltuples: actual!.cases },
    ]);
  });

  it('refreshes every column of the cases but the wide ones nothing selects by, and samples fewer rows of both', async () => {
    const columns = await server.db.sql.query<{ name: string }>("SELECT attname AS name FROM pg_attribute WHERE attrelid = 'cases'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname");
    expect(columns.map((c) => c.name)).toEqual([...ANALYSED_CASE_COLUMNS, ...UNANALYSED_CASE_COLUMNS].sort());
    const targets = await server.db.sql.query<{ name: string; target: number }>(
      "SELECT attname AS name, attstattarget::int AS target FROM pg_attribute WHERE attrelid = 'case_events'::regclass AND attnum > 0 AND attstattarget > 0 ORDER BY attname",
    );
    expect(targets).toEqual(['at', 'case_id', 'community_code', 'grid_code', 'seq', 'street_code', 'type'].map((name) => ({ name, target: 10 })));
    const caseTargets = await server.db.sql.query<{ name: string; target: number }>(
      "SELECT attname AS name, attstattarget::int AS target FROM pg_attribute WHERE attrelid = 'cases'::regclass AND attnum > 0 AND attstattarget > 0 ORDER BY attname",
    );
    expect(caseTargets).toEqual([...ANALYSED_CASE_COLUMNS].sort().map((name) => ({ name, target: 10 })));
  });

  it('vacuums the cases so that a person\'s open cases are counted from the index alone', async () => {
    // Someone given a case of this lot (of `prefix`): the one given the most.
    const personOf = async (prefix: string): Promise<string> => {
      const [row] = await server.db.sql.query<{ person: string }>(
        "SELECT assignee_id AS person FROM cases WHERE assignee_id IS NOT NULL AND closed_at IS NULL AND report_id LIKE $1 || '-%' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        [prefix],
      );
      expect(row?.person ?? '').not.toBe('');
      return row!.person;
    };
    // The count as dispatch makes it, through the open cases' index: the rows it read from the table.
    const heapFetches = (person: string) =>
      server.db.sql.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        await tx.query('SET LOCAL enable_bitmapscan = off');
        const [row] = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM cases c WHERE c.assignee_id = '${person}' AND c.closed_at IS NULL`);
        const text = JSON.stringify(row!['QUERY PLAN']);
        expect(text).toContain('Index Only Scan');
        return Number(/"Heap Fetches":\s*(\d+)/.exec(text)![1]);
      });
    expect(await report('110108017', 20, 'vacuum')).toBe(20);
    const first = await personOf(`vacuum-${driver}`);
    expect(await heapFetches(first)).toBeGreaterThan(0);
    await server.db.store.vacuumCases();
    expect(await heapFetches(first)).toBe(0);
    // The vacuum without index cleanup (most of intake's) marks new cases' pages all-visible just as well.
    expect(await report('110108018', 20, 'vacuum-again')).toBe(20);
    const second = await personOf(`vacuum-again-${driver}`);
    expect(await heapFetches(second)).toBeGreaterThan(0);
    await server.db.store.vacuumCases({ indexCleanup: false });
    expect(await heapFetches(second)).toBe(0);
  });
});
