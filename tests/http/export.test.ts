import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FeatureCollection, Point } from 'geojson';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEIJING_OFFICE_HOURS } from '../../core/calendar/working-calendar.ts';
import { historicRows } from '../../scripts/interop/historic-rows.ts';
import { parseCsv } from '../../server/import/parse-csv.ts';
import { importHistoricCases } from '../../server/services/historic-import.service.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { ogrinfoAvailable, storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const run = promisify(execFile);
const STREET = '110108011'; // 中关村街道
const OTHER_STREET = '110108001';
const REPORTER = { name: '王秘密', phone: '13912345678' };
const ROWS = 400;

describe.each(storeDrivers())('case exports at /api/cases/export (%s)', (driver) => {
  let server: TestServer;
  let dir: string;
  let streetDispatcher: string;
  let gridWorker: string;

  const count = async (where = 'true', params: unknown[] = []): Promise<number> =>
    (await server.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE ${where}`, params))[0]!.n;
  const signIn = async (username: string, role: string, extra: { streetCode?: string; personId?: string } = {}): Promise<string> => {
    const password = 'export-test-password-1';
    await server.server.auth.createAccount({ username, displayName: username, role, password, ...extra });
    const response = await fetch(`${server.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return ((await response.json()) as { token: string }).token;
  };
  const geojson = async (query: string, token: string | null = server.token): Promise<FeatureCollection<Point>> => {
    const response = await server.get(`/api/cases/export?format=geojson${query}`, token);
    expect(response.status, query).toBe(200);
    return (await response.json()) as FeatureCollection<Point>;
  };

  beforeAll(async () => {
    server = await startTestServer(driver);
    dir = mkdtempSync(join(tmpdir(), 'gc-export-'));
    // A few hundred historic cases all over the district, and two live ones with reporter data.
    const csv = join(dir, 'historic.csv');
    const names = new Map((await server.db.store.geography.names()).map((n) => [n.code, n.name]));
    const input = { grids: await server.db.store.geography.routableGrids(), names, catalogue: await server.db.store.catalogue.catalogue() };
    writeFileSync(csv, [...historicRows(input, { count: ROWS, seed: 5, end: new Date('2025-12-31T00:00:00Z') })].join('\n'));
    const report = await importHistoricCases({ store: server.db.store, geography: server.geography, catalogue: input.catalogue, calendar: BEIJING_OFFICE_HOURS }, csv);
    expect(report).toMatchObject({ ok: true, imported: ROWS });
    for (const [i, [lng, lat]] of (await pointsInStreet(server.db.store, server.geography, STREET, 2, 80, 3)).entries()) {
      const response = await server.post('/api/cases', JSON.stringify({ reportId: `export-live-${i}`, category: 'E0102', lng, lat, channel: 'hotline', description: `电话 ${REPORTER.phone}`, reporter: REPORTER }));
      expect(response.status).toBe(201);
    }
    streetDispatcher = await signIn('export-street-dispatcher', 'street-dispatcher', { streetCode: STREET });
    gridWorker = await signIn('export-grid-worker', 'grid-worker', { personId: 'P000001' });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('GeoJSON: every case as a point feature, streamed, without reporter data or free text', async () => {
    const response = await server.get('/api/cases/export?format=geojson');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/geo+json');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="cases-district-\d{8}\.geojson"$/);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const text = await response.text();
    expect(text).not.toContain(REPORTER.phone);
    expect(text).not.toContain(REPORTER.name);
    const body = JSON.parse(text) as FeatureCollection<Point>;
    expect(body.features).toHaveLength(await count());
    const feature = body.features[0]!;
    expect(feature.geometry.type).toBe('Point');
    expect(Object.keys(feature.properties!)).not.toContain('description');
    expect(feature.properties).toMatchObject({ number: feature.id, status: expect.any(String), reportedAt: expect.stringMatching(/Z$/) });
  });

  it('CSV: a header and one row per case', async () => {
    const response = await server.get('/api/cases/export?format=csv&status=closed');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await response.text();
    const [header, ...rows] = parseCsv(text);
    expect(header!.slice(0, 4)).toEqual(['lng', 'lat', 'number', 'category']);
    expect(rows).toHaveLength(await count('closed_at IS NOT NULL'));
    expect(rows.every((r) => r.length === header!.length && r[header!.indexOf('status')] === 'closed')).toBe(true);
  });

  it('FlatGeobuf: read back by the flatgeobuf package (and GDAL when installed)', async () => {
    const response = await server.get('/api/cases/export?format=fgb&status=open');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/flatgeobuf');
    const bytes = new Uint8Array(await response.arrayBuffer());
    const features = [];
    for await (const f of deserialize(bytes)) features.push(f);
    const open = await count('closed_at IS NULL');
    expect(features).toHaveLength(open);
    const [first] = await server.db.sql.query<{ case_number: string; lng: number; lat: number; grid_code: string | null }>(
      'SELECT case_number, ST_X(geom) AS lng, ST_Y(geom) AS lat, grid_code FROM cases WHERE closed_at IS NULL ORDER BY id LIMIT 1',
    );
    expect(features[0]!.properties).toMatchObject({ number: first!.case_number, status: 'queued', acceptOverdue: false });
    expect((features[0]!.geometry as Point).coordinates).toEqual([first!.lng, first!.lat]);
    if (ogrinfoAvailable()) {
      const path = join(dir, 'open.fgb');
      writeFileSync(path, bytes);
      const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', path]);
      expect(stdout).toContain('Geometry: Point');
      expect(stdout).toContain(`Feature Count: ${open}`);
      expect(stdout).toMatch(/reportedAt: DateTime/);
    }
  });

  it('filters by area, category, status and report time (dates are whole Beijing days)', async () => {
    const byStreet = await geojson(`&area=${STREET}`);
    expect(byStreet.features.length).toBe(await count('street_code = $1', [STREET]));
    expect(byStreet.features.every((f) => f.properties!['streetCode'] === STREET)).toBe(true);
    const byCategory = await geojson('&category=E0102&status=open');
    expect(byCategory.features.length).toBe(await count("category_code = 'E0102' AND closed_at IS NULL"));
    const [first, second] = [...new Set(byStreet.features.map((f) => String(f.properties!['category'])))].sort();
    const both = await geojson(`&category=${first},${second}`);
    expect(both.features.length).toBe(await count('category_code IN ($1, $2)', [first, second]));
    expect(both.features.length).toBeGreaterThan(await count('category_code = $1', [first]));
    const march = await geojson('&from=2025-03-01&to=2025-03-31');
    expect(march.features.length).toBe(await count("reported_at >= '2025-03-01T00:00:00+08:00' AND reported_at < '2025-04-01T00:00:00+08:00'"));
    expect(march.features.length).toBeGreaterThan(0);
    const instant = await geojson('&from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z');
    expect(instant.features.length).toBe(await count("reported_at BETWEEN '2025-03-01T00:00:00Z' AND '2025-03-02T00:00:00Z'"));
  });

  it('refuses bad parameters with 400', async () => {
    for (const [query, fragment] of [
      ['format=xls', 'format must be one of'],
      ['format=csv&area=123', 'area "123"'],
      ['format=csv&category=X', 'unknown category'],
      ['format=csv&category=E0102,NOPE', 'unknown category "NOPE"'],
      ['format=csv&status=done', 'status must be'],
      ['format=csv&from=yesterday', 'from:'],
      ['format=csv&from=2025-03-02&to=2025-03-01', 'from is after to'],
      ['format=csv&bbox=1,2,3,4', 'unknown parameter "bbox"'],
    ] as const) {
      const response = await server.get(`/api/cases/export?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message, query).toContain(fragment);
    }
  });

  it('needs a session of a district-wide role or a street dispatcher, who is limited to their street', async () => {
    expect((await server.get('/api/cases/export?format=csv', null)).status).toBe(401);
    expect((await server.get('/api/cases/export?format=csv', gridWorker)).status).toBe(403);
    const own = await geojson('', streetDispatcher);
    expect(own.features.length).toBe(await count('street_code = $1', [STREET]));
    expect(own.features.every((f) => f.properties!['streetCode'] === STREET)).toBe(true);
    const community = (await server.db.sql.query<{ community_code: string }>('SELECT community_code FROM cases WHERE street_code = $1 LIMIT 1', [STREET]))[0]!.community_code;
    expect((await geojson(`&area=${community}`, streetDispatcher)).features.every((f) => f.properties!['communityCode'] === community)).toBe(true);
    expect((await server.get(`/api/cases/export?format=csv&area=${OTHER_STREET}`, streetDispatcher)).status).toBe(403);
    expect((await server.get('/api/cases/export?format=csv&area=110108', streetDispatcher)).status).toBe(403);
  });
});
