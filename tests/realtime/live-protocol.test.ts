import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectionState, LiveConnection, type LiveSocket } from '../../client/live/live-connection.ts';
import { LIVE_PROTOCOL } from '../../core/protocol/live-wire.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { connect } from '../fixtures/test-watcher.ts';

/** The server's side: one store is enough (the check comes before the store is asked anything). */
describe('the server and a client of another live wire version', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.close());

  it('refuses its watch and sends it nothing; the same socket watching in this version is answered', async () => {
    const socket = connect(server.baseUrl, server.token);
    try {
      const frames: unknown[] = [];
      socket.on('case:events', (batch) => frames.push(batch));
      socket.on('case:mark', (mark) => frames.push(mark));
      // What a page from before the version was sent asks.
      expect(await socket.timeout(10_000).emitWithAck('area:watch', { area: '110108' } as { area: string; protocol: number })).toMatchObject({ ok: false, error: { code: 'protocol_mismatch' } });
      const report = { reportId: 'protocol-old-page', category: 'E0102', lng: 116.31, lat: 39.98 };
      expect((await server.post('/api/cases', JSON.stringify(report))).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(frames).toEqual([]);
      expect(await socket.timeout(10_000).emitWithAck('area:watch', { area: '110108', protocol: LIVE_PROTOCOL })).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  });
});

/**
 * The web client's side of the live wire's version: a page older or newer than its server is told
 * so by the watch's refusal and asks to be loaded again. The server here is a real socket.io server
 * on loopback that answers `area:watch` as a server of another version does (the product's refusal
 * itself is tested in bad-input.test.ts).
 */
describe('a page whose live wire is another version than its server', () => {
  let http: HttpServer;
  let url: string;
  const requests: unknown[] = [];

  beforeAll(async () => {
    http = createServer();
    const server = new Server(http);
    server.on('connection', (socket) => {
      socket.on('area:watch', (request: unknown, ack: (result: unknown) => void) => {
        requests.push(request);
        ack({ ok: false, error: { code: 'protocol_mismatch', message: `this server sends live events in protocol ${LIVE_PROTOCOL + 1}, the client reads ${LIVE_PROTOCOL}: load the page again` } });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  it('sends its version with the watch, shows the refusal and asks for the page once', async () => {
    const states: ConnectionState[] = [];
    let reloads = 0;
    const connection = new LiveConnection({
      url,
      area: '110108',
      connect: (to) => io(to, { transports: ['websocket'], reconnection: false, forceNew: true }) as LiveSocket,
      handlers: {
        onState: (state) => states.push(state),
        onReset: () => undefined,
        onEvents: () => undefined,
        onSessionEnded: () => undefined,
        onProtocolChanged: () => reloads++,
      },
    });
    try {
      await expect.poll(() => reloads, { timeout: 10_000 }).toBe(1);
      expect(requests).toEqual([{ area: '110108', protocol: LIVE_PROTOCOL }]);
      expect(connection.current).toMatchObject({ kind: 'refused', code: 'protocol_mismatch' });
      expect(states.at(-1)).toMatchObject({ kind: 'refused', code: 'protocol_mismatch' });
      // Refused, it does not ask again by itself (a reload is the way out).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([requests.length, reloads]).toEqual([1, 1]);
    } finally {
      connection.close();
    }
  });
});
