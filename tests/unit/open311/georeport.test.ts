import { describe, expect, it } from 'vitest';
import type { Category } from '../../../core/catalogue/catalogue.ts';
import { checkCreateRequest, fullName } from '../../../core/open311/create-request.ts';
import { formatW3cDateTime, parseW3cDateTime } from '../../../core/open311/dates.ts';
import { localeOf, SPARK_ITEM_NAMES } from '../../../core/open311/georeport-types.ts';
import { caseStatusesOf, OPEN311_STATUS, statusNotesOf, type Open311CaseFacts, type Open311Names } from '../../../core/open311/requests.ts';
import { checkAttributes } from '../../../core/open311/services.ts';
import { escapeXml, toXmlDocument } from '../../../core/open311/xml.ts';

const component: Category = {
  code: 'C0101', kind: 'component', class: 'component-01', workArea: 'city-operations', zh: '上水井盖缺失破损', en: 'Missing water-supply manhole cover',
  department: 'city-supervision', severity: 3, acceptMinutes: 15, resolveMinutes: 120, workingTime: false,
};
const lookup = (code: string): Category | undefined => (code === component.code ? component : undefined);

describe('Open311 XML', () => {
  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
    expect(escapeXml('bell\u0007 nul\u0000 tab\t lone\uD800 ok😀 \uFFFE')).toBe('bell nul tab\t lone ok😀 ');
  });

  it('writes arrays as Spark containers, null as an empty element, undefined not at all', () => {
    const xml = toXmlDocument('service_requests', [{ service_request_id: 'HD1', account_id: null, token: undefined, lat: 39.5, ok: true }], SPARK_ITEM_NAMES);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n  <request>\n    <service_request_id>HD1</service_request_id>\n    <account_id/>\n    <lat>39.5</lat>\n    <ok>true</ok>\n  </request>\n</service_requests>\n',
    );
    expect(toXmlDocument('service_definition', { service_code: 'E1', attributes: [] }, SPARK_ITEM_NAMES)).toContain('<attributes/>');
    expect(() => toXmlDocument('x', { things: [1] }, SPARK_ITEM_NAMES)).toThrow('no item element name');
  });
});

describe('Open311 datetimes', () => {
  it.each([
    ['2010-01-01T00:00:00Z', '2010-01-01T00:00:00.000Z'],
    ['2010-01-01T08:00:00+08:00', '2010-01-01T00:00:00.000Z'],
    ['2010-01-01T08:00+08:00', '2010-01-01T00:00:00.000Z'],
    ['2009-12-31T19:00:00.250-05:00', '2010-01-01T00:00:00.250Z'],
    ['2010-01-01T08:00:00 08:00', '2010-01-01T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseW3cDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each(['2010-01-01', '2010-01-01T00:00:00', '2010-02-30T00:00:00Z', '2010-13-01T00:00:00Z', '2010-01-01T24:00:00Z', 'yesterday', ''])('refuses "%s"', (text) => {
    expect(parseW3cDateTime(text)).toBeUndefined();
  });

  it('writes UTC to the second', () => {
    expect(formatW3cDateTime('2026-03-02T02:00:00.789Z')).toBe('2026-03-02T02:00:00Z');
  });
});

describe('Open311 mapping', () => {
  it('maps every status to open or closed', () => {
    expect(caseStatusesOf('open').sort()).toEqual(['dispatched', 'feedback', 'handling', 'linked', 'queued']);
    expect(caseStatusesOf('closed').sort()).toEqual(['closed', 'merged', 'rejected']);
    expect(Object.keys(OPEN311_STATUS)).toHaveLength(8);
  });

  it('says why a case closed', () => {
    const names: Open311Names = { category: lookup, department: () => ({ code: 'city-supervision', zh: '城管监督', en: 'Supervision', duty: { zh: '', en: '' } }), area: () => undefined };
    const facts = (type: 'rejected' | 'merged', data: Record<string, unknown>): Open311CaseFacts => ({
      number: 'HD20260302-0000001', category: 'C0101', status: type, description: '', departmentCode: 'city-supervision', reportedAt: '2026-03-02T02:00:00Z',
      resolveDueAt: null, closedAt: '2026-03-02T03:00:00Z', point: [116.3, 39.98], gridCode: null, communityCode: null, streetCode: null, photos: [],
      queueKind: 'district', duplicateOfNumber: null, lastStep: { type, at: '2026-03-02T03:00:00Z', data },
    });
    expect(statusNotesOf(facts('rejected', { reason: 'not ours' }), names, 'en')).toBe('rejected: not ours');
    expect(statusNotesOf(facts('merged', { intoCaseNumber: 'HD20260302-0000002' }), names, 'en')).toBe('merged into HD20260302-0000002');
    expect(statusNotesOf(facts('rejected', { reason: '重复' }), names, 'zh')).toBe('不予立案：重复');
  });

  it('reads locale as English only when it says so', () => {
    expect([localeOf('en'), localeOf('en-GB'), localeOf('en_US'), localeOf('zh-CN'), localeOf('fr'), localeOf(undefined), localeOf('eng')]).toEqual(['en', 'en', 'en', 'zh', 'zh', 'zh', 'zh']);
  });
});

describe('Open311 POST fields', () => {
  const attributes = new Map<string, string[]>();

  it('needs a service_code (400) that exists (404)', () => {
    expect(checkCreateRequest({ attributes }, lookup)).toMatchObject({ ok: false, status: 400 });
    expect(checkCreateRequest({ service_code: 'E9999', lat: '39.9', long: '116.3', attributes }, lookup)).toMatchObject({ ok: false, status: 404 });
  });

  it('cannot geocode an address: lat and long are needed', () => {
    const check = checkCreateRequest({ service_code: 'C0101', address_string: '中关村大街1号', attributes }, lookup);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.errors[0]!.description).toContain('send lat and long');
  });

  it('turns the fields into a report and appends the attributes to the description', () => {
    const check = checkCreateRequest(
      { service_code: 'C0101', lat: '39.98', long: '116.31', description: ' cover gone ', first_name: 'John', last_name: 'Smith', email: 'j@example.com', account_id: 'u1', attributes: new Map([['component_id', ['1101080101000001']]]) },
      lookup,
    );
    expect(check).toMatchObject({
      ok: true,
      request: { category: 'C0101', lng: 116.31, lat: 39.98, description: 'cover gone\n[component_id: 1101080101000001]', reporter: { name: 'John Smith', id: 'account:u1 email:j@example.com' }, photos: [], accountId: 'u1' },
    });
  });

  it('checks attributes against the definition', () => {
    expect(checkAttributes(component, new Map([['component_id', ['12']]]))).toMatchObject({ ok: false });
    expect(checkAttributes(component, new Map([['component_id', ['1101080101000001', '1101080101000002']]]))).toMatchObject({ ok: false, problems: ['attribute[component_id] takes one value'] });
    expect(checkAttributes(component, new Map())).toEqual({ ok: true, lines: [] });
  });

  it('writes Chinese names family name first', () => {
    expect([fullName('芳', '王'), fullName('John', 'Smith'), fullName(undefined, '王'), fullName(undefined, undefined)]).toEqual(['王芳', 'John Smith', '王', undefined]);
  });
});
