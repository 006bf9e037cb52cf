import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { createOpen311KeyService } from '../../server/services/open311-keys.service.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import {
  asText,
  ATTRIBUTE_FIELDS,
  CREATED_FIELDS,
  DISCOVERY_FIELDS,
  ENDPOINT_FIELDS,
  Open311Client,
  REQUEST_FIELDS,
  SERVICE_FIELDS,
  W3C_DATETIME,
  type Format,
  type FormFields,
  type Open311Answer,
} from '../fixtures/open311-client.ts';
import { signInTestDispatcher } from '../fixtures/test-databases.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

/** A clock the test moves: intake stamps cases with it, GET requests measures its default window from it. */
class TestClock {
  t = Date.parse('2026-03-02T02:00:00Z'); // Monday 10:00 in Beijing
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const ENV_KEY = 'test-env-key-0123456789abcdef';
const STREET = '110108011'; // 中关村街道
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A point well outside the district (Dongcheng). */
const OUTSIDE: LngLat = [116.41, 39.91];

type Row = Record<string, unknown>;
type ErrorItem = { code: unknown; description: string };

const list = (answer: Open311Answer): Row[] => answer.body as Row[];

describe.each(storeDrivers())('Open311 GeoReport v2 (%s)', (driver) => {
  let server: TestServer;
  let client: Open311Client;
  let dbKey: string;
  let disabledKey: string;
  let points: LngLat[];
  const clock = new TestClock();
  const filed: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(driver, { clock, open311: { apiKeys: [ENV_KEY] } });
    const keys = createOpen311KeyService({ store: server.db.store });
    dbKey = (await keys.create('Test city app')).key;
    const disabled = await keys.create('Retired app');
    disabledKey = disabled.key;
    await keys.setDisabled(disabled.apiKey.id, true);
    client = new Open311Client(`${server.baseUrl}/open311/v2`, ENV_KEY);
    points = await pointsInStreet(server.db.store, server.geography, STREET, 8, 120, 311);
  });
  afterAll(() => server?.close());

  const caseCount = async (): Promise<number> => (await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;

  const fieldsAt = (p: LngLat, more: FormFields = {}): FormFields => ({ lat: String(p[1]), long: String(p[0]), ...more });

  /** An answer refused the spec's way: the status, and the error list in the answer's format. */
  function expectErrors(answer: Open311Answer, status: number, fragment?: string): ErrorItem[] {
    expect(answer.status, answer.text).toBe(status);
    const errors = answer.body as ErrorItem[];
    expect(Array.isArray(errors)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(Object.keys(e).sort()).toEqual(['code', 'description']);
      expect(String(e.code)).toBe(String(status));
      expect(e.description.length).toBeGreaterThan(0);
    }
    if (answer.xml) {
      expect(answer.xml.name).toBe('errors');
      expect(answer.xml.children.every((c) => c.name === 'error' && c.children.map((x) => x.name).join() === 'code,description')).toBe(true);
    }
    if (fragment) expect(errors.map((e) => e.description).join(' | ')).toContain(fragment);
    return errors;
  }

  /** The same answer in both formats: XML read by the Spark convention equals the JSON, leaf for leaf as text. */
  async function bothFormats(get: (format: Format) => Promise<Open311Answer>): Promise<{ json: Open311Answer; xml: Open311Answer }> {
    const [json, xml] = await Promise.all([get('json'), get('xml')]);
    expect(json.contentType).toMatch(/^application\/json; charset=utf-8/i);
    expect(xml.contentType).toMatch(/^text\/xml; charset=utf-8/i);
    expect(xml.status).toBe(json.status);
    expect(xml.body).toEqual(asText(json.body));
    return { json, xml };
  }

  describe('discovery and services', () => {
    it('discovery.json and discovery.xml name this endpoint, GeoReport v2 and both formats', async () => {
      const { json, xml } = await bothFormats((f) => client.discovery(f));
      expect(json.status).toBe(200);
      const discovery = json.body as Row;
      expect(Object.keys(discovery)).toEqual([...DISCOVERY_FIELDS]);
      const endpoints = discovery['endpoints'] as Row[];
      expect(endpoints).toHaveLength(1);
      expect(Object.keys(endpoints[0]!)).toEqual([...ENDPOINT_FIELDS]);
      expect(endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: client.endpoint, type: 'production' });
      expect(endpoints[0]!['formats']).toEqual(expect.arrayContaining(['text/xml', 'application/json']));
      expect(xml.xml!.name).toBe('discovery');
      const endpointsElement = xml.xml!.children.find((c) => c.name === 'endpoints')!;
      expect(endpointsElement.children.map((c) => c.name)).toEqual(['endpoint']);
      expect(endpointsElement.children[0]!.children.find((c) => c.name === 'formats')!.children.every((c) => c.name === 'format')).toBe(true);
    });

    it('services lists every category as a realtime service, grouped by work area, with metadata where it asks more', async () => {
      const { json, xml } = await bothFormats((f) => client.services(f));
      expect(json.status).toBe(200);
      const services = list(json);
      expect(services).toHaveLength(89);
      expect(new Set(services.map((s) => s['service_code'])).size).toBe(89);
      for (const s of services) {
        expect(Object.keys(s)).toEqual([...SERVICE_FIELDS]);
        expect(s['type']).toBe('realtime');
        expect(s['service_code']).toMatch(/^[ECS]\d{4}$/);
        expect(s['service_name']).toMatch(/\p{Script=Han}/u);
        expect(s['description']).toMatch(/^[\x20-\x7E’]+$/);
        expect(String(s['group']).length).toBeGreaterThan(0);
        expect(String(s['keywords']).length).toBeGreaterThan(0);
        expect(s['metadata']).toBe(String(s['service_code']).startsWith('C'));
      }
      expect(xml.xml!.name).toBe('services');
      expect(xml.xml!.children.every((c) => c.name === 'service' && c.children.map((x) => x.name).join() === SERVICE_FIELDS.join())).toBe(true);

      const english = list(await client.services('json', { locale: 'en' }));
      const manhole = english.find((s) => s['service_code'] === 'C0101')!;
      expect(manhole['service_name']).toBe('Missing water-supply manhole cover');
      expect(manhole['description']).toBe('上水井盖缺失破损');
      expect(manhole['group']).toBe('City operations');
    });

    it('a component service defines its component_id attribute; an event service has none; an unknown one is 404', async () => {
      const { json, xml } = await bothFormats((f) => client.serviceDefinition('C0101', f));
      expect(json.status).toBe(200);
      const definition = json.body as { service_code: string; attributes: Row[] };
      expect(Object.keys(definition)).toEqual(['service_code', 'attributes']);
      expect(definition.service_code).toBe('C0101');
      expect(definition.attributes).toHaveLength(1);
      expect(Object.keys(definition.attributes[0]!)).toEqual([...ATTRIBUTE_FIELDS]);
      expect(definition.attributes[0]).toMatchObject({ variable: true, code: 'component_id', datatype: 'string', required: false, order: 1 });
      expect(xml.xml!.name).toBe('service_definition');
      expect(xml.xml!.children.map((c) => c.name)).toEqual(['service_code', 'attributes']);
      expect(xml.xml!.children[1]!.children.map((c) => c.name)).toEqual(['attribute']);

      const event = await bothFormats((f) => client.serviceDefinition('E0101', f));
      expect(event.json.body).toEqual({ service_code: 'E0101', attributes: [] });

      for (const format of ['json', 'xml'] as const) expectErrors(await client.serviceDefinition('X9999', format), 404, 'X9999');
      expect((await fetch(`${client.endpoint}/services/C0101.csv`)).status).toBe(404);
      expectErrors(await client.token('123456', 'json'), 404, 'realtime');
      expectErrors(await client.token('123456', 'xml'), 404, 'realtime');
    });
  });

  describe('POST requests and GET requests/{id}', () => {
    const reporter = { email: 'wang.fang@example.com', first_name: '芳', last_name: '王', phone: '13800001111' };

    it('files a request in JSON through the intake pipeline and answers [{service_request_id, service_notice, account_id}]', async () => {
      const before = await caseCount();
      const answer = await client.createRequest(
        'json',
        fieldsAt(points[0]!, { service_code: 'E0101', description: '人行道上堆放建筑垃圾\n第二行', media_url: 'https://photos.example.com/a.jpg', device_id: 'device-1', ...reporter }),
      );
      expect(answer.status, answer.text).toBe(201);
      const created = list(answer);
      expect(created).toHaveLength(1);
      expect(Object.keys(created[0]!)).toEqual([...CREATED_FIELDS]);
      expect(created[0]!['service_request_id']).toMatch(/^HD\d{8}-\d{7}$/);
      expect(String(created[0]!['service_notice'])).toContain('办结');
      expect(created[0]!['account_id']).toBeNull();
      expect(await caseCount()).toBe(before + 1);
      filed['a'] = created[0]!['service_request_id'] as string;

      const [row] = await server.db.sql.query<{ channel: string; reporter: Record<string, string> }>('SELECT channel, reporter FROM cases WHERE case_number = $1', [filed['a']]);
      expect(row).toEqual({ channel: 'open311', reporter: { name: '王芳', phone: '13800001111', id: 'email:wang.fang@example.com' } });
    });

    it('GET requests/{id} shows it in both formats, with the spec fields and no reporter data', async () => {
      const { json, xml } = await bothFormats((f) => client.request(filed['a']!, f));
      expect(json.status).toBe(200);
      const [request] = list(json);
      expect(Object.keys(request!)).toEqual([...REQUEST_FIELDS]);
      expect(request).toMatchObject({ service_request_id: filed['a'], status: 'open', service_code: 'E0101', media_url: 'https://photos.example.com/a.jpg', address_id: expect.stringMatching(/^110108011\d{6}$/) });
      expect(request!['description']).toBe('人行道上堆放建筑垃圾\n第二行');
      expect(request!['lat']).toBeCloseTo(points[0]![1], 6);
      expect(request!['long']).toBeCloseTo(points[0]![0], 6);
      expect(request!['requested_datetime']).toBe('2026-03-02T02:00:00Z');
      for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(request![field]).toMatch(W3C_DATETIME);
      expect(String(request!['address'])).toMatch(/网格.*社区.*中关村街道, 海淀区$/);
      expect(String(request!['agency_responsible'])).toMatch(/\p{Script=Han}/u);
      expect(String(request!['status_notes']).length).toBeGreaterThan(0);
      for (const text of [json.text, xml.text]) for (const secret of Object.values(reporter)) expect(text).not.toContain(secret);
      expect(xml.xml!.name).toBe('service_requests');
      expect(xml.xml!.children.map((c) => c.name)).toEqual(['request']);
      expect(xml.xml!.children[0]!.children.map((c) => c.name)).toEqual([...REQUEST_FIELDS]);
      // The description's line break and Chinese text survive XML.
      expect(xml.xml!.children[0]!.children.find((c) => c.name === 'description')!.text).toBe('人行道上堆放建筑垃圾\n第二行');

      const english = list(await client.request(filed['a']!, 'json', { locale: 'en' }))[0]!;
      expect(english['service_name']).toBe(list(await client.services('json', { locale: 'en' })).find((s) => s['service_code'] === 'E0101')!['service_name']);
      expect(english['status_notes']).toMatch(/^(dispatched to|waiting for)/);
    });

    it('files a request in XML with a stored key and a service attribute; account_id comes back', async () => {
      const keyed = new Open311Client(client.endpoint, dbKey);
      const answer = await keyed.createRequest(
        'xml',
        fieldsAt(points[1]!, { service_code: 'C0101', description: 'Manhole cover <missing> & "dangerous"', 'attribute[component_id]': '1101080101000001', account_id: 'acct-42' }),
      );
      expect(answer.status, answer.text).toBe(201);
      expect(answer.xml!.name).toBe('service_requests');
      expect(answer.xml!.children.map((c) => c.name)).toEqual(['request']);
      expect(answer.xml!.children[0]!.children.map((c) => c.name)).toEqual([...CREATED_FIELDS]);
      const [created] = list(answer);
      expect(created!['account_id']).toBe('acct-42');
      filed['b'] = created!['service_request_id'] as string;

      const [request] = list(await client.request(filed['b'], 'xml'));
      expect(request!['service_code']).toBe('C0101');
      expect(request!['description']).toBe('Manhole cover <missing> & "dangerous"\n[component_id: 1101080101000001]');
      expect(request!['media_url']).toBeNull();
    });

    it('a retried identical POST does not file twice: same service_request_id, in either format; a day later it is a new report', async () => {
      const fields = fieldsAt(points[0]!, { service_code: 'E0101', description: '人行道上堆放建筑垃圾\n第二行', media_url: 'https://photos.example.com/a.jpg', device_id: 'device-1', ...reporter });
      const before = await caseCount();
      const again = await client.createRequest('json', fields);
      expect(again.status, again.text).toBe(200);
      expect(list(again)[0]!['service_request_id']).toBe(filed['a']);
      const asXml = await client.createRequest('xml', fields);
      expect(list(asXml)[0]!['service_request_id']).toBe(filed['a']);
      clock.advance(23 * HOUR);
      expect(list(await client.createRequest('json', fields))[0]!['service_request_id']).toBe(filed['a']);
      expect(await caseCount()).toBe(before);

      // Another device (or another key) saying the same is another report.
      const other = await client.createRequest('json', { ...fields, device_id: 'device-2' });
      expect(other.status).toBe(201);
      expect(list(other)[0]!['service_request_id']).not.toBe(filed['a']);
      expect(await caseCount()).toBe(before + 1);
      filed['c'] = list(other)[0]!['service_request_id'] as string;

      clock.advance(2 * HOUR); // 25 h after the first: outside the replay window
      const later = await client.createRequest('json', fields);
      expect(later.status).toBe(201);
      expect(list(later)[0]!['service_request_id']).not.toBe(filed['a']);
      expect(await caseCount()).toBe(before + 2);
      filed['d'] = list(later)[0]!['service_request_id'] as string;
    });

    it('GET requests/{id} of an unknown id is 404 in both formats', async () => {
      expectErrors(await client.request('HD20260302-9999999', 'json'), 404, 'HD20260302-9999999');
      expectErrors(await client.request('nonsense', 'xml'), 404);
    });
  });

  describe('every documented error, and nothing stored', () => {
    const base = (): FormFields => fieldsAt(points[2]!, { service_code: 'E0103', description: 'refused' });

    it.each<[string, (c: Open311Client) => Promise<Open311Answer>, number, string]>([
      ['missing api_key', (c) => c.createRequest('json', base(), { apiKey: null }), 403, 'api_key'],
      ['missing api_key (XML)', (c) => c.createRequest('xml', base(), { apiKey: null }), 403, 'api_key'],
      ['a wrong api_key', (c) => c.createRequest('json', base(), { apiKey: 'not-a-key-0123456789' }), 403, 'api_key'],
      ['a disabled api_key', (c) => c.createRequest('xml', base(), { apiKey: disabledKey }), 403, 'api_key'],
      ['an unknown service_code', (c) => c.createRequest('json', { ...base(), service_code: 'E9999' }), 404, 'E9999'],
      ['an unknown service_code (XML)', (c) => c.createRequest('xml', { ...base(), service_code: 'E9999' }), 404, 'E9999'],
      ['no service_code', (c) => c.createRequest('json', { ...base(), service_code: '' }), 400, 'service_code'],
      ['no location', (c) => c.createRequest('json', { service_code: 'E0103' }), 400, 'lat and long'],
      ['only an address_string (no geocoder)', (c) => c.createRequest('xml', { service_code: 'E0103', address_string: '中关村大街1号' }), 400, 'address_string'],
      ['lat without long', (c) => c.createRequest('json', { ...base(), long: undefined }), 400, 'both'],
      ['a lat that is not a number', (c) => c.createRequest('json', { ...base(), lat: 'forty' }), 400, 'decimal degrees'],
      ['a lat out of range', (c) => c.createRequest('xml', { ...base(), lat: '91' }), 400, '−90..90'],
      ['a point outside the district', (c) => c.createRequest('json', fieldsAt(OUTSIDE, { service_code: 'E0103' })), 400, 'outside'],
      ['a bad attribute value', (c) => c.createRequest('json', fieldsAt(points[2]!, { service_code: 'C0101', 'attribute[component_id]': 'abc' })), 400, '16 digits'],
      ['an attribute the service does not have', (c) => c.createRequest('json', { ...base(), 'attribute[colour]': 'red' }), 400, 'attribute[colour]'],
      ['a description over 4000 characters', (c) => c.createRequest('json', { ...base(), description: 'x'.repeat(4001) }), 400, '4000'],
      ['a bad email', (c) => c.createRequest('json', { ...base(), email: 'nobody' }), 400, 'email'],
      ['a media_url that is no URL', (c) => c.createRequest('json', { ...base(), media_url: 'javascript:alert(1)' }), 400, 'media_url'],
    ])('%s → the spec error, nothing stored', async (_name, send, status, fragment) => {
      const before = await caseCount();
      expectErrors(await send(client), status, fragment);
      expect(await caseCount()).toBe(before);
    });

    it('a body that is not form-encoded, or too large, is a 400 in the spec format; nothing stored', async () => {
      const before = await caseCount();
      const asJson = await fetch(`${client.endpoint}/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: ENV_KEY, service_code: 'E0103' }) });
      expectErrors({ status: asJson.status, contentType: '', text: '', body: await asJson.json() }, 400, 'x-www-form-urlencoded');
      const huge = await fetch(`${client.endpoint}/requests.xml`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `api_key=${ENV_KEY}&service_code=E0103&description=${'y'.repeat(70_000)}`,
      });
      expect(huge.status).toBe(400);
      expect(await huge.text()).toContain('<errors>');
      expect(await caseCount()).toBe(before);
    });

    it('an unknown URL under the endpoint is a 404 in the spec format', async () => {
      const response = await fetch(`${client.endpoint}/nothing.json`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual([{ code: 404, description: expect.stringContaining('discovery') }]);
    });
  });

  describe('GET requests with filters', () => {
    const ids = (answer: Open311Answer): string[] => list(answer).map((r) => String(r['service_request_id']));

    it('closes one by rejection and one by merging, through the case loop', async () => {
      // The clock has moved a day since the server started: a fresh session.
      const token = await signInTestDispatcher(server.baseUrl);
      const reject = await server.post(`/api/cases/${filed['c']}/commands`, JSON.stringify({ type: 'reject', reason: '重复上报' }), 'application/json', token);
      expect(reject.status, await reject.clone().text()).toBe(200);
      const merge = await server.post(`/api/cases/${filed['d']}/commands`, JSON.stringify({ type: 'merge', intoCaseNumber: filed['a'] }), 'application/json', token);
      expect(merge.status, await merge.clone().text()).toBe(200);
    });

    it('lists only what the public filed: a hotline case is not an Open311 request', async () => {
      const token = await signInTestDispatcher(server.baseUrl);
      const [lng, lat] = [116.31, 39.98];
      const hotline = await server.post('/api/cases', JSON.stringify({ reportId: `o311-hotline-${driver}`, category: 'E0102', lng, lat, channel: 'hotline', description: '来电人王先生称…' }), 'application/json', token);
      expect(hotline.status).toBe(201);
      const number = ((await hotline.json()) as { caseNumber: string }).caseNumber;
      expect(ids(await client.requests('json', { service_request_id: number }))).toEqual([]);
      expect(ids(await client.requests('json'))).not.toContain(number);
      expect((await client.request(number, 'json')).status).toBe(404);
    });

    it('by service_request_id (a comma list that overrides every other filter)', async () => {
      const { json } = await bothFormats((f) => client.requests(f, { service_request_id: `${filed['a']},${filed['b']},HD20990101-0000001`, status: 'closed', service_code: 'S0101' }));
      expect(ids(json).sort()).toEqual([filed['a']!, filed['b']!].sort());
    });

    it('by service_code (a comma list)', async () => {
      const e = list(await client.requests('json', { service_code: 'E0101' }));
      expect(e.every((r) => r['service_code'] === 'E0101')).toBe(true);
      expect(e.map((r) => r['service_request_id'])).toEqual(expect.arrayContaining([filed['a'], filed['c'], filed['d']]));
      const both = ids(await client.requests('xml', { service_code: 'E0101,C0101' }));
      expect(both).toEqual(expect.arrayContaining([filed['a'], filed['b']]));
      expect(ids(await client.requests('json', { service_code: 'S0101' }))).not.toContain(filed['a']);
    });

    it('by status: open, closed, both; closed ones say why in status_notes', async () => {
      const closed = list(await client.requests('json', { status: 'closed', locale: 'en' }));
      expect(closed.every((r) => r['status'] === 'closed')).toBe(true);
      const byId = new Map(closed.map((r) => [r['service_request_id'], r]));
      expect(byId.get(filed['c'])!['status_notes']).toBe('rejected: 重复上报');
      expect(byId.get(filed['d'])!['status_notes']).toBe(`merged into ${filed['a']}`);
      expect(byId.get(filed['c'])!['updated_datetime']).toBe('2026-03-03T03:00:00Z');
      const open = ids(await client.requests('xml', { status: 'open' }));
      expect(open).toContain(filed['a']);
      expect(open).not.toContain(filed['c']);
      expect(ids(await client.requests('json', { status: 'open,closed' }))).toEqual(expect.arrayContaining([filed['a'], filed['c'], filed['d']]));
      expectErrors(await client.requests('json', { status: 'pending' }), 400, 'open or closed');
    });

    it('by start_date and end_date (requested_datetime, inclusive, at most 90 days)', async () => {
      const window = ids(await client.requests('json', { start_date: '2026-03-02T02:00:00Z', end_date: '2026-03-02T10:00:00+08:00' }));
      expect(window).toEqual(expect.arrayContaining([filed['a'], filed['b']]));
      expect(window).not.toContain(filed['c']);
      // A `+` a client forgot to encode arrives as a space: read as the offset it was.
      expect(ids(await client.requests('json', { start_date: '2026-03-03T09:00:00 08:00' }))).toEqual(expect.arrayContaining([filed['c'], filed['d']]));
      expect(ids(await client.requests('xml', { end_date: '2026-03-01T00:00:00Z' }))).toEqual([]);
      expectErrors(await client.requests('json', { start_date: '2026-03-02' }), 400, 'timezone');
      expectErrors(await client.requests('xml', { start_date: 'yesterday' }), 400, 'start_date');
      expectErrors(await client.requests('json', { start_date: '2026-03-02T00:00:00Z', end_date: '2026-03-01T00:00:00Z' }), 400, 'before');
      expectErrors(await client.requests('json', { start_date: '2025-01-01T00:00:00Z', end_date: '2026-03-02T00:00:00Z' }), 400, '90 days');
    });

    it('answers the last 90 days by default, newest first', async () => {
      const recent = ids(await client.requests('json'));
      expect(recent).toEqual(expect.arrayContaining([filed['a'], filed['b'], filed['c'], filed['d']]));
      const times = list(await client.requests('json')).map((r) => String(r['requested_datetime']));
      expect([...times].sort().reverse()).toEqual(times);
      clock.advance(91 * DAY);
      expect(ids(await client.requests('json'))).toEqual([]);
      expect(ids(await client.requests('json', { start_date: '2026-03-01T00:00:00Z' }))).toEqual(expect.arrayContaining([filed['a'], filed['d']]));
    });
  });
});
