import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { Ack, EventBatch } from '../../core/protocol/cases-api.ts';
import { eventBatchOf, LIVE_PROTOCOL } from '../../core/protocol/live-wire.ts';
import {
  call,
  CaseApi,
  caseTableCounts,
  captureFastifyLog,
  CATEGORIES,
  DEPARTMENT,
  findRoster,
  MutableClock,
  OTHER_STREET,
  pointsInGrid,
  PROFILES,
  signInEveryRole,
  STREET,
  type Profile,
  type Roster,
  type Session,
} from '../fixtures/case-loop-world.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { connect, type ClientSocket } from '../fixtures/test-watcher.ts';

/** Wednesday 4 March 2026, 10:00 in Beijing. */
const START = '2026-03-04T02:00:00.000Z';
const THREE_DAYS_LATER = '2026-03-07T10:00:00+08:00';

/** The columns: no session, then each profile (see PROFILES in case-loop-world.ts). */
const COLUMNS = ['--', ...PROFILES] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Expected answers, one column per caller. 200 allowed; 401 no session; 403 in scope but not
 * theirs to do; 404 out of scope (a case outside one's area answers as if it did not exist).
 * The case lies in grid G of STREET, category of DEPARTMENT, assigned to DA.
 */
const READS = {
  //                                       --  DD  SS  SO  GW  GO  DA  DO  VE  AN  AD
  'GET /api/cases/:number':             '401 200 200 404 200 404 200 404 200 200 200',
  'GET /api/cases/:number (SO street)': '401 200 404 200 404 404 404 404 200 200 200',
  'GET /api/cases/:number/timeline':    '401 200 200 404 200 404 200 404 200 200 200',
  'GET /api/cases?area=STREET':         '401 200 200 403 403 403 403 403 200 200 200',
  'GET /api/cases?area=G':              '401 200 200 403 200 403 403 403 200 200 200',
} as const;

const SOCKETS = {
  //                                       --  DD  SS  SO  GW  GO  DA  DO  VE  AN  AD
  'area:watch STREET':                  '401 200 200 403 403 403 403 403 200 200 200',
  'area:watch G':                       '401 200 200 403 200 403 403 403 200 200 200',
  'case:command accept':                '401 403 403 404 403 404 200 404 403 403 403',
} as const;

/** The evaluation routes: figures for the district-wide roles and a street's own dispatchers; forms from a street (area rates department) and a department (department rates area). */
const EVALUATION = {
  //                                                         --  DD  SS  SO  GW  GO  DA  DO  VE  AN  AD
  'GET /api/evaluation':                                  '401 200 200 200 403 403 403 403 200 200 200',
  'GET /api/evaluation?groupBy=grid&within=STREET':       '401 200 200 403 403 403 403 403 200 200 200',
  'GET /api/evaluation?groupBy=grid&within=OTHER':        '401 200 403 200 403 403 403 403 200 200 200',
  'GET /api/evaluation/mutual?direction=area-rates-department': '401 200 200 200 403 403 403 403 200 200 200',
  'POST /api/evaluation/mutual (area-rates-department)':  '401 403 200 403 403 403 403 403 403 403 403',
  'POST /api/evaluation/mutual (department-rates-area)':  '401 403 403 403 403 403 200 403 403 403 403',
} as const;

const DISPATCHERS = '401 200 200 404 403 404 403 404 403 403 403';
const ASSIGNEE = /**/ '401 403 403 404 403 404 200 404 403 403 403';
const NOBODY = /*  */ '401 403 403 404 403 404 403 404 403 403 403';

type Prepared = 'dispatched' | 'handling' | 'extension' | 'feedback' | 'closed' | 'linked' | 'noticed';

interface CommandRow {
  readonly state: Prepared;
  readonly command: (ctx: { original: string; roster: Roster }) => Record<string, unknown>;
  /** The event an allowed caller causes. */
  readonly event?: string;
  readonly marks: string;
}

const COMMANDS: Record<string, CommandRow> = {
  reject: { state: 'dispatched', command: () => ({ type: 'reject', reason: '非城管职责' }), event: 'rejected', marks: DISPATCHERS },
  merge: { state: 'linked', command: ({ original }) => ({ type: 'merge', intoCaseNumber: original }), event: 'merged', marks: DISPATCHERS },
  unlink: { state: 'linked', command: () => ({ type: 'unlink' }), event: 'unlinked', marks: DISPATCHERS },
  dispatch: { state: 'dispatched', command: ({ roster }) => ({ type: 'dispatch', personId: roster.neighbourStaffId, note: '' }), event: 'dispatched', marks: DISPATCHERS },
  accept: { state: 'dispatched', command: () => ({ type: 'accept' }), event: 'accepted', marks: ASSIGNEE },
  return: { state: 'dispatched', command: () => ({ type: 'return', reason: '不属本人' }), event: 'returned', marks: ASSIGNEE },
  'request-extension': { state: 'handling', command: () => ({ type: 'request-extension', until: THREE_DAYS_LATER, reason: '需协调' }), event: 'extension-requested', marks: ASSIGNEE },
  'decide-extension': { state: 'extension', command: () => ({ type: 'decide-extension', approve: false }), event: 'extension-decided', marks: DISPATCHERS },
  feedback: { state: 'handling', command: () => ({ type: 'feedback', result: '已处理', photos: [] }), event: 'feedback', marks: ASSIGNEE },
  //                                                                                                   --  DD  SS  SO  GW  GO  DA  DO  VE  AN  AD
  'handle-on-spot': { state: 'dispatched', command: () => ({ type: 'handle-on-spot', result: '现场处置', photos: [] }), event: 'handled-on-spot', marks: '401 403 403 404 200 404 403 404 403 403 403' },
  verify: { state: 'feedback', command: () => ({ type: 'verify', passed: true, note: '' }), event: 'closed', marks: '401 200 200 404 200 404 403 404 200 403 403' },
  rate: { state: 'closed', command: () => ({ type: 'rate', score: 4, comment: '', fixed: true }), event: 'rated', marks: DISPATCHERS },
  'escalate (by hand)': { state: 'dispatched', command: () => ({ type: 'escalate', reason: 'several-departments', note: '' }), event: 'escalated', marks: DISPATCHERS },
  'escalate (overdue)': { state: 'dispatched', command: () => ({ type: 'escalate', reason: 'accept-overdue', note: '' }), marks: NOBODY },
  'mark-overdue': { state: 'dispatched', command: () => ({ type: 'mark-overdue', which: 'accept' }), marks: NOBODY },
  'set-formal-deadline': { state: 'dispatched', command: () => ({ type: 'set-formal-deadline', unit: '城管队', dueAt: THREE_DAYS_LATER, requirements: '三日内处理' }), event: 'formal-deadline-set', marks: DISPATCHERS },
  'answer-reporter': { state: 'noticed', command: () => ({ type: 'answer-reporter', answer: '已答复' }), event: 'reporter-answered', marks: DISPATCHERS },
  move: { state: 'dispatched', command: ({ roster }) => ({ type: 'move', gridCode: roster.neighbour }), event: 'moved', marks: DISPATCHERS },
};

function expectations(marks: string): Map<Column, number> {
  const cells = marks.trim().split(/\s+/).map(Number);
  if (cells.length !== COLUMNS.length) throw new Error(`"${marks}" has ${cells.length} cells, not ${COLUMNS.length}`);
  return new Map(COLUMNS.map((c, i) => [c, cells[i]!]));
}

/** What a socket acknowledgement's error code means as an HTTP status. */
function statusOfAck(ack: Ack<unknown>): number {
  if (ack.ok) return 200;
  switch (ack.error.code) {
    case 'unauthenticated':
      return 401;
    case 'not_found':
      return 404;
    case 'forbidden':
    case 'not_allowed':
    case 'out_of_scope':
    case 'own_work':
      return 403;
    default:
      return 400;
  }
}

/** Hostile strings: SQL meta-characters, dollar quoting, an escaped quote and a NUL byte. */
const HOSTILE = ["'; DROP TABLE cases; --", '1 OR 1=1', '$$', "\\'", 'nul\u0000byte'] as const;

describe.each(storeDrivers())('who may do what to a case (%s)', (driver) => {
  const clock = new MutableClock(START);
  const serviceLog: string[] = [];
  let httpLog: string[];
  let server: TestServer;
  let api: CaseApi;
  let roster: Roster;
  let who: Record<Profile, Session>;
  let points: LngLat[];
  let slot = 0;
  let original: string;
  const linkedPool: string[] = [];
  let otherStreetCase: string;

  const tokenOf = (column: Column): string | null => (column === '--' ? null : who[column].token);

  beforeAll(async () => {
    server = await startTestServer(driver, { clock, logLevel: 'warn', log: (message) => serviceLog.push(message), broadcastTickMs: 20 });
    httpLog = captureFastifyLog(server.app);
    api = new CaseApi(server, clock);
    roster = await findRoster(server);
    who = await signInEveryRole(server, roster, `matrix-${driver}`);
    points = await pointsInGrid(server, roster.grid, 14, 60, 11);
    // One open original and the likely duplicates the merge and unlink rows need, all filed up
    // front: an unlinked duplicate is an original in its own right, and would attract the next one.
    const place = points.pop()!;
    original = (await api.file({ reportId: `${driver}-original`, category: 'E0202', point: place })).caseNumber;
    for (let i = 0; i < 4; i++) {
      const ack = await api.file({ reportId: `${driver}-dup-${i}`, category: 'E0202', point: [place[0] + 0.00001 * (i + 1), place[1]], channel: 'patrol' });
      expect(ack).toMatchObject({ status: 'linked', duplicateOf: original, grid: { code: roster.grid } });
      linkedPool.push(ack.caseNumber);
    }
    const [there] = await pointsInStreet(server.db.store, server.geography, OTHER_STREET, 1, 60, 5);
    otherStreetCase = (await api.file({ reportId: `${driver}-other-street`, category: 'E0201', point: there! })).caseNumber;
  });
  afterAll(() => server?.close());

  /** A case of DEPARTMENT at a fresh point of G, assigned to DA, brought to `state` by the roles whose step it is. */
  async function prepare(state: Prepared, label: string): Promise<string> {
    if (state === 'linked') {
      const number = linkedPool.shift();
      if (!number) throw new Error('the pool of likely duplicates is empty');
      return number;
    }
    const point = points[slot % points.length]!;
    const category = CATEGORIES.filter((c) => c !== 'E0202')[Math.floor(slot / points.length)]!;
    slot++;
    const ack = await api.file({ reportId: `${driver}-${label.replace(/[^A-Za-z0-9]+/g, '-')}-${slot}`, category, point });
    expect(ack).toMatchObject({ status: 'dispatched', grid: { code: roster.grid }, assignee: { id: roster.staffId } });
    const n = ack.caseNumber;
    if (state === 'dispatched') return n;
    if (state === 'noticed') {
      await api.ok(n, { type: 'set-formal-deadline', unit: '城管队', dueAt: THREE_DAYS_LATER, requirements: '三日内处理' }, who.DD.token);
      return n;
    }
    await api.ok(n, { type: 'accept' }, who.DA.token);
    if (state === 'handling') return n;
    if (state === 'extension') {
      await api.ok(n, { type: 'request-extension', until: THREE_DAYS_LATER, reason: '需协调' }, who.DA.token);
      return n;
    }
    await api.ok(n, { type: 'feedback', result: '已处理', photos: [] }, who.DA.token);
    if (state === 'feedback') return n;
    await api.ok(n, { type: 'verify', passed: true, note: '' }, who.VE.token);
    return n;
  }

  /** Runs `attempt`, then checks the case's timeline and the case tables are as they were. */
  async function changesNothing(number: string, attempt: () => Promise<void>): Promise<void> {
    const before = await api.timeline(number, who.DD.token);
    const counts = await caseTableCounts(server);
    await attempt();
    expect((await api.timeline(number, who.DD.token)).body.events, `timeline of ${number}`).toEqual(before.body.events);
    expect(await caseTableCounts(server)).toEqual(counts);
  }

  describe('reading cases over HTTP', () => {
    it.each(Object.entries(READS))('%s', async (row, marks) => {
      const expected = expectations(marks);
      const number = row.includes('SO street') ? otherStreetCase : await prepare('dispatched', 'read');
      for (const column of COLUMNS) {
        const token = tokenOf(column);
        const label = `${row} by ${column}`;
        if (row.startsWith('GET /api/cases?area=')) {
          const answer = await api.list(row.endsWith('STREET') ? STREET : roster.grid, token);
          expect(answer.status, label).toBe(expected.get(column));
          if (answer.status === 200) expect(answer.body.cases.map((c) => c.number), label).toContain(number);
          continue;
        }
        const answer = row.endsWith('timeline') ? await api.timeline(number, token) : await api.getCase(number, token);
        expect(answer.status, label).toBe(expected.get(column));
        if (answer.status === 200) expect(answer.body.number, label).toBe(number);
        else expect(JSON.stringify(answer.body), label).not.toContain(roster.grid);
      }
    });

    it('answers 404 alike for a case out of scope and a case that does not exist', async () => {
      const out = await api.getCase(otherStreetCase, who.SS.token);
      const missing = await api.getCase('HD20260304-9999999', who.SS.token);
      expect(out.status).toBe(404);
      expect(missing.status).toBe(404);
      expect((out.body as unknown as { error: { code: string } }).error.code).toBe((missing.body as unknown as { error: { code: string } }).error.code);
    });
  });

  describe('case commands over HTTP', () => {
    it.each(Object.entries(COMMANDS))('%s', async (row, spec) => {
      const expected = expectations(spec.marks);
      const command = spec.command({ original, roster });
      const allowed = COLUMNS.filter((c) => expected.get(c) === 200);
      const first = await prepare(spec.state, row);
      // Everyone who may not: refused, and nothing changes.
      await changesNothing(first, async () => {
        for (const column of COLUMNS.filter((c) => expected.get(c) !== 200)) {
          const answer = await api.command(first, command, tokenOf(column));
          expect(answer.status, `${row} by ${column}: ${JSON.stringify(answer.error)}`).toBe(expected.get(column));
          if (answer.status === 404) expect(answer.error?.code).toBe('not_found');
          if (answer.status === 401) expect(answer.error?.code).toBe('unauthenticated');
        }
      });
      // Each who may: on a case of their own in the same state; the event names them.
      for (const [i, column] of allowed.entries()) {
        const number = i === 0 ? first : await prepare(spec.state, `${row}-${column}`);
        const answer = await api.command(number, command, tokenOf(column));
        expect(answer.status, `${row} by ${column}: ${JSON.stringify(answer.error)}`).toBe(200);
        expect(answer.event?.type).toBe(spec.event);
        const last = (await api.timeline(number, who.DD.token)).body.events.at(-1)!;
        expect(last).toMatchObject({ seq: answer.event!.seq, type: spec.event, actor: who[column as Profile].actor.accountId });
      }
    });

    it('refuses a command that names its own actor, account or role (400), whoever sends it, and changes nothing', async () => {
      const n = await prepare('dispatched', 'forged');
      const forged = [
        { type: 'accept', actor: who.DA.actor.accountId },
        { type: 'reject', reason: '伪造', accountId: who.DD.actor.accountId },
        { type: 'reject', reason: '伪造', role: 'district-dispatcher' },
        { type: 'dispatch', personId: roster.neighbourStaffId, note: '', actor: { accountId: who.DD.actor.accountId, role: 'district-dispatcher' } },
      ];
      const socket = connect(server.baseUrl, who.AN.token);
      try {
        await changesNothing(n, async () => {
          for (const body of forged) {
            for (const by of ['AN', 'DA', 'DD'] as const) {
              const answer = await api.command(n, body, who[by].token);
              expect(answer, `${JSON.stringify(body)} by ${by}`).toMatchObject({ status: 400, error: { code: 'invalid_command', message: expect.stringContaining('unknown field') } });
            }
            const overSocket = await socket.timeout(10_000).emitWithAck('case:command', { caseNumber: n, command: body });
            expect(overSocket).toMatchObject({ ok: false, error: { code: 'invalid_command' } });
          }
          // A forged session token is no session.
          expect((await call(server.baseUrl, 'POST', `/api/cases/${n}/commands`, { token: 'A'.repeat(43), body: { type: 'accept' } })).status).toBe(401);
        });
      } finally {
        socket.close();
      }
    });
  });

  describe('sockets', () => {
    it('area:watch and case:command, for every caller; refused watches join nothing', async () => {
      const sockets = new Map<Column, ClientSocket>(COLUMNS.map((c) => [c, connect(server.baseUrl, tokenOf(c) ?? undefined)]));
      const received = new Map<Column, EventBatch[]>(COLUMNS.map((c) => [c, []]));
      for (const [column, socket] of sockets) socket.on('case:events', (batch) => received.get(column)!.push(eventBatchOf(batch)));
      try {
        for (const [row, area] of [['area:watch STREET', STREET], ['area:watch G', roster.grid]] as const) {
          const expected = expectations(SOCKETS[row]);
          for (const column of COLUMNS) {
            const ack = await sockets.get(column)!.timeout(10_000).emitWithAck('area:watch', { area, protocol: LIVE_PROTOCOL });
            expect(statusOfAck(ack), `${row} by ${column}: ${JSON.stringify(ack.ok ? 'ok' : ack.error)}`).toBe(expected.get(column));
            if (ack.ok) expect(ack.data).toMatchObject({ kind: 'snapshot', area });
          }
        }
        // SO may watch its own street, and keeps watching it after the refusals.
        expect((await sockets.get('SO')!.timeout(10_000).emitWithAck('area:watch', { area: OTHER_STREET, protocol: LIVE_PROTOCOL })).ok).toBe(true);
        expect((await sockets.get('SO')!.timeout(10_000).emitWithAck('area:watch', { area: STREET, protocol: LIVE_PROTOCOL })).ok).toBe(false);

        const expected = expectations(SOCKETS['case:command accept']);
        const n = await prepare('dispatched', 'socket');
        await changesNothing(n, async () => {
          for (const column of COLUMNS.filter((c) => expected.get(c) !== 200)) {
            const ack = await sockets.get(column)!.timeout(10_000).emitWithAck('case:command', { caseNumber: n, command: { type: 'accept' } });
            expect(statusOfAck(ack), `case:command by ${column}: ${JSON.stringify(ack.ok ? 'ok' : ack.error)}`).toBe(expected.get(column));
          }
        });
        const accepted = await sockets.get('DA')!.timeout(10_000).emitWithAck('case:command', { caseNumber: n, command: { type: 'accept' } });
        expect(accepted).toMatchObject({ ok: true, data: { case: { number: n, status: 'handling' }, event: { type: 'accepted' } } });
        const seq = accepted.ok ? accepted.data.event.seq : -1;

        // Whoever's watch of G was allowed hears the change; the rest hear nothing of the street.
        const watchers = COLUMNS.filter((c) => expectations(SOCKETS['area:watch G']).get(c) === 200);
        const heard = (c: Column): boolean => received.get(c)!.some((b) => b.events.some((e) => e.seq === seq));
        const started = Date.now();
        while (!watchers.every(heard) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
        expect(watchers.filter((c) => !heard(c))).toEqual([]);
        for (const column of COLUMNS.filter((c) => !watchers.includes(c))) {
          const leaked = received.get(column)!.flatMap((b) => b.events).filter((e) => e.case.streetCode === STREET);
          expect(leaked, `${column} heard the street`).toEqual([]);
        }
      } finally {
        for (const socket of sockets.values()) socket.close();
      }
    });
  });

  describe('evaluation routes', () => {
    const ratings = async (): Promise<number> => (await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM mutual_ratings'))[0]!.n;
    const form = (direction: 'area-rates-department' | 'department-rates-area', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      period: '2026H1',
      direction,
      areaCode: STREET,
      departmentCode: DEPARTMENT,
      score: 80,
      ...extra,
    });

    it.each(Object.entries(EVALUATION))('%s', async (row, marks) => {
      const expected = expectations(marks);
      const [method, path] = row.split(' ') as [string, string];
      for (const column of COLUMNS) {
        const before = await ratings();
        const body = method === 'POST' ? form(row.includes('department-rates-area') ? 'department-rates-area' : 'area-rates-department') : undefined;
        const answer = await call(server.baseUrl, method, method === 'POST' ? '/api/evaluation/mutual' : path.replace('STREET', STREET).replace('OTHER', OTHER_STREET), {
          token: tokenOf(column),
          ...(body ? { body } : {}),
        });
        const status = answer.status === 201 ? 200 : answer.status;
        expect(status, `${row} by ${column}: ${answer.text.slice(0, 200)}`).toBe(expected.get(column));
        if (method === 'POST') {
          expect(await ratings(), `${row} by ${column}`).toBe(before + (answer.status === 201 ? 1 : 0));
          // The rater is the signed-in account.
          if (answer.status === 201) expect(answer.body).toMatchObject({ rating: { rater: who[column as Profile].actor.accountId } });
        }
      }
    });

    it('refuses a form that names its own rater (400), and stores nothing', async () => {
      const before = await ratings();
      for (const by of ['SS', 'DA'] as const) {
        const body = form(by === 'SS' ? 'area-rates-department' : 'department-rates-area', { rater: who.DD.actor.accountId });
        const answer = await call(server.baseUrl, 'POST', '/api/evaluation/mutual', { token: who[by].token, body });
        expect(answer.status, answer.text).toBe(400);
      }
      expect(await ratings()).toBe(before);
    });
  });

  describe('logs', () => {
    it('logs refused commands and refused watches of another area', async () => {
      const n = await prepare('dispatched', 'logged');
      expect((await api.command(n, { type: 'reject', reason: 'x' }, who.AN.token)).status).toBe(403);
      const refusal = httpLog.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l['msg'] === 'case command refused' && l['case'] === n);
      expect(refusal).toMatchObject({ level: 40, actor: who.AN.actor.accountId, role: 'analyst', code: 'not_allowed' });

      const so = connect(server.baseUrl, who.SO.token);
      const go = connect(server.baseUrl, who.GO.token);
      const an = connect(server.baseUrl, who.AN.token);
      try {
        expect(await so.timeout(10_000).emitWithAck('area:watch', { area: STREET, protocol: LIVE_PROTOCOL })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(await go.timeout(10_000).emitWithAck('area:watch', { area: roster.grid, protocol: LIVE_PROTOCOL })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(await an.timeout(10_000).emitWithAck('case:command', { caseNumber: n, command: { type: 'accept' } })).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
      } finally {
        for (const socket of [so, go, an]) socket.close();
      }
      expect(serviceLog).toContain(`refused: street-dispatcher ${who.SO.actor.accountId} asked to watch ${STREET}`);
      expect(serviceLog).toContain(`refused: grid-worker ${who.GO.actor.accountId} asked to watch ${roster.grid}`);
      expect(serviceLog).toContain(`refused: analyst ${who.AN.actor.accountId} not_allowed on ${n}`);
      // No session token or password in any line.
      for (const session of Object.values(who)) expect([...httpLog, ...serviceLog].join('\n')).not.toContain(session.token);
    });

    // A street dispatcher of another street probing a case by number: answered 404, the same as for
    // no such case, but logged as an out-of-scope attempt.
    it('logs a cross-scope command and read over HTTP', async () => {
      const n = await prepare('dispatched', 'probed');
      const lines = httpLog.length;
      const service = serviceLog.length;
      expect((await api.command(n, { type: 'reject', reason: 'x' }, who.SO.token)).status).toBe(404);
      expect((await api.getCase(n, who.SO.token)).status).toBe(404);
      const fresh = [...httpLog.slice(lines), ...serviceLog.slice(service)].join('\n');
      expect(fresh).toContain(who.SO.actor.accountId);
      expect(fresh).toContain(n);
    });
  });

  describe('hostile text', () => {
    /** Refused (400/404) and nothing changed, or taken (200) and read back verbatim. */
    async function expectRefusedOrVerbatim(number: string, send: () => Promise<{ status: number }>, readBack: (data: Record<string, unknown>) => unknown, payload: string, label: string): Promise<boolean> {
      const counts = await caseTableCounts(server);
      const before = await api.eventCount(number);
      const answer = await send();
      expect([200, 400, 404], `${label}: ${JSON.stringify(answer)}`).toContain(answer.status);
      if (answer.status !== 200) {
        expect(await caseTableCounts(server), label).toEqual(counts);
        expect(await api.eventCount(number), label).toBe(before);
        return false;
      }
      const last = (await api.timeline(number, who.DD.token)).body.events.at(-1)!;
      expect(readBack(last.data), label).toEqual(payload);
      return true;
    }

    it.each(HOSTILE.map((p) => [JSON.stringify(p), p]))('in every text field of every command: %s', async (_name, payload) => {
      // One case walks through every command with free text, each field carrying the payload; a
      // refused step is retried with plain text so that the walk goes on.
      const n = await prepare('dispatched', 'hostile');
      type Step = { by: Profile; command: (text: string) => Record<string, unknown>; fields: ((data: Record<string, unknown>) => unknown)[] };
      const walk: Step[] = [
        { by: 'SS', command: (t) => ({ type: 'set-formal-deadline', unit: t, dueAt: THREE_DAYS_LATER, requirements: t }), fields: [(d) => d['unit'], (d) => d['requirements']] },
        { by: 'SS', command: (t) => ({ type: 'answer-reporter', answer: t }), fields: [(d) => d['answer']] },
        { by: 'DA', command: () => ({ type: 'accept' }), fields: [] },
        { by: 'DA', command: (t) => ({ type: 'request-extension', until: THREE_DAYS_LATER, reason: t }), fields: [(d) => d['reason']] },
        { by: 'SS', command: () => ({ type: 'decide-extension', approve: true }), fields: [] },
        { by: 'DA', command: (t) => ({ type: 'feedback', result: t, photos: [t] }), fields: [(d) => d['result'], (d) => (d['photos'] as string[])[0]] },
        { by: 'VE', command: (t) => ({ type: 'verify', passed: false, note: t }), fields: [(d) => d['note']] },
        { by: 'SS', command: (t) => ({ type: 'escalate', reason: 'several-departments', note: t }), fields: [(d) => d['note']] },
        { by: 'DA', command: (t) => ({ type: 'return', reason: t }), fields: [(d) => d['reason']] },
        { by: 'SS', command: (t) => ({ type: 'dispatch', personId: roster.staffId, note: t }), fields: [(d) => (d['reason'] as { note?: string }).note] },
        { by: 'GW', command: (t) => ({ type: 'handle-on-spot', result: t, photos: [t] }), fields: [(d) => d['result'], (d) => (d['photos'] as string[])[0]] },
        { by: 'VE', command: (t) => ({ type: 'verify', passed: true, note: t }), fields: [(d) => d['note']] },
        { by: 'SS', command: (t) => ({ type: 'rate', score: 2, comment: t, fixed: false }), fields: [(d) => d['comment']] },
      ];
      for (const s of walk) {
        const body = s.command(payload);
        const label = `${body['type']} carrying ${JSON.stringify(payload)}`;
        if (s.fields.length === 0) {
          await api.ok(n, body, who[s.by].token);
          continue;
        }
        const taken = await expectRefusedOrVerbatim(n, () => api.command(n, body, who[s.by].token), s.fields[0]!, payload, label);
        if (taken) {
          const data = (await api.timeline(n, who.DD.token)).body.events.at(-1)!.data;
          for (const field of s.fields) expect(field(data), label).toEqual(payload);
        } else {
          await api.ok(n, s.command('plain text'), who[s.by].token);
        }
      }
      expect((await api.getCase(n, who.DD.token)).body.status).toBe('dispatched');
      // And the last one: a rejection's reason.
      const r = await prepare('dispatched', 'hostile-reject');
      await expectRefusedOrVerbatim(r, () => api.command(r, { type: 'reject', reason: payload }, who.SS.token), (d) => d['reason'], payload, `reject carrying ${JSON.stringify(payload)}`);
    });

    it.each(HOSTILE.map((p) => [JSON.stringify(p), p]))('in the structured fields of commands and in every filter parameter: %s', async (_name, payload) => {
      const n = await prepare('dispatched', 'structured');
      const tables = async (): Promise<string[]> =>
        (await server.db.sql.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).map((t) => t.tablename);
      const before = { counts: await caseTableCounts(server), tables: await tables(), events: await api.eventCount(n) };
      const bodies = [
        { type: payload },
        { type: 'merge', intoCaseNumber: payload },
        { type: 'dispatch', personId: payload, note: '' },
        { type: 'move', gridCode: payload },
        { type: 'request-extension', until: payload, reason: 'r' },
        { type: 'set-formal-deadline', unit: 'u', dueAt: payload, requirements: 'r' },
        { type: 'decide-extension', approve: payload },
        { type: 'verify', passed: payload, note: '' },
        { type: 'rate', score: payload, comment: '', fixed: true },
        { type: 'escalate', reason: payload, note: '' },
        { type: 'mark-overdue', which: payload },
      ];
      for (const body of bodies) {
        const answer = await api.command(n, body, who.DD.token);
        expect([400, 404], `${JSON.stringify(body)}: ${JSON.stringify(answer)}`).toContain(answer.status);
      }
      const q = encodeURIComponent(payload);
      const requests: [string, string, unknown?][] = [
        ['GET', `/api/cases/${q}`],
        ['GET', `/api/cases/${q}/timeline`],
        ['POST', `/api/cases/${q}/commands`, { type: 'accept' }],
        ['GET', `/api/cases?area=${q}`],
        ['GET', `/api/evaluation?groupBy=${q}`],
        ['GET', `/api/evaluation?within=${q}`],
        ['GET', `/api/evaluation?department=${q}`],
        ['GET', `/api/evaluation?from=${q}`],
        ['GET', `/api/evaluation?to=${q}`],
        ['GET', `/api/evaluation/mutual?direction=${q}`],
        ['GET', `/api/evaluation/mutual?direction=area-rates-department&period=${q}`],
        ['GET', `/api/evaluation/mutual?direction=area-rates-department&by=${q}`],
        ['GET', `/api/evaluation/mutual?direction=area-rates-department&minRatings=${q}`],
      ];
      for (const [method, path, body] of requests) {
        const answer = await call(server.baseUrl, method, path, { token: who.DD.token, ...(body !== undefined ? { body } : {}) });
        expect([400, 404], `${method} ${path}: ${answer.status} ${answer.text}`).toContain(answer.status);
      }
      const socket = connect(server.baseUrl, who.DD.token);
      try {
        const watch = await socket.timeout(10_000).emitWithAck('area:watch', { area: payload, protocol: LIVE_PROTOCOL });
        expect(watch).toMatchObject({ ok: false, error: { code: 'bad_request' } });
        const command = await socket.timeout(10_000).emitWithAck('case:command', { caseNumber: payload, command: { type: 'accept' } });
        expect(command).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(not_found|bad_request)$/) } });
      } finally {
        socket.close();
      }
      expect({ counts: await caseTableCounts(server), tables: await tables(), events: await api.eventCount(n) }).toEqual(before);
    });

    it.each(HOSTILE.map((p) => [JSON.stringify(p), p]))('in a mutual-rating comment: %s', async (_name, payload) => {
      const [before] = await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM mutual_ratings');
      const body = { period: '2026H1', direction: 'department-rates-area', areaCode: STREET, departmentCode: DEPARTMENT, score: 70, comment: payload };
      const answer = await call(server.baseUrl, 'POST', '/api/evaluation/mutual', { token: who.DA.token, body });
      expect([200, 201, 400], `${answer.status} ${answer.text}`).toContain(answer.status);
      const [after] = await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM mutual_ratings');
      if (answer.status === 400) {
        expect(after!.n).toBe(before!.n);
        return;
      }
      expect(answer.body).toMatchObject({ rating: { comment: payload, rater: who.DA.actor.accountId } });
      const stored = await server.db.sql.query<{ comment: string }>("SELECT comment FROM mutual_ratings WHERE rater = $1 AND period = '2026H1' AND direction = 'department-rates-area'", [who.DA.actor.accountId]);
      expect(stored.map((r) => r.comment)).toEqual([payload]);
    });

    it.each(HOSTILE.map((p) => [JSON.stringify(p), p]))('in a report description: %s', async (_name, payload) => {
      const counts = await caseTableCounts(server);
      const point = points[slot % points.length]!;
      const category = CATEGORIES.filter((c) => c !== 'E0202')[Math.floor(slot / points.length)]!;
      slot++;
      const answer = await call(server.baseUrl, 'POST', '/api/cases', { token: who.DD.token, body: { reportId: `${driver}-desc-${slot}`, category, lng: point[0], lat: point[1], channel: 'hotline', description: payload } });
      expect([201, 400], `${answer.status} ${answer.text}`).toContain(answer.status);
      if (answer.status === 400) {
        expect(await caseTableCounts(server)).toEqual(counts);
        return;
      }
      const number = (answer.body as { caseNumber: string }).caseNumber;
      expect((await api.getCase(number, who.DD.token)).body.description).toBe(payload);
      expect((await api.timeline(number, who.DD.token)).body.events[0]!.data['description']).toBe(payload);
    });
  });
});
