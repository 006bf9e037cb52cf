/**
 * The public disclosure endpoint (GET /api/public/grid) and page route (/public): a real server over
 * loopback. The answer is checked key by key, recursively, so a field added to it later fails here
 * until someone decides it may be public.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department } from '../../core/catalogue/catalogue.ts';
import type { GridPersonnel, PublicGridAnswer, RoutedAnswer, UnroutedAnswer } from '../../core/protocol/http-api.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const KNOWN_POINT = { lng: 116.31, lat: 39.98 };
/** The same place as AMap (GCJ-02) and Baidu (BD-09) give it. */
const KNOWN_POINT_GCJ02 = { lng: 116.3161029, lat: 39.9812805 };
const OUTSIDE_POINT = { lng: 116.5, lat: 39.9 };

const AREA_KEYS = ['code', 'name'];
const PERSON_KEYS = ['department', 'duty', 'dutyEn', 'name', 'phone'];
const DEPARTMENT_KEYS = ['code', 'name', 'nameEn'];
const ANSWER_KEYS = ['community', 'grid', 'people', 'street'];

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

function keysOf(value: unknown): string[] {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), `${JSON.stringify(value)} is an object`).toBe(true);
  return Object.keys(value as object).sort();
}

/** Every key of the answer, at every depth, equals the allow-list; every leaf is a string. */
function expectExactShape(body: unknown): void {
  expect(keysOf(body)).toEqual(ANSWER_KEYS);
  const answer = body as Record<string, unknown>;
  for (const level of ['grid', 'community', 'street']) {
    expect(keysOf(answer[level]), level).toEqual(AREA_KEYS);
    for (const key of AREA_KEYS) expect(typeof (answer[level] as Record<string, unknown>)[key], `${level}.${key}`).toBe('string');
  }
  expect(Array.isArray(answer['people'])).toBe(true);
  for (const [i, person] of (answer['people'] as unknown[]).entries()) {
    expect(keysOf(person), `people[${i}]`).toEqual(PERSON_KEYS);
    const p = person as Record<string, unknown>;
    for (const key of ['duty', 'dutyEn', 'name', 'phone']) expect(typeof p[key], `people[${i}].${key}`).toBe('string');
    expect(keysOf(p['department']), `people[${i}].department`).toEqual(DEPARTMENT_KEYS);
    for (const key of DEPARTMENT_KEYS) expect(typeof (p['department'] as Record<string, unknown>)[key], `people[${i}].department.${key}`).toBe('string');
  }
}

describe.each(storeDrivers())('public disclosure API (%s)', (driver) => {
  let server: TestServer;
  let clientDir: string;
  beforeAll(async () => {
    // A stand-in client build with both pages, to check which one each path gets.
    clientDir = mkdtempSync(join(tmpdir(), 'gc-public-client-'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>command centre</title>');
    writeFileSync(join(clientDir, 'public.html'), '<!doctype html><title>public board</title>');
    server = await startTestServer(driver, { clientDir });
  });
  afterAll(async () => {
    await server?.close();
    if (clientDir) rmSync(clientDir, { recursive: true, force: true });
  });

  async function board(query: string): Promise<{ response: Response; body: PublicGridAnswer }> {
    const response = await server.get(`/api/public/grid?${query}`);
    expect(response.status, query).toBe(200);
    return { response, body: await json<PublicGridAnswer>(response) };
  }

  async function expectBadRequest(query: string, fragment: string): Promise<void> {
    const response = await server.get(`/api/public/grid${query}`);
    expect(response.status, query).toBe(400);
    const body = await json<{ error: { code: string; message: string } }>(response);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(fragment);
  }

  it('answers a point with its grid, community, street and exactly the grid\'s people, nothing else', async () => {
    const { response, body } = await board(`lng=${KNOWN_POINT.lng}&lat=${KNOWN_POINT.lat}`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expectExactShape(body);

    const route = await json<RoutedAnswer>(await server.get(`/api/route?lng=${KNOWN_POINT.lng}&lat=${KNOWN_POINT.lat}`));
    expect(route.routed).toBe(true);
    expect(body.grid).toEqual(route.grid);
    expect(body.community).toEqual(route.community);
    expect(body.street).toEqual(route.street);

    // The same people as the staff endpoint lists for this grid, field by field, and no one else.
    const staff = await json<GridPersonnel>(await server.get(`/api/personnel?grid=${route.grid.code}`));
    const { departments } = await json<{ departments: Department[] }>(await server.get('/api/departments'));
    const department = new Map(departments.map((d) => [d.code, d]));
    expect(body.people.length).toBe(staff.people.length);
    expect(body.people.length).toBeGreaterThan(0);
    const expected = staff.people.map((p) => ({
      name: p.name,
      department: { code: p.departmentCode, name: department.get(p.departmentCode)!.zh, nameEn: department.get(p.departmentCode)!.en },
      duty: p.duty,
      dutyEn: p.dutyEn,
      phone: p.phone,
    }));
    const byIdentity = (a: { name: string; phone: string; department: { code: string } }, b: typeof a): number =>
      `${a.department.code}|${a.name}|${a.phone}`.localeCompare(`${b.department.code}|${b.name}|${b.phone}`);
    expect([...body.people].sort(byIdentity)).toEqual([...expected].sort(byIdentity));

    // Sorted by department, in the departments' own order.
    const rank = new Map(departments.map((d, i) => [d.code, i]));
    const ranks = body.people.map((p) => rank.get(p.department.code)!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

    // No personnel ids, on-duty flags, grid counts or case data anywhere in the text.
    const text = JSON.stringify(body);
    for (const person of staff.people) expect(text).not.toContain(`"${person.id}"`);
    for (const key of ['id', 'onDuty', 'gridCount', 'streetCode', 'departmentCode', 'caseNumber', 'cases', 'reporter', 'areaSquareMeters']) expect(text).not.toContain(`"${key}"`);

    // A case filed in this grid, with a reporter, changes nothing on the board.
    const filed = await server.post(
      '/api/cases',
      JSON.stringify({ reportId: `public-board-${driver}`, category: 'E0102', lng: KNOWN_POINT.lng, lat: KNOWN_POINT.lat, description: 'board test', reporter: { name: '测试居民', phone: '13800000000' } }),
    );
    expect(filed.status).toBe(201);
    const { caseNumber } = await json<{ caseNumber: string }>(filed);
    const after = await board(`lng=${KNOWN_POINT.lng}&lat=${KNOWN_POINT.lat}`);
    expect(after.body).toEqual(body);
    const afterText = JSON.stringify(after.body);
    for (const fragment of [caseNumber, '测试居民', '13800000000', 'board test']) expect(afterText).not.toContain(fragment);
  });

  it('converts GCJ-02 and BD-09 input before routing', async () => {
    const wgs = await board(`lng=${KNOWN_POINT.lng}&lat=${KNOWN_POINT.lat}`);
    const gcj = await board(`lng=${KNOWN_POINT_GCJ02.lng}&lat=${KNOWN_POINT_GCJ02.lat}&crs=GCJ-02`);
    expect(gcj.body).toEqual(wgs.body);
    // Without crs the GCJ-02 numbers are read as WGS-84: several hundred metres off, another grid.
    const misread = await board(`lng=${KNOWN_POINT_GCJ02.lng}&lat=${KNOWN_POINT_GCJ02.lat}`);
    expect(misread.body.grid.code).not.toBe(wgs.body.grid.code);

    const [bdLng, bdLat] = gcoord.transform([KNOWN_POINT.lng, KNOWN_POINT.lat], gcoord.WGS84, gcoord.BD09) as [number, number];
    const bd = await board(`lng=${bdLng}&lat=${bdLat}&crs=BD-09`);
    expect(bd.body).toEqual(wgs.body);
  });

  it.each([
    ['', '"lng" is required'],
    ['?lat=39.98', '"lng" is required'],
    ['?lng=116.31', '"lat" is required'],
    ['?lng=&lat=39.98', '"lng" is required'],
    ['?lng=abc&lat=39.98', '"lng" must be a number'],
    ['?lng=116.31&lat=39.9x', '"lat" must be a number'],
    ['?lng=Infinity&lat=39.98', '"lng" must be a number'],
    ['?lng=116.31&lat=91', 'out of range'],
    ['?lng=-181&lat=39.98', 'out of range'],
    ['?lng=116.31&lat=39.98&crs=EPSG:3857', 'unknown crs "EPSG:3857"'],
    ['?lng=116.31&lat=39.98&crs=', 'unknown crs'],
    ['?lon=116.31&lat=39.98', 'unknown parameter "lon"'],
    ['?lng=116.31&lat=39.98&grid=110108011001001', 'unknown parameter "grid"'],
    ['?lng=116.31&lng=116.32&lat=39.98', 'must be given once'],
  ])('refuses %s with a 400 that says why', async (query, fragment) => {
    await expectBadRequest(query, fragment);
  });

  it('answers a point outside every grid with 404 outside_district, naming the nearest grid and its distance', async () => {
    const route = await json<UnroutedAnswer>(await server.get(`/api/route?lng=${OUTSIDE_POINT.lng}&lat=${OUTSIDE_POINT.lat}`));
    expect(route.routed).toBe(false);
    const nearest = route.nearest!;
    const response = await server.get(`/api/public/grid?lng=${OUTSIDE_POINT.lng}&lat=${OUTSIDE_POINT.lat}`);
    expect(response.status).toBe(404);
    const body = await json<{ error: { code: string; message: string; nearest: unknown } }>(response);
    expect(keysOf(body)).toEqual(['error']);
    expect(keysOf(body.error)).toEqual(['code', 'message', 'nearest']);
    expect(body.error.code).toBe('outside_district');
    expect(body.error.message).toContain(nearest.grid.name);
    expect(body.error.message).toContain(`${Math.round(nearest.distanceMeters)} m`);
    expect(body.error.nearest).toEqual({ grid: { code: nearest.grid.code, name: nearest.grid.name }, distanceMeters: nearest.distanceMeters });
  });

  it('is read-only', async () => {
    const response = await server.post('/api/public/grid?lng=116.31&lat=39.98', '{}');
    expect(response.status).toBe(404);
  });

  it('serves the public page at /public and keeps the command centre at /', async () => {
    for (const path of ['/public', '/public/', '/public.html']) {
      const response = await server.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
      expect(await response.text(), path).toContain('public board');
    }
    for (const path of ['/', '/grid/110108011001001']) {
      const response = await server.get(path);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain('command centre');
    }
  });
});
