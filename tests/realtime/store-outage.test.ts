import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import { createStore } from '../../server/store/create-store.ts';
import { openPgClient } from '../../server/store/pg/open-pg-client.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy.ts';
import { openTestStore, type TestStore } from '../fixtures/test-databases.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { connect, reportOverSocket, type ClientSocket } from '../fixtures/test-watcher.ts';

const report = (reportId: string, i: number): Record<string, unknown> => ({ reportId, category: 'E0102', lng: 116.30 + i * 0.001, lat: 39.97 });

// The embedded store lives in the server's own process: it cannot go away on its own.
describe.runIf(storeDrivers().includes('pg'))('the PostgreSQL server going away during intake', () => {
  let db: TestStore;
  let proxy: TcpProxy;
  let server: TestServer;
  let socket: ClientSocket;

  beforeAll(async () => {
    db = await openTestStore('pg');
    const url = new URL(db.location);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(proxy.port);
    const store = await createStore(await openPgClient(url.toString(), 4));
    server = await startTestServer('pg', {}, { ...db, store, dispose: async () => store.close() });
    socket = connect(server.baseUrl, server.token);
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
    await server?.db.dispose();
    await proxy?.close();
    await db?.dispose();
  });

  it('takes reports while the database answers', async () => {
    const response = await server.post('/api/cases', JSON.stringify(report('before-1', 1)));
    expect(response.status).toBe(201);
  });

  it('answers 503 with a retry hint while the database is gone, over HTTP and the socket, and stays up', async () => {
    await proxy.cut();
    const response = await server.post('/api/cases', JSON.stringify(report('during-1', 2)));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ error: { code: 'store_unavailable' } });
    expect(await reportOverSocket(socket, report('during-2', 3))).toMatchObject({ ok: false, error: { code: 'store_unavailable', retryAfterSeconds: 5 } });
    const bulk = await server.post('/api/cases/bulk', JSON.stringify([report('during-3', 4)]));
    expect(bulk.status).toBe(503);
    expect((await server.get('/healthz')).status).toBe(503);
    // Validation still answers without the database (for a resident: a staff session would need checking first).
    expect((await server.post('/api/cases', JSON.stringify({ reportId: 'x' }), 'application/json', null)).status).toBe(400);
  });

  it('resumes by itself when the database returns, without a restart, and a retry stores each report once', async () => {
    await proxy.restore();
    let response: Response | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      response = await server.post('/api/cases', JSON.stringify(report('during-1', 2)));
      if (response.status !== 503) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(response!.status).toBe(201);
    expect(((await response!.json()) as CaseAck).replayed).toBe(false);
    expect(await reportOverSocket(socket, report('during-2', 3))).toMatchObject({ ok: true, data: { replayed: false } });
    expect((await server.get('/healthz')).status).toBe(200);
    const [row] = await db.sql.query<{ n: number; ids: string[] }>("SELECT count(*)::int AS n, array_agg(report_id ORDER BY report_id) AS ids FROM cases WHERE report_id LIKE 'before-%' OR report_id LIKE 'during-%'");
    expect(row).toEqual({ n: 3, ids: ['before-1', 'during-1', 'during-2'] });
  });
});
