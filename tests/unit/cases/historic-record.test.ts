import { describe, expect, it } from 'vitest';
import type { Category } from '../../../core/catalogue/catalogue.ts';
import { HISTORIC_COLUMNS, parseHistoricHeader, parseHistoricRecord, parseInstant, type HistoricHeader } from '../../../core/cases/historic-record.ts';
import { toWgs84 } from '../../../core/geo/convert-crs.ts';

const CATEGORY: Category = {
  code: 'E0102', zh: '暴露垃圾', en: 'Exposed rubbish', kind: 'event', class: 'E01', workArea: 'city-appearance', department: 'sanitation',
  severity: 1, acceptMinutes: 30, resolveMinutes: 240, workingTime: true,
};
const CONTEXT = { categories: new Map([[CATEGORY.code, CATEGORY]]), now: new Date('2026-01-01T00:00:00Z') };
const HEADER = (parseHistoricHeader([...HISTORIC_COLUMNS]) as { ok: true; header: HistoricHeader }).header;

type Row = Partial<Record<(typeof HISTORIC_COLUMNS)[number], string>>;
const GOOD: Row = {
  report_id: 'HL-2025-000001', reported_at: '2025-03-04T08:15:00+08:00', category: 'E0102', lng: '116.3055', lat: '39.9790', crs: '', channel: '',
  description: ' 路边暴露垃圾 ', status: 'closed', closed_at: '2025-03-05T10:00:00+08:00', accepted_at: '2025-03-04T09:00:00+08:00', rating: '4',
};
const fields = (row: Row): string[] => HISTORIC_COLUMNS.map((c) => row[c] ?? '');
const parse = (row: Row) => parseHistoricRecord(fields(row), HEADER, CONTEXT);
const problemsOf = (row: Row): string[] => {
  const result = parse(row);
  return result.ok ? [] : result.problems.map((p) => `${p.column}: ${p.message}`);
};

describe('historic case records', () => {
  it('reads a good closed record: times as instants, the default channel, trimmed text', () => {
    const result = parse(GOOD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record).toMatchObject({
      reportId: 'HL-2025-000001', category: CATEGORY, point: [116.3055, 39.979], crs: 'WGS84', channel: 'hotline', description: '路边暴露垃圾', status: 'closed', rating: 4,
    });
    expect(result.record.reportedAt.toISOString()).toBe('2025-03-04T00:15:00.000Z');
    expect(result.record.acceptedAt?.toISOString()).toBe('2025-03-04T01:00:00.000Z');
    expect(result.record.closedAt?.toISOString()).toBe('2025-03-05T02:00:00.000Z');
  });

  it('converts GCJ-02 and BD-09 points to WGS-84 on entry', () => {
    const result = parse({ ...GOOD, crs: 'GCJ-02' });
    expect(result.ok && result.record.crs).toBe('GCJ02');
    expect(result.ok && result.record.point).toEqual(toWgs84([116.3055, 39.979], 'GCJ02'));
  });

  it('reads an open record without closure, rating or acceptance', () => {
    expect(parse({ ...GOOD, status: 'open', closed_at: '', rating: '', accepted_at: '' }).ok).toBe(true);
  });

  it('says what is wrong with each cell', () => {
    expect(problemsOf({ ...GOOD, report_id: '' })).toEqual(["report_id: required: the record's unique id"]);
    expect(problemsOf({ ...GOOD, report_id: 'has space' })[0]).toMatch(/^report_id: must be 1–100 characters/);
    expect(problemsOf({ ...GOOD, reported_at: '2025-03-04 08:15' })[0]).toMatch(/^reported_at: .* not an ISO 8601 time with a zone/);
    expect(problemsOf({ ...GOOD, reported_at: '2025-02-30T08:15:00+08:00' })[0]).toMatch(/^reported_at: .* not a valid date and time/);
    expect(problemsOf({ ...GOOD, reported_at: '2027-01-01T00:00:00Z', closed_at: '', status: 'open', rating: '', accepted_at: '' })).toEqual(['reported_at: 2027-01-01T00:00:00Z is in the future']);
    expect(problemsOf({ ...GOOD, category: 'X9999' })).toEqual(['category: unknown category "X9999"; see GET /api/categories']);
    expect(problemsOf({ ...GOOD, lng: '216.3' })[0]).toMatch(/^lng: \(216.3, 39.9790\) is out of range/);
    expect(problemsOf({ ...GOOD, lat: '-95' })[0]).toMatch(/^lat: .* is out of range/);
    expect(problemsOf({ ...GOOD, lng: 'east' })).toEqual(['lng: "east" is not a number']);
    expect(problemsOf({ ...GOOD, crs: 'EPSG:3857' })[0]).toMatch(/^crs: /);
    expect(problemsOf({ ...GOOD, channel: 'fax' })[0]).toMatch(/^channel: "fax": must be one of/);
    expect(problemsOf({ ...GOOD, status: 'done' })[0]).toMatch(/^status: "done": must be open or closed/);
    expect(problemsOf({ ...GOOD, closed_at: '' })).toEqual(['closed_at: required']);
    expect(problemsOf({ ...GOOD, closed_at: '2025-03-04T08:00:00+08:00', accepted_at: '' })).toEqual(['closed_at: is before reported_at']);
    expect(problemsOf({ ...GOOD, accepted_at: '2025-03-06T08:00:00+08:00' })).toEqual(['accepted_at: is after closed_at']);
    expect(problemsOf({ ...GOOD, rating: '6' })[0]).toMatch(/^rating: "6": must be a whole number from 1 to 5/);
    expect(problemsOf({ ...GOOD, status: 'open', closed_at: '', rating: '5' })).toEqual(['rating: an open case has no rating']);
    expect(problemsOf({ ...GOOD, status: 'open' })).toContain('closed_at: an open case has no closed_at');
    expect(problemsOf({ ...GOOD, description: 'x'.repeat(4001) })[0]).toMatch(/^description: 4001 characters/);
  });

  it('refuses a row whose field count differs from the header', () => {
    const result = parseHistoricRecord(['a', 'b'], HEADER, CONTEXT);
    expect(result.ok ? [] : result.problems).toEqual([{ column: '', message: `2 fields, the header has ${HISTORIC_COLUMNS.length}` }]);
  });

  it('checks the header: required columns, unknown and repeated ones; optional ones may be left out', () => {
    expect(parseHistoricHeader(['report_id', 'reported_at', 'category', 'lng', 'lat', 'status']).ok).toBe(true);
    const bad = parseHistoricHeader(['report_id', 'when', 'category', 'lng', 'lng', 'status']);
    expect(bad.ok ? [] : bad.problems).toEqual([
      'unknown column "when" (column 2); the columns are report_id, reported_at, category, lng, lat, crs, channel, description, status, closed_at, accepted_at, rating',
      'column "lng" appears twice',
      'missing columns reported_at, lat (the first line must be the header: report_id,reported_at,category,lng,lat,crs,channel,description,status,closed_at,accepted_at,rating)',
    ]);
  });

  it('reads ISO 8601 instants with any zone, fractions, Z', () => {
    expect((parseInstant('2025-03-04T08:15:00.5+08:00') as Date).toISOString()).toBe('2025-03-04T00:15:00.500Z');
    expect((parseInstant('2025-03-04T00:15Z') as Date).toISOString()).toBe('2025-03-04T00:15:00.000Z');
    expect((parseInstant('2025-03-04 02:15:00-0200') as Date).toISOString()).toBe('2025-03-04T04:15:00.000Z');
    expect((parseInstant('2024-02-29T00:00:00Z') as Date).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(typeof parseInstant('2025-02-29T00:00:00Z')).toBe('string');
    expect(typeof parseInstant('2025-03-04T24:00:00Z')).toBe('string');
    expect(typeof parseInstant('2025-03-04T08:15:00')).toBe('string');
  });
});
