import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/access/actor.ts';
import type { Clock } from '../../core/time/clock.ts';
import { seedDemoAccounts } from '../../server/auth/demo-accounts.ts';
import { actorOf, parseCookies, requireRole } from '../../server/http/authenticate.ts';
import { registerSessionRoutes } from '../../server/http/session.routes.ts';
import { actorOfHandshake } from '../../server/realtime/socket-auth.ts';
import { AccountError, createAuthService, type AuthService } from '../../server/services/auth.service.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const STREET = '110108016';
const PASSWORDS = {
  admin: 'Admin-pass-0001-xyz',
  analyst: 'Analyst-pass-0002-xyz',
  worker: 'Worker-pass-0003-xyz',
  dispatcher: 'Dispatch-pass-0004-xyz',
  staff: 'Staff-pass-0005-xyz',
  victim: 'Victim-pass-0006-xyz',
  burst: 'Burst-pass-0007-xyz',
  ip: 'Ip-pass-0008-xyz',
  cleared: 'Cleared-pass-0009-xyz',
  disabled: 'Disabled-pass-0010-xyz',
  logged: 'Logged-pass-0011-xyz',
} as const;
/** Every password any test sends, right or wrong: none may come back in a response or a log line. */
const SECRETS = new Set<string>([...Object.values(PASSWORDS), 'Wrong-guess-0001', 'Wrong-guess-0002', 'Wrong-guess-0003']);

class TestClock implements Clock {
  t = Date.parse('2025-03-03T01:00:00Z');
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown> & { error?: { code: string; message: string; retryAfterSeconds?: number } };
}

function expectNoSecrets(text: string, where: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} contains a password`).toBe(false);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe.each(storeDrivers())('sign-in and sessions (%s)', (driver) => {
  let server: TestServer;
  let auth: AuthService;
  const clock = new TestClock();
  let workerPerson: { id: string; grids: string[] };
  let staffPerson: { id: string; department: string };

  async function call(method: string, path: string, options: { body?: string; contentType?: string; token?: string; cookie?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.cookie) headers['cookie'] = options.cookie;
    const response = await fetch(server.baseUrl + path, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
    const text = await response.text();
    expectNoSecrets(text, `${method} ${path} body`);
    expectNoSecrets(JSON.stringify([...response.headers]), `${method} ${path} headers`);
    return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Answer['body']) : {} };
  }

  const signIn = (username: string, password: string): Promise<Answer> => call('POST', '/api/session', { body: JSON.stringify({ username, password }) });

  beforeAll(async () => {
    server = await startTestServer(driver, { clock });
    auth = server.server.auth;
    const [worker] = await server.db.sql.query<{ id: string }>(
      `SELECT p.id FROM personnel p WHERE p.street_code = $1 AND p.department_code = 'street-office'
         AND EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = p.id) ORDER BY p.id LIMIT 1`,
      [STREET],
    );
    const grids = await server.db.sql.query<{ grid_code: string }>('SELECT grid_code FROM assignments WHERE person_id = $1 ORDER BY grid_code', [worker!.id]);
    workerPerson = { id: worker!.id, grids: grids.map((g) => g.grid_code) };
    const [staff] = await server.db.sql.query<{ id: string; department_code: string }>(
      "SELECT id, department_code FROM personnel WHERE street_code = $1 AND department_code = 'urban-enforcement' ORDER BY id LIMIT 1",
      [STREET],
    );
    staffPerson = { id: staff!.id, department: staff!.department_code };

    await auth.createAccount({ username: 'Admin', displayName: '管理员', role: 'admin', password: PASSWORDS.admin });
    await auth.createAccount({ username: 'analyst', displayName: '分析员', role: 'analyst', password: PASSWORDS.analyst });
    await auth.createAccount({ username: 'worker', displayName: '网格员', role: 'grid-worker', personId: workerPerson.id, password: PASSWORDS.worker });
    await auth.createAccount({ username: 'dispatcher', displayName: '香山调度', role: 'street-dispatcher', streetCode: STREET, password: PASSWORDS.dispatcher });
    await auth.createAccount({ username: 'staff', displayName: '城管', role: 'department-staff', personId: staffPerson.id, password: PASSWORDS.staff });
    for (const name of ['victim', 'burst', 'ip', 'cleared', 'disabled', 'logged'] as const) {
      await auth.createAccount({ username: name, displayName: name, role: 'analyst', password: PASSWORDS[name] });
    }
  });
  afterAll(() => server?.close());

  // Every test's requests come from 127.0.0.1: a quarter of an hour between tests lets the
  // per-IP failure count of one test lapse before the next.
  beforeEach(() => clock.advance(16 * 60_000));

  describe('signing in and out', () => {
    it('signs in: the token, the actor and the expiry, and an HttpOnly SameSite=Strict cookie', async () => {
      const answer = await signIn('admin', PASSWORDS.admin);
      expect(answer.status).toBe(200);
      const token = answer.body['token'] as string;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(answer.body['expiresAt']).toBe(new Date(clock.t + 12 * 3_600_000).toISOString());
      expect(answer.body['actor']).toEqual({
        accountId: expect.stringMatching(/^acc-/),
        role: 'admin',
        name: '管理员',
        personId: null,
        streetCode: null,
        departmentCode: null,
        gridCodes: [],
      } satisfies Record<keyof Actor, unknown>);
      const cookie = answer.headers.get('set-cookie')!;
      expect(cookie).toContain(`gc_session=${token}`);
      expect(cookie).toMatch(/;\s*HttpOnly/);
      expect(cookie).toMatch(/;\s*SameSite=Strict/);
      expect(cookie).toMatch(/;\s*Path=\/(;|$)/);
    });

    it('accepts the session by bearer token and by cookie, and ends it on DELETE', async () => {
      const { body } = await signIn('admin', PASSWORDS.admin);
      const token = body['token'] as string;
      const byBearer = await call('GET', '/api/session', { token });
      expect(byBearer.status).toBe(200);
      expect((byBearer.body['actor'] as Actor).role).toBe('admin');
      const byCookie = await call('GET', '/api/session', { cookie: `theme=dark; gc_session=${token}; lang=zh` });
      expect(byCookie.status).toBe(200);
      expect(byCookie.body['actor']).toEqual(byBearer.body['actor']);

      const out = await call('DELETE', '/api/session', { cookie: `gc_session=${token}` });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^gc_session=;.*Max-Age=0/);
      for (const options of [{ token }, { cookie: `gc_session=${token}` }]) {
        const after = await call('GET', '/api/session', options);
        expect(after.status).toBe(200);
        expect(after.body).toEqual({ actor: null });
      }
      // Everything else that needs a session still refuses the ended one.
      expect((await call('GET', '/api/cases?area=110108', { token })).status).toBe(401);
      // Signing out twice, or without a session, is fine.
      expect((await call('DELETE', '/api/session', { token })).status).toBe(204);
      expect((await call('DELETE', '/api/session')).status).toBe(204);
    });

    it('answers GET /api/session with 200 {"actor": null} without a session or with a made-up token', async () => {
      for (const options of [{}, { token: 'A'.repeat(43) }, { token: 'not-a-token' }, { cookie: 'gc_session=' }, { cookie: 'gc_session=B' }]) {
        const answer = await call('GET', '/api/session', options);
        expect(answer.status, JSON.stringify(options)).toBe(200);
        expect(answer.text, JSON.stringify(options)).toBe('{"actor":null}');
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        expect(answer.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('takes usernames regardless of case and spaces around them', async () => {
      expect((await signIn('  ADMIN ', PASSWORDS.admin)).status).toBe(200);
    });

    it('gives a grid worker the grids the roster assigns them, and a street dispatcher their street', async () => {
      const worker = (await signIn('worker', PASSWORDS.worker)).body['actor'] as Actor;
      expect(worker).toMatchObject({ role: 'grid-worker', personId: workerPerson.id, streetCode: STREET, departmentCode: null });
      expect(worker.gridCodes).toEqual(workerPerson.grids);
      expect(worker.gridCodes.length).toBeGreaterThan(0);
      const staff = (await signIn('staff', PASSWORDS.staff)).body['actor'] as Actor;
      expect(staff).toMatchObject({ role: 'department-staff', personId: staffPerson.id, departmentCode: 'urban-enforcement', streetCode: STREET });
      expect(staff.gridCodes.length).toBeGreaterThan(0);
      const dispatcher = (await signIn('dispatcher', PASSWORDS.dispatcher)).body['actor'] as Actor;
      expect(dispatcher).toMatchObject({ role: 'street-dispatcher', streetCode: STREET, personId: null, gridCodes: [] });
    });

    it('stores neither the token nor the password: a SHA-256 of the one and an scrypt hash of the other', async () => {
      const token = (await signIn('analyst', PASSWORDS.analyst)).body['token'] as string;
      const sessions = await server.db.sql.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
      expect(sessions.map((s) => s.token_hash)).toContain(sha256(token));
      expect(JSON.stringify(sessions)).not.toContain(token);
      const accounts = await server.db.sql.query<{ password_hash: string }>('SELECT password_hash FROM accounts');
      expect(accounts.every((a) => a.password_hash.startsWith('scrypt$32768$8$1$'))).toBe(true);
      expectNoSecrets(JSON.stringify(accounts), 'accounts table');
    });
  });

  describe('refusals', () => {
    it('refuses a wrong password and an unknown username alike: 401, same code, same message', async () => {
      const wrong = await signIn('admin', 'Wrong-guess-0001');
      const unknown = await signIn('nobody-here', 'Wrong-guess-0001');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual({ error: { code: 'wrong_credentials', message: 'wrong username or password' } });
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.headers.get('set-cookie')).toBeNull();
    });

    it('spends as long on an unknown username as on a wrong password (a dummy hash is checked)', async () => {
      const time = async (username: string): Promise<number> => {
        const started = performance.now();
        await auth.signIn(username, 'Wrong-guess-0002', `10.1.0.${username.length}`);
        return performance.now() - started;
      };
      await time('admin'); // warm the dummy hash
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 3; i++) {
        known.push(await time('admin'));
        unknown.push(await time(`ghost-${i}`));
        clock.advance(16 * 60_000);
      }
      const median = (xs: number[]): number => xs.sort((a, b) => a - b)[1]!;
      // scrypt dominates both (tens of ms); a missing hash would make the unknown one ~100× faster.
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
    });

    it('refuses a disabled account even with the right password, and ends its sessions', async () => {
      const token = (await signIn('disabled', PASSWORDS.disabled)).body['token'] as string;
      expect((await call('GET', '/api/session', { token })).status).toBe(200);
      await auth.setDisabled('disabled', true);
      expect((await call('GET', '/api/session', { token })).body).toEqual({ actor: null });
      const refused = await signIn('disabled', PASSWORDS.disabled);
      expect(refused.status).toBe(401);
      expect(refused.body.error?.code).toBe('account_disabled');
      // A disabled account's session is refused even if it somehow survived (the lookup checks).
      await auth.setDisabled('disabled', false);
      const again = (await signIn('disabled', PASSWORDS.disabled)).body['token'] as string;
      const account = (await server.db.store.accounts.byUsername('disabled'))!;
      await server.db.store.accounts.setDisabled(account.id, true);
      expect((await call('GET', '/api/session', { token: again })).body).toEqual({ actor: null });
      await server.db.store.accounts.setDisabled(account.id, false);
      expect(((await call('GET', '/api/session', { token: again })).body['actor'] as Actor | null)?.role).toBe('analyst');
    });

    it('expires a session 12 hours after sign-in (injected clock)', async () => {
      const token = (await signIn('analyst', PASSWORDS.analyst)).body['token'] as string;
      clock.advance(12 * 3_600_000 - 1000);
      expect(((await call('GET', '/api/session', { token })).body['actor'] as Actor | null)?.role).toBe('analyst');
      clock.advance(1000);
      const expired = await call('GET', '/api/session', { token });
      expect(expired.status).toBe(200);
      expect(expired.body).toEqual({ actor: null });
      expect((await call('GET', '/api/cases?area=110108', { token })).body.error?.code).toBe('unauthenticated');
    });

    it('locks a username out after 5 failures: 429 with Retry-After, even for the right password, doubling', async () => {
      for (let i = 0; i < 5; i++) {
        const answer = await signIn('victim', 'Wrong-guess-0003');
        expect(answer.status, `failure ${i + 1}`).toBe(401);
      }
      const locked = await signIn('victim', PASSWORDS.victim);
      expect(locked.status).toBe(429);
      expect(locked.body.error).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 60 });
      expect(locked.headers.get('retry-after')).toBe('60');
      expect(locked.headers.get('set-cookie')).toBeNull();
      const longer = await signIn('victim', PASSWORDS.victim);
      expect(longer.status).toBe(429);
      expect(longer.headers.get('retry-after')).toBe('120');
      clock.advance(121_000);
      const after = await signIn('victim', PASSWORDS.victim);
      expect(after.status).toBe(200);
    });

    it('counts failures per client IP too, across usernames', async () => {
      for (let i = 0; i < 5; i++) expect((await auth.signIn(`guess-${i}`, 'Wrong-guess-0001', '10.2.0.1')).ok).toBe(false);
      const locked = await auth.signIn('ip', PASSWORDS.ip, '10.2.0.1');
      expect(locked).toMatchObject({ ok: false, status: 429, code: 'too_many_attempts' });
      // The account itself is not locked: from elsewhere it signs in.
      expect((await auth.signIn('ip', PASSWORDS.ip, '10.2.0.2')).ok).toBe(true);
    });

    it('clears a username\'s failures on a successful sign-in', async () => {
      for (let i = 0; i < 4; i++) await auth.signIn('cleared', 'Wrong-guess-0001', `10.3.0.${i}`);
      expect((await auth.signIn('cleared', PASSWORDS.cleared, '10.3.1.0')).ok).toBe(true);
      for (let i = 0; i < 4; i++) {
        expect(await auth.signIn('cleared', 'Wrong-guess-0001', `10.3.2.${i}`)).toMatchObject({ ok: false, status: 401 });
      }
      expect((await auth.signIn('cleared', PASSWORDS.cleared, '10.3.3.0')).ok).toBe(true);
    });

    it('cannot be outrun by a burst of parallel guesses', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => auth.signIn('burst', 'Wrong-guess-0002', `10.4.0.${i}`)));
      expect(results.filter((r) => !r.ok && r.status === 401)).toHaveLength(5);
      expect(results.filter((r) => !r.ok && r.status === 429)).toHaveLength(7);
      expect(await auth.signIn('burst', PASSWORDS.burst, '10.4.1.0')).toMatchObject({ ok: false, status: 429 });
    });

    it.each([
      ['not JSON', '{"username": "admin", "password": "Admin-pass-0001-xyz"', 'application/json', 400],
      ['an array', '["admin", "Admin-pass-0001-xyz"]', 'application/json', 400],
      ['a string', '"admin"', 'application/json', 400],
      ['no password', '{"username": "admin"}', 'application/json', 400],
      ['no username', '{"password": "Admin-pass-0001-xyz"}', 'application/json', 400],
      ['a number for a password', '{"username": "admin", "password": 1234567890}', 'application/json', 400],
      ['an unknown field', '{"username": "admin", "password": "Admin-pass-0001-xyz", "remember": true}', 'application/json', 400],
      ['an empty password', '{"username": "admin", "password": ""}', 'application/json', 400],
      ['form data', 'username=admin&password=Admin-pass-0001-xyz', 'application/x-www-form-urlencoded', 415],
      ['plain text', '{"username": "admin", "password": "Admin-pass-0001-xyz"}', 'text/plain', 415],
    ])('refuses %s', async (_what, body, contentType, status) => {
      const answer = await call('POST', '/api/session', { body, contentType });
      expect(answer.status).toBe(status);
      expect(answer.body.error?.code).toBeTruthy();
      expect(answer.headers.get('set-cookie')).toBeNull();
    });

    it('names an unknown field in its 400', async () => {
      const answer = await call('POST', '/api/session', { body: JSON.stringify({ username: 'admin', password: PASSWORDS.admin, remember: true }) });
      expect(answer.body.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('"remember"') });
    });
  });

  describe('accounts', () => {
    const base = { username: 'new-person', displayName: '新人', password: 'Long-enough-pw' };
    it.each([
      ['an unknown role', { ...base, role: 'superuser' }, 'unknown role "superuser"'],
      ['a street dispatcher without a street', { ...base, role: 'street-dispatcher' }, 'needs the 9-digit code'],
      ['a street dispatcher of a street that does not exist', { ...base, role: 'street-dispatcher', streetCode: '110108999' }, 'not the code of a street'],
      ['a malformed street code', { ...base, role: 'street-dispatcher', streetCode: '11010801' }, 'not the code of a street'],
      ['department staff without a department', { ...base, role: 'department-staff' }, 'needs a department'],
      ['department staff of an unknown department', { ...base, role: 'department-staff', departmentCode: 'space-agency' }, 'unknown department "space-agency"'],
      ['an unknown roster person', { ...base, role: 'grid-worker', personId: 'P999999' }, 'no roster person "P999999"'],
      ['a short password', { ...base, role: 'analyst', password: 'Short-pw1' }, 'at least 10 characters'],
      ['a bad username', { ...base, username: 'a b', role: 'analyst' }, 'the username must be'],
      ['a street for a district-wide role', { ...base, role: 'analyst', streetCode: STREET }, 'whole district'],
      ['a taken username, in another case', { ...base, username: 'ANALYST', role: 'analyst' }, 'the username "analyst" is taken'],
    ])('refuses %s with a clear error', async (_what, input, fragment) => {
      const attempt = auth.createAccount(input);
      await expect(attempt).rejects.toBeInstanceOf(AccountError);
      await expect(attempt).rejects.toThrow(fragment);
      const error = (await attempt.catch((e: unknown) => e)) as Error;
      expect(error.message).not.toContain(input.password);
    });

    it('resets a password: the old one stops working and the sessions end', async () => {
      await auth.createAccount({ username: 'resettable', displayName: 'r', role: 'verifier', password: 'First-password-1' });
      const token = (await signIn('resettable', 'First-password-1')).body['token'] as string;
      await auth.resetPassword('resettable', 'Second-password-2');
      expect((await call('GET', '/api/session', { token })).body).toEqual({ actor: null });
      expect((await signIn('resettable', 'First-password-1')).status).toBe(401);
      expect((await signIn('resettable', 'Second-password-2')).status).toBe(200);
      await expect(auth.resetPassword('resettable', 'short')).rejects.toThrow('at least 10 characters');
      await expect(auth.resetPassword('no-such-user', 'Long-enough-pw')).rejects.toThrow('no account');
    });

    it('seeds one demo account per role, scoped from the roster of 香山街道, once', async () => {
      const created = await seedDemoAccounts(server.db.store, auth);
      expect(created.map((a) => a.role).sort()).toEqual(['admin', 'analyst', 'department-staff', 'district-dispatcher', 'grid-worker', 'street-dispatcher', 'verifier']);
      const byRole = new Map(created.map((a) => [a.role, a]));
      const actors = new Map<string, Actor>();
      for (const account of created) {
        expect(account.password.length).toBeGreaterThanOrEqual(20);
        const result = await auth.signIn(account.username, account.password, '10.5.0.1');
        expect(result.ok, account.username).toBe(true);
        if (result.ok) actors.set(account.role, result.actor);
      }
      expect(actors.get('street-dispatcher')).toMatchObject({ streetCode: STREET });
      const worker = actors.get('grid-worker')!;
      expect(worker.personId).toBeTruthy();
      expect(worker.streetCode).toBe(STREET);
      expect(worker.gridCodes.every((g) => g.startsWith(STREET))).toBe(true);
      expect(actors.get('department-staff')).toMatchObject({ departmentCode: 'urban-enforcement', streetCode: STREET });
      expect(actors.get('department-staff')!.personId).toBeTruthy();
      expect(await seedDemoAccounts(server.db.store, auth)).toEqual([]);
      const renewed = await seedDemoAccounts(server.db.store, auth, { resetPasswords: true });
      expect(renewed).toHaveLength(7);
      expect(renewed.find((a) => a.role === 'admin')!.password).not.toBe(byRole.get('admin')!.password);
    });
  });

  describe('re-checking many sessions at once (liveTokens)', () => {
    it('keeps exactly the tokens authenticate would accept: not signed out, expired, disabled, made up or repeated', async () => {
      const live = (await signIn('analyst', PASSWORDS.analyst)).body['token'] as string;
      const signedOut = (await signIn('analyst', PASSWORDS.analyst)).body['token'] as string;
      await call('DELETE', '/api/session', { token: signedOut });
      const ofDisabled = (await signIn('disabled', PASSWORDS.disabled)).body['token'] as string;
      const disabled = (await server.db.store.accounts.byUsername('disabled'))!;
      await server.db.store.accounts.setDisabled(disabled.id, true);
      try {
        const made = 'A'.repeat(43);
        const tokens = [live, signedOut, ofDisabled, made, 'forged', live];
        const answer = await auth.liveTokens(tokens);
        expect([...answer]).toEqual([live]);
        for (const token of tokens) expect(answer.has(token)).toBe((await auth.authenticate(token)) !== undefined);
        clock.advance(12 * 3_600_000);
        expect(await auth.liveTokens([live])).toEqual(new Set());
        expect(await auth.liveTokens([])).toEqual(new Set());
      } finally {
        await server.db.store.accounts.setDisabled(disabled.id, false);
      }
    });
  });

  describe('socket handshake', () => {
    it('finds the actor from handshake.auth.token or from the cookie', async () => {
      const token = (await signIn('analyst', PASSWORDS.analyst)).body['token'] as string;
      expect((await actorOfHandshake({ auth: { token }, headers: {} }, auth))?.role).toBe('analyst');
      expect((await actorOfHandshake({ auth: {}, headers: { cookie: `x=1; gc_session=${token}` } }, auth))?.role).toBe('analyst');
      expect(await actorOfHandshake({ auth: {}, headers: {} }, auth)).toBeUndefined();
      expect(await actorOfHandshake({ auth: { token: 'forged' }, headers: {} }, auth)).toBeUndefined();
    });
  });

  describe('guards and logs (a test-only app over the same store)', () => {
    let app: FastifyInstance;
    const logLines: string[] = [];
    const serviceLines: string[] = [];

    beforeAll(async () => {
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      });
      app = Fastify({ logger: { level: 'trace', stream } });
      const guarded = createAuthService({ store: server.db.store, clock, log: (line) => serviceLines.push(line) });
      registerSessionRoutes(app, guarded);
      app.get('/test/admin-only', { preHandler: requireRole(guarded, 'admin') }, async (request) => ({ actor: await actorOf(request) }));
      app.get('/test/signed-in', { preHandler: requireRole(guarded) }, async (request) => ({ role: (await actorOf(request)).role }));
      app.get('/test/dispatchers', { preHandler: requireRole(guarded, 'district-dispatcher', 'street-dispatcher') }, async () => ({ ok: true }));
      await app.ready();
    });
    afterAll(() => app?.close());

    const inject = async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: string): Promise<{ status: number; body: Answer['body']; raw: string }> => {
      const response = await app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
      expectNoSecrets(response.body, `${method} ${url}`);
      expectNoSecrets(JSON.stringify(response.headers), `${method} ${url} headers`);
      return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Answer['body']) : {}, raw: response.body };
    };
    const json = { 'content-type': 'application/json' };

    it('requireRole: 401 without a valid session, 403 for another role, through for the right one', async () => {
      const none = await inject('GET', '/test/admin-only');
      expect(none.status).toBe(401);
      expect(none.body.error?.code).toBe('unauthenticated');
      expect((await inject('GET', '/test/admin-only', { authorization: 'Bearer forged-token' })).status).toBe(401);

      const analyst = (await inject('POST', '/api/session', json, JSON.stringify({ username: 'analyst', password: PASSWORDS.analyst }))).body['token'] as string;
      const admin = (await inject('POST', '/api/session', json, JSON.stringify({ username: 'admin', password: PASSWORDS.admin }))).body['token'] as string;
      const forbidden = await inject('GET', '/test/admin-only', { authorization: `Bearer ${analyst}` });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error?.code).toBe('forbidden');
      expect((await inject('GET', '/test/dispatchers', { cookie: `gc_session=${admin}` })).status).toBe(403);

      const allowed = await inject('GET', '/test/admin-only', { cookie: `gc_session=${admin}` });
      expect(allowed.status).toBe(200);
      expect((allowed.body['actor'] as Actor).role).toBe('admin');
      expect((await inject('GET', '/test/signed-in', { authorization: `Bearer ${analyst}` })).body).toEqual({ role: 'analyst' });
      expect((await inject('GET', '/test/signed-in')).status).toBe(401);
    });

    it('never writes a password to a log line (fastify at trace level, the service log), whatever happens', async () => {
      const attempts: [string, string][] = [
        ['logged', PASSWORDS.logged],
        ['logged', 'Wrong-guess-0001'],
        ['nobody', 'Wrong-guess-0002'],
        ...Array.from({ length: 5 }, (): [string, string] => ['logged', 'Wrong-guess-0003']),
        ['logged', PASSWORDS.logged],
      ];
      for (const [username, password] of attempts) await inject('POST', '/api/session', json, JSON.stringify({ username, password }));
      await inject('POST', '/api/session', json, `{"username": "logged", "password": "${PASSWORDS.logged}"`);
      await inject('POST', '/api/session', json, JSON.stringify({ username: 'logged', password: PASSWORDS.logged, extra: PASSWORDS.logged }));
      await inject('POST', '/api/session', { 'content-type': 'text/plain' }, PASSWORDS.logged);
      await inject('POST', '/api/session', json, JSON.stringify({ username: PASSWORDS.logged, password: 12 }));

      expect(logLines.length).toBeGreaterThan(20);
      expect(logLines.join('')).toContain('/api/session');
      expect(serviceLines.some((l) => l.includes('locked'))).toBe(true);
      expectNoSecrets(logLines.join('\n'), 'fastify log');
      expectNoSecrets(serviceLines.join('\n'), 'service log');
    });
  });

  it('parses cookie headers', () => {
    expect([...parseCookies('a=1; gc_session="abc"; b=%20x; =bad; novalue; gc_session=second')]).toEqual([
      ['a', '1'],
      ['gc_session', 'abc'],
      ['b', ' x'],
    ]);
  });
});
