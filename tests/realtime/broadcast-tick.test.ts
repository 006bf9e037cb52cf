import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { connect, reportOverSocket, Watcher, type ClientSocket } from '../fixtures/test-watcher.ts';

const STREET = '110108011'; // 中关村街道
/** Long, so that "at once" and "at the tick's end" are seconds apart whatever the machine's load. */
const TICK_MS = 1_500;

// The broadcaster's timing does not depend on the store: the embedded one is enough.
describe('broadcasts go out at most once per tick, the first after a quiet tick at once (pglite)', () => {
  let server: TestServer;
  let points: LngLat[];
  let socket: ClientSocket;
  let watcher: Watcher;

  beforeAll(async () => {
    server = await startTestServer('pglite', { broadcastTickMs: TICK_MS });
    points = await pointsInStreet(server.db.store, server.geography, STREET, 4, 60, 21);
    socket = connect(server.baseUrl, server.token);
    watcher = await Watcher.start(server.baseUrl, STREET, server.token);
  });
  afterAll(async () => {
    watcher?.close();
    socket?.close();
    await server?.close();
  });

  const report = async (k: number): Promise<{ number: string; ackedAt: number }> => {
    const [lng, lat] = points[k]!;
    const ack = await reportOverSocket(socket, { reportId: `tick-${k}`, category: 'E0102', lng, lat, channel: 'patrol' });
    if (!ack.ok) throw new Error(`report ${k} refused: ${JSON.stringify(ack)}`);
    return { number: ack.data.caseNumber, ackedAt: Date.now() };
  };
  const arrival = async (number: string): Promise<number> => {
    await watcher.waitFor(() => watcher.createdNumbers().includes(number), 10_000, `case ${number}`);
    return Date.now();
  };

  it('sends a case committed after a quiet tick at once, and one committed within the tick at its end', async () => {
    await new Promise((resolve) => setTimeout(resolve, TICK_MS + 200));
    const first = await report(0);
    const firstArrived = await arrival(first.number);
    // Waiting for the tick (as every broadcast once did) would take TICK_MS after the commit.
    expect(firstArrived - first.ackedAt).toBeLessThan(TICK_MS - 500);

    const second = await report(1);
    const secondArrived = await arrival(second.number);
    // Committed right after the first broadcast: it waits for that tick's end.
    expect(secondArrived - firstArrived).toBeGreaterThan(TICK_MS - 300);
    expect(watcher.frameRanges.length).toBe(2);
  });
});
