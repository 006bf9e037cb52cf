import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/access/actor.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type {
  AreaFigures,
  AreaFiguresAnswer,
  DepartmentFiguresAnswer,
  HexBinsAnswer,
  HotspotsAnswer,
  StaffingAnswer,
} from '../../core/protocol/analytics-api.ts';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import { parseCsv } from '../../server/import/parse-csv.ts';
import { importRoster } from '../../server/services/roster-import.service.ts';
import { CaseApi, findRoster, MutableClock, OTHER_STREET, pointsInGrid, STREET, type Roster } from '../fixtures/case-loop-world.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { GEODATA_DIR, signInTestDispatcher } from '../fixtures/test-databases.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

// A small seeded world, every figure worked out by hand below. Cases come in through POST /api/cases
// and move through POST /api/cases/:number/commands on a clock the test sets; the roster through the
// roster import (the reference roster without the health department's people on grid G).
//
// Times: T_OLD Tue 20 Jan 2026, T0 Wed 4 Mar 2026, NOW Fri 6 Mar 2026, all 10:00 in Beijing. The
// default window is the 30 days up to NOW: [5 Feb 10:00, NOW), so k0 is outside it.
// Places: street S (中关村) with grid G and its neighbour N (both of S), grid X of another street OS.
// Categories (deadline minutes: accept + resolve, calendar time unless said): E0301 urban-enforcement
// 30 + 120; C0307 urban-enforcement 15 + 240; E0201 urban-enforcement 30 + 240 working; E0104 sanitation 30 + 120.
//
// case grid category reported  what happens                                   counts (at NOW, default window)
// k0   G    E0301    T_OLD     open                                           outside the window; overdue
// k1   G    E0301    T0        accepted, fed back, verified within seconds    closed on time
// k2   G    C0307    T0        accepted at T0, verified at T0 + 5 h (due 4 h) closed late
// k3   G    E0301    T0        escalated by the district dispatcher           open, overdue, escalated
// k4   G    C0307    T0        + 2 likely duplicates (same point)             open, overdue, 2 repeat reports
// k5   N    E0201    T0        + 1 likely duplicate                           open, overdue, 1 repeat report
// k6   N    E0104    NOW−10min (due NOW + 140 min)                            open, not overdue (sanitation)
// k7   X    E0301    T0        rejected by the district dispatcher            closed (rejected) on time
// k8   X    E0104    T0        escalated by the district dispatcher           open, overdue, escalated (sanitation)
//
// Per grid: G received 4, open 2, overdue 2, escalated 1, closed 2, on time 1 of 2, repeat 2;
//           N received 2, open 2, overdue 1, escalated 0, closed 0, repeat 1;
//           X received 2, open 1, overdue 1, escalated 1, closed 1, on time 1 of 1, repeat 0.
// Per department: urban-enforcement k1 k2 k3 k4 k5 k7: 6, open 3, overdue 3, escalated 1, closed 3,
//           on time 2 of 3, repeat 3; sanitation k6 k8: 2, open 2, overdue 1, escalated 1, closed 0.
// Staffing loads (open, overdue): G's urban-enforcement person (DA) k0 k3 k4: 3, 3; N's k5: 1, 1;
//           N's sanitation person k6: 1, 0; X's sanitation person k8: 1, 1; everyone else 0, 0.

const T_OLD = '2026-01-20T02:00:00.000Z';
const T0 = '2026-03-04T02:00:00.000Z';
const NOW = '2026-03-06T02:00:00.000Z';
const DEFAULT_FROM = '2026-02-04T02:00:00.000Z';
const DISTRICT = '110108';
const PASSWORD = 'Analytics-test-pw-0001';
const INJECTIONS = ["x'; DROP TABLE cases; --", "110108' OR '1'='1", '1); DELETE FROM cases; --', '%27%3B%20DROP%20TABLE%20cases%3B--'];

/** Counts behind AreaFigures (on time as a count, so that areas can be added up). */
interface Tally {
  readonly received: number;
  readonly open: number;
  readonly overdueNow: number;
  readonly escalated: number;
  readonly closed: number;
  readonly onTime: number;
  readonly repeatReports: number;
}

const ZERO: Tally = { received: 0, open: 0, overdueNow: 0, escalated: 0, closed: 0, onTime: 0, repeatReports: 0 };
const tally = (received: number, open: number, overdueNow: number, escalated: number, closed: number, onTime: number, repeatReports: number): Tally => ({
  received, open, overdueNow, escalated, closed, onTime, repeatReports,
});
const add = (...tallies: Tally[]): Tally =>
  tallies.reduce((a, b) => ({
    received: a.received + b.received, open: a.open + b.open, overdueNow: a.overdueNow + b.overdueNow, escalated: a.escalated + b.escalated,
    closed: a.closed + b.closed, onTime: a.onTime + b.onTime, repeatReports: a.repeatReports + b.repeatReports,
  }), ZERO);
const figures = (t: Tally): AreaFigures => ({
  received: t.received, open: t.open, overdueNow: t.overdueNow, escalated: t.escalated, closed: t.closed,
  onTimeRate: t.closed === 0 ? null : t.onTime / t.closed, repeatReports: t.repeatReports,
});
const figuresOf = (row: AreaFigures): AreaFigures => ({
  received: row.received, open: row.open, overdueNow: row.overdueNow, escalated: row.escalated, closed: row.closed, onTimeRate: row.onTimeRate, repeatReports: row.repeatReports,
});

// The hand-worked figures of the table above, default window, every category.
const IN_G = tally(4, 2, 2, 1, 2, 1, 2);
const IN_N = tally(2, 2, 1, 0, 0, 0, 1);
const IN_X = tally(2, 1, 1, 1, 1, 1, 0);
const URBAN_ENFORCEMENT = tally(6, 3, 3, 1, 3, 2, 3);
const SANITATION = tally(2, 2, 1, 1, 0, 0, 0);

interface ErrorBody {
  error: { code: string; message: string };
}

interface RosterRow {
  readonly id: string;
  readonly name: string;
  readonly department: string;
  readonly street: string;
  readonly phone: string;
  readonly onDuty: boolean;
  readonly grids: readonly string[];
}

/** The reference roster, as the CSV file has it. */
function readRoster(): { header: string[]; rows: string[][]; people: RosterRow[] } {
  const [header, ...rows] = parseCsv(readFileSync(join(GEODATA_DIR, 'haidian', 'personnel.csv'), 'utf8')) as [string[], ...string[][]];
  const col = (name: string): number => header.indexOf(name);
  const people = rows.map((r) => ({
    id: r[col('id')]!, name: r[col('name')]!, department: r[col('department')]!, street: r[col('street')]!, phone: r[col('phone')]!,
    onDuty: r[col('on_duty')] === '1', grids: r[col('grids')]!.split(';'),
  }));
  return { header, rows, people };
}

const csvLine = (fields: readonly string[]): string => fields.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');

describe.each(storeDrivers())('analytics and staffing HTTP API (%s)', (driver) => {
  const clock = new MutableClock(T_OLD);
  let server: TestServer;
  let api: CaseApi;
  let roster: Roster;
  let dir: string;
  /** The roster as imported (the reference one without G's health people), and who was left out. */
  let people: RosterRow[];
  let removedHealth: RosterRow[];
  let G: string;
  let N: string;
  let X: string;
  /** Where each case was filed. */
  const at: Record<string, LngLat> = {};
  /** The person intake assigned each case to. */
  const assignee: Record<string, string | null> = {};
  /** Tokens at NOW, by profile; DD is the test district dispatcher. */
  const token: Record<string, string> = {};
  const accounts: Record<string, { username: string; role: Role; personId?: string; streetCode?: string }> = {};

  async function signIn(username: string): Promise<string> {
    const response = await fetch(`${server.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    expect(response.status, `sign-in of ${username}`).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  /** Signs everyone in again: the clock moved past their sessions' 12 hours. */
  async function signInAll(profiles: readonly string[] = Object.keys(accounts)): Promise<void> {
    token['DD'] = await signInTestDispatcher(server.baseUrl);
    for (const profile of profiles) token[profile] = await signIn(accounts[profile]!.username);
  }

  async function file(key: string, category: string, point: LngLat, reportId = key): Promise<CaseAck> {
    const ack = await api.file({ reportId: `${driver}-${reportId}`, category, point }, token['DD']);
    at[reportId] = point;
    assignee[reportId] = ack.assignee?.id ?? null;
    return ack;
  }

  beforeAll(async () => {
    server = await startTestServer(driver, { clock });
    api = new CaseApi(server, clock);
    roster = await findRoster(server);
    G = roster.grid;
    N = roster.neighbour;
    const [x] = await server.db.sql.query<{ code: string }>('SELECT min(code) AS code FROM grids WHERE street_code = $1', [OTHER_STREET]);
    X = x!.code;

    // The roster, through the roster import: the reference file without the health people of grid G.
    const reference = readRoster();
    removedHealth = reference.people.filter((p) => p.department === 'health' && p.grids.includes(G));
    expect(removedHealth.length).toBeGreaterThan(0);
    const keep = reference.rows.filter((_, i) => !removedHealth.includes(reference.people[i]!));
    people = reference.people.filter((p) => !removedHealth.includes(p));
    dir = mkdtempSync(join(tmpdir(), 'gc-analytics-'));
    const rosterFile = join(dir, 'personnel.csv');
    writeFileSync(rosterFile, [reference.header, ...keep].map(csvLine).join('\n') + '\n');
    const imported = await importRoster(server.db.store, rosterFile);
    expect(imported.ok, JSON.stringify(imported.problems)).toBe(true);

    const specs: Record<string, { role: Role; personId?: string; streetCode?: string }> = {
      SS: { role: 'street-dispatcher', streetCode: STREET },
      SO: { role: 'street-dispatcher', streetCode: OTHER_STREET },
      GW: { role: 'grid-worker', personId: roster.workerId },
      DA: { role: 'department-staff', personId: roster.staffId },
      DO: { role: 'department-staff', personId: roster.otherDepartmentStaffId },
      VE: { role: 'verifier' },
      AN: { role: 'analyst' },
      AD: { role: 'admin' },
    };
    for (const [profile, spec] of Object.entries(specs)) {
      const username = `analytics-${driver}-${profile.toLowerCase()}`;
      await server.server.auth.createAccount({ username, displayName: profile, password: PASSWORD, ...spec });
      accounts[profile] = { username, ...spec };
    }

    const [gPoints, nPoints, xPoints] = [await pointsInGrid(server, G, 5, 60, 11), await pointsInGrid(server, N, 2, 60, 12), await pointsInGrid(server, X, 2, 60, 13)];

    // T_OLD: k0, long before the window.
    token['DD'] = server.token;
    await file('k0', 'E0301', gPoints[4]!);

    // T0: the rest of the month's cases, and what happens to them.
    clock.set(T0);
    await signInAll(['DA', 'VE']);
    const k1 = await file('k1', 'E0301', gPoints[0]!);
    const k2 = await file('k2', 'C0307', gPoints[1]!);
    const k3 = await file('k3', 'E0301', gPoints[2]!);
    const k4 = await file('k4', 'C0307', gPoints[3]!);
    for (const d of ['k4-again', 'k4-third']) expect((await file('k4', 'C0307', gPoints[3]!, d)).duplicateOf).toBe(k4.caseNumber);
    const k5 = await file('k5', 'E0201', nPoints[0]!);
    expect((await file('k5', 'E0201', nPoints[0]!, 'k5-again')).duplicateOf).toBe(k5.caseNumber);
    const k7 = await file('k7', 'E0301', xPoints[0]!);
    const k8 = await file('k8', 'E0104', xPoints[1]!);
    for (const k of ['k0', 'k1', 'k2', 'k3', 'k4']) expect(assignee[k], k).toBe(roster.staffId);
    expect(assignee['k5']).toBe(roster.neighbourStaffId);

    await api.ok(k1.caseNumber, { type: 'accept' }, token['DA']!);
    await api.ok(k1.caseNumber, { type: 'feedback', result: '已处理' }, token['DA']!);
    expect((await api.ok(k1.caseNumber, { type: 'verify', passed: true }, token['VE']!)).case.status).toBe('closed');
    await api.ok(k3.caseNumber, { type: 'escalate', reason: 'dispatcher', note: '多次投诉' }, token['DD']!);
    expect((await api.ok(k7.caseNumber, { type: 'reject', reason: '不属于受理范围' }, token['DD']!)).case.status).toBe('rejected');
    await api.ok(k8.caseNumber, { type: 'escalate', reason: 'dispatcher', note: '' }, token['DD']!);
    await api.ok(k2.caseNumber, { type: 'accept' }, token['DA']!);
    clock.set('2026-03-04T07:00:00.000Z'); // T0 + 5 h: past k2's resolve deadline (accepted + 240 min)
    await api.ok(k2.caseNumber, { type: 'feedback', result: '已处理' }, token['DA']!);
    const late = await api.ok(k2.caseNumber, { type: 'verify', passed: true }, token['VE']!);
    expect(Date.parse(late.case.closedAt!)).toBeGreaterThan(Date.parse(late.case.resolveDueAt!));

    // Ten minutes before NOW: k6, not yet overdue at NOW.
    clock.set('2026-03-06T01:50:00.000Z');
    await signInAll([]);
    await file('k6', 'E0104', nPoints[1]!);

    clock.set(NOW);
    await signInAll();
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function get<T>(path: string, as: string | null = token['DD']!): Promise<{ status: number; body: T }> {
    const response = await fetch(server.baseUrl + path, as ? { headers: { authorization: `Bearer ${as}` } } : {});
    return { status: response.status, body: (await response.json()) as T };
  }

  async function ok<T>(path: string, as?: string | null): Promise<T> {
    const answer = await get<T>(path, as);
    expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  }

  async function expectBadRequest(path: string, fragment: string | RegExp = /./, as?: string): Promise<void> {
    const answer = await get<ErrorBody>(path, as);
    expect(answer.status, path).toBe(400);
    expect(answer.body.error.code, path).toBe('bad_request');
    if (typeof fragment === 'string') expect(answer.body.error.message, path).toContain(fragment);
    else expect(answer.body.error.message, path).toMatch(fragment);
  }

  async function expectRefused(path: string, as: string | null, status: 401 | 403): Promise<void> {
    const answer = await get<ErrorBody>(path, as);
    expect(answer.status, `${path} as ${as === null ? 'nobody' : 'someone'}`).toBe(status);
    expect(answer.body.error.code, path).toBe(status === 401 ? 'unauthenticated' : 'forbidden');
  }

  /** Row counts of everything a request could change. */
  async function fingerprint(): Promise<Record<string, number>> {
    const [row] = await server.db.sql.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM case_events) AS events, (SELECT count(*)::int FROM personnel) AS people,
              (SELECT count(*)::int FROM assignments) AS assignments, (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables`,
    );
    return row!;
  }

  const communityOf = (grid: string): string => grid.slice(0, 12);

  describe('GET /api/analytics/areas', () => {
    it('counts every street of the district by default over the last 30 days, zeros included', async () => {
      const body = await ok<AreaFiguresAnswer>('/api/analytics/areas');
      expect(body.level).toBe('street');
      expect(body.filter).toEqual({ from: DEFAULT_FROM, to: NOW, categories: [], within: null, now: NOW });
      const [{ n }] = (await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM streets')) as [{ n: number }];
      expect(body.rows).toHaveLength(n);
      expect(body.rows.map((r) => r.code)).toEqual([...body.rows.map((r) => r.code)].sort());
      for (const row of body.rows) {
        const expected = row.code === STREET ? add(IN_G, IN_N) : row.code === OTHER_STREET ? IN_X : ZERO;
        expect(figuresOf(row), row.code).toEqual(figures(expected));
        expect(row.parentCode).toBe(DISTRICT);
        expect(row.name).toBe(server.geography.name(row.code));
      }
    });

    it('counts grids and communities within a street, and the level defaults to the one below within', async () => {
      const grids = await ok<AreaFiguresAnswer>(`/api/analytics/areas?level=grid&within=${STREET}`);
      const [{ n }] = (await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM grids WHERE street_code = $1', [STREET])) as [{ n: number }];
      expect(grids.rows).toHaveLength(n);
      expect(grids.filter.within).toBe(STREET);
      for (const row of grids.rows) {
        expect(figuresOf(row), row.code).toEqual(figures(row.code === G ? IN_G : row.code === N ? IN_N : ZERO));
        expect(row.parentCode).toBe(communityOf(row.code));
      }
      expect(grids.rows.find((r) => r.code === G)).toMatchObject({ received: 4, open: 2, overdueNow: 2, escalated: 1, closed: 2, onTimeRate: 0.5, repeatReports: 2 });

      const communities = await ok<AreaFiguresAnswer>(`/api/analytics/areas?within=${STREET}`);
      expect(communities.level).toBe('community');
      for (const row of communities.rows) {
        const expected = add(communityOf(G) === row.code ? IN_G : ZERO, communityOf(N) === row.code ? IN_N : ZERO);
        expect(figuresOf(row), row.code).toEqual(figures(expected));
        expect(row.parentCode).toBe(STREET);
      }

      const one = await ok<AreaFiguresAnswer>(`/api/analytics/areas?within=${communityOf(G)}`);
      expect(one.level).toBe('grid');
      expect(figuresOf(one.rows.find((r) => r.code === G)!)).toEqual(figures(IN_G));
    });

    it('takes the window from from and to, and filters by category, repeated or comma-separated', async () => {
      // From 1 January (Beijing): k0 too, open and overdue.
      const wide = await ok<AreaFiguresAnswer>(`/api/analytics/areas?level=grid&within=${communityOf(G)}&from=2026-01-01`);
      expect(wide.filter).toMatchObject({ from: '2025-12-31T16:00:00.000Z', to: NOW });
      expect(figuresOf(wide.rows.find((r) => r.code === G)!)).toEqual(figures(add(IN_G, tally(1, 1, 1, 0, 0, 0, 0))));
      // Only `to`: the 30 days before it. Up to T0 (exclusive) nothing of this month counts.
      const before = await ok<AreaFiguresAnswer>(`/api/analytics/areas?to=${encodeURIComponent('2026-03-04T10:00:00+08:00')}`);
      expect(before.filter).toMatchObject({ from: '2026-02-02T02:00:00.000Z', to: T0 });
      expect(before.rows.every((r) => r.received === 0)).toBe(true);

      // E0301 and C0307: k1–k4 in G, k7 in the other street; nothing of N (E0201, E0104).
      for (const query of ['category=E0301&category=C0307', 'category=C0307,E0301', 'category=E0301,C0307&category=E0301']) {
        const body = await ok<AreaFiguresAnswer>(`/api/analytics/areas?${query}`);
        expect(body.filter.categories, query).toEqual(['C0307', 'E0301']);
        expect(figuresOf(body.rows.find((r) => r.code === STREET)!), query).toEqual(figures(IN_G));
        expect(figuresOf(body.rows.find((r) => r.code === OTHER_STREET)!), query).toEqual(figures(tally(1, 0, 0, 0, 1, 1, 0)));
      }
      const sanitation = await ok<AreaFiguresAnswer>(`/api/analytics/areas?level=grid&within=${STREET}&category=E0104`);
      expect(figuresOf(sanitation.rows.find((r) => r.code === N)!)).toEqual(figures(tally(1, 1, 0, 0, 0, 0, 0)));
      expect(sanitation.rows.find((r) => r.code === G)!.received).toBe(0);
    });
  });

  describe('GET /api/analytics/departments', () => {
    it('has every department in the departments\' order, zeros included', async () => {
      const body = await ok<DepartmentFiguresAnswer>('/api/analytics/departments');
      const departments = await server.db.sql.query<{ code: string; name_zh: string; name_en: string }>('SELECT code, name_zh, name_en FROM departments ORDER BY sort_order');
      expect(body.rows.map((r) => [r.code, r.nameZh, r.nameEn])).toEqual(departments.map((d) => [d.code, d.name_zh, d.name_en]));
      for (const row of body.rows) {
        const expected = row.code === 'urban-enforcement' ? URBAN_ENFORCEMENT : row.code === 'sanitation' ? SANITATION : ZERO;
        expect(figuresOf(row), row.code).toEqual(figures(expected));
      }
    });

    it('limits to an area and to categories', async () => {
      // Street S: k1–k5 of urban enforcement, k6 of sanitation.
      const street = await ok<DepartmentFiguresAnswer>(`/api/analytics/departments?within=${STREET}`);
      expect(figuresOf(street.rows.find((r) => r.code === 'urban-enforcement')!)).toEqual(figures(tally(5, 3, 3, 1, 2, 1, 3)));
      expect(figuresOf(street.rows.find((r) => r.code === 'sanitation')!)).toEqual(figures(tally(1, 1, 0, 0, 0, 0, 0)));
      const grid = await ok<DepartmentFiguresAnswer>(`/api/analytics/departments?within=${X}&category=E0104`);
      expect(grid.rows.filter((r) => r.received > 0).map((r) => [r.code, figuresOf(r)])).toEqual([['sanitation', figures(tally(1, 1, 1, 1, 0, 0, 0))]]);
    });
  });

  describe('GET /api/analytics/hotspots', () => {
    const [first, second] = [(a: string, b: string): string => (a < b ? a : b), (a: string, b: string): string => (a < b ? b : a)];

    it('ranks grids by the measure, highest first, ties by code, zeros left out', async () => {
      const received = await ok<HotspotsAnswer>('/api/analytics/hotspots');
      expect(received.by).toBe('received');
      expect(received.rows.map((r) => [r.gridCode, r.received])).toEqual([[G, 4], [first(N, X), 2], [second(N, X), 2]]);
      expect(figuresOf(received.rows[0]!)).toEqual(figures(IN_G));
      for (const row of received.rows) {
        expect(row.gridName).toBe(server.geography.name(row.gridCode));
        expect(row.communityName).toBe(server.geography.name(communityOf(row.gridCode)));
        expect(row.streetName).toBe(server.geography.name(row.gridCode.slice(0, 9)));
        const route = server.geography.route([row.lng, row.lat]);
        expect(route.routed && route.grid.code, `a point inside ${row.gridCode}`).toBe(row.gridCode);
      }
      expect((await ok<HotspotsAnswer>('/api/analytics/hotspots?limit=1')).rows.map((r) => r.gridCode)).toEqual([G]);
      const repeat = await ok<HotspotsAnswer>('/api/analytics/hotspots?by=repeatReports');
      expect(repeat.rows.map((r) => [r.gridCode, r.repeatReports])).toEqual([[G, 2], [N, 1]]);
      const overdue = await ok<HotspotsAnswer>('/api/analytics/hotspots?by=overdueNow&limit=100');
      expect(overdue.rows.map((r) => [r.gridCode, r.overdueNow])).toEqual([[G, 2], [first(N, X), 1], [second(N, X), 1]]);
      const inStreet = await ok<HotspotsAnswer>(`/api/analytics/hotspots?by=overdueNow&within=${STREET}&category=E0201`);
      expect(inStreet.rows.map((r) => [r.gridCode, r.overdueNow])).toEqual([[N, 1]]);
    });
  });

  describe('GET /api/analytics/bins', () => {
    const inBox = (p: LngLat, box: readonly number[]): boolean => p[0] >= box[0]! && p[0] <= box[2]! && p[1] >= box[1]! && p[1] <= box[3]!;
    /** The points of the cases the default window counts (k0 and the likely duplicates left out). */
    const counted = (): LngLat[] => ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'].map((k) => at[k]!);

    it('bins every counted case, open and overdue ones too, in hexagons of the default 500 m', async () => {
      const body = await ok<HexBinsAnswer>('/api/analytics/bins');
      expect(body.cellMeters).toBe(500);
      expect(body.filter.within).toBeNull();
      expect(body.bins.reduce((s, b) => s + b.count, 0)).toBe(8);
      expect(body.bins.reduce((s, b) => s + b.open, 0)).toBe(5);
      expect(body.bins.reduce((s, b) => s + b.overdueNow, 0)).toBe(4);
      expect(body.maxCount).toBe(Math.max(...body.bins.map((b) => b.count)));
      for (const bin of body.bins) {
        expect(bin.ring).toHaveLength(7);
        expect(bin.ring[0]).toEqual(bin.ring[6]);
        expect(bin.count).toBeGreaterThan(0);
      }
      // Each counted case has a bin within a cell of its point.
      for (const p of counted()) expect(body.bins.some((b) => Math.abs(b.lng - p[0]) < 0.005 && Math.abs(b.lat - p[1]) < 0.005)).toBe(true);
    });

    it('counts only the cases inside the bbox, and within an area or category', async () => {
      const g = ['k1', 'k2', 'k3', 'k4'].map((k) => at[k]!);
      const box = [Math.min(...g.map((p) => p[0])), Math.min(...g.map((p) => p[1])), Math.max(...g.map((p) => p[0])), Math.max(...g.map((p) => p[1]))];
      const expected = counted().filter((p) => inBox(p, box)).length;
      expect(expected).toBeGreaterThanOrEqual(4);
      const body = await ok<HexBinsAnswer>(`/api/analytics/bins?bbox=${box.join(',')}&cell=50`);
      expect(body.cellMeters).toBe(50);
      expect(body.bins.reduce((s, b) => s + b.count, 0)).toBe(expected);
      const far = await ok<HexBinsAnswer>('/api/analytics/bins?bbox=100,30,100.1,30.1');
      expect(far).toMatchObject({ maxCount: 0, bins: [] });
      const withinG = await ok<HexBinsAnswer>(`/api/analytics/bins?within=${G}&cell=5000`);
      expect(withinG.bins.reduce((s, b) => s + b.count, 0)).toBe(4);
      const sanitation = await ok<HexBinsAnswer>('/api/analytics/bins?category=E0104');
      expect(sanitation.bins.reduce((s, b) => [s[0]! + b.count, s[1]! + b.open, s[2]! + b.overdueNow], [0, 0, 0])).toEqual([2, 2, 1]);
    });
  });

  describe('GET /api/staffing', () => {
    /** The imported roster's people of `grid` (of `department`, or all), by id. */
    const servants = (grid: string, department?: string): RosterRow[] =>
      people.filter((p) => p.grids.includes(grid) && (department === undefined || p.department === department)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const loads = (): Map<string, [number, number]> =>
      new Map([
        [roster.staffId, [3, 3]],
        [roster.neighbourStaffId, [1, 1]],
        [assignee['k6']!, [1, 0]],
        [assignee['k8']!, [1, 1]],
      ]);

    async function expectStaffing(body: StaffingAnswer, gridCodes: readonly string[], department?: string): Promise<void> {
      expect(body.grids.map((g) => g.gridCode)).toEqual([...gridCodes].sort());
      const ids = new Set<string>();
      for (const grid of body.grids) {
        const expected = servants(grid.gridCode, department);
        expect(grid, grid.gridCode).toEqual({
          gridCode: grid.gridCode,
          lng: grid.lng,
          lat: grid.lat,
          people: expected.map((p) => p.id),
          departmentsCovered: new Set(expected.map((p) => p.department)).size,
          onDuty: expected.filter((p) => p.onDuty).length,
        });
        for (const p of expected) ids.add(p.id);
      }
      // Each grid's point lies inside it (what the staffing layer draws one person's grids at).
      for (const grid of body.grids.slice(0, 12)) {
        const route = await ok<{ routed: boolean; grid?: { code: string } }>(`/api/route?lng=${grid.lng}&lat=${grid.lat}`);
        expect(route.routed && route.grid?.code, `the point of ${grid.gridCode}`).toBe(grid.gridCode);
      }
      expect(body.people.map((p) => p.id)).toEqual([...ids].sort());
      const load = loads();
      for (const person of body.people) {
        const row = people.find((p) => p.id === person.id)!;
        const [open, overdue] = load.get(person.id) ?? [0, 0];
        expect(person).toEqual({
          id: row.id, name: row.name, departmentCode: row.department, streetCode: row.street, phone: row.phone, onDuty: row.onDuty,
          grids: [...row.grids].sort(), openCases: open, overdueCases: overdue,
        });
      }
    }

    const gridsOf = async (prefix: string): Promise<string[]> =>
      (await server.db.sql.query<{ code: string }>('SELECT code FROM grids WHERE left(code, length($1)) = $1 ORDER BY code', [prefix])).map((r) => r.code);

    it('lists every grid of an area with its people, coverage and on-duty count, and each person with all their grids and load', async () => {
      const body = await ok<StaffingAnswer>(`/api/staffing?within=${communityOf(G)}`);
      expect(body).toMatchObject({ department: null, within: communityOf(G), now: NOW });
      await expectStaffing(body, await gridsOf(communityOf(G)));
      // The gap the roster import left: no health person on G.
      const g = body.grids.find((r) => r.gridCode === G)!;
      expect(g.departmentsCovered).toBe(13);
      expect(g.people).not.toContain(removedHealth[0]!.id);
      // One person, many grids (一人多格): all of them are listed (expectStaffing compared each with the
      // roster file), also those outside `within`.
      expect(body.people.filter((p) => p.grids.length > 1).length).toBeGreaterThan(0);
      expect(body.people.some((p) => p.grids.some((code) => !code.startsWith(communityOf(G))))).toBe(true);
      expect(body.people.find((p) => p.id === roster.staffId)).toMatchObject({ openCases: 3, overdueCases: 3 });
    });

    it('narrows to one department, showing the grids nobody of it covers', async () => {
      const health = await ok<StaffingAnswer>(`/api/staffing?department=health&within=${STREET}`);
      expect(health.department).toBe('health');
      await expectStaffing(health, await gridsOf(STREET), 'health');
      expect(health.grids.find((r) => r.gridCode === G)).toMatchObject({ gridCode: G, people: [], departmentsCovered: 0, onDuty: 0 });
      const sanitation = await ok<StaffingAnswer>(`/api/staffing?department=sanitation&within=${N}`);
      await expectStaffing(sanitation, [N], 'sanitation');
      expect(sanitation.people.map((p) => [p.id, p.openCases, p.overdueCases])).toEqual([[assignee['k6'], 1, 0]]);
    });

    it('answers every grid of the district by default', async () => {
      const body = await ok<StaffingAnswer>('/api/staffing');
      expect(body.within).toBeNull();
      expect(body.grids).toHaveLength(server.geography.gridCount);
      expect(body.people).toHaveLength(people.filter((p) => p.grids.length > 0).length);
      expect(body.grids.find((r) => r.gridCode === X)!.departmentsCovered).toBe(14);
    });

    it('scopes street dispatchers and grid workers to their street, department staff to their department', async () => {
      const own = await ok<StaffingAnswer>('/api/staffing', token['SS']);
      expect(own.within).toBe(STREET);
      expect(own.grids).toHaveLength((await gridsOf(STREET)).length);
      expect((await ok<StaffingAnswer>(`/api/staffing?within=${G}`, token['SS'])).grids.map((g) => g.gridCode)).toEqual([G]);
      expect((await ok<StaffingAnswer>('/api/staffing', token['GW'])).within).toBe(STREET);
      for (const profile of ['SS', 'GW']) {
        for (const within of [OTHER_STREET, X, DISTRICT]) await expectRefused(`/api/staffing?within=${within}`, token[profile]!, 403);
      }
      await expectRefused(`/api/staffing?within=${STREET}`, token['SO']!, 403);

      const mine = await ok<StaffingAnswer>('/api/staffing', token['DA']);
      expect(mine).toMatchObject({ department: 'urban-enforcement', within: null });
      expect(mine.grids.every((g) => g.departmentsCovered <= 1)).toBe(true);
      expect((await ok<StaffingAnswer>(`/api/staffing?department=urban-enforcement&within=${X}`, token['DA'])).grids).toHaveLength(1);
      await expectRefused('/api/staffing?department=sanitation', token['DA']!, 403);
      expect((await ok<StaffingAnswer>(`/api/staffing?within=${N}`, token['DO'])).department).toBe('sanitation');
      for (const profile of ['VE', 'AN', 'AD']) expect((await get(`/api/staffing?within=${G}`, token[profile])).status, profile).toBe(200);
      await expectRefused('/api/staffing', null, 401);
      await expectRefused('/api/staffing', 'x'.repeat(43), 401);
    });

    it('refuses bad parameters with 400', async () => {
      const before = await fingerprint();
      await expectBadRequest('/api/staffing?department=nope', 'parameter "department" must be a department code');
      await expectBadRequest('/api/staffing?within=123', 'parameter "within" must be the code');
      await expectBadRequest('/api/staffing?within=110108999', 'parameter "within" must be the code');
      await expectBadRequest('/api/staffing?grid=1', 'unknown parameter "grid"');
      await expectBadRequest('/api/staffing?department=health&department=fire', 'must be given once');
      for (const name of ['department', 'within']) {
        for (const value of INJECTIONS) await expectBadRequest(`/api/staffing?${name}=${encodeURIComponent(value)}`);
      }
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('access to the analytics', () => {
    const ROUTES = ['/api/analytics/areas', '/api/analytics/departments', '/api/analytics/hotspots', '/api/analytics/bins'];

    it('answers 401 without a session and 403 to grid workers and department staff', async () => {
      for (const route of ROUTES) {
        await expectRefused(route, null, 401);
        await expectRefused(route, 'x'.repeat(43), 401);
        for (const profile of ['GW', 'DA', 'DO']) await expectRefused(route, token[profile]!, 403);
      }
    });

    it('lets the district-wide roles read the whole district', async () => {
      for (const profile of ['DD', 'VE', 'AN', 'AD']) {
        for (const route of ROUTES) expect((await get(route, token[profile])).status, `${profile} ${route}`).toBe(200);
      }
    });

    it('keeps a street dispatcher within their street, by default all of it', async () => {
      const areas = await ok<AreaFiguresAnswer>('/api/analytics/areas', token['SS']);
      expect(areas).toMatchObject({ level: 'community', filter: { within: STREET } });
      expect(areas.rows.every((r) => r.parentCode === STREET)).toBe(true);
      const departments = await ok<DepartmentFiguresAnswer>('/api/analytics/departments', token['SS']);
      expect(departments.rows.find((r) => r.code === 'urban-enforcement')!.received).toBe(5);
      expect((await ok<HotspotsAnswer>('/api/analytics/hotspots', token['SS'])).rows.map((r) => r.gridCode)).toEqual([G, N]);
      expect((await ok<HexBinsAnswer>('/api/analytics/bins', token['SS'])).bins.reduce((s, b) => s + b.count, 0)).toBe(6);
      expect((await ok<AreaFiguresAnswer>(`/api/analytics/areas?within=${communityOf(G)}`, token['SS'])).level).toBe('grid');
      for (const route of ROUTES) {
        for (const within of [OTHER_STREET, X, DISTRICT]) await expectRefused(`${route}?within=${within}`, token['SS']!, 403);
        await expectRefused(`${route}?within=${STREET}`, token['SO']!, 403);
      }
      expect((await ok<HotspotsAnswer>('/api/analytics/hotspots', token['SO'])).rows.map((r) => r.gridCode)).toEqual([X]);
    });
  });

  describe('bad input', () => {
    it('answers 400 with a clear message and changes nothing', async () => {
      const before = await fingerprint();
      await expectBadRequest(`/api/analytics/areas?level=street&within=${STREET}`, 'cannot list street areas within a street');
      await expectBadRequest(`/api/analytics/areas?level=community&within=${G}`, 'cannot list community areas within a grid');
      await expectBadRequest(`/api/analytics/areas?within=${G}`, 'a grid has no smaller areas');
      await expectBadRequest('/api/analytics/areas?level=district', 'parameter "level" must be one of street, community, grid');
      await expectBadRequest('/api/analytics/areas?level=grid&level=street', 'must be given once');
      await expectBadRequest('/api/analytics/areas?within=12345', 'parameter "within" must be the code');
      await expectBadRequest('/api/analytics/areas?within=110108999', 'parameter "within" must be the code');
      await expectBadRequest('/api/analytics/areas?from=2026-13-01', 'parameter "from" must be a date');
      await expectBadRequest('/api/analytics/areas?from=2026-03-01T08:00:00', 'parameter "from" must be a date');
      await expectBadRequest('/api/analytics/areas?to=yesterday', 'parameter "to" must be a date');
      await expectBadRequest('/api/analytics/areas?from=2026-03-05&to=2026-03-01', 'must be before');
      await expectBadRequest('/api/analytics/areas?from=2026-03-05&to=2026-03-05', 'must be before');
      await expectBadRequest('/api/analytics/areas?from=2022-01-01&to=2026-01-01', 'at most 1096 (three years)');
      await expectBadRequest('/api/analytics/departments?category=NOPE', 'unknown code "NOPE"');
      await expectBadRequest('/api/analytics/departments?category=E0301,NOPE&category=Z9999', 'unknown codes "NOPE", "Z9999"');
      await expectBadRequest('/api/analytics/departments?category=', 'got an empty one');
      await expectBadRequest('/api/analytics/departments?category=E0301,', 'got an empty one');
      await expectBadRequest('/api/analytics/departments?department=fire', 'unknown parameter "department"');
      await expectBadRequest('/api/analytics/hotspots?by=closed', 'parameter "by" must be one of received, repeatReports, overdueNow');
      for (const limit of ['0', '101', '1.5', 'ten']) await expectBadRequest(`/api/analytics/hotspots?limit=${limit}`, 'parameter "limit" must be an integer from 1 to 100');
      await expectBadRequest('/api/analytics/hotspots?bbox=1,2,3,4', 'unknown parameter "bbox"');
      await expectBadRequest('/api/analytics/bins?bbox=1,2,3', '"bbox" must be minLng,minLat,maxLng,maxLat');
      await expectBadRequest('/api/analytics/bins?bbox=116,40,200,41', 'outside longitude');
      await expectBadRequest('/api/analytics/bins?bbox=117,40,116,41', 'minimums must not exceed maximums');
      for (const cell of ['49', '5001', 'big', '100.5']) await expectBadRequest(`/api/analytics/bins?cell=${cell}`, 'parameter "cell" must be an integer from 50 to 5000');
      await expectBadRequest('/api/analytics/bins?level=grid', 'unknown parameter "level"');
      for (const route of ['areas', 'departments', 'hotspots', 'bins']) {
        for (const name of ['within', 'from', 'to', 'category', 'level', 'by', 'limit', 'bbox', 'cell']) {
          const own = { areas: ['level'], hotspots: ['by', 'limit'], bins: ['bbox', 'cell'], departments: [] as string[] }[route]!;
          if (!['within', 'from', 'to', 'category', ...own].includes(name)) continue;
          for (const value of INJECTIONS) await expectBadRequest(`/api/analytics/${route}?${name}=${encodeURIComponent(value)}`, /./);
        }
      }
      // A street dispatcher's bad input is a 400 too, not a 403.
      await expectBadRequest('/api/analytics/areas?category=NOPE', 'unknown code', token['SS']);
      expect(await fingerprint()).toEqual(before);
    });
  });
});
