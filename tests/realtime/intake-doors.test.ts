import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { BulkResult, CaseAck } from '../../core/protocol/cases-api.ts';
import { verifyAudit } from '../../server/services/audit.service.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { connect, reportOverSocket, Watcher, type ClientSocket } from '../fixtures/test-watcher.ts';

const STREET = '110108011'; // 中关村街道
const OTHER_STREET = '110108016'; // 香山街道

describe.each(storeDrivers())('intake through every door reaches the right dashboards (%s)', (driver) => {
  let server: TestServer;
  let here: LngLat[];
  let socket: ClientSocket;
  let watcher: Watcher;
  let elsewhere: Watcher;
  let district: Watcher;
  let n = 0;
  const nextPoint = (): LngLat => here[n++]!;

  beforeAll(async () => {
    server = await startTestServer(driver, { broadcastTickMs: 20 });
    here = await pointsInStreet(server.db.store, server.geography, STREET, 40, 60, 11);
    socket = connect(server.baseUrl, server.token);
    watcher = await Watcher.start(server.baseUrl, STREET, server.token);
    elsewhere = await Watcher.start(server.baseUrl, OTHER_STREET, server.token);
    district = await Watcher.start(server.baseUrl, '110108', server.token);
  });
  afterAll(async () => {
    for (const w of [watcher, elsewhere, district]) w?.close();
    socket?.close();
    await server?.close();
  });

  async function expectDelivered(number: string): Promise<void> {
    await watcher.waitFor(() => watcher.createdNumbers().includes(number), 10_000, `case ${number} on the street watcher`);
    await district.waitFor(() => district.createdNumbers().includes(number), 10_000, `case ${number} on the district watcher`);
    // The other street's watcher has seen marks past this case and nothing of it.
    await elsewhere.waitFor(() => elsewhere.feed.watermark >= watcher.feed.watermark, 10_000, 'the other street to catch up');
    expect(elsewhere.applied.map((e) => e.case.number)).not.toContain(number);
    expect(watcher.feed.cases.get(watcher.applied.find((e) => e.case.number === number)!.case.id)?.streetCode).toBe(STREET);
  }

  it('a report over the socket is acknowledged once stored and reaches its street, not another', async () => {
    const [lng, lat] = nextPoint();
    const ack = await reportOverSocket(socket, { reportId: `sock-${driver}-1`, category: 'E0102', lng, lat, channel: 'patrol', description: '路边暴露垃圾' });
    expect(ack.ok).toBe(true);
    const data = (ack as { data: CaseAck }).data;
    expect(data).toMatchObject({ replayed: false, status: 'dispatched', street: { code: STREET, name: '中关村街道' } });
    expect(data.caseNumber).toMatch(/^HD\d{8}-\d{7}$/);
    expect(data.assignee?.departmentCode).toBe('street-office');
    expect(Date.parse(data.acceptDueAt!)).toBeGreaterThan(Date.now());
    expect(data.dispatch.en).toContain('least loaded');
    expect((await server.db.store.cases.byNumber(data.caseNumber))?.status).toBe('dispatched');
    await expectDelivered(data.caseNumber);
  });

  it('a report reaches the watchers of its grid and its community, and not those of another grid', async () => {
    const point = nextPoint();
    const route = server.geography.routeCase(point, 10);
    if (!route.routed) throw new Error('the test point is outside every grid');
    const otherPoint = here.slice(n).find((p) => {
      const r = server.geography.routeCase(p, 10);
      return r.routed && r.gridCode !== route.gridCode;
    });
    if (!otherPoint) throw new Error('no test point in another grid');
    const otherRoute = server.geography.routeCase(otherPoint, 10) as { gridCode: string };
    const watchers = await Promise.all([route.gridCode, route.communityCode, otherRoute.gridCode].map((area) => Watcher.start(server.baseUrl, area, server.token)));
    const [grid, community, otherGrid] = watchers as [Watcher, Watcher, Watcher];
    try {
      const ack = await reportOverSocket(socket, { reportId: `sock-${driver}-grid`, category: 'E0102', lng: point[0], lat: point[1], channel: 'patrol' });
      if (!ack.ok) throw new Error(JSON.stringify(ack));
      const number = ack.data.caseNumber;
      expect(ack.data.grid?.code).toBe(route.gridCode);
      for (const w of [grid, community]) await w.waitFor(() => w.createdNumbers().includes(number), 10_000, `case ${number} on the watcher of ${w.area}`);
      await otherGrid.waitFor(() => otherGrid.feed.watermark >= grid.feed.watermark, 10_000, 'the other grid to catch up');
      expect(otherGrid.createdNumbers()).not.toContain(number);
    } finally {
      for (const w of watchers) w.close();
    }
  });

  it('a report over HTTP is answered 201 with the same acknowledgement and reaches its street', async () => {
    const [lng, lat] = nextPoint();
    const response = await server.post('/api/cases', JSON.stringify({ reportId: `http-${driver}-1`, category: 'E0102', lng, lat }));
    expect(response.status).toBe(201);
    const ack = (await response.json()) as CaseAck;
    expect(ack).toMatchObject({ replayed: false, street: { code: STREET } });
    await expectDelivered(ack.caseNumber);
  });

  it('a bulk NDJSON upload stores each valid line, refuses the bad ones by index, and reaches the street', async () => {
    const lines = [0, 1, 2].map((i) => {
      const [lng, lat] = nextPoint();
      return JSON.stringify({ reportId: `bulk-${driver}-${i}`, category: 'E0102', lng, lat, channel: 'hotline' });
    });
    lines.splice(1, 0, JSON.stringify({ reportId: `bulk-${driver}-bad`, category: 'NOPE', lng: 116.3, lat: 39.98 }));
    const response = await server.post('/api/cases/bulk', lines.join('\n'), 'application/x-ndjson');
    expect(response.status).toBe(200);
    const body = (await response.json()) as BulkResult;
    expect(body).toMatchObject({ accepted: 3, rejected: 1 });
    expect(body.results[1]).toMatchObject({ ok: false, error: { code: 'invalid_report' } });
    for (const r of body.results.filter((x) => x.ok)) await expectDelivered((r as { data: CaseAck }).data.caseNumber);
  });

  it('a bulk JSON array works the same as NDJSON', async () => {
    const [lng, lat] = nextPoint();
    const response = await server.post('/api/cases/bulk', JSON.stringify([{ reportId: `bulk-array-${driver}`, category: 'E0102', lng, lat }]));
    expect(await response.json()).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('stores one case when the same reportId arrives many times at once through both doors', async () => {
    const [lng, lat] = nextPoint();
    const report = { reportId: `twice-${driver}`, category: 'E0102', lng, lat };
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => reportOverSocket(socket, report).then((a) => (a.ok ? a.data : undefined))),
      ...Array.from({ length: 5 }, () => server.post('/api/cases', JSON.stringify(report)).then(async (r) => (await r.json()) as CaseAck)),
    ]);
    const numbers = new Set(answers.map((a) => a?.caseNumber));
    expect(numbers.size).toBe(1);
    expect(answers.filter((a) => a?.replayed === false)).toHaveLength(1);
    const [row] = await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE report_id = $1', [report.reportId]);
    expect(row!.n).toBe(1);
  });

  it('refuses with 409 a different report that reuses a stored reportId, and stores nothing', async () => {
    const [lng, lat] = nextPoint();
    const report = { reportId: `reused-${driver}`, category: 'E0102', lng, lat };
    expect((await server.post('/api/cases', JSON.stringify(report))).status).toBe(201);
    const before = await server.db.store.cases.count();
    const response = await server.post('/api/cases', JSON.stringify({ ...report, category: 'E0401' }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'report_id_conflict' } });
    expect(await reportOverSocket(socket, { ...report, description: 'something else' })).toMatchObject({ ok: false, error: { code: 'report_id_conflict' } });
    expect(await server.db.store.cases.count()).toBe(before);
    // The same report again is still a retry.
    expect((await server.post('/api/cases', JSON.stringify(report))).status).toBe(200);
  });

  it('stores an outside point from a staff channel unrouted, in the district centre queue', async () => {
    const response = await server.post('/api/cases', JSON.stringify({ reportId: `outside-${driver}`, category: 'E0102', lng: 116.386, lat: 39.98, channel: 'hotline' }));
    expect(response.status).toBe(201);
    const ack = (await response.json()) as CaseAck;
    expect(ack).toMatchObject({ status: 'queued', grid: null, street: null, queue: { kind: 'district' }, dispatch: { reason: { code: 'outside-grids' } } });
    expect((ack.dispatch.reason as { distanceMeters: number }).distanceMeters).toBeLessThan(5_000);
    await district.waitFor(() => district.createdNumbers().includes(ack.caseNumber), 10_000, 'the unrouted case on the district watcher');
  });

  it('links a second report of the same problem from another channel as a likely duplicate', async () => {
    const [lng, lat] = nextPoint();
    const first = (await reportOverSocket(socket, { reportId: `dup-a-${driver}`, category: 'E0401', lng, lat, channel: 'patrol' })) as { ok: true; data: CaseAck };
    const second = (await reportOverSocket(socket, { reportId: `dup-b-${driver}`, category: 'E0401', lng: lng + 0.0001, lat, channel: 'hotline' })) as { ok: true; data: CaseAck };
    expect(second.data).toMatchObject({ status: 'linked', duplicateOf: first.data.caseNumber, assignee: null });
    expect(second.data.dispatch.reason).toMatchObject({ code: 'likely-duplicate', originalCaseNumber: first.data.caseNumber });
    const original = await server.db.store.cases.byNumber(first.data.caseNumber);
    expect(original?.reportsCount).toBe(2);
    await watcher.waitFor(() => [...watcher.feed.cases.values()].some((c) => c.number === first.data.caseNumber && c.reportsCount === 2), 10_000, 'the me-too update');
  });

  it('stores a description with the characters COPY gives meaning to as it was written, in the case and its events', async () => {
    const [lng, lat] = nextPoint();
    const description = '井盖 "缺失" \\N back\\slash, tab\there, a line\nbreak, \r and 🚧';
    const response = await server.post('/api/cases', JSON.stringify({ reportId: `copy-${driver}`, category: 'E0102', lng, lat, description }));
    expect(response.status).toBe(201);
    const ack = (await response.json()) as CaseAck;
    const timeline = await server.db.store.cases.timeline(ack.caseId);
    expect((timeline[0]!.event.data as { description: string }).description).toBe(description);
    expect((await server.db.store.cases.byNumber(ack.caseNumber))?.description).toBe(description);
    expect(await verifyAudit(server.db.store)).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });
  });

  it('counts duplicates that arrive in the same batch as their original through events, so the audit agrees', async () => {
    const [lng, lat] = nextPoint();
    const lines = ['a', 'b', 'c'].map((k, i) => JSON.stringify({ reportId: `same-batch-${k}-${driver}`, category: 'E0402', lng: lng + i * 0.00005, lat, channel: 'hotline' }));
    const body = (await (await server.post('/api/cases/bulk', lines.join('\n'), 'application/x-ndjson')).json()) as BulkResult;
    const acks = body.results.map((r) => (r as { data: CaseAck }).data);
    expect(acks.map((a) => a.status)).toEqual(['dispatched', 'linked', 'linked']);
    expect((await server.db.store.cases.byNumber(acks[0]!.caseNumber))?.reportsCount).toBe(3);
    const timeline = await server.db.store.cases.timeline(acks[0]!.caseId);
    expect(timeline.map((e) => e.event.type)).toEqual(['filed', 'dispatched', 'me-too']);
    expect(await verifyAudit(server.db.store)).toMatchObject({ ok: true, chainProblems: [], projectionProblems: [] });
  });
});
