import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { BulkResult, CaseAck } from '../../core/protocol/cases-api.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { Watcher } from '../fixtures/test-watcher.ts';

const STREET = '110108016';
const MAX_PENDING_BYTES = 64 * 1024;

describe.each(storeDrivers())('a dashboard too slow to follow (%s)', (driver) => {
  let server: TestServer;
  let proxy: TcpProxy;
  let points: LngLat[];

  beforeAll(async () => {
    server = await startTestServer(driver, { broadcastTickMs: 20, maxPendingBytes: MAX_PENDING_BYTES });
    proxy = await startTcpProxy('127.0.0.1', Number(new URL(server.baseUrl).port));
    points = await pointsInStreet(server.db.store, server.geography, STREET, 600, 60, 17);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('is dropped once too much waits for it, while the others go on; it reconnects and gets everything it missed, in order, once', async () => {
    // Over HTTP long-polling the server holds a stalled client's packets in its own buffer at once;
    // over a WebSocket they would first fill the kernel's buffers (megabytes on loopback). The limit
    // and the drop are the same for both (pendingBytes counts either).
    const slow = await Watcher.start(`http://127.0.0.1:${proxy.port}`, STREET, server.token, 'polling');
    const steady = await Watcher.start(server.baseUrl, STREET, server.token);
    try {
      const onServer = server.server.io.of('/').sockets.get(slow.socket.id!);
      expect(onServer).toBeDefined();
      const dropped = new Promise<string>((resolve) => onServer!.on('disconnect', resolve));
      proxy.hold();
      const body = (await (
        await server.post('/api/cases/bulk', points.map(([lng, lat], i) => JSON.stringify({ reportId: `slow-${driver}-${i}`, category: 'E0102', lng, lat, description: `慢速看板测试 ${i}` })).join('\n'), 'application/x-ndjson')
      ).json()) as BulkResult;
      expect(body.accepted).toBe(600);
      const numbers = body.results.map((r) => (r as { data: CaseAck }).data.caseNumber);

      const notDropped = new Promise<string>((resolve) => setTimeout(() => resolve('still connected after 15 s'), 15_000).unref());
      expect(await Promise.race([dropped, notDropped])).toBe('server namespace disconnect');
      await steady.expectAllInSequenceOnce(numbers);
      expect(steady.socket.connected).toBe(true);

      // The stalled link comes back: the client reads what was held, learns it was dropped, and
      // catches up from the last sequence number it saw.
      proxy.release();
      await slow.waitFor(() => !slow.socket.connected, 30_000, 'the slow dashboard to notice it was dropped');
      expect(slow.createdNumbers().length).toBeLessThan(numbers.length);
      await slow.reconnect();
      await slow.expectAllInSequenceOnce(numbers);
      expect(slow.createdNumbers().filter((n) => numbers.includes(n))).toEqual(numbers);
    } finally {
      proxy.release();
      slow.close();
      steady.close();
    }
  });
});
