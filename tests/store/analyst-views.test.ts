import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/access/actor.ts';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import type { Clock } from '../../core/time/clock.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { ogrinfoAvailable, storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const run = promisify(execFile);

const STREET = '110108011'; // 中关村街道
const DAY_MS = 86_400_000;
const VIEWS = ['analyst_grid_figures', 'analyst_open_cases'] as const;
const GEOGRAPHY = ['communities', 'districts', 'grids', 'streets'] as const;

interface Filed {
  readonly ack: CaseAck;
  readonly point: readonly [number, number];
}

interface OpenCaseRow {
  case_number: string;
  status: string;
  category_code: string;
  category_name: string;
  department_code: string | null;
  department_name: string | null;
  grid_code: string | null;
  grid_name: string | null;
  community_name: string | null;
  street_name: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  accept_due_at: Date | null;
  resolve_due_at: Date | null;
  accept_overdue: boolean;
  resolve_overdue: boolean;
  duplicate_of_number: string | null;
  lng: number;
  lat: number;
}

interface FiguresRow {
  grid_code: string;
  open_cases: number;
  overdue_now: number;
  received_30d: number;
  closed_30d: number;
}

function actor(role: Actor['role'], personId: string | null = null, gridCodes: string[] = []): Actor {
  return { accountId: `analyst-views-${role}`, role, name: role, personId, streetCode: null, departmentCode: null, gridCodes };
}

describe.each(storeDrivers())('analyst views and role (%s)', (driver) => {
  let server: TestServer;
  let now = Date.now();
  const clock: Clock = { now: () => new Date(now) };
  /** Filed 40 days ago and never touched: open, both deadlines long passed, not received in the last 30 days. */
  let old: Filed;
  /** Filed now, dispatched. */
  let open: Filed;
  /** A likely duplicate of `open` (same category, a few metres away): open, linked. */
  let duplicate: Filed;
  /** Filed now and rejected by a dispatcher. */
  let rejected: Filed;
  /** Filed now and taken through accept → feedback → verify to closed. */
  let closed: Filed;

  beforeAll(async () => {
    server = await startTestServer(driver, { clock });
    const points = await pointsInStreet(server.db.store, server.geography, STREET, 4, 80, 23);
    let n = 0;
    const file = async (point: readonly [number, number]): Promise<Filed> => {
      const response = await server.post('/api/cases', JSON.stringify({ reportId: `analyst-${driver}-${n++}`, category: 'E0102', lng: point[0], lat: point[1], reporter: { name: '李四', phone: '13900000000' } }));
      expect(response.status).toBe(201);
      return { ack: (await response.json()) as CaseAck, point };
    };
    const realNow = now;
    now = realNow - 40 * DAY_MS;
    old = await file(points[0]!);
    now = realNow;
    open = await file(points[1]!);
    duplicate = await file([points[1]![0] + 0.00003, points[1]![1]]);
    rejected = await file(points[2]!);
    closed = await file(points[3]!);
    expect(duplicate.ack.status).toBe('linked');

    const dispatcher = actor('district-dispatcher');
    const command = async (filed: Filed, input: object, by: Actor): Promise<void> => {
      const result = await server.server.caseLoop.command(filed.ack.caseNumber, input, by);
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    };
    await command(rejected, { type: 'reject', reason: 'not a city-management matter' }, dispatcher);
    const assignee = actor('grid-worker', closed.ack.assignee!.id, [closed.ack.grid!.code]);
    await command(closed, { type: 'accept' }, assignee);
    await command(closed, { type: 'feedback', result: 'cleared', photos: [] }, assignee);
    await command(closed, { type: 'verify', passed: true, note: 'checked' }, dispatcher);
  });
  afterAll(() => server?.close());

  it('analyst_open_cases lists the open cases (likely duplicates too) with names, deadlines and overdue flags, no reporter data', async () => {
    const rows = await server.db.sql.query<OpenCaseRow>(`SELECT *, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM analyst_open_cases ORDER BY case_id`);
    expect(rows.map((r) => r.case_number)).toEqual([old, open, duplicate].map((f) => f.ack.caseNumber));
    const [oldRow, openRow, duplicateRow] = rows as [OpenCaseRow, OpenCaseRow, OpenCaseRow];
    for (const [row, filed] of [[oldRow, old], [openRow, open], [duplicateRow, duplicate]] as const) {
      expect(row.lng).toBeCloseTo(filed.point[0], 9);
      expect(row.lat).toBeCloseTo(filed.point[1], 9);
      expect(row).toMatchObject({ category_code: 'E0102', category_name: '暴露垃圾', grid_code: filed.ack.grid?.code ?? null, grid_name: filed.ack.grid?.name ?? null });
      expect(row.community_name).toBe(filed.ack.community?.name);
      expect(row.street_name).toBe('中关村街道');
    }
    const [department] = await server.db.sql.query<{ name_zh: string }>("SELECT name_zh FROM departments WHERE code = 'street-office'");
    expect(openRow).toMatchObject({
      status: 'dispatched',
      department_code: 'street-office',
      department_name: department!.name_zh,
      assignee_id: open.ack.assignee!.id,
      assignee_name: open.ack.assignee!.name,
      accept_overdue: false,
      resolve_overdue: false,
      duplicate_of_number: null,
    });
    expect(openRow.accept_due_at!.toISOString()).toBe(open.ack.acceptDueAt);
    expect(openRow.resolve_due_at!.toISOString()).toBe(open.ack.resolveDueAt);
    expect(oldRow).toMatchObject({ status: 'dispatched', accept_overdue: true, resolve_overdue: true });
    expect(duplicateRow).toMatchObject({ status: 'linked', duplicate_of_number: open.ack.caseNumber });

    const columns = (await server.db.sql.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'analyst_open_cases'")).map((c) => c.column_name);
    for (const secret of ['reporter', 'description', 'photos', 'report_id', 'report_hash']) expect(columns).not.toContain(secret);
    const text = JSON.stringify(await server.db.sql.query('SELECT * FROM analyst_open_cases'));
    expect(text).not.toContain('李四');
    expect(text).not.toContain('13900000000');
  });

  it('analyst_grid_figures has a row per grid with open, overdue now, received and closed in the last 30 days', async () => {
    const expected = new Map<string, FiguresRow>();
    const add = (filed: Filed, figures: Partial<FiguresRow>): void => {
      const code = filed.ack.grid!.code;
      const row = expected.get(code) ?? { grid_code: code, open_cases: 0, overdue_now: 0, received_30d: 0, closed_30d: 0 };
      expected.set(code, { ...row, ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, (row[k as keyof FiguresRow] as number) + (v as number)])) });
    };
    add(old, { open_cases: 1, overdue_now: 1 });
    add(open, { open_cases: 1, received_30d: 1 });
    add(rejected, { received_30d: 1 });
    add(closed, { received_30d: 1, closed_30d: 1 });
    const codes = [...expected.keys()].sort();
    const rows = await server.db.sql.query<FiguresRow>(
      'SELECT grid_code, open_cases, overdue_now, received_30d, closed_30d FROM analyst_grid_figures WHERE grid_code = ANY($1::text[]) ORDER BY grid_code',
      [codes],
    );
    expect(rows).toEqual(codes.map((c) => expected.get(c)));
    const [totals] = await server.db.sql.query<{ grids: number; rows: number; busy: number; polygons: number }>(
      `SELECT (SELECT count(*)::int FROM grids) AS grids, count(*)::int AS rows,
              count(*) FILTER (WHERE open_cases + overdue_now + received_30d + closed_30d > 0 AND NOT grid_code = ANY($1::text[]))::int AS busy,
              count(*) FILTER (WHERE GeometryType(geom) = 'MULTIPOLYGON' AND ST_SRID(geom) = 4326)::int AS polygons
       FROM analyst_grid_figures`,
      [codes],
    );
    expect(totals).toEqual({ grids: totals!.grids, rows: totals!.grids, busy: 0, polygons: totals!.grids });
  });

  it('types the views’ geometry columns, so GIS tools list them as layers', async () => {
    const rows = await server.db.sql.query<{ f_table_name: string; f_geometry_column: string; type: string; srid: number; coord_dimension: number }>(
      `SELECT f_table_name::text, f_geometry_column::text, type, srid, coord_dimension FROM geometry_columns WHERE f_table_name::text LIKE 'analyst\\_%' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { f_table_name: 'analyst_grid_figures', f_geometry_column: 'geom', type: 'MULTIPOLYGON', srid: 4326, coord_dimension: 2 },
      { f_table_name: 'analyst_open_cases', f_geometry_column: 'geom', type: 'POINT', srid: 4326, coord_dimension: 2 },
    ]);
  });

  it('grants grid_command_analyst (NOLOGIN) SELECT on the views and the geography, and nothing else', async () => {
    const [role] = await server.db.sql.query<{ rolcanlogin: boolean }>("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'grid_command_analyst'");
    expect(role).toEqual({ rolcanlogin: false });
    const privileges = await server.db.sql.query<{ name: string; kind: string; sel: boolean; write: boolean }>(
      `SELECT c.relname::text AS name, c.relkind::text AS kind,
              has_table_privilege('grid_command_analyst', c.oid, 'SELECT') AS sel,
              has_table_privilege('grid_command_analyst', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') AS write
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
         AND c.relname NOT IN ('spatial_ref_sys', 'geometry_columns', 'geography_columns')
       ORDER BY 1`,
    );
    expect(privileges.filter((p) => p.write)).toEqual([]);
    expect(privileges.filter((p) => p.sel).map((p) => p.name)).toEqual([...VIEWS, ...GEOGRAPHY].sort());
    // The tables it must never read are there to be refused, not merely absent.
    for (const table of ['accounts', 'sessions', 'cases', 'case_events', 'personnel']) expect(privileges.map((p) => p.name)).toContain(table);
  });

  describe.skipIf(driver !== 'pg')('a login role granted grid_command_analyst (PostgreSQL server)', () => {
    const login = `gc_analyst_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const password = 'analyst-test-password-1';
    let client: pg.Client;
    let url: URL;

    beforeAll(async () => {
      await server.db.sql.exec(`CREATE ROLE ${login} LOGIN PASSWORD '${password}'; GRANT grid_command_analyst TO ${login};`);
      url = new URL(server.db.location);
      url.username = login;
      url.password = password;
      client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
    });
    afterAll(async () => {
      await client?.end().catch(() => {});
      await server.db.sql.exec(`DROP ROLE IF EXISTS ${login}`);
    });

    const refusal = async (statement: string): Promise<string | undefined> => {
      try {
        await client.query(statement);
        return undefined;
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };

    it('reads the views and the geography', async () => {
      expect((await client.query('SELECT count(*)::int AS n FROM analyst_open_cases')).rows[0].n).toBe(3);
      expect((await client.query('SELECT sum(open_cases)::int AS n FROM analyst_grid_figures')).rows[0].n).toBe(2);
      for (const table of GEOGRAPHY) expect((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, table).toBeGreaterThan(0);
      expect((await client.query("SELECT ST_AsText(geom) AS wkt FROM analyst_open_cases LIMIT 1")).rows[0].wkt).toMatch(/^POINT\(/);
    });

    it('cannot read accounts, sessions or the case tables', async () => {
      for (const table of ['accounts', 'sessions', 'cases', 'case_events', 'personnel', 'assignments', 'schema_migrations']) {
        expect(await refusal(`SELECT 1 FROM ${table} LIMIT 1`), table).toBe('42501');
      }
    });

    it('cannot insert, update, delete or truncate anything, the views included', async () => {
      expect(await refusal("INSERT INTO districts (code, name, geom, area_m2) VALUES ('999999', 'x', ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 4326)), 1)")).toBe('42501');
      expect(await refusal("UPDATE streets SET name = 'x'")).toBe('42501');
      expect(await refusal('DELETE FROM grids')).toBe('42501');
      expect(await refusal('TRUNCATE communities')).toBe('42501');
      expect(await refusal("UPDATE cases SET status = 'closed'")).toBe('42501');
      expect(await refusal('DELETE FROM sessions')).toBe('42501');
      expect(await refusal("INSERT INTO accounts (id) VALUES ('x')")).toBe('42501');
      for (const view of VIEWS) expect(await refusal(`DELETE FROM ${view}`), view).toBeDefined();
      expect((await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM analyst_open_cases'))[0]!.n).toBe(3);
    });

    it.skipIf(!ogrinfoAvailable())('ogrinfo on PG: lists the views as layers with their geometry types and reads them, but not the cases table', async () => {
      const connection = `PG:host=${url.hostname} port=${url.port || 5432} dbname=${url.pathname.slice(1)} user=${login} password=${password}`;
      const { stdout: layers } = await run('ogrinfo', ['-ro', connection], { timeout: 60_000 });
      const listed = [...layers.matchAll(/^\d+: (\S+) \((.+)\)$/gm)].map((m) => `${m[1]} (${m[2]})`);
      expect(listed).toEqual(
        expect.arrayContaining([
          'analyst_grid_figures (Multi Polygon)',
          'analyst_open_cases (Point)',
          'communities (Multi Polygon)',
          'districts (Multi Polygon)',
          'grids (Multi Polygon)',
          'streets (Multi Polygon)',
        ]),
      );
      const openCases = await run('ogrinfo', ['-ro', '-so', connection, 'analyst_open_cases'], { timeout: 60_000 });
      expect(openCases.stdout).toMatch(/^Geometry: Point$/m);
      expect(openCases.stdout).toMatch(/^Feature Count: 3$/m);
      expect(openCases.stdout).toMatch(/^assignee_name: String/m);
      expect(openCases.stderr).toBe('');
      const figures = await run('ogrinfo', ['-ro', '-so', connection, 'analyst_grid_figures'], { timeout: 60_000 });
      expect(figures.stdout).toMatch(/^Geometry: Multi Polygon$/m);
      expect(figures.stdout).toMatch(new RegExp(`^Feature Count: ${(await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM grids'))[0]!.n}$`, 'm'));
      // PostgreSQL's catalogue shows every table's columns to any role (GDAL lists them), but not their rows.
      const cases = await run('ogrinfo', ['-ro', '-so', connection, 'cases'], { timeout: 60_000 }).catch((error: { stderr: string }) => error);
      expect(cases.stderr).toContain('permission denied for table cases');
    });
  });
});
