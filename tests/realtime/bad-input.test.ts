import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { LIVE_PROTOCOL } from '../../core/protocol/live-wire.ts';
import { connect, reportOverSocket, type ClientSocket } from '../fixtures/test-watcher.ts';

const GOOD = { reportId: 'good-1', category: 'E0102', lng: 116.31, lat: 39.98 };

describe.each(storeDrivers())('bad input to intake is refused with a clear 4xx and stores nothing (%s)', (driver) => {
  let server: TestServer;
  let socket: ClientSocket;
  let casesBefore: number;

  beforeAll(async () => {
    server = await startTestServer(driver);
    socket = connect(server.baseUrl, server.token);
    casesBefore = await server.db.store.cases.count();
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
  });

  const invalidReports: [string, Record<string, unknown>, string][] = [
    ['no reportId', { ...GOOD, reportId: undefined }, 'reportId is required'],
    ['a reportId with spaces', { ...GOOD, reportId: 'a b' }, 'reportId must be'],
    ['no category', { ...GOOD, category: undefined }, 'category is required'],
    ['an unknown category', { ...GOOD, category: 'Z9999' }, 'unknown category "Z9999"'],
    ['coordinates that are strings', { ...GOOD, lng: '116.31' }, 'must be numbers'],
    ['no coordinates', { ...GOOD, lng: undefined, lat: undefined }, 'lng and lat are required'],
    ['a latitude beyond 90', { ...GOOD, lat: 91 }, 'out of range'],
    ['an unknown crs', { ...GOOD, crs: 'EPSG:3857' }, 'crs must be'],
    ['a description over 4,000 characters', { ...GOOD, description: 'x'.repeat(4001) }, 'the limit is 4000'],
    ['an unknown field', { ...GOOD, priority: 'high' }, 'unknown field "priority"'],
    ['an unknown channel', { ...GOOD, channel: 'pigeon' }, 'channel must be one of'],
    ['a reporter with an unknown field', { ...GOOD, reporter: { name: '张三', idCard: '1101' } }, 'unknown field "reporter.idCard"'],
    ['eleven photos', { ...GOOD, photos: Array.from({ length: 11 }, (_, i) => `p${i}.jpg`) }, 'at most 10 photos'],
    ['a resident-app point just outside the district', { ...GOOD, lng: 116.386 }, 'outside every grid of the district; the nearest grid is'],
    ['a hotline point 20 km outside the district', { ...GOOD, lng: 116.6, channel: 'hotline' }, 'more than 5 km outside the district'],
  ];

  it.each(invalidReports)('HTTP refuses %s with 400', async (_name, report, message) => {
    const response = await server.post('/api/cases', JSON.stringify(report));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
  });

  it.each(invalidReports)('the socket refuses %s in its acknowledgement', async (_name, report, message) => {
    const ack = await reportOverSocket(socket, report);
    expect(ack).toMatchObject({ ok: false });
    expect((ack as { ok: false; error: { message: string } }).error.message).toContain(message);
  });

  it.each([
    ['malformed JSON', '{"reportId": "x",', 'application/json', 400],
    ['a JSON array instead of a report', '[]', 'application/json', 400],
    ['a plain-text body', 'hello', 'text/plain', 415],
    ['a body over 64 KB', JSON.stringify({ ...GOOD, description: 'x'.repeat(70_000) }), 'application/json', 413],
  ])('HTTP refuses %s', async (_name, body, type, status) => {
    const response = await server.post('/api/cases', body, type);
    expect(response.status).toBe(status);
    expect(await response.json()).toHaveProperty('error.message');
  });

  it.each([
    ['an NDJSON line that is not JSON', `${JSON.stringify(GOOD)}\n{oops`, 'application/x-ndjson', 400, 'line 2 is not JSON'],
    ['a JSON object instead of an array', JSON.stringify(GOOD), 'application/json', 400, 'must be an array'],
    ['an empty body', '\n\n', 'application/x-ndjson', 400, 'no reports'],
    ['10,001 reports', Array.from({ length: 10_001 }, (_, i) => JSON.stringify({ ...GOOD, reportId: `many-${i}` })).join('\n'), 'application/x-ndjson', 413, 'at most 10000'],
  ])('bulk refuses %s as a whole', async (_name, body, type, status, message) => {
    const response = await server.post('/api/cases/bulk', body, type);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
  });

  it.each([
    ['an unknown area', { area: '110108999', protocol: LIVE_PROTOCOL }, 'area must be the code'],
    ['no area', { protocol: LIVE_PROTOCOL }, 'area must be the code'],
    ['a negative since', { area: '110108', since: -1, protocol: LIVE_PROTOCOL }, 'since must be a sequence number'],
  ])('area:watch refuses %s', async (_name, request, message) => {
    const ack = await socket.timeout(5000).emitWithAck('area:watch', request as { area: string; protocol: number });
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((ack as { ok: false; error: { message: string } }).error.message).toContain(message);
  });

  it.each([
    ['no protocol (a client from before the packed wire)', { area: '110108' }, 'the client reads 1'],
    ['another protocol', { area: '110108', protocol: LIVE_PROTOCOL + 1 }, `the client reads ${LIVE_PROTOCOL + 1}`],
    ['a protocol that is not a number', { area: '110108', protocol: 'latest' }, 'the client reads "latest"'],
  ] as [string, { area: string; protocol?: unknown }, string][])('area:watch refuses %s (see live-protocol.test.ts)', async (_name, request, message) => {
    const ack = await socket.timeout(5000).emitWithAck('area:watch', request as { area: string; protocol: number });
    expect(ack).toMatchObject({ ok: false, error: { code: 'protocol_mismatch' } });
    expect((ack as { ok: false; error: { message: string } }).error.message).toContain(message);
  });

  it('case:range before any watch is refused', async () => {
    const other = connect(server.baseUrl);
    try {
      expect(await other.timeout(5000).emitWithAck('case:range', { from: 1, to: 2 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    } finally {
      other.close();
    }
  });

  it('a socket report without an acknowledgement callback, or of junk, does not disturb the server', async () => {
    // Untyped on purpose: what a misbehaving client can send.
    const raw = socket as unknown as { emit: (...args: unknown[]) => void };
    raw.emit('case:report', 'not an object');
    raw.emit('case:report');
    raw.emit('no-such-event', { a: 1 });
    expect(await reportOverSocket(socket, null as never)).toMatchObject({ ok: false, error: { message: 'a report must be a JSON object' } });
  });

  it('a staff channel without a session, or claimed by a role that does not file, or open311 outside its door, is refused', async () => {
    const analyst = await server.server.auth.createAccount({ username: `analyst-${driver}`, displayName: 'Analyst', role: 'analyst', password: 'analyst-password-1' });
    const signIn = await server.post('/api/session', JSON.stringify({ username: analyst.username, password: 'analyst-password-1' }), 'application/json', null);
    const analystToken = ((await signIn.json()) as { token: string }).token;
    const report = (channel: string, id: string): string => JSON.stringify({ ...GOOD, reportId: `${id}-${driver}`, channel });
    const refusals: [string, Response, number, string][] = [
      ['patrol, no session', await server.post('/api/cases', report('patrol', 'anon-patrol'), 'application/json', null), 401, 'unauthenticated'],
      ['hotline, no session', await server.post('/api/cases', report('hotline', 'anon-hotline'), 'application/json', null), 401, 'unauthenticated'],
      ['patrol, an analyst', await server.post('/api/cases', report('patrol', 'analyst-patrol'), 'application/json', analystToken), 403, 'forbidden'],
      ['open311 on /api/cases', await server.post('/api/cases', report('open311', 'fake-311'), 'application/json'), 403, 'forbidden'],
      ['bulk, no session', await server.post('/api/cases/bulk', `[${report('hotline', 'anon-bulk')}]`, 'application/json', null), 401, 'unauthenticated'],
      ['bulk, an analyst', await server.post('/api/cases/bulk', `[${report('hotline', 'analyst-bulk')}]`, 'application/json', analystToken), 403, 'forbidden'],
      ['bulk claiming open311', await server.post('/api/cases/bulk', `[${report('hotline', 'bulk-ok')},${report('open311', 'bulk-311')}]`), 403, 'forbidden'],
    ];
    for (const [what, response, status, code] of refusals) {
      expect(response.status, what).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code, what).toBe(code);
    }
    const anonymous = connect(server.baseUrl);
    try {
      expect(await reportOverSocket(anonymous, { ...GOOD, reportId: `anon-sock-${driver}`, channel: 'patrol' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(await reportOverSocket(anonymous, { ...GOOD, reportId: `anon-311-${driver}`, channel: 'open311' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      anonymous.close();
    }
  });

  it('after all of that nothing was stored and the server is healthy', async () => {
    expect(await server.db.store.cases.count()).toBe(casesBefore);
    expect((await server.get('/healthz')).status).toBe(200);
    const response = await server.post('/api/cases', JSON.stringify({ ...GOOD, reportId: `after-${driver}` }));
    expect(response.status).toBe(201);
    // A resident needs no account.
    const resident = await server.post('/api/cases', JSON.stringify({ ...GOOD, reportId: `resident-${driver}`, lng: 116.312 }), 'application/json', null);
    expect(resident.status).toBe(201);
  });
});
