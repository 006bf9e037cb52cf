import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

interface Collection extends FeatureCollection {
  numberMatched: number;
  numberReturned: number;
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe.each(storeDrivers())('HTTP API over loopback (%s)', (driver) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(driver);
  });
  afterAll(() => server?.close());

  async function expectBadRequest(path: string, fragment: string): Promise<void> {
    const response = await server.get(path);
    expect(response.status, path).toBe(400);
    const body = await json<{ error: { code: string; message: string } }>(response);
    expect(body.error.message).toContain(fragment);
  }

  describe('health', () => {
    it('GET /healthz is 200 with the store driver and the grid count while the store answers', async () => {
      const response = await server.get('/healthz');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', store: driver, grids: 3000, geographyVersion: 1 });
    });
  });

  describe('geography', () => {
    it('serves the district outline as GeoJSON', async () => {
      const response = await server.get('/api/geo/district');
      expect(response.headers.get('content-type')).toContain('application/geo+json');
      const body = await json<Collection>(response);
      expect(body.features).toHaveLength(1);
      expect(body.features[0]!.properties).toMatchObject({ code: '110108', name: '海淀区' });
      expect(body.features[0]!.geometry.type).toBe('MultiPolygon');
    });

    it('serves the 29 streets and towns with their real codes', async () => {
      const body = await json<Collection>(await server.get('/api/geo/streets'));
      expect(body.numberMatched).toBe(29);
      expect(body.features.map((f) => f.properties!['name'])).toContain('中关村街道');
      expect(body.features.every((f) => /^110108\d{3}$/.test(String(f.id)))).toBe(true);
    });

    it('filters communities by their street', async () => {
      const body = await json<Collection>(await server.get('/api/geo/communities?parent=110108011'));
      expect(body.numberMatched).toBeGreaterThan(5);
      expect(body.features.every((f) => f.properties!['streetCode'] === '110108011')).toBe(true);
    });

    it('filters grids by community or by street', async () => {
      const byCommunity = await json<Collection>(await server.get('/api/geo/grids?parent=110108011001'));
      expect(byCommunity.features.length).toBeGreaterThanOrEqual(2);
      expect(byCommunity.features.every((f) => String(f.id).startsWith('110108011001'))).toBe(true);
      const byStreet = await json<Collection>(await server.get('/api/geo/grids?parent=110108011'));
      expect(byStreet.numberMatched).toBeGreaterThan(byCommunity.numberMatched);
    });

    it('filters grids by bounding box', async () => {
      const body = await json<Collection>(await server.get('/api/geo/grids?bbox=116.30,39.97,116.31,39.98'));
      expect(body.numberMatched).toBeGreaterThan(0);
      expect(body.numberMatched).toBeLessThan(100);
    });

    it('pages with limit and offset and says how many matched', async () => {
      const first = await json<Collection>(await server.get('/api/geo/grids?limit=10'));
      const second = await json<Collection>(await server.get('/api/geo/grids?limit=10&offset=10'));
      expect(first.numberMatched).toBe(3000);
      expect(first.numberReturned).toBe(10);
      expect(second.features[0]!.id! > first.features[9]!.id!).toBe(true);
    });

    it.each([
      ['/api/geo/grids?parent=110108', 'parent must be the code of a street (9 digits) or community (12 digits)'],
      ['/api/geo/communities?parent=1101080110', 'parent must be the code of a street (9 digits)'],
      ['/api/geo/grids?bbox=1,2,3', 'minLng,minLat,maxLng,maxLat'],
      ['/api/geo/grids?bbox=116.4,39.9,116.3,40', 'must not exceed'],
      ['/api/geo/grids?bbox=116,39,200,40', 'outside longitude'],
      ['/api/geo/grids?limit=0', '"limit" must be an integer from 1 to 50000'],
      ['/api/geo/grids?limit=50001', '"limit" must be an integer'],
      ['/api/geo/grids?offset=-1', '"offset" must be an integer'],
      ['/api/geo/grids?parnt=110108011', 'unknown parameter "parnt"'],
      ['/api/geo/grids?limit=1&limit=2', 'must be given once'],
      ['/api/geo/district?parent=110108', 'takes no parent'],
    ])('refuses %s with a 400 that says why', async (path, fragment) => {
      await expectBadRequest(path, fragment);
    });
  });

  describe('routing', () => {
    it('routes a point to its grid, community and street, with names', async () => {
      const body = await json<Record<string, unknown>>(await server.get('/api/route?lng=116.31&lat=39.98'));
      expect(body).toMatchObject({ routed: true, point: [116.31, 39.98], onBoundary: false });
      const grid = body['grid'] as { code: string; name: string };
      expect(grid.code).toMatch(/^110108\d{9}$/);
      expect(grid.name).toContain('网格');
      expect(body['community']).toMatchObject({ code: grid.code.slice(0, 12) });
      expect(body['street']).toMatchObject({ code: grid.code.slice(0, 9) });
    });

    it('answers a point outside the district with the nearest grid and its distance', async () => {
      const body = await json<{ routed: boolean; nearest: { grid: { code: string }; distanceMeters: number } }>(await server.get('/api/route?lng=116.5&lat=39.9'));
      expect(body.routed).toBe(false);
      expect(body.nearest.grid.code).toMatch(/^110108/);
      expect(body.nearest.distanceMeters).toBeGreaterThan(5_000);
    });

    it('converts GCJ-02 coordinates (phone map SDKs) to WGS-84 before routing', async () => {
      const wgs = await json<{ point: number[]; grid: { code: string } }>(await server.get('/api/route?lng=116.31&lat=39.98'));
      // The same place as AMap would give it: GCJ-02 is offset by several hundred metres here.
      const gcj = await json<{ point: number[]; grid: { code: string } }>(await server.get('/api/route?lng=116.3161029&lat=39.9812805&crs=GCJ-02'));
      expect(gcj.point[0]).toBeCloseTo(116.31, 4);
      expect(gcj.point[1]).toBeCloseTo(39.98, 4);
      expect(gcj.grid.code).toBe(wgs.grid.code);
    });

    it.each([
      ['/api/route?lat=39.98', '"lng" is required'],
      ['/api/route?lng=116.3', '"lat" is required'],
      ['/api/route?lng=abc&lat=39.9', '"lng" must be a number'],
      ['/api/route?lng=116.3&lat=91', 'out of range'],
      ['/api/route?lng=181&lat=39', 'out of range'],
      ['/api/route?lng=116.3&lat=39.9&crs=EPSG:3857', 'unknown crs'],
      ['/api/route?lon=116.3&lat=39.9', 'unknown parameter "lon"'],
    ])('refuses %s with a 400', async (path, fragment) => {
      await expectBadRequest(path, fragment);
    });
  });

  describe('catalogue and personnel', () => {
    it('serves the category catalogue in Chinese and English with deadlines', async () => {
      const body = await json<{ categories: { code: string; zh: string; en: string; department: string; acceptMinutes: number }[]; workAreas: unknown[] }>(
        await server.get('/api/categories'),
      );
      expect(body.workAreas).toHaveLength(10);
      expect(body.categories.length).toBeGreaterThan(60);
      const garbage = body.categories.find((c) => c.code === 'E0102');
      expect(garbage).toMatchObject({ zh: '暴露垃圾', en: 'Exposed garbage', acceptMinutes: 30 });
      const departments = await json<{ departments: { code: string }[] }>(await server.get('/api/departments'));
      expect(departments.departments).toHaveLength(14);
      const known = new Set(departments.departments.map((d) => d.code));
      expect(body.categories.filter((c) => !known.has(c.department))).toEqual([]);
    });

    it('lists who serves a grid: one person per department, with duty, phone and grid count', async () => {
      const body = await json<{ grid: { code: string; streetName: string }; people: { departmentCode: string; phone: string; duty: string; gridCount: number }[] }>(
        await server.get('/api/personnel?grid=110108011001001'),
      );
      expect(body.grid).toMatchObject({ code: '110108011001001', streetName: '中关村街道' });
      expect(body.people).toHaveLength(14);
      expect(new Set(body.people.map((p) => p.departmentCode)).size).toBe(14);
      expect(body.people.every((p) => /^010-8\d{3}-\d{4}$/.test(p.phone) && p.duty.length > 0 && p.gridCount >= 1)).toBe(true);
      expect(body.people.find((p) => p.departmentCode === 'street-office')!.gridCount).toBe(1);
    });

    it('answers 404 for a grid that does not exist', async () => {
      const response = await server.get('/api/personnel?grid=110108011999001');
      expect(response.status).toBe(404);
    });

    it.each([
      ['/api/personnel', '"grid" is required'],
      ['/api/personnel?grid=11010801', 'is not a grid code'],
      ['/api/categories?lang=en', 'unknown parameter "lang"'],
    ])('refuses %s with a 400', async (path, fragment) => {
      await expectBadRequest(path, fragment);
    });
  });

  describe('unknown routes and methods', () => {
    it('answers an unknown path with a JSON 404', async () => {
      const response = await server.get('/api/nothing-here');
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    });

    it('answers a POST to a read-only route with a 404 and stores nothing', async () => {
      const response = await fetch(`${server.baseUrl}/api/geo/grids`, { method: 'POST', body: '{"code":"110108011001099"}', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(404);
      expect((await json<Collection>(await server.get('/api/geo/grids?limit=1'))).numberMatched).toBe(3000);
    });

    it('answers a malformed JSON body with a 400 that says so', async () => {
      const response = await fetch(`${server.baseUrl}/api/geo/grids`, { method: 'POST', body: '{"x":', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(400);
      expect((await json<{ error: { message: string } }>(response)).error.message).toMatch(/JSON/i);
    });
  });
});

describe('health when the store is gone', () => {
  it('GET /healthz turns 503 once the store stops answering', async () => {
    const server = await startTestServer('pglite');
    try {
      await server.db.store.close();
      const response = await server.get('/healthz');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable' });
    } finally {
      await server.close();
    }
  });
});
