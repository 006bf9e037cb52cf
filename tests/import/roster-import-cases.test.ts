import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/access/actor.ts';
import { foldEvents } from '../../core/case-loop/apply-event.ts';
import { summaryOf } from '../../core/case-loop/summary-of.ts';
import { BEIJING_OFFICE_HOURS } from '../../core/calendar/working-calendar.ts';
import type { CaseSummary } from '../../core/cases/case-summary.ts';
import { parseCsv } from '../../server/import/parse-csv.ts';
import { verifyAudit } from '../../server/services/audit.service.ts';
import { createCaseLoopService, type CaseLoopService } from '../../server/services/case-loop.service.ts';
import { createGeographyService } from '../../server/services/geography.service.ts';
import { createIntakeService, type CommittedBatch } from '../../server/services/intake.service.ts';
import { importRoster, type RosterImportReport } from '../../server/services/roster-import.service.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { CATEGORIES, MutableClock, STREET } from '../fixtures/case-loop-world.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { GEODATA_DIR, openTestStore, type TestStore } from '../fixtures/test-databases.ts';

const REFERENCE = readFileSync(join(GEODATA_DIR, 'haidian', 'personnel.csv'), 'utf8');
const [HEADER, ...PEOPLE] = parseCsv(REFERENCE) as [string[], ...string[][]];
const COL = (name: string): number => HEADER.indexOf(name);

function csv(rows: readonly (readonly string[])[]): string {
  return [HEADER, ...rows].map((r) => r.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\n') + '\n';
}

const DISPATCHER: Actor = { accountId: 'test-dd', role: 'district-dispatcher', name: 'Test dispatcher', personId: null, streetCode: null, departmentCode: null, gridCodes: [] };
const VERIFIER: Actor = { ...DISPATCHER, accountId: 'test-ve', role: 'verifier', name: 'Test verifier' };
const staff = (personId: string): Actor => ({ accountId: `test-${personId}`, role: 'department-staff', name: personId, personId, streetCode: null, departmentCode: null, gridCodes: [] });

/**
 * A roster import that takes people off cases they hold: each such open case gets a `returned`
 * event by the roster import (hash chain, sequence number, projection, in the roster's own
 * transaction) and waits in its street's queue; the audit stays intact.
 */
describe.each(storeDrivers())('roster import re-queues the open cases of people it removes (%s)', (driver) => {
  let db: TestStore;
  let dir: string;
  let caseLoop: CaseLoopService;
  const clock = new MutableClock('2026-03-02T09:00:00+08:00');
  /** Case numbers by role in the story, and the people who hold them. */
  const cases: Record<'dropped1' | 'dropped2' | 'dropped3' | 'leftGrid' | 'neverServed' | 'leftDepartment' | 'queued', string> = {} as never;
  let dropped = '';
  let closedCase = '';
  let leavesGrid = '';
  let leavesGridCode = '';
  let changesDepartment = '';
  let newRoster: string[][] = [];

  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** Everything a refused or dry import must leave as it was: people, assignments, case rows and events. */
  const everything = async (): Promise<unknown> => ({
    people: await db.sql.query('SELECT id, department_code FROM personnel ORDER BY id'),
    assignments: (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM assignments'))[0]!.n,
    cases: await db.sql.query('SELECT id, status, queue_kind, queue_street, assignee_id, tier, accepted_at FROM cases ORDER BY id'),
    events: await db.sql.query('SELECT seq, hash FROM case_events ORDER BY seq'),
  });
  const lastEvent = async (number: string): Promise<{ type: string; actor: string; data: Record<string, unknown>; count: number }> => {
    const summary = (await db.store.cases.byNumber(number))!;
    const events = await db.store.cases.timeline(summary.id);
    const last = events[events.length - 1]!.event;
    return { type: last.type, actor: last.actor, data: last.data as unknown as Record<string, unknown>, count: events.length };
  };
  /** The stored row, and what the case's events fold to. */
  const rowAndFold = async (number: string): Promise<{ row: CaseSummary; folded: CaseSummary }> => {
    const row = (await db.store.cases.byNumber(number))!;
    const state = foldEvents(row.id, (await db.store.cases.timeline(row.id)).map((e) => e.event));
    return { row, folded: summaryOf(state, row.assignee) };
  };
  const ok = async (number: string, command: unknown, actor: Actor): Promise<void> => {
    clock.advance(60_000);
    const result = await caseLoop.command(number, command, actor);
    // Intake may have chosen the very person already.
    if (!result.ok && result.error.code !== 'already_assigned') throw new Error(`${JSON.stringify(command)} on ${number}: ${result.error.message}`);
  };

  beforeAll(async () => {
    db = await openTestStore(driver);
    dir = mkdtempSync(join(tmpdir(), 'gc-roster-cases-'));
    const geography = await createGeographyService(db.store);
    const [catalogue, departments] = await Promise.all([db.store.catalogue.catalogue(), db.store.catalogue.departments()]);
    const intake = createIntakeService({ store: db.store, geography, catalogue, departments, clock, publish: () => {} });
    caseLoop = createCaseLoopService({ store: db.store, geography, clock, calendar: BEIJING_OFFICE_HOURS, publish: () => {} });

    // Eight cases of 中关村街道, far enough apart never to be likely duplicates.
    const points = await pointsInStreet(db.store, geography, STREET, 8, 80, 5);
    const filed: { number: string; grid: string }[] = [];
    for (const [i, point] of points.entries()) {
      const result = await intake.report({ reportId: `roster-case-${i}`, category: CATEGORIES[i % CATEGORIES.length], lng: point[0], lat: point[1], channel: 'hotline' }, 'hotline');
      if (!result.ok) throw new Error(`filing: ${result.error.message}`);
      filed.push({ number: result.ack.caseNumber, grid: result.ack.grid!.code });
    }
    const closedOne = filed.pop()!;
    const [c1, c2, c3, c4, ...rest] = filed as [typeof filed[0], typeof filed[0], typeof filed[0], typeof filed[0], ...typeof filed];
    const person = async (where: string, params: unknown[]): Promise<string> => {
      const [row] = await db.sql.query<{ id: string }>(`SELECT p.id FROM personnel p WHERE p.on_duty AND ${where} ORDER BY p.id LIMIT 1`, params);
      if (!row) throw new Error(`nobody where ${where}`);
      return row.id;
    };
    const serves = 'EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = p.id AND a.grid_code = $1)';
    // Someone serving c4's grid (they will stop serving it), and a case of a grid they never served.
    leavesGridCode = c4.grid;
    const c5 = rest.find((c) => c.grid !== c4.grid)!;
    leavesGrid = await person(`${serves} AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = p.id AND a.grid_code = $2)`, [c4.grid, c5.grid]);
    dropped = await person(`p.street_code = $1 AND p.id <> $2`, [STREET, leavesGrid]);
    changesDepartment = await person(`p.street_code = $1 AND p.id <> ALL($2::text[])`, [STREET, [leavesGrid, dropped]]);
    const [c6, c7] = rest.filter((c) => c !== c5) as [typeof filed[0], typeof filed[0]];

    // The one who leaves holds three open cases: dispatched, being handled, awaiting verification.
    for (const c of [c1, c2, c3]) await ok(c.number, { type: 'dispatch', personId: dropped }, DISPATCHER);
    await ok(c2.number, { type: 'accept' }, staff(dropped));
    await ok(c3.number, { type: 'accept' }, staff(dropped));
    await ok(c3.number, { type: 'feedback', result: 'cleared' }, staff(dropped));
    // …and closed one before: it must still fold to its row once they are gone (the audit).
    await ok(closedOne.number, { type: 'dispatch', personId: dropped }, DISPATCHER);
    await ok(closedOne.number, { type: 'accept' }, staff(dropped));
    await ok(closedOne.number, { type: 'feedback', result: 'cleared' }, staff(dropped));
    await ok(closedOne.number, { type: 'verify', passed: true, note: '' }, VERIFIER);
    closedCase = closedOne.number;
    await ok(c4.number, { type: 'dispatch', personId: leavesGrid }, DISPATCHER);
    await ok(c5.number, { type: 'dispatch', personId: leavesGrid }, DISPATCHER);
    await ok(c6.number, { type: 'dispatch', personId: changesDepartment }, DISPATCHER);
    const c7Holder = (await db.store.cases.byNumber(c7.number))!.assignee;
    if (c7Holder) await ok(c7.number, { type: 'return', reason: 'not ours' }, staff(c7Holder.id));
    Object.assign(cases, { dropped1: c1.number, dropped2: c2.number, dropped3: c3.number, leftGrid: c4.number, neverServed: c5.number, leftDepartment: c6.number, queued: c7.number });

    // The new roster: one person gone, one no longer on c4's grid, one in another department.
    newRoster = PEOPLE.filter((r) => r[COL('id')] !== dropped).map((r) => [...r]);
    const grids = newRoster.find((r) => r[COL('id')] === leavesGrid)!;
    const kept = grids[COL('grids')]!.split(';').filter((g) => g !== leavesGridCode);
    const [elsewhere] = await db.sql.query<{ code: string }>('SELECT code FROM grids WHERE street_code = $1 AND code <> ALL($2::text[]) ORDER BY code LIMIT 1', [STREET, [c4.grid, c5.grid]]);
    grids[COL('grids')] = (kept.length > 0 ? kept : [elsewhere!.code]).join(';');
    const department = newRoster.find((r) => r[COL('id')] === changesDepartment)!;
    department[COL('department')] = department[COL('department')] === 'sanitation' ? 'urban-enforcement' : 'sanitation';
    department[COL('duty')] = '';
    department[COL('duty_en')] = '';
  }, 120_000);
  afterAll(async () => {
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts from an intact audit with the cases held as the story says', async () => {
    expect((await db.store.cases.byNumber(cases.dropped2))).toMatchObject({ status: 'handling', assignee: { id: dropped } });
    expect((await db.store.cases.byNumber(cases.dropped3))).toMatchObject({ status: 'feedback', assignee: { id: dropped } });
    expect((await db.store.cases.byNumber(cases.queued))).toMatchObject({ status: 'queued', assignee: null });
    expect(await verifyAudit(db.store)).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });
  });

  it('a roster with a bad row changes nothing, cases included', async () => {
    const rows = newRoster.map((r) => [...r]);
    rows[3]![COL('phone')] = 'call the office';
    const before = await everything();
    const report = await importRoster(db.store, file('bad.csv', csv(rows)), { clock });
    expect(report).toMatchObject({ ok: false, problemCount: 1 });
    expect(report.stored).toBeUndefined();
    expect(await everything()).toEqual(before);
  });

  it('a dry run counts the open cases that would go back to their queue and changes nothing', async () => {
    const before = await everything();
    const report = await importRoster(db.store, file('dry.csv', csv(newRoster)), { dryRun: true, clock });
    expect(report).toMatchObject({ ok: true, dryRun: true, requeued: 5 });
    expect(report.stored).toBeUndefined();
    expect(await everything()).toEqual(before);
  });

  it('a roster that fails in the database changes nothing, cases included', async () => {
    // A trigger makes the last write of the roster fail, after the cases' events were written.
    await db.sql.exec(`CREATE FUNCTION refuse_assignments() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'assignments refused by the test'; END $$;
      CREATE TRIGGER refuse_assignments BEFORE INSERT ON assignments FOR EACH STATEMENT EXECUTE FUNCTION refuse_assignments();`);
    try {
      const before = await everything();
      await expect(importRoster(db.store, file('fails.csv', csv(newRoster)), { clock })).rejects.toThrow(/assignments refused by the test/);
      expect(await everything()).toEqual(before);
    } finally {
      await db.sql.exec('DROP TRIGGER refuse_assignments ON assignments; DROP FUNCTION refuse_assignments();');
    }
  });

  it('gives each open case of a removed or moved person a returned event with the reason, in the roster transaction', async () => {
    const untouched = { neverServed: await lastEvent(cases.neverServed), queued: await lastEvent(cases.queued) };
    const published: CommittedBatch[] = [];
    clock.advance(60_000);
    const report: RosterImportReport = await importRoster(db.store, file('new.csv', csv(newRoster)), { clock, publish: (batch) => published.push(batch) });
    expect(report).toMatchObject({ ok: true, requeued: 5, stored: { people: PEOPLE.length - 1 } });

    const reasons: Record<string, RegExp> = {
      dropped1: new RegExp(`${dropped}.*no longer on the roster`),
      dropped2: new RegExp(`${dropped}.*no longer on the roster`),
      dropped3: new RegExp(`${dropped}.*no longer on the roster`),
      leftGrid: new RegExp(`${leavesGrid}.*no longer serves grid ${leavesGridCode}`),
      leftDepartment: new RegExp(`${changesDepartment}.*moved from department`),
    };
    for (const [key, reason] of Object.entries(reasons)) {
      const number = cases[key as keyof typeof cases];
      const last = await lastEvent(number);
      expect(last, key).toMatchObject({ type: 'returned', actor: 'system:roster', data: { queue: { kind: 'street', streetCode: STREET } } });
      expect(last.data['reason'], key).toMatch(reason);
      expect(last.data['reason'], key).toMatch(/^花名册更新/);
      const { row, folded } = await rowAndFold(number);
      expect(row, key).toMatchObject({ status: 'queued', assignee: null, queue: { kind: 'street', streetCode: STREET }, acceptedAt: null });
      expect(row, key).toEqual(folded);
    }
    // A case its holder was dispatched to outside their grids, and a case nobody held, are left alone.
    expect(await lastEvent(cases.neverServed)).toEqual(untouched.neverServed);
    expect(await lastEvent(cases.queued)).toEqual(untouched.queued);
    expect((await db.store.cases.byNumber(cases.neverServed))!.assignee?.id).toBe(leavesGrid);

    // One committed range, as the case loop publishes it: dashboards hear the cases leave their holders.
    expect(published).toHaveLength(1);
    expect(published[0]!.events.map((e) => [e.type, e.case.number, e.case.status])).toEqual(
      [cases.dropped1, cases.dropped2, cases.dropped3, cases.leftGrid, cases.leftDepartment]
        .map((n) => ({ n, id: Number(n.split('-')[1]) }))
        .sort((a, b) => a.id - b.id)
        .map(({ n }) => ['returned', n, 'queued']),
    );
    expect(published[0]!.to - published[0]!.from).toBe(4);
    expect(await db.store.cases.maxSeq()).toBe(published[0]!.to);

    // The one who left stays as a row off the roster: their closed case keeps its holder and its name,
    // and they serve nowhere and can be dispatched to no more.
    const closed = await rowAndFold(closedCase);
    expect(closed.row).toMatchObject({ status: 'closed', assignee: { id: dropped } });
    expect(closed.row).toEqual(closed.folded);
    expect(await db.sql.query('SELECT on_roster, on_duty FROM personnel WHERE id = $1', [dropped])).toEqual([{ on_roster: false, on_duty: false }]);
    expect((await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM assignments WHERE person_id = $1', [dropped]))[0]!.n).toBe(0);
    expect(await db.store.personnel.count()).toBe(PEOPLE.length - 1);
    clock.advance(60_000);
    const refused = await caseLoop.command(cases.queued, { type: 'dispatch', personId: dropped }, DISPATCHER);
    expect(refused.ok).toBe(false);

    expect(await verifyAudit(db.store)).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });
  });
});
