import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../core/evaluation/evaluation-figures.ts';
import type { MutualScore } from '../../core/evaluation/mutual-rating.ts';
import type { NewAccountInput } from '../../server/services/auth.service.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

// The server's clock: 2026-04-10 08:00 in Beijing, so the default window is April 2026 (Beijing)
// and the default period 2026H1.
const NOW = new Date('2026-04-10T00:00:00Z');

const INJECTIONS = ["x'; DROP TABLE cases; --", "110108' OR '1'='1", '1); DELETE FROM mutual_ratings; --', '%27%3B%20DROP%20TABLE%20cases%3B--'];

const PASSWORD = 'Evaluation-pass-0001-xyz';

interface ErrorBody {
  error: { code: string; message: string; problems?: { field: string; message: string }[] };
}

interface SignedInAccount {
  readonly id: string;
  readonly token: string;
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe.each(storeDrivers())('evaluation HTTP API (%s)', (driver) => {
  let server: TestServer;
  let street: string;
  let community: string;
  let grid: string;
  let department: string;
  /** Another department, and a street other than `street`. */
  let otherDepartment: string;
  let otherStreet: string;

  /** Street dispatchers of `street` (several raters), one of `otherStreet`. */
  let streetA: SignedInAccount;
  let streetB: SignedInAccount;
  let streetC: SignedInAccount;
  let foreignStreet: SignedInAccount;
  /** Department staff of `department`, and of `otherDepartment`. */
  let staff: SignedInAccount;
  let otherStaff: SignedInAccount;
  let gridWorker: SignedInAccount;
  let verifier: SignedInAccount;
  let analyst: SignedInAccount;
  let admin: SignedInAccount;

  async function signIn(username: string, password: string): Promise<string> {
    const response = await fetch(`${server.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(response.status, `sign-in of ${username}`).toBe(200);
    return (await json<{ token: string }>(response)).token;
  }

  async function account(input: Omit<NewAccountInput, 'password' | 'displayName'>): Promise<SignedInAccount> {
    const created = await server.server.auth.createAccount({ ...input, displayName: input.username, password: PASSWORD });
    return { id: created.id, token: await signIn(input.username, PASSWORD) };
  }

  /** The roster person (by id) of a department. */
  async function personOf(departmentCode: string): Promise<string> {
    const [person] = await server.db.sql.query<{ id: string }>('SELECT id FROM personnel WHERE department_code = $1 ORDER BY id LIMIT 1', [departmentCode]);
    if (!person) throw new Error(`no roster person of department ${departmentCode}`);
    return person.id;
  }

  beforeAll(async () => {
    server = await startTestServer(driver, { clock: { now: () => NOW } });
    const [row] = await server.db.sql.query<{ grid: string; community: string; street: string; department: string }>(
      `SELECT g.code AS grid, g.community_code AS community, g.street_code AS street, (SELECT code FROM departments ORDER BY sort_order LIMIT 1) AS department
       FROM grids g ORDER BY g.code LIMIT 1`,
    );
    ({ grid, community, street, department } = row!);
    const [other] = await server.db.sql.query<{ department: string; street: string }>(
      `SELECT (SELECT d.code FROM departments d WHERE d.code <> $1 AND EXISTS (SELECT 1 FROM personnel p WHERE p.department_code = d.code) ORDER BY d.sort_order LIMIT 1) AS department,
              (SELECT s.code FROM streets s WHERE s.code <> $2 ORDER BY s.code LIMIT 1) AS street`,
      [department, street],
    );
    ({ department: otherDepartment, street: otherStreet } = other!);
    expect(otherDepartment).toBeTruthy();
    expect(otherStreet).toBeTruthy();

    streetA = await account({ username: 'street-a', role: 'street-dispatcher', streetCode: street });
    streetB = await account({ username: 'street-b', role: 'street-dispatcher', streetCode: street });
    streetC = await account({ username: 'street-c', role: 'street-dispatcher', streetCode: street });
    foreignStreet = await account({ username: 'street-other', role: 'street-dispatcher', streetCode: otherStreet });
    staff = await account({ username: 'staff', role: 'department-staff', personId: await personOf(department) });
    otherStaff = await account({ username: 'staff-other', role: 'department-staff', personId: await personOf(otherDepartment) });
    gridWorker = await account({ username: 'worker', role: 'grid-worker', personId: await personOf(department) });
    verifier = await account({ username: 'verifier', role: 'verifier' });
    analyst = await account({ username: 'analyst', role: 'analyst' });
    admin = await account({ username: 'admin', role: 'admin' });
  });
  afterAll(() => server?.close());

  async function expectBadRequest(response: Promise<Response>, fragment: string | RegExp, label = ''): Promise<ErrorBody> {
    const r = await response;
    expect(r.status, label).toBe(400);
    const body = await json<ErrorBody>(r);
    if (typeof fragment === 'string') expect(body.error.message, label).toContain(fragment);
    else expect(body.error.message, label).toMatch(fragment);
    return body;
  }

  async function expectRefused(response: Promise<Response>, status: 401 | 403, label = ''): Promise<void> {
    const r = await response;
    expect(r.status, label).toBe(status);
    expect((await json<ErrorBody>(r)).error.code, label).toBe(status === 401 ? 'unauthenticated' : 'forbidden');
  }

  /** POST with a session (`null`: none); the street dispatcher A by default. */
  const post = (path: string, body: string, token: string | null = streetA.token, contentType = 'application/json'): Promise<Response> =>
    fetch(server.baseUrl + path, { method: 'POST', body, headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const postForm = (form: unknown, token: string | null = streetA.token): Promise<Response> => post('/api/evaluation/mutual', JSON.stringify(form), token);
  /** A street dispatcher's form: their street rates a department. */
  const buildForm = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    period: '2026H1',
    direction: 'area-rates-department',
    areaCode: street,
    departmentCode: department,
    score: 85,
    ...overrides,
  });
  /** A department staff member's form: their department rates an area. */
  const buildStaffForm = (overrides: Record<string, unknown> = {}): Record<string, unknown> => buildForm({ direction: 'department-rates-area', ...overrides });

  /** Row counts and table list: what an injected statement would change. */
  async function fingerprint(): Promise<{ cases: number; ratings: number; tables: string[] }> {
    const [counts] = await server.db.sql.query<{ cases: number; ratings: number }>(
      'SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM mutual_ratings) AS ratings',
    );
    const tables = await server.db.sql.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    return { ...counts!, tables: tables.map((t) => t.tablename) };
  }

  describe('access', () => {
    const FIGURES = '/api/evaluation';
    const SCORES = '/api/evaluation/mutual?direction=area-rates-department';

    it('answers 401 without a session, or with an unknown one, on every route', async () => {
      const before = await fingerprint();
      for (const token of [null, 'x'.repeat(43)]) {
        const label = token === null ? 'no session' : 'unknown session';
        await expectRefused(server.get(FIGURES, token), 401, `GET figures, ${label}`);
        await expectRefused(server.get(SCORES, token), 401, `GET scores, ${label}`);
        await expectRefused(postForm(buildForm(), token), 401, `POST form, ${label}`);
      }
      expect(await fingerprint()).toEqual(before);
    });

    it('answers 403 to a grid worker on every route, and to department staff for the figures and scores', async () => {
      const before = await fingerprint();
      await expectRefused(server.get(FIGURES, gridWorker.token), 403, 'grid worker, figures');
      await expectRefused(server.get(SCORES, gridWorker.token), 403, 'grid worker, scores');
      await expectRefused(postForm(buildForm(), gridWorker.token), 403, 'grid worker, area form');
      await expectRefused(postForm(buildStaffForm(), gridWorker.token), 403, 'grid worker, department form');
      await expectRefused(server.get(FIGURES, staff.token), 403, 'department staff, figures');
      await expectRefused(server.get(SCORES, staff.token), 403, 'department staff, scores');
      expect(await fingerprint()).toEqual(before);
    });

    it('lets the district-wide roles read figures and scores, but not file forms', async () => {
      const before = await fingerprint();
      for (const [role, token] of [
        ['district dispatcher', server.token],
        ['verifier', verifier.token],
        ['analyst', analyst.token],
        ['admin', admin.token],
      ] as const) {
        const figures = await server.get(FIGURES, token);
        expect(figures.status, role).toBe(200);
        expect((await json<EvaluationReport>(figures)).within, role).toBeNull();
        expect((await server.get(SCORES, token)).status, role).toBe(200);
        await expectRefused(postForm(buildForm(), token), 403, `${role}, area form`);
        await expectRefused(postForm(buildStaffForm(), token), 403, `${role}, department form`);
      }
      expect(await fingerprint()).toEqual(before);
    });

    it('lets a street dispatcher read the figures of their own street only, by default within it', async () => {
      const own = await server.get(FIGURES, streetA.token);
      expect(own.status).toBe(200);
      expect(await json<EvaluationReport>(own)).toMatchObject({ groupBy: 'street', within: street, rows: [] });
      const inside = await server.get(`${FIGURES}?groupBy=grid&within=${community}`, streetA.token);
      expect(inside.status).toBe(200);
      expect(await json<EvaluationReport>(inside)).toMatchObject({ groupBy: 'grid', within: community });
      expect((await server.get(`${FIGURES}?groupBy=department&within=${grid}`, streetA.token)).status).toBe(200);

      // Another street's dispatcher: their own street by default, never this one or the district.
      const foreign = await server.get(FIGURES, foreignStreet.token);
      expect(foreign.status).toBe(200);
      expect((await json<EvaluationReport>(foreign)).within).toBe(otherStreet);
      for (const within of [street, community, grid, street.slice(0, 6)]) {
        await expectRefused(server.get(`${FIGURES}?within=${within}`, foreignStreet.token), 403, `foreign street dispatcher, within=${within}`);
      }
      await expectRefused(server.get(`${FIGURES}?within=${street.slice(0, 6)}`, streetA.token), 403, 'street dispatcher, within=the district');
      expect((await server.get(SCORES, streetA.token)).status).toBe(200);
    });

    it('refuses a street dispatcher a form about another street, or rating as a department', async () => {
      const before = await fingerprint();
      await expectRefused(postForm(buildForm(), foreignStreet.token), 403, 'another street');
      await expectRefused(postForm(buildForm({ areaCode: community }), foreignStreet.token), 403, 'a community of another street');
      await expectRefused(postForm(buildStaffForm()), 403, 'department rates area');
      expect(await fingerprint()).toEqual(before);
    });

    it('lets department staff rate areas for their own department only', async () => {
      const before = await fingerprint();
      await expectRefused(postForm(buildStaffForm(), otherStaff.token), 403, 'another department');
      await expectRefused(postForm(buildStaffForm({ departmentCode: otherDepartment }), staff.token), 403, 'another department');
      await expectRefused(postForm(buildForm(), staff.token), 403, 'area rates department');
      expect(await fingerprint()).toEqual(before);

      const filed = await postForm(buildStaffForm({ areaCode: community, score: 77 }), staff.token);
      expect(filed.status).toBe(201);
      expect(await filed.json()).toEqual({
        replaced: false,
        rating: { period: '2026H1', direction: 'department-rates-area', areaCode: community, departmentCode: department, rater: staff.id, score: 77, comment: '', at: NOW.toISOString() },
      });
      const other = await postForm(buildStaffForm({ areaCode: community, departmentCode: otherDepartment, score: 64 }), otherStaff.token);
      expect(other.status).toBe(201);
      const scores = await json<{ rows: MutualScore[] }>(await server.get('/api/evaluation/mutual?direction=department-rates-area&by=pair&minRatings=1'));
      expect(scores.rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ areaCode: community, departmentCode: department, ratings: 1, meanScore: 77, grade: 'B' }),
          expect.objectContaining({ areaCode: community, departmentCode: otherDepartment, ratings: 1, meanScore: 64, grade: 'C' }),
        ]),
      );
      expect(scores.rows).toHaveLength(2);
    });

    it('refuses a form that names its rater (400): the rater is the signed-in account', async () => {
      const before = await fingerprint();
      await expectBadRequest(postForm(buildForm({ rater: streetA.id })), 'leave "rater" out');
      await expectBadRequest(postForm(buildForm({ rater: streetB.id })), 'leave "rater" out');
      await expectBadRequest(postForm(buildStaffForm({ rater: staff.id }), staff.token), 'leave "rater" out');
      await expectBadRequest(postForm(buildForm({ rater: null })), 'leave "rater" out');
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('GET /api/evaluation', () => {
    it('defaults to streets over the current month in Beijing time', async () => {
      const response = await server.get('/api/evaluation');
      expect(response.status).toBe(200);
      expect(await json<EvaluationReport>(response)).toEqual({
        groupBy: 'street',
        within: null,
        department: null,
        from: '2026-03-31T16:00:00.000Z',
        to: '2026-04-30T16:00:00.000Z',
        now: NOW.toISOString(),
        rows: [],
      });
    });

    it('takes dates as Beijing days and date-times with their zone', async () => {
      const body = await json<EvaluationReport>(
        await server.get(`/api/evaluation?groupBy=department&within=${community}&department=${department}&from=2026-03-01&to=2026-03-15T12:00:00%2B08:00`),
      );
      expect(body).toMatchObject({ groupBy: 'department', within: community, department, from: '2026-02-28T16:00:00.000Z', to: '2026-03-15T04:00:00.000Z' });
    });

    it('answers 400 for unknown parameters and values, repeated parameters, and bad windows', async () => {
      await expectBadRequest(server.get('/api/evaluation?group=street'), 'unknown parameter "group"');
      await expectBadRequest(server.get('/api/evaluation?groupBy=ward'), 'must be one of district, street, community, grid, department, person');
      await expectBadRequest(server.get('/api/evaluation?groupBy=street&groupBy=grid'), 'must be given once');
      await expectBadRequest(server.get('/api/evaluation?within=110108999'), '"within" must be the code of');
      await expectBadRequest(server.get('/api/evaluation?within=12345'), '"within" must be the code of');
      await expectBadRequest(server.get(`/api/evaluation?groupBy=street&within=${grid}`), 'cannot group by street within a grid');
      await expectBadRequest(server.get('/api/evaluation?department=no-such-department'), '"department" must be a department code');
      await expectBadRequest(server.get('/api/evaluation?from=2026-02-30'), '"from" must be a date');
      await expectBadRequest(server.get('/api/evaluation?from=2026-03-01T00:00:00'), 'with its zone');
      await expectBadRequest(server.get('/api/evaluation?to=yesterday'), '"to" must be a date');
      await expectBadRequest(server.get('/api/evaluation?from=2026-03-02&to=2026-03-02'), 'must be before');
      await expectBadRequest(server.get('/api/evaluation?from=2026-03-02&to=2026-03-01'), 'must be before');
      await expectBadRequest(server.get('/api/evaluation?from=2025-01-01&to=2026-03-01'), 'at most 400');
      // A from with no to runs to the end of the current month; that too may exceed 400 days.
      await expectBadRequest(server.get('/api/evaluation?from=2024-01-01'), 'at most 400');
    });
  });

  describe('two-way evaluation forms', () => {
    it("stores a form (201) as the signed-in account, replaces the rater's own on a second submission (200), and aggregates them", async () => {
      const first = await postForm(buildForm({ score: 70 }), streetA.token);
      expect(first.status).toBe(201);
      expect(await first.json()).toEqual({
        replaced: false,
        rating: { period: '2026H1', direction: 'area-rates-department', areaCode: street, departmentCode: department, rater: streetA.id, score: 70, comment: '', at: NOW.toISOString() },
      });
      const again = await postForm(buildForm({ score: 90, comment: '响应快' }), streetA.token);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ replaced: true, rating: { rater: streetA.id, score: 90, comment: '响应快' } });
      const stored = await server.db.sql.query<{ rater: string; score: number }>(
        "SELECT rater, score FROM mutual_ratings WHERE period = '2026H1' AND direction = 'area-rates-department' AND area_code = $1 AND department_code = $2",
        [street, department],
      );
      expect(stored).toEqual([{ rater: streetA.id, score: 90 }]);

      const scores = await server.get('/api/evaluation/mutual?direction=area-rates-department&by=pair&minRatings=1');
      expect(scores.status).toBe(200);
      expect(await scores.json()).toMatchObject({
        period: '2026H1',
        direction: 'area-rates-department',
        by: 'pair',
        minRatings: 1,
        rows: [{ areaCode: street, departmentCode: department, ratings: 1, meanScore: 90, grade: 'A' }],
      });
      const notEnough = await json<{ rows: unknown[] }>(await server.get('/api/evaluation/mutual?period=2026H1&direction=area-rates-department'));
      expect(notEnough.rows).toEqual([expect.objectContaining({ departmentCode: department, areaCode: null, ratings: 1, meanScore: null, grade: null })]);
    });

    it('counts the forms of several street dispatchers, one per account', async () => {
      const area = community;
      expect((await postForm(buildForm({ areaCode: area, departmentCode: otherDepartment, score: 80 }), streetA.token)).status).toBe(201);
      expect((await postForm(buildForm({ areaCode: area, departmentCode: otherDepartment, score: 70 }), streetB.token)).status).toBe(201);
      expect((await postForm(buildForm({ areaCode: area, departmentCode: otherDepartment, score: 50 }), streetC.token)).status).toBe(201);
      // C changes their mind: still three forms.
      expect((await postForm(buildForm({ areaCode: area, departmentCode: otherDepartment, score: 96 }), streetC.token)).status).toBe(200);

      const raters = await server.db.sql.query<{ rater: string }>(
        "SELECT rater FROM mutual_ratings WHERE period = '2026H1' AND direction = 'area-rates-department' AND area_code = $1 AND department_code = $2 ORDER BY rater",
        [area, otherDepartment],
      );
      expect(raters.map((r) => r.rater)).toEqual([streetA.id, streetB.id, streetC.id].sort());

      const pairs = await json<{ rows: MutualScore[] }>(await server.get('/api/evaluation/mutual?direction=area-rates-department&by=pair'));
      expect(pairs.rows).toContainEqual(expect.objectContaining({ areaCode: area, departmentCode: otherDepartment, ratings: 3, meanScore: 82, grade: 'B' }));
    });

    it('answers 400 with the problems of a bad form, and 415 for anything but JSON', async () => {
      const body = await expectBadRequest(postForm({ ...buildForm({ score: 101, period: '2026H3' }), extra: true }), 'score');
      expect(body.error.problems!.map((p) => p.field).sort()).toEqual(['extra', 'period', 'score']);
      await expectBadRequest(postForm(buildStaffForm({ areaCode: '110108999' }), staff.token), 'no street or community 110108999');
      await expectBadRequest(postForm(buildForm({ areaCode: grid })), 'street (9 digits) or community (12 digits)');
      await expectBadRequest(postForm(buildForm({ departmentCode: 'nope' })), 'no department "nope"');
      await expectBadRequest(postForm(buildForm({ period: '2026H2' })), 'has not begun');
      await expectBadRequest(postForm([buildForm()]), 'send the form as a JSON object');
      expect((await post('/api/evaluation/mutual', '{"period":')).status).toBe(400);
      expect((await post('/api/evaluation/mutual', 'period=2026H1', streetA.token, 'text/plain')).status).toBe(415);
      await expectBadRequest(post('/api/evaluation/mutual?rater=x', JSON.stringify(buildForm())), 'unknown parameter "rater"');
    });

    it('answers 400 for bad score queries', async () => {
      await expectBadRequest(server.get('/api/evaluation/mutual'), '"direction" is required');
      await expectBadRequest(server.get('/api/evaluation/mutual?direction=upward'), '"direction" is required: one of area-rates-department, department-rates-area');
      await expectBadRequest(server.get('/api/evaluation/mutual?direction=area-rates-department&period=2026-H1'), '"period" must be a half year');
      await expectBadRequest(server.get('/api/evaluation/mutual?direction=area-rates-department&by=street'), '"by" must be one of pair, department, area');
      await expectBadRequest(server.get('/api/evaluation/mutual?direction=area-rates-department&minRatings=0'), '"minRatings" must be an integer from 1 to 1000');
      await expectBadRequest(server.get('/api/evaluation/mutual?direction=area-rates-department&sort=score'), 'unknown parameter "sort"');
    });
  });

  describe('SQL injection', () => {
    it('every text parameter of GET /api/evaluation gives 400 and changes nothing', async () => {
      const before = await fingerprint();
      for (const name of ['groupBy', 'within', 'department', 'from', 'to']) {
        for (const value of INJECTIONS) {
          await expectBadRequest(server.get(`/api/evaluation?${name}=${encodeURIComponent(value)}`), /./, `${name}=${value}`);
        }
      }
      expect(await fingerprint()).toEqual(before);
    });

    it('every text parameter of GET /api/evaluation/mutual gives 400 and changes nothing', async () => {
      const before = await fingerprint();
      for (const name of ['period', 'direction', 'by', 'minRatings']) {
        for (const value of INJECTIONS) {
          const other = name === 'direction' ? '' : '&direction=area-rates-department';
          await expectBadRequest(server.get(`/api/evaluation/mutual?${name}=${encodeURIComponent(value)}${other}`), /./, `${name}=${value}`);
        }
      }
      expect(await fingerprint()).toEqual(before);
    });

    it('every text field of a form is refused with 400, except the comment, which is stored as text', async () => {
      const before = await fingerprint();
      for (const field of ['period', 'direction', 'areaCode', 'departmentCode']) {
        for (const value of INJECTIONS) await expectBadRequest(postForm(buildForm({ [field]: value })), /./, `${field}=${value}`);
      }
      expect(await fingerprint()).toEqual(before);

      const comment = INJECTIONS.join(' | ');
      const stored = await postForm(buildForm({ period: '2025H2', comment }), streetB.token);
      expect(stored.status).toBe(201);
      const rows = await server.db.sql.query<{ comment: string }>("SELECT comment FROM mutual_ratings WHERE period = '2025H2' AND rater = $1", [streetB.id]);
      expect(rows).toEqual([{ comment }]);
      expect(await fingerprint()).toEqual({ ...before, ratings: before.ratings + 1 });
    });
  });
});
