import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import type { Clock } from '../../core/time/clock.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { ogrinfoAvailable, storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const run = promisify(execFile);

interface Link {
  href: string;
  rel: string;
  type?: string;
}

interface Page extends FeatureCollection {
  numberMatched: number;
  numberReturned: number;
  timeStamp: string;
  links: Link[];
}

interface CollectionDoc {
  id: string;
  itemType: string;
  crs: string[];
  extent: { spatial: { bbox: number[][]; crs: string }; temporal?: { interval: (string | null)[][] } };
  links: Link[];
}

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const STREET = '110108011'; // 中关村街道
/** Cases are filed at these times, two hours apart across a UTC midnight (within a session's 12 hours). */
const REPORT_TIMES = ['2025-03-01T22:00:00.000Z', '2025-03-02T00:00:00.000Z', '2025-03-02T02:00:00.000Z', '2025-03-02T04:00:00.000Z', '2025-03-02T06:00:00.000Z'];
const SIGNED_IN_AT = '2025-03-01T21:00:00.000Z';
const AFTERWARDS = '2025-03-02T07:00:00.000Z';
const AREA_TABLES = { streets: 'streets', communities: 'communities', grids: 'grids' } as const;

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe.each(storeDrivers())('OGC API – Features at /ogc (%s)', (driver) => {
  let server: TestServer;
  let now = new Date(SIGNED_IN_AT);
  const clock: Clock = { now: () => now };
  const filed: { number: string; point: [number, number]; reportedAt: string }[] = [];
  let streetDispatcher: string;
  let analyst: string;

  const sqlCount = async (text: string, params: unknown[] = []): Promise<number> => (await server.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${text}`, params))[0]!.n;
  const signIn = async (username: string, role: string, streetCode?: string): Promise<string> => {
    const password = 'ogc-test-password-1';
    await server.server.auth.createAccount({ username, displayName: username, role, password, ...(streetCode ? { streetCode } : {}) });
    const response = await fetch(`${server.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return (await json<{ token: string }>(response)).token;
  };

  beforeAll(async () => {
    server = await startTestServer(driver, { clock });
    const points = await pointsInStreet(server.db.store, server.geography, STREET, REPORT_TIMES.length, 80, 7);
    for (const [i, at] of REPORT_TIMES.entries()) {
      now = new Date(at);
      const [lng, lat] = points[i]!;
      const response = await server.post('/api/cases', JSON.stringify({ reportId: `ogc-${driver}-${i}`, category: 'E0102', lng, lat, description: '路边暴露垃圾', reporter: { name: '张三', phone: '13800000000' } }));
      expect(response.status).toBe(201);
      filed.push({ number: (await json<CaseAck>(response)).caseNumber, point: [lng, lat], reportedAt: at });
    }
    now = new Date(AFTERWARDS);
    streetDispatcher = await signIn('ogc-street-dispatcher', 'street-dispatcher', STREET);
    analyst = await signIn('ogc-analyst', 'analyst');
  });
  afterAll(() => server?.close());

  async function expectOgcError(path: string, status: number, code: string, fragment?: string, token: string | null = server.token): Promise<void> {
    const response = await server.get(path, token);
    expect(response.status, path).toBe(status);
    const body = await json<Record<string, unknown>>(response);
    expect(body, path).toEqual({ code, description: expect.any(String) });
    if (fragment) expect(body['description'], path).toContain(fragment);
  }

  describe('landing page, conformance, API definition', () => {
    it('the landing page links to itself, the conformance classes, the collections and the OpenAPI document, absolutely', async () => {
      for (const path of ['/ogc/', '/ogc', '/ogc/?f=json']) {
        const response = await server.get(path, null);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('content-type')).toContain('application/json');
        const { links } = await json<{ links: Link[] }>(response);
        const byRel = new Map(links.map((l) => [l.rel, l]));
        expect(byRel.get('self')?.href).toBe(`${server.baseUrl}/ogc/`);
        expect(byRel.get('conformance')?.href).toBe(`${server.baseUrl}/ogc/conformance`);
        expect(byRel.get('data')?.href).toBe(`${server.baseUrl}/ogc/collections`);
        expect(byRel.get('service-desc')).toEqual(expect.objectContaining({ href: `${server.baseUrl}/ogc/api`, type: 'application/vnd.oai.openapi+json;version=3.0' }));
      }
    });

    it('declares Core, GeoJSON and OpenAPI 3.0, and serves the OpenAPI 3.0 document it declares', async () => {
      const { conformsTo } = await json<{ conformsTo: string[] }>(await server.get('/ogc/conformance', null));
      expect([...conformsTo].sort()).toEqual([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      ]);
      const api = await server.get('/ogc/api', null);
      // Verbatim: GDAL refuses `…+json; version="3.0"`.
      expect(api.headers.get('content-type')).toMatch(/^application\/vnd\.oai\.openapi\+json;version=3\.0(;|$)/);
      const doc = await json<{ openapi: string; servers: { url: string }[]; paths: Record<string, unknown> }>(api);
      expect(doc.openapi).toMatch(/^3\.0\./);
      expect(doc.servers[0]!.url).toBe(`${server.baseUrl}/ogc`);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/{collectionId}', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}']));
    });
  });

  describe('collections', () => {
    it('lists the three area levels to anyone, with their extent from the data, and the cases to a district-wide role', async () => {
      const anonymous = await json<{ collections: CollectionDoc[] }>(await server.get('/ogc/collections', null));
      expect(anonymous.collections.map((c) => c.id)).toEqual(['streets', 'communities', 'grids']);
      const streetLevel = await json<{ collections: CollectionDoc[] }>(await server.get('/ogc/collections', streetDispatcher));
      expect(streetLevel.collections.map((c) => c.id)).toEqual(['streets', 'communities', 'grids']);
      const signedIn = await json<{ collections: CollectionDoc[] }>(await server.get('/ogc/collections'));
      expect(signedIn.collections.map((c) => c.id)).toEqual(['streets', 'communities', 'grids', 'cases']);
      for (const collection of signedIn.collections) {
        expect(collection).toMatchObject({ itemType: 'feature', crs: [CRS84], extent: { spatial: { crs: CRS84 } } });
        expect(collection.links).toContainEqual(expect.objectContaining({ rel: 'items', type: 'application/geo+json', href: `${server.baseUrl}/ogc/collections/${collection.id}/items` }));
      }
      for (const [id, table] of Object.entries(AREA_TABLES)) {
        const [box] = await server.db.sql.query<{ a: number; b: number; c: number; d: number }>(
          `SELECT ST_XMin(e)::float8 AS a, ST_YMin(e)::float8 AS b, ST_XMax(e)::float8 AS c, ST_YMax(e)::float8 AS d FROM (SELECT ST_Extent(geom) AS e FROM ${table}) x`,
        );
        const doc = await json<CollectionDoc>(await server.get(`/ogc/collections/${id}`, null));
        expect(doc.extent.spatial.bbox).toEqual([[box!.a, box!.b, box!.c, box!.d]]);
        expect(doc.extent.temporal).toBeUndefined();
      }
    });

    it('gives the cases collection the bounding box of their points and the span of their report times', async () => {
      const doc = await json<CollectionDoc>(await server.get('/ogc/collections/cases'));
      expect(doc.extent.temporal!.interval).toEqual([[REPORT_TIMES[0], REPORT_TIMES.at(-1)]]);
      const [minLng, minLat, maxLng, maxLat] = doc.extent.spatial.bbox[0]!;
      for (const { point } of filed) {
        expect(point[0]).toBeGreaterThanOrEqual(minLng!);
        expect(point[0]).toBeLessThanOrEqual(maxLng!);
        expect(point[1]).toBeGreaterThanOrEqual(minLat!);
        expect(point[1]).toBeLessThanOrEqual(maxLat!);
      }
    });

    it('answers 404 with an OGC exception for a collection that does not exist, and for any other path under /ogc', async () => {
      await expectOgcError('/ogc/collections/parcels', 404, 'NotFound', 'parcels');
      await expectOgcError('/ogc/collections/parcels/items', 404, 'NotFound');
      await expectOgcError('/ogc/collections/parcels/items/1', 404, 'NotFound');
      await expectOgcError('/ogc/nothing/here', 404, 'NotFound');
    });
  });

  describe('items of the area collections', () => {
    it('pages 100 grids by default with exact counts, a next link and no prev link', async () => {
      const response = await server.get('/ogc/collections/grids/items', null);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/geo+json');
      const page = await json<Page>(response);
      expect(page.numberMatched).toBe(await sqlCount('grids'));
      expect(page.numberReturned).toBe(100);
      expect(page.features).toHaveLength(100);
      expect(page.features[0]!.geometry.type).toBe('MultiPolygon');
      expect(page.links.find((l) => l.rel === 'next')?.href).toBe(`${server.baseUrl}/ogc/collections/grids/items?limit=100&offset=100`);
      expect(page.links.find((l) => l.rel === 'prev')).toBeUndefined();
      expect(Date.parse(page.timeStamp)).not.toBeNaN();
    });

    it('counts streets and communities exactly', async () => {
      for (const [id, table] of Object.entries(AREA_TABLES)) {
        const page = await json<Page>(await server.get(`/ogc/collections/${id}/items?limit=1`, null));
        expect(page.numberMatched, id).toBe(await sqlCount(table));
        expect(page.numberReturned, id).toBe(1);
      }
    });

    it('follows next links through a bbox to exactly the grids SQL finds there, once each, with prev links back', async () => {
      const bbox = '116.30,39.97,116.32,39.99';
      const expected = (
        await server.db.sql.query<{ code: string }>('SELECT code FROM grids WHERE ST_Intersects(geom, ST_MakeEnvelope(116.30, 39.97, 116.32, 39.99, 4326)) ORDER BY code')
      ).map((r) => r.code);
      expect(expected.length).toBeGreaterThan(20);
      const seen: string[] = [];
      let url: string | undefined = `${server.baseUrl}/ogc/collections/grids/items?bbox=${bbox}&limit=7`;
      let pages = 0;
      while (url) {
        const page: Page = await json<Page>(await fetch(url));
        expect(page.numberMatched).toBe(expected.length);
        expect(page.numberReturned).toBe(page.features.length);
        const prev = page.links.find((l) => l.rel === 'prev');
        if (pages === 0) expect(prev).toBeUndefined();
        else expect(new URL(prev!.href).searchParams.get('offset')).toBe(String((pages - 1) * 7));
        seen.push(...page.features.map((f) => String(f.id)));
        url = page.links.find((l) => l.rel === 'next')?.href;
        if (url) expect(new URL(url).searchParams.get('bbox')).toBe(bbox);
        pages++;
      }
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 7));
    });

    it('pages past the end to an empty page with a prev link', async () => {
      const page = await json<Page>(await server.get('/ogc/collections/streets/items?offset=1000&limit=10', null));
      expect(page).toMatchObject({ numberMatched: 29, numberReturned: 0, features: [] });
      expect(page.links.find((l) => l.rel === 'next')).toBeUndefined();
      expect(new URL(page.links.find((l) => l.rel === 'prev')!.href).searchParams.get('offset')).toBe('990');
    });

    it('serves one feature by its code, and 404 for a code that does not exist', async () => {
      const response = await server.get('/ogc/collections/grids/items/110108011001001', null);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/geo+json');
      const feature = await json<Feature & { links: Link[] }>(response);
      expect(feature).toMatchObject({ type: 'Feature', id: '110108011001001', properties: { code: '110108011001001', communityCode: '110108011001', streetCode: '110108011' } });
      expect(feature.links).toContainEqual(expect.objectContaining({ rel: 'collection', href: `${server.baseUrl}/ogc/collections/grids` }));
      await expectOgcError('/ogc/collections/grids/items/110108011001999', 404, 'NotFound');
      await expectOgcError('/ogc/collections/streets/items/110108011001001', 404, 'NotFound');
    });

    it('negotiates GeoJSON or JSON by f and Accept, and answers 406 when neither is acceptable', async () => {
      const typeOf = async (path: string, accept?: string): Promise<string | null> =>
        (await fetch(server.baseUrl + path, accept ? { headers: { accept } } : {})).headers.get('content-type');
      expect(await typeOf('/ogc/collections/streets/items?limit=1')).toContain('application/geo+json');
      expect(await typeOf('/ogc/collections/streets/items?limit=1&f=json')).toContain('application/geo+json');
      expect(await typeOf('/ogc/collections/streets/items?limit=1', 'application/json')).toContain('application/json');
      expect(await typeOf('/ogc/collections/streets/items?limit=1', 'application/json;q=0.5, application/geo+json')).toContain('application/geo+json');
      expect(await typeOf('/ogc/collections/streets/items?limit=1', 'text/html,*/*;q=0.8')).toContain('application/geo+json');
      const refused = await fetch(`${server.baseUrl}/ogc/collections/streets/items?limit=1`, { headers: { accept: 'text/html' } });
      expect(refused.status).toBe(406);
      expect(await refused.json()).toEqual({ code: 'NotAcceptable', description: expect.any(String) });
    });
  });

  describe('the cases collection', () => {
    it('answers 401 without a session and 403 to a role that is not district-wide, in the OGC shape', async () => {
      for (const path of ['/ogc/collections/cases', '/ogc/collections/cases/items', `/ogc/collections/cases/items/${filed[0]!.number}`]) {
        await expectOgcError(path, 401, 'unauthenticated', undefined, null);
        await expectOgcError(path, 403, 'forbidden', undefined, streetDispatcher);
        expect((await server.get(path, analyst)).status, path).toBe(200);
      }
    });

    it('serves the cases as points with their place in the loop and never their reporter', async () => {
      const page = await json<Page>(await server.get('/ogc/collections/cases/items'));
      expect(page.numberMatched).toBe(REPORT_TIMES.length);
      expect(page.features.map((f) => f.id)).toEqual(filed.map((c) => c.number));
      const first = page.features[0]! as Feature<Point>;
      expect(first.geometry.coordinates[0]).toBeCloseTo(filed[0]!.point[0], 6);
      expect(first.geometry.coordinates[1]).toBeCloseTo(filed[0]!.point[1], 6);
      expect(first.properties).toMatchObject({
        number: filed[0]!.number,
        category: 'E0102',
        status: 'dispatched',
        tier: 'grid',
        severity: expect.any(Number),
        streetCode: STREET,
        gridCode: expect.stringMatching(new RegExp(`^${STREET}\\d{6}$`)),
        departmentCode: 'street-office',
        reportedAt: REPORT_TIMES[0],
        acceptedAt: null,
        closedAt: null,
        acceptOverdue: false,
        resolveOverdue: false,
      });
      expect(Date.parse(String(first.properties!['resolveDueAt']))).toBeGreaterThan(Date.parse(REPORT_TIMES[0]!));
      const text = JSON.stringify(page);
      for (const secret of ['张三', '13800000000', '路边暴露垃圾', 'reporter', 'description']) expect(text).not.toContain(secret);
      const one = await json<Feature>(await server.get(`/ogc/collections/cases/items/${filed[2]!.number}`));
      expect(one).toMatchObject({ id: filed[2]!.number, properties: { reportedAt: REPORT_TIMES[2] } });
      await expectOgcError('/ogc/collections/cases/items/HD20250302-9999999', 404, 'NotFound');
    });

    it.each([
      ['an instant', '2025-03-02T02:00:00Z', [2]],
      ['an instant with an offset', '2025-03-02T10:00:00+08:00', [2]],
      ['an instant that matches nothing', '2025-03-02T02:00:01Z', []],
      ['a date, its whole UTC day', '2025-03-01', [0]],
      ['a closed interval, both ends included', '2025-03-02T00:00:00Z/2025-03-02T04:00:00Z', [1, 2, 3]],
      ['a closed interval of dates', '2025-03-02/2025-03-02', [1, 2, 3, 4]],
      ['an interval open at the start', '../2025-03-02T00:00:00Z', [0, 1]],
      ['an interval open at the end', '2025-03-02T03:00:00Z/..', [3, 4]],
      ['an empty start', '/2025-03-01T22:00:00.000Z', [0]],
      ['an empty end', '2025-03-02T06:00:00Z/', [4]],
    ])('filters cases by report time: %s', async (_what, datetime, indexes) => {
      const page = await json<Page>(await server.get(`/ogc/collections/cases/items?datetime=${encodeURIComponent(datetime)}`));
      expect(page.features.map((f) => f.id)).toEqual(indexes.map((i) => filed[i]!.number));
      expect(page.numberMatched).toBe(indexes.length);
    });

    it('combines datetime, bbox and paging, with exact counts against SQL and the filters kept in the next link', async () => {
      const [lng, lat] = filed[3]!.point;
      const bbox = [lng - 0.0001, lat - 0.0001, lng + 0.0001, lat + 0.0001].join(',');
      const near = await json<Page>(await server.get(`/ogc/collections/cases/items?bbox=${bbox}&datetime=2025-03-02/..`));
      expect(near.features.map((f) => f.id)).toEqual([filed[3]!.number]);
      const from = '2025-03-01T23:00:00Z';
      const expected = await sqlCount('cases WHERE reported_at >= $1', [from]);
      const page = await json<Page>(await server.get(`/ogc/collections/cases/items?datetime=${encodeURIComponent(`${from}/..`)}&limit=2&offset=1`));
      expect(page).toMatchObject({ numberMatched: expected, numberReturned: 2 });
      expect(page.features.map((f) => f.id)).toEqual([filed[2]!.number, filed[3]!.number]);
      const next = new URL(page.links.find((l) => l.rel === 'next')!.href);
      expect(Object.fromEntries(next.searchParams)).toEqual({ datetime: `${from}/..`, limit: '2', offset: '3' });
      expect(new URL(page.links.find((l) => l.rel === 'prev')!.href).searchParams.get('offset')).toBe('0');
    });
  });

  describe('bad parameters', () => {
    it.each([
      ['/ogc/collections/grids/items?foo=1', 'foo'],
      ['/ogc/collections/grids/items?lim=10', 'lim'],
      ['/ogc/collections/grids/items?datetime=2025-03-01', 'datetime'],
      ['/ogc/collections/grids/items/110108011001001?limit=1', 'limit'],
      ['/ogc/collections?bbox=1,2,3,4', 'bbox'],
      ['/ogc/?x=1', 'x'],
      ['/ogc/collections/cases/items?status=open', 'status'],
      ['/ogc/collections/grids/items?bbox=116.3,39.9,116.4', 'bbox'],
      ['/ogc/collections/grids/items?bbox=116.3,39.9,116.4,abc', 'bbox'],
      ['/ogc/collections/grids/items?bbox=116.4,39.9,116.3,40.0', 'bbox'],
      ['/ogc/collections/grids/items?bbox=116.3,39.9,116.4,91', 'bbox'],
      ['/ogc/collections/grids/items?bbox=', 'bbox'],
      ['/ogc/collections/cases/items?bbox=1,2,3,4,5', 'bbox'],
      ['/ogc/collections/grids/items?limit=0', 'limit'],
      ['/ogc/collections/grids/items?limit=10001', 'limit'],
      ['/ogc/collections/grids/items?limit=abc', 'limit'],
      ['/ogc/collections/grids/items?limit=1.5', 'limit'],
      ['/ogc/collections/grids/items?limit=1&limit=2', 'limit'],
      ['/ogc/collections/grids/items?offset=-1', 'offset'],
      ['/ogc/collections/cases/items?datetime=yesterday', 'datetime'],
      ['/ogc/collections/cases/items?datetime=2025-13-01', 'datetime'],
      ['/ogc/collections/cases/items?datetime=2025-02-30', 'datetime'],
      ['/ogc/collections/cases/items?datetime=2025-03-01T10:00:00', 'datetime'],
      ['/ogc/collections/cases/items?datetime=2025-03-01T25:00:00Z', 'datetime'],
      ['/ogc/collections/cases/items?datetime=2025-03-05T00:00:00Z/2025-03-01T00:00:00Z', 'datetime'],
      ['/ogc/collections/cases/items?datetime=../..', 'datetime'],
      ['/ogc/collections/cases/items?datetime=2025-03-01/2025-03-02/2025-03-03', 'datetime'],
      ['/ogc/collections/grids/items?f=html', 'f'],
      ['/ogc/conformance?f=geojson', 'f'],
    ])('%s is a 400 InvalidParameterValue', async (path, fragment) => {
      await expectOgcError(path, 400, 'InvalidParameterValue', fragment);
    });
  });

  describe.skipIf(!ogrinfoAvailable())('read by GDAL (ogrinfo, OAPIF driver)', () => {
    const ogrinfo = async (args: string[], token?: string): Promise<string> => {
      const env = { ...process.env, no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost', ...(token ? { GDAL_HTTP_HEADERS: `Authorization: Bearer ${token}` } : {}) };
      const { stdout } = await run('ogrinfo', ['-ro', ...args], { env, timeout: 60_000 });
      return stdout;
    };
    const summary = async (layer: string, token?: string): Promise<{ geometry: string; count: number }> => {
      const out = await ogrinfo(['-so', `OAPIF:${server.baseUrl}/ogc/`, layer], token);
      return { geometry: /^Geometry: (.+)$/m.exec(out)?.[1] ?? out, count: Number(/^Feature Count: (\d+)$/m.exec(out)?.[1]) };
    };

    it('lists the public collections as layers, and the cases too with a bearer session in GDAL_HTTP_HEADERS', async () => {
      const anonymous = await ogrinfo([`OAPIF:${server.baseUrl}/ogc/`]);
      expect(anonymous).toMatch(/^1: streets .*\(Multi Polygon\)$/m);
      expect(anonymous).toMatch(/^2: communities .*\(Multi Polygon\)$/m);
      expect(anonymous).toMatch(/^3: grids .*\(Multi Polygon\)$/m);
      expect(anonymous).not.toMatch(/cases/);
      const signedIn = await ogrinfo([`OAPIF:${server.baseUrl}/ogc/`], server.token);
      expect(signedIn).toMatch(/^4: cases .*\(Point\)$/m);
    });

    it('reads each layer with the geometry type and the feature count the database has', async () => {
      expect(await summary('grids')).toEqual({ geometry: 'Multi Polygon', count: await sqlCount('grids') });
      expect(await summary('communities')).toEqual({ geometry: 'Multi Polygon', count: await sqlCount('communities') });
      expect(await summary('streets')).toEqual({ geometry: 'Multi Polygon', count: 29 });
      expect(await summary('cases', server.token)).toEqual({ geometry: 'Point', count: REPORT_TIMES.length });
    });

    it('filters by attribute, which makes GDAL read the landing page and the OpenAPI document', async () => {
      const env = { ...process.env, no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost', GDAL_HTTP_HEADERS: `Authorization: Bearer ${server.token}` };
      const { stdout, stderr } = await run('ogrinfo', ['-ro', '-so', `OAPIF:${server.baseUrl}/ogc/`, 'cases', '-where', `reportedAt >= '2025-03-02T03:00:00Z'`], { env, timeout: 60_000 });
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^Feature Count: 2$/m);
    });
  });
});
