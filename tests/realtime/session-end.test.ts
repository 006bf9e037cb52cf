import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { LIVE_PROTOCOL } from '../../core/protocol/live-wire.ts';
import { connect } from '../fixtures/test-watcher.ts';

describe.each(storeDrivers())('a dashboard whose session ends (%s)', (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(driver, { sessionCheckMs: 200 });
  });
  afterAll(() => server?.close());

  it('is disconnected once signed out, and refused the watch when it comes back without a session', async () => {
    const account = await server.server.auth.createAccount({ username: `leaver-${driver}`, displayName: 'Leaver', role: 'district-dispatcher', password: 'leaver-password-1' });
    const signIn = await server.post('/api/session', JSON.stringify({ username: account.username, password: 'leaver-password-1' }), 'application/json', null);
    const { token } = (await signIn.json()) as { token: string };
    // A second session of the same account, on two sockets, stays: the check ends only the sessions that ended.
    const staying = (await (await server.post('/api/session', JSON.stringify({ username: account.username, password: 'leaver-password-1' }), 'application/json', null)).json()) as { token: string };
    const socket = connect(server.baseUrl, token);
    const others = [connect(server.baseUrl, staying.token), connect(server.baseUrl, staying.token)];
    try {
      for (const s of [socket, ...others]) expect(await s.timeout(10_000).emitWithAck('area:watch', { area: '110108', protocol: LIVE_PROTOCOL })).toMatchObject({ ok: true });
      let othersDisconnected = 0;
      for (const s of others) s.on('disconnect', () => othersDisconnected++);
      const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      const signOut = await fetch(`${server.baseUrl}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      expect(signOut.status).toBe(204);
      expect(await disconnected).toBe('io server disconnect');
      // Several more checks (every 200 ms here) leave the live session's sockets be.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(othersDisconnected).toBe(0);
      for (const s of others) expect(await s.timeout(10_000).emitWithAck('area:watch', { area: '110108', protocol: LIVE_PROTOCOL })).toMatchObject({ ok: true });
    } finally {
      socket.close();
      for (const s of others) s.close();
    }
    const again = connect(server.baseUrl, token);
    try {
      expect(await again.timeout(10_000).emitWithAck('area:watch', { area: '110108', protocol: LIVE_PROTOCOL })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    } finally {
      again.close();
    }
  });
});
