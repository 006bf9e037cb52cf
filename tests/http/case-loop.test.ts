import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../core/cases/case-summary.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import { caseRowOf, type CaseRow, type LiveCase } from '../../core/protocol/live-wire.ts';
import { verifyAudit } from '../../server/services/audit.service.ts';
import {
  CaseApi,
  CATEGORIES,
  DISTRICT,
  findRoster,
  MutableClock,
  pointsInGrid,
  signInEveryRole,
  STREET,
  type Profile,
  type Roster,
  type Session,
  type Timeline,
} from '../fixtures/case-loop-world.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { connect, Watcher, type ClientSocket } from '../fixtures/test-watcher.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Wednesday 4 March 2026, 10:00 in Beijing: office hours (8:30–12:00, 13:00–17:30) on a weekday. */
const START = '2026-03-04T02:00:00.000Z';
const INTAKE = 'system:intake';
const SCHEDULER = 'system';
/** These categories take 30 working minutes to accept, so the deadlines below are exact. */
const THIRTY_MINUTE_CATEGORIES = CATEGORIES.slice(0, 7);

describe.each(storeDrivers())('the case loop over HTTP, sockets and the scheduler (%s)', (driver) => {
  const clock = new MutableClock(START);
  let server: TestServer;
  let api: CaseApi;
  let roster: Roster;
  let who: Record<Profile, Session>;
  let points: LngLat[];
  let street: Watcher;
  let district: Watcher;
  let daSocket: ClientSocket;
  let slot = 0;

  beforeAll(async () => {
    server = await startTestServer(driver, { clock, broadcastTickMs: 20 });
    api = new CaseApi(server, clock);
    roster = await findRoster(server);
    who = await signInEveryRole(server, roster, `loop-${driver}`);
    points = await pointsInGrid(server, roster.grid, 12, 60, 3);
    // Dashboards sign in: the street's sub-centre and the district centre.
    street = await Watcher.start(server.baseUrl, STREET, who.SS.token);
    district = await Watcher.start(server.baseUrl, DISTRICT, who.DD.token);
    daSocket = connect(server.baseUrl, who.DA.token);
  });
  afterAll(async () => {
    street?.close();
    district?.close();
    daSocket?.close();
    await server?.close();
  });

  const actorOf = (profile: Profile): string => who[profile].actor.accountId;

  /** A dashboard of the street saw this sequence number pushed to it as `case:events`, and applied it. */
  async function streetSaw(seq: number): Promise<LiveCase> {
    await street.waitFor(() => street.pushed.has(seq) && street.applied.some((e) => e.seq === seq), 10_000, `seq ${seq} on the street dashboard`);
    return street.applied.find((e) => e.seq === seq)!.case;
  }

  /** Files a report of DEPARTMENT at a fresh point of the grid; intake assigns it to the department's person there (DA). */
  async function file(label: string, at?: { point: LngLat; category: string; channel?: string }): Promise<CaseAck> {
    const place = at ?? { point: points[slot % points.length]!, category: THIRTY_MINUTE_CATEGORIES[Math.floor(slot / points.length)]! };
    if (!at) slot++;
    const ack = await api.file({ reportId: `${driver}-${label}`, category: place.category, point: place.point, channel: place.channel ?? 'hotline', description: `${label}: 城管问题` });
    // A new case's filed and dispatch events travel to dashboards as one case:created, at the later sequence.
    const [last] = await server.db.sql.query<{ seq: number }>('SELECT max(seq)::int AS seq FROM case_events WHERE case_id = $1', [ack.caseId]);
    expect(await streetSaw(last!.seq)).toMatchObject({ number: ack.caseNumber, status: ack.status });
    expect(street.applied.find((e) => e.seq === last!.seq)!.kind).toBe('case:created');
    return ack;
  }

  /**
   * One step over HTTP by one account: the answer, the timeline (one more event, last, in sequence,
   * with that account as its actor), and the street dashboard's push of that event.
   */
  async function step(number: string, command: Record<string, unknown>, by: Profile, expected: { event: string; status: string }): Promise<CaseSummary> {
    const before = await api.timeline(number, who.DD.token);
    const answer = await api.command(number, command, who[by].token);
    expect(answer.error, `${command['type']} by ${by}`).toBeUndefined();
    expect(answer.status).toBe(200);
    expect(answer.event).toMatchObject({ type: expected.event, at: clock.now().toISOString() });
    expect(answer.case).toMatchObject({ number, status: expected.status });
    const after = await api.timeline(number, who[by].token);
    expect(after.status).toBe(200);
    expectOrdered(after.body);
    expect(after.body.events).toHaveLength(before.body.events.length + 1);
    expect(after.body.events.slice(0, -1)).toEqual(before.body.events);
    expect(after.body.events.at(-1)).toMatchObject({ seq: answer.event!.seq, type: expected.event, actor: actorOf(by), at: answer.event!.at });
    expect(after.body.status).toBe(expected.status);
    const pushed = await streetSaw(answer.event!.seq);
    expect(pushed).toMatchObject({ number, status: expected.status });
    return answer.case!;
  }

  function expectOrdered(timeline: Timeline): void {
    const seqs = timeline.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // The chain is global (every case's events in one sequence): within a case, an event names the
    // hash of the one before it only when nothing of another case came between them.
    timeline.events.forEach((e, i) => {
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      if (e.seq > 1) expect(e.prevHash).toMatch(/^[0-9a-f]{64}$/);
      const before = timeline.events[i - 1];
      if (before && before.seq === e.seq - 1) expect(e.prevHash).toBe(before.hash);
    });
  }

  const steps = (timeline: Timeline): [string, string][] => timeline.events.map((e) => [e.type, e.actor]);

  describe('the seven steps, walked by each role over HTTP', () => {
    it('files, accepts, extends, reports, reworks, closes, reopens on a bad rating, closes again and is rated fixed', async () => {
      const ack = await file('walk');
      expect(ack).toMatchObject({ status: 'dispatched', grid: { code: roster.grid }, street: { code: STREET }, assignee: { id: roster.staffId, departmentCode: 'urban-enforcement' } });
      const n = ack.caseNumber;
      const filed = await api.timeline(n, who.DA.token);
      expect(steps(filed.body)).toEqual([
        ['filed', INTAKE],
        ['dispatched', INTAKE],
      ]);

      // 1. The assignee accepts: the resolve clock starts (240 working minutes for 非法小广告 from 10:00:01 → 15:00:01).
      const accepted = await step(n, { type: 'accept' }, 'DA', { event: 'accepted', status: 'handling' });
      expect(accepted.acceptedAt).toBe(clock.now().toISOString());
      expect(accepted.resolveDueAt).toBe('2026-03-04T07:00:01.000Z');

      // 2. They ask for more time; 3. the street's sub-centre grants it.
      const until = '2026-03-06T17:30:00+08:00';
      expect(await step(n, { type: 'request-extension', until, reason: '需协调产权单位' }, 'DA', { event: 'extension-requested', status: 'handling' })).toMatchObject({ extensionPending: true });
      const extended = await step(n, { type: 'decide-extension', approve: true }, 'SS', { event: 'extension-decided', status: 'handling' });
      expect(extended).toMatchObject({ extensionPending: false, resolveDueAt: '2026-03-06T09:30:00.000Z' });

      // 4. The result is reported; 5. the verifier finds it not done: back to the assignee.
      await step(n, { type: 'feedback', result: '已清除小广告', photos: ['https://photos.example/1.jpg'] }, 'DA', { event: 'feedback', status: 'feedback' });
      const rework = await step(n, { type: 'verify', passed: false, note: '仍有残留' }, 'VE', { event: 'rework', status: 'handling' });
      expect(rework).toMatchObject({ reworkCount: 1, assignee: { id: roster.staffId } });

      // 6. Reported again, verified, closed.
      await step(n, { type: 'feedback', result: '已彻底清除', photos: [] }, 'DA', { event: 'feedback', status: 'feedback' });
      const closed = await step(n, { type: 'verify', passed: true, note: '核查通过' }, 'VE', { event: 'closed', status: 'closed' });
      expect(closed.closedAt).toBe(clock.now().toISOString());

      // 7. The reporter says it is not fixed (entered by the sub-centre on the callback): reopened to the assignee.
      const reopened = await step(n, { type: 'rate', score: 2, comment: '没有解决', fixed: false }, 'SS', { event: 'reopened', status: 'dispatched' });
      expect(reopened).toMatchObject({ closedAt: null, acceptedAt: null, assignee: { id: roster.staffId } });

      // … and round again: this time the assignee accepts over the socket (case:command), the grid's worker verifies.
      const before = (await api.timeline(n, who.DD.token)).body.events.length;
      clock.advance(1_000);
      const overSocket = await daSocket.timeout(10_000).emitWithAck('case:command', { caseNumber: n, command: { type: 'accept' } });
      expect(overSocket).toMatchObject({ ok: true, data: { case: { number: n, status: 'handling' }, event: { type: 'accepted' } } });
      const socketSeq = overSocket.ok ? overSocket.data.event.seq : -1;
      const afterSocket = (await api.timeline(n, who.DD.token)).body;
      expect(afterSocket.events).toHaveLength(before + 1);
      expect(afterSocket.events.at(-1)).toMatchObject({ seq: socketSeq, type: 'accepted', actor: actorOf('DA') });
      expect(await streetSaw(socketSeq)).toMatchObject({ number: n, status: 'handling' });

      await step(n, { type: 'feedback', result: '复查后清除', photos: [] }, 'DA', { event: 'feedback', status: 'feedback' });
      await step(n, { type: 'verify', passed: true, note: '监督员核查' }, 'GW', { event: 'closed', status: 'closed' });
      await step(n, { type: 'rate', score: 5, comment: '满意', fixed: true }, 'DD', { event: 'rated', status: 'closed' });
      // Rated once since it was closed: a second rating is refused and changes nothing.
      const again = await api.command(n, { type: 'rate', score: 1, comment: '', fixed: false }, who.DD.token);
      expect(again).toMatchObject({ status: 409, error: { code: 'already_rated' } });

      const whole = (await api.timeline(n, who.AN.token)).body;
      expectOrdered(whole);
      expect(whole).toMatchObject({ number: n, status: 'closed', tier: 'grid' });
      expect(steps(whole)).toEqual([
        ['filed', INTAKE],
        ['dispatched', INTAKE],
        ['accepted', actorOf('DA')],
        ['extension-requested', actorOf('DA')],
        ['extension-decided', actorOf('SS')],
        ['feedback', actorOf('DA')],
        ['rework', actorOf('VE')],
        ['feedback', actorOf('DA')],
        ['closed', actorOf('VE')],
        ['reopened', actorOf('SS')],
        ['accepted', actorOf('DA')],
        ['feedback', actorOf('DA')],
        ['closed', actorOf('GW')],
        ['rated', actorOf('DD')],
      ]);
      // … each by name too, as the timeline shows them.
      const nameOf = new Map([...Object.values(who).map((s): [string, string] => [s.actor.accountId, s.actor.name]), [INTAKE, 'Grid Command']]);
      expect(whole.events.map((e) => e.actorName)).toEqual(whole.events.map((e) => nameOf.get(e.actor)));
      const data = whole.events.map((e) => e.data);
      expect(data[3]).toEqual({ until: '2026-03-06T09:30:00.000Z', reason: '需协调产权单位' });
      expect(data[4]).toEqual({ approved: true, until: '2026-03-06T09:30:00.000Z' });
      expect(data[5]).toEqual({ result: '已清除小广告', photos: ['https://photos.example/1.jpg'], handlerId: roster.staffId });
      expect(data[6]).toEqual({ note: '仍有残留', queue: { kind: 'person', personId: roster.staffId } });
      expect(data[9]).toEqual({ score: 2, comment: '没有解决', queue: { kind: 'person', personId: roster.staffId } });
      expect(data[13]).toEqual({ score: 5, comment: '满意' });
    });
  });

  describe('side paths', () => {
    it('reject: the street sub-centre turns a case down', async () => {
      const n = (await file('reject')).caseNumber;
      const rejected = await step(n, { type: 'reject', reason: '不属于城市管理范围' }, 'SS', { event: 'rejected', status: 'rejected' });
      expect(rejected.closedAt).toBe(clock.now().toISOString());
      expect(steps((await api.timeline(n, who.SS.token)).body)).toEqual([
        ['filed', INTAKE],
        ['dispatched', INTAKE],
        ['rejected', actorOf('SS')],
      ]);
    });

    it('merge: a likely duplicate is merged into its original, which stands for both reports', async () => {
      const place = { point: points[points.length - 1]!, category: 'E0202' };
      const original = await file('original', place);
      expect(original.status).toBe('dispatched');
      expect((await api.getCase(original.caseNumber, who.SS.token)).body.reportsCount).toBe(1);
      // The same problem reported again a few metres away through another channel: linked, and
      // counted on the original at once (a "me too" by intake).
      const duplicate = await file('duplicate', { ...place, point: [place.point[0] + 0.00004, place.point[1]], channel: 'patrol' });
      expect(duplicate).toMatchObject({ status: 'linked', duplicateOf: original.caseNumber, assignee: null, queue: { kind: 'street', streetCode: STREET } });
      const linked = (await api.timeline(original.caseNumber, who.SS.token)).body;
      expect(linked.events.at(-1)).toMatchObject({ type: 'me-too', actor: INTAKE, data: { added: 1, reportsCount: 2 } });
      expect(await streetSaw(linked.events.at(-1)!.seq)).toMatchObject({ number: original.caseNumber, reportsCount: 2 });

      const merged = await step(duplicate.caseNumber, { type: 'merge', intoCaseNumber: original.caseNumber }, 'SS', { event: 'merged', status: 'merged' });
      expect(merged.duplicateOf).toBe(original.caseNumber);
      const d = (await api.timeline(duplicate.caseNumber, who.SS.token)).body;
      expect(steps(d)).toEqual([
        ['filed', INTAKE],
        ['linked', INTAKE],
        ['merged', actorOf('SS')],
      ]);
      expect(d.events.at(-1)!.data).toEqual({ intoCaseId: original.caseId, intoCaseNumber: original.caseNumber });
      // The original is still open and stands for the two reports: merging counts the duplicate no second time.
      const o = await api.getCase(original.caseNumber, who.SS.token);
      expect(o.body).toMatchObject({ status: 'dispatched', reportsCount: 2 });
      expect((await api.timeline(original.caseNumber, who.SS.token)).body.events).toEqual(linked.events);
    });

    it('merge: a separate report of the same problem merged into an open case raises its count', async () => {
      const original = await file('original-2', { point: points[points.length - 2]!, category: 'E0202' });
      const separate = await file('separate', { point: points[points.length - 3]!, category: 'E0202' });
      expect(separate).toMatchObject({ status: 'dispatched', duplicateOf: null });
      const merge = await step(separate.caseNumber, { type: 'merge', intoCaseNumber: original.caseNumber }, 'SS', { event: 'merged', status: 'merged' });
      expect(merge.duplicateOf).toBe(original.caseNumber);
      const o = (await api.timeline(original.caseNumber, who.SS.token)).body;
      expect(steps(o)).toEqual([
        ['filed', INTAKE],
        ['dispatched', INTAKE],
        ['me-too', actorOf('SS')],
      ]);
      expect(o.events.at(-1)!.data).toEqual({ added: 1, reportsCount: 2 });
      expect(await streetSaw(o.events.at(-1)!.seq)).toMatchObject({ number: original.caseNumber, reportsCount: 2 });
      expect((await api.getCase(original.caseNumber, who.DA.token)).body.reportsCount).toBe(2);
    });

    it('return and re-dispatch: the assignee hands a case back, the street sub-centre sends it to someone else', async () => {
      const n = (await file('return')).caseNumber;
      const returned = await step(n, { type: 'return', reason: '不在本人负责范围' }, 'DA', { event: 'returned', status: 'queued' });
      expect(returned).toMatchObject({ assignee: null, queue: { kind: 'street', streetCode: STREET } });
      const redispatched = await step(n, { type: 'dispatch', personId: roster.neighbourStaffId, note: '请相邻网格协助' }, 'SS', { event: 'dispatched', status: 'dispatched' });
      expect(redispatched).toMatchObject({ assignee: { id: roster.neighbourStaffId }, queue: { kind: 'person', personId: roster.neighbourStaffId }, dispatchReason: { code: 'dispatcher', by: actorOf('SS'), note: '请相邻网格协助' } });
      // The former assignee may no longer act on it as its assignee.
      expect(await api.command(n, { type: 'accept' }, who.DA.token)).toMatchObject({ status: 403, error: { code: 'not_allowed' } });
      expect(steps((await api.timeline(n, who.SS.token)).body)).toEqual([
        ['filed', INTAKE],
        ['dispatched', INTAKE],
        ['returned', actorOf('DA')],
        ['dispatched', actorOf('SS')],
      ]);
    });

    it('handle on the spot: the grid worker fixes it, someone else verifies it', async () => {
      const n = (await file('on-spot')).caseNumber;
      const handled = await step(n, { type: 'handle-on-spot', result: '现场已处置', photos: ['https://photos.example/spot.jpg'] }, 'GW', { event: 'handled-on-spot', status: 'feedback' });
      expect(handled.acceptedAt).not.toBeNull();
      // The handler may not verify their own work.
      const own = await api.command(n, { type: 'verify', passed: true, note: '' }, who.GW.token);
      expect(own).toMatchObject({ status: 403, error: { code: 'own_work' } });
      await step(n, { type: 'verify', passed: true, note: '核查通过' }, 'VE', { event: 'closed', status: 'closed' });
      const t = (await api.timeline(n, who.GW.token)).body;
      expect(steps(t)).toEqual([
        ['filed', INTAKE],
        ['dispatched', INTAKE],
        ['handled-on-spot', actorOf('GW')],
        ['closed', actorOf('VE')],
      ]);
      expect(t.events[2]!.data).toEqual({ result: '现场已处置', photos: ['https://photos.example/spot.jpg'], handlerId: roster.workerId });
    });

    it('formal deadline notice: the case cannot close until the reporter is answered', async () => {
      const n = (await file('notice')).caseNumber;
      const dueAt = '2026-03-09T17:30:00+08:00';
      const noticed = await step(n, { type: 'set-formal-deadline', unit: '城管执法队', dueAt, requirements: '三日内拆除' }, 'SS', { event: 'formal-deadline-set', status: 'dispatched' });
      expect(noticed.formalNoticeDueAt).toBe('2026-03-09T09:30:00.000Z');
      await step(n, { type: 'accept' }, 'DA', { event: 'accepted', status: 'handling' });
      await step(n, { type: 'feedback', result: '已拆除', photos: [] }, 'DA', { event: 'feedback', status: 'feedback' });
      const length = (await api.timeline(n, who.DD.token)).body.events.length;
      const blocked = await api.command(n, { type: 'verify', passed: true, note: '' }, who.VE.token);
      expect(blocked).toMatchObject({ status: 409, error: { code: 'reporter_not_answered' } });
      expect((await api.timeline(n, who.DD.token)).body.events).toHaveLength(length);
      const answered = await step(n, { type: 'answer-reporter', answer: '已电话告知举报人处理结果' }, 'SS', { event: 'reporter-answered', status: 'feedback' });
      expect(answered.formalNoticeDueAt).toBeNull();
      await step(n, { type: 'verify', passed: true, note: '' }, 'VE', { event: 'closed', status: 'closed' });
      expect(steps((await api.timeline(n, who.DD.token)).body).slice(2)).toEqual([
        ['formal-deadline-set', actorOf('SS')],
        ['accepted', actorOf('DA')],
        ['feedback', actorOf('DA')],
        ['reporter-answered', actorOf('SS')],
        ['closed', actorOf('VE')],
      ]);
    });

    it('move: the sub-centre moves a case to the neighbouring grid, where it is dispatched afresh', async () => {
      const n = (await file('move')).caseNumber;
      const moved = await step(n, { type: 'move', gridCode: roster.neighbour }, 'SS', { event: 'moved', status: 'dispatched' });
      expect(moved).toMatchObject({ gridCode: roster.neighbour, streetCode: STREET, assignee: { id: roster.neighbourStaffId }, dispatchReason: { code: 'least-loaded', gridCode: roster.neighbour } });
      const t = (await api.timeline(n, who.SS.token)).body;
      expect(t.events.at(-1)).toMatchObject({ type: 'moved', actor: actorOf('SS'), data: { gridCode: roster.neighbour, streetCode: STREET, assigneeId: roster.neighbourStaffId } });
      // Off the grid now: its department staff there no longer see it, nor its grid worker.
      expect((await api.getCase(n, who.DA.token)).status).toBe(404);
      expect((await api.timeline(n, who.GW.token)).status).toBe(404);
    });
  });

  describe('the deadline scheduler, on an injected clock', () => {
    it('marks an unaccepted case overdue, escalates it grid → street at once and street → district after 60 working minutes', async () => {
      clock.set('2026-03-04T03:05:00.000Z'); // 11:05 in Beijing
      const ack = await file('late');
      const n = ack.caseNumber;
      expect(ack.acceptDueAt).toBe('2026-03-04T03:35:00.000Z'); // 30 working minutes: 11:35
      const eventsOf = async (): Promise<Timeline> => (await api.timeline(n, who.DD.token)).body;

      clock.set('2026-03-04T03:34:00.000Z');
      await server.server.scheduler.sweep();
      expect((await eventsOf()).events).toHaveLength(2);

      clock.set('2026-03-04T03:40:00.000Z'); // 11:40: overdue, and up to the street at once (grace 0)
      const first = await server.server.scheduler.sweep();
      expect(first.marked).toBeGreaterThanOrEqual(1);
      expect(first.escalated).toBeGreaterThanOrEqual(1);
      let t = await eventsOf();
      expect(steps(t).slice(2)).toEqual([
        ['overdue', SCHEDULER],
        ['escalated', SCHEDULER],
      ]);
      expect(t.events[2]!.data).toEqual({ which: 'accept', dueAt: '2026-03-04T03:35:00.000Z' });
      expect(t.events[3]!.data).toMatchObject({ from: 'grid', to: 'street', reason: 'accept-overdue' });
      expect(t).toMatchObject({ status: 'dispatched', tier: 'street' });
      expect((await api.getCase(n, who.SS.token)).body).toMatchObject({ overdueAcceptAt: '2026-03-04T03:40:00.000Z', escalatedAt: '2026-03-04T03:40:00.000Z', tier: 'street' });

      // The grace at the street is 60 working minutes from 11:40: 20 before lunch, 40 after → 13:40.
      // 12:45 is 65 minutes later on the wall clock but only 20 working minutes.
      for (const at of ['2026-03-04T04:45:00.000Z', '2026-03-04T05:39:00.000Z']) {
        clock.set(at);
        await server.server.scheduler.sweep();
        expect((await eventsOf()).events, at).toHaveLength(4);
      }
      clock.set('2026-03-04T05:40:00.000Z');
      await server.server.scheduler.sweep();
      t = await eventsOf();
      expect(steps(t).slice(4)).toEqual([['escalated', SCHEDULER]]);
      expect(t.events[4]!.data).toMatchObject({ from: 'street', to: 'district', reason: 'accept-overdue' });
      expect(t.tier).toBe('district');
      // A second sweep at the same time changes nothing more.
      await server.server.scheduler.sweep();
      expect((await eventsOf()).events).toHaveLength(5);

      // The district centre's dashboard saw each sweep's change as it happened. The broadcaster sends
      // a case once per tick, as it stands after its last event: the overdue mark and the escalation
      // of one sweep may arrive as one update (the escalation, with overdueAcceptAt set).
      const [overdue, toStreet, toDistrict] = t.events.slice(2).map((e) => e.seq) as [number, number, number];
      await district.waitFor(() => district.pushed.has(toStreet) && district.pushed.has(toDistrict), 10_000, 'the overdue case and its escalations on the district dashboard');
      const shown = district.applied.filter((e) => e.case.id === ack.caseId && e.seq >= overdue);
      expect(shown.map((e) => e.seq)).toEqual(district.pushed.has(overdue) ? [overdue, toStreet, toDistrict] : [toStreet, toDistrict]);
      expect(shown.find((e) => e.seq === toStreet)).toMatchObject({ type: 'escalated', case: { tier: 'street', overdueAcceptMs: Date.parse('2026-03-04T03:40:00.000Z'), escalatedMs: Date.parse('2026-03-04T03:40:00.000Z') } });
      expect(shown.find((e) => e.seq === toDistrict)).toMatchObject({ type: 'escalated', case: { tier: 'district', escalatedMs: Date.parse('2026-03-04T05:40:00.000Z') } });
      expect(district.feed.cases.get(ack.caseId)).toMatchObject({ tier: 'district', overdueAcceptMs: Date.parse('2026-03-04T03:40:00.000Z') });
      // Now the district centre decides: the street sub-centre follows it but may not dispatch it.
      expect(await api.command(n, { type: 'dispatch', personId: roster.neighbourStaffId, note: '' }, who.SS.token)).toMatchObject({ status: 403, error: { code: 'not_allowed' } });
    });
  });

  describe('the live snapshot', () => {
    it('is, row for row, what caseRowOf makes of the summaries, for the district, a street and a grid', async () => {
      // Long descriptions: one cut in Chinese, one with an emoji across the cut (a code point each).
      for (const [label, description] of [['brief-zh', '井盖缺失，'.repeat(20)], ['brief-emoji', `${'a'.repeat(47)}🚧🚧 and more`]] as const) {
        await api.file({ reportId: `${driver}-${label}`, category: THIRTY_MINUTE_CATEGORIES[0]!, point: points[0]!, channel: 'hotline', description });
      }
      const store = server.db.store;
      const { streetCode, gridCode } = (await store.cases.snapshot('110108')).cases.find((c) => c.gridCode !== null)!;
      for (const area of ['110108', streetCode!, gridCode!]) {
        const [summaries, snapshot] = await Promise.all([store.cases.snapshot(area), store.cases.liveSnapshot(area)]);
        const live = { seq: snapshot.seq, rows: JSON.parse(snapshot.json) as CaseRow[] };
        expect(live.seq, area).toBe(summaries.seq);
        expect([live.rows.length, snapshot.count], area).toEqual([summaries.cases.length, summaries.cases.length]);
        expect(live.rows.length, area).toBeGreaterThan(0);
        const round = (row: CaseRow): CaseRow => [...row.slice(0, 4), Math.round(row[4] * 1e6), Math.round(row[5] * 1e6), ...row.slice(6)] as unknown as CaseRow;
        // Coordinates: both are the stored double rounded to 1e-7°, by numeric in SQL and by floats here; compared at 1e-6°.
        expect(live.rows.map(round), area).toEqual(summaries.cases.map((c) => round(caseRowOf(c))));
      }
      const briefs = (JSON.parse((await store.cases.liveSnapshot('110108')).json) as CaseRow[]).map((row) => row[18]);
      expect(briefs).toContain(`${'井盖缺失，'.repeat(20).slice(0, 48)}…`);
      expect(briefs).toContain(`${'a'.repeat(47)}🚧…`);
    });
  });

  describe('audit', () => {
    it('verifies the whole log, and reports a tampered event at that event and a tampered case row at that case', async () => {
      const sql = server.db.sql;
      // One more case, to tamper with: the events and the row of everything above stay as they were.
      const victim = await file('tampered');
      const [counts] = await sql.query<{ cases: number; events: number }>('SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM case_events) AS events');
      const intact = await verifyAudit(server.db.store);
      expect(intact).toEqual({ events: counts!.events, cases: counts!.cases, chainProblems: [], projectionProblems: [], ok: true });

      // An event's data edited in place: the chain breaks at that event, and only there.
      const [event] = await sql.query<{ seq: number; case_id: number; data: unknown }>("SELECT seq::int AS seq, case_id::int AS case_id, data FROM case_events WHERE case_id = $1 AND type = 'filed'", [victim.caseId]);
      await sql.query(`UPDATE case_events SET data = jsonb_set(data, '{description}', '"无问题"') WHERE seq = $1`, [event!.seq]);
      const chain = await verifyAudit(server.db.store);
      expect(chain.ok).toBe(false);
      expect(chain.chainProblems).toEqual([expect.objectContaining({ seq: event!.seq, caseId: event!.case_id, problem: 'hash-mismatch' })]);
      expect(chain.projectionProblems).toEqual([]);
      await sql.query('UPDATE case_events SET data = $2::jsonb WHERE seq = $1', [event!.seq, JSON.stringify(event!.data)]);
      expect((await verifyAudit(server.db.store)).ok).toBe(true);

      // A case row edited behind the event log's back: that case, that field.
      const [row] = await sql.query<{ case_number: string; status: string }>('SELECT case_number, status FROM cases WHERE id = $1', [victim.caseId]);
      expect(row!.status).toBe('dispatched');
      await sql.query("UPDATE cases SET status = 'closed' WHERE case_number = $1", [row!.case_number]);
      const projection = await verifyAudit(server.db.store);
      expect(projection.ok).toBe(false);
      expect(projection.chainProblems).toEqual([]);
      expect(projection.projectionProblems).toEqual([{ caseNumber: row!.case_number, fields: ['status'] }]);

      // The same through `npm run audit:verify` against the PostgreSQL server: exit 1, and the last line says why.
      if (driver === 'pg') {
        const broken = await auditVerify(server.db.location);
        expect(broken.code, broken.output).toBe(1);
        expect(broken.output).toContain(`case ${row!.case_number}: stored row differs from its events in status`);
        expect(broken.last).toMatchObject({ ok: false, events: counts!.events, cases: counts!.cases, chainProblems: 0, projectionProblems: 1 });
      }
      await sql.query('UPDATE cases SET status = $2 WHERE case_number = $1', [row!.case_number, row!.status]);
      expect((await verifyAudit(server.db.store)).ok).toBe(true);
      if (driver === 'pg') {
        const repaired = await auditVerify(server.db.location);
        expect(repaired.code, repaired.output).toBe(0);
        expect(repaired.last).toMatchObject({ ok: true, events: counts!.events, cases: counts!.cases, chainProblems: 0, projectionProblems: 0 });
      }
    });
  });
});

/** `npm run audit:verify` as its own process against a database; its exit status and last line's JSON. */
async function auditVerify(databaseUrl: string): Promise<{ code: number | null; output: string; last: unknown }> {
  const child = spawn('npm', ['run', '--silent', 'audit:verify'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const lines = output.trim().split('\n');
  let last: unknown;
  try {
    last = JSON.parse(lines.at(-1) ?? '');
  } catch {
    last = undefined;
  }
  return { code, output, last };
}
