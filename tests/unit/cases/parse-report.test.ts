import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { CHANNELS, CHANNELS_ALLOWED_OUTSIDE, parseReport, REPORT_LIMITS, type ParsedReport, type Report, type ReportProblem } from '../../../core/cases/report.ts';

/** The catalogue codes a test knows; anything else is "unknown". */
const KNOWN_CATEGORIES = new Set(['E0102', 'C0301']);

function isKnownCategory(code: string): boolean {
  return KNOWN_CATEGORIES.has(code);
}

/** A valid report as a client would send it (WGS-84, near Tiananmen); override any field, or set it to undefined to leave it out. */
function buildReportInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const input: Record<string, unknown> = { reportId: 'r-0001', category: 'E0102', lng: 116.3913, lat: 39.9075, ...overrides };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

function expectReport(parsed: ParsedReport): Report {
  if (!parsed.ok) throw new Error(`expected a report, got problems: ${JSON.stringify(parsed.problems)}`);
  return parsed.report;
}

function expectProblems(parsed: ParsedReport): readonly ReportProblem[] {
  if (parsed.ok) throw new Error(`expected problems, got a report: ${JSON.stringify(parsed.report)}`);
  return parsed.problems;
}

function problemFields(input: unknown, defaultChannel?: (typeof CHANNELS)[number]): string[] {
  return expectProblems(parseReport(input, isKnownCategory, defaultChannel)).map((p) => p.field);
}

function parse(overrides: Record<string, unknown> = {}): ParsedReport {
  return parseReport(buildReportInput(overrides), isKnownCategory);
}

describe('parseReport: a valid report', () => {
  it('accepts the four required fields alone and fills in the defaults', () => {
    expect(expectReport(parse())).toEqual({
      reportId: 'r-0001',
      category: 'E0102',
      point: [116.3913, 39.9075],
      crs: 'WGS84',
      description: '',
      channel: 'resident-app',
      photos: [],
    });
  });

  it('leaves the reporter key out entirely when no reporter was sent', () => {
    expect('reporter' in expectReport(parse())).toBe(false);
  });

  it('keeps every optional field of a complete report', () => {
    const report = expectReport(
      parse({
        crs: 'WGS84',
        description: 'Overflowing bin at the bus stop',
        channel: 'hotline',
        reporter: { name: '王芳', phone: '13800000000', id: 'resident-42' },
        photos: ['https://example.test/p/1.jpg', 'upload:7f3a'],
      }),
    );
    expect(report).toEqual({
      reportId: 'r-0001',
      category: 'E0102',
      point: [116.3913, 39.9075],
      crs: 'WGS84',
      description: 'Overflowing bin at the bus stop',
      channel: 'hotline',
      reporter: { name: '王芳', phone: '13800000000', id: 'resident-42' },
      photos: ['https://example.test/p/1.jpg', 'upload:7f3a'],
    });
  });

  it('trims white space around the description', () => {
    expect(expectReport(parse({ description: '  \n 井盖缺失 \t ' })).description).toBe('井盖缺失');
  });

  it('treats a null description as an empty one', () => {
    expect(expectReport(parse({ description: null })).description).toBe('');
  });
});

describe('parseReport: input that is not an object', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', [buildReportInput()]],
    ['a string', '{"reportId":"r-1"}'],
    ['a number', 42],
  ])('refuses %s with one problem on the empty field', (_label, input) => {
    expect(expectProblems(parseReport(input, isKnownCategory))).toEqual([{ field: '', message: 'a report must be a JSON object' }]);
  });
});

describe('parseReport: reportId', () => {
  it('requires a reportId', () => {
    expect(problemFields(buildReportInput({ reportId: undefined }))).toEqual(['reportId']);
  });

  it('refuses an empty reportId as missing', () => {
    const [problem] = expectProblems(parse({ reportId: '' }));
    expect(problem).toMatchObject({ field: 'reportId', message: expect.stringContaining('required') });
  });

  it('refuses a numeric reportId', () => {
    expect(problemFields(buildReportInput({ reportId: 12345 }))).toEqual(['reportId']);
  });

  it('accepts every allowed character class: letters, digits and . _ : @ -', () => {
    expect(expectReport(parse({ reportId: 'Az09._:@-x' })).reportId).toBe('Az09._:@-x');
  });

  it('accepts a UUID', () => {
    expect(expectReport(parse({ reportId: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed' })).reportId).toBe('1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed');
  });

  it(`accepts a reportId of exactly ${REPORT_LIMITS.reportIdChars} characters`, () => {
    const reportId = 'a'.repeat(REPORT_LIMITS.reportIdChars);
    expect(expectReport(parse({ reportId })).reportId).toBe(reportId);
  });

  it(`refuses a reportId of ${REPORT_LIMITS.reportIdChars + 1} characters`, () => {
    const [problem] = expectProblems(parse({ reportId: 'a'.repeat(REPORT_LIMITS.reportIdChars + 1) }));
    expect(problem).toMatchObject({ field: 'reportId', message: expect.stringContaining(`1–${REPORT_LIMITS.reportIdChars} characters`) });
  });

  it.each([
    ['a space', 'r 1'],
    ['a slash', 'r/1'],
    ['a Chinese character', '案件1'],
    ['a trailing newline', 'r-1\n'],
    ['a plus sign', 'r+1'],
  ])('refuses a reportId containing %s', (_label, reportId) => {
    expect(problemFields(buildReportInput({ reportId }))).toEqual(['reportId']);
  });
});

describe('parseReport: category', () => {
  it('requires a category', () => {
    const [problem] = expectProblems(parse({ category: undefined }));
    expect(problem).toMatchObject({ field: 'category', message: expect.stringContaining('required') });
  });

  it('refuses an empty category as missing', () => {
    const [problem] = expectProblems(parse({ category: '' }));
    expect(problem).toMatchObject({ field: 'category', message: expect.stringContaining('required') });
  });

  it('refuses a non-string category without asking the catalogue', () => {
    const asked: string[] = [];
    const parsed = parseReport(buildReportInput({ category: 102 }), (code) => {
      asked.push(code);
      return true;
    });
    expect(expectProblems(parsed).map((p) => p.field)).toEqual(['category']);
    expect(asked).toEqual([]);
  });

  it('asks the catalogue about the code exactly as sent', () => {
    const asked: string[] = [];
    parseReport(buildReportInput({ category: 'C0301' }), (code) => {
      asked.push(code);
      return true;
    });
    expect(asked).toEqual(['C0301']);
  });

  it('refuses a code the catalogue does not know and names it', () => {
    const [problem] = expectProblems(parse({ category: 'Z9999' }));
    expect(problem).toMatchObject({ field: 'category', message: expect.stringContaining('"Z9999"') });
  });

  it('quotes at most 40 characters of an unknown code', () => {
    const [problem] = expectProblems(parse({ category: `${'x'.repeat(40)}TAIL` }));
    expect(problem!.message).toContain(`"${'x'.repeat(40)}"`);
    expect(problem!.message).not.toContain('TAIL');
  });
});

describe('parseReport: lng and lat', () => {
  it('requires lng', () => {
    const [problem] = expectProblems(parse({ lng: undefined }));
    expect(problem).toEqual({ field: 'lng', message: 'lng and lat are required' });
  });

  it('requires lat, reporting it on the lng field', () => {
    const [problem] = expectProblems(parse({ lat: undefined }));
    expect(problem).toEqual({ field: 'lng', message: 'lng and lat are required' });
  });

  it('reports a single problem when both are missing', () => {
    expect(problemFields(buildReportInput({ lng: undefined, lat: undefined }))).toEqual(['lng']);
  });

  it.each([
    ['strings', '116.39', '39.90'],
    ['a string lat', 116.39, '39.90'],
    ['null', null, 39.9],
    ['NaN', Number.NaN, 39.9],
    ['Infinity', 116.39, Number.POSITIVE_INFINITY],
  ])('refuses %s as not numbers', (_label, lng, lat) => {
    const [problem] = expectProblems(parse({ lng, lat }));
    expect(problem).toEqual({ field: 'lng', message: 'lng and lat must be numbers' });
  });

  it.each([
    [180.0001, 39.9],
    [-180.0001, 39.9],
    [116.39, 90.0001],
    [116.39, -90.0001],
  ])('refuses (%d, %d) as out of range', (lng, lat) => {
    const [problem] = expectProblems(parse({ lng, lat }));
    expect(problem).toMatchObject({ field: 'lng', message: expect.stringContaining('out of range') });
  });

  it.each([
    [180, 90],
    [-180, -90],
    [0, 0],
  ])('accepts the range boundary (%d, %d) in WGS-84', (lng, lat) => {
    expect(expectReport(parse({ lng, lat })).point).toEqual([lng, lat]);
  });
});

describe('parseReport: crs', () => {
  it('passes a WGS84 point through unchanged', () => {
    expect(expectReport(parse({ crs: 'WGS84' })).point).toEqual([116.3913, 39.9075]);
  });

  it('converts a GCJ-02 point to WGS-84 with gcoord', () => {
    const report = expectReport(parse({ lng: 116.3975, lat: 39.9088, crs: 'GCJ-02' }));
    expect(report.point).toEqual(gcoord.transform([116.3975, 39.9088], gcoord.GCJ02, gcoord.WGS84));
    expect(report.crs).toBe('GCJ02');
  });

  it('converts a BD-09 point to WGS-84 with gcoord', () => {
    const report = expectReport(parse({ lng: 116.4039, lat: 39.915, crs: 'BD-09' }));
    expect(report.point).toEqual(gcoord.transform([116.4039, 39.915], gcoord.BD09, gcoord.WGS84));
    expect(report.crs).toBe('BD09');
  });

  it('moves a Beijing GCJ-02 point west-south-west by a few hundred metres (the conversion is not skipped)', () => {
    const [lng, lat] = expectReport(parse({ lng: 116.3975, lat: 39.9088, crs: 'GCJ-02' })).point;
    expect(lng).toBeLessThan(116.3975);
    expect(lat).toBeLessThan(39.9088);
    expect(116.3975 - lng).toBeGreaterThan(0.003);
    expect(116.3975 - lng).toBeLessThan(0.01);
  });

  it.each([
    ['gcj-02', 'GCJ02'],
    ['bd09', 'BD09'],
    ['EPSG:4326', 'WGS84'],
  ])('accepts the alias %s as %s', (crs, expected) => {
    expect(expectReport(parse({ crs })).crs).toBe(expected);
  });

  it.each([
    ['an unknown system', 'EPSG:3857'],
    ['a number', 4326],
    ['null', null],
    ['an empty string', ''],
  ])('refuses %s', (_label, crs) => {
    expect(expectProblems(parse({ crs }))).toEqual([{ field: 'crs', message: 'crs must be "WGS84", "GCJ-02" or "BD-09"' }]);
  });
});

describe('parseReport: description', () => {
  it(`accepts a description of exactly ${REPORT_LIMITS.descriptionChars} characters`, () => {
    expect(expectReport(parse({ description: '路'.repeat(REPORT_LIMITS.descriptionChars) })).description).toHaveLength(REPORT_LIMITS.descriptionChars);
  });

  it(`refuses a description of ${REPORT_LIMITS.descriptionChars + 1} characters and says how long it was`, () => {
    const [problem] = expectProblems(parse({ description: 'x'.repeat(REPORT_LIMITS.descriptionChars + 1) }));
    expect(problem).toEqual({ field: 'description', message: `description is ${REPORT_LIMITS.descriptionChars + 1} characters; the limit is ${REPORT_LIMITS.descriptionChars}` });
  });

  it('refuses a description that is not a string', () => {
    expect(problemFields(buildReportInput({ description: ['broken', 'lamp'] }))).toEqual(['description']);
  });
});

describe('parseReport: channel', () => {
  it.each(CHANNELS.map((c) => [c]))('accepts the channel %s', (channel) => {
    expect(expectReport(parse({ channel })).channel).toBe(channel);
  });

  it('uses the default channel given by the door when none is sent', () => {
    expect(expectReport(parseReport(buildReportInput(), isKnownCategory, 'open311')).channel).toBe('open311');
  });

  it('prefers the channel sent over the door default', () => {
    expect(expectReport(parseReport(buildReportInput({ channel: 'patrol' }), isKnownCategory, 'open311')).channel).toBe('patrol');
  });

  it('refuses an unknown channel and lists the known ones', () => {
    const [problem] = expectProblems(parse({ channel: 'wechat' }));
    expect(problem).toEqual({ field: 'channel', message: `channel must be one of ${CHANNELS.join(', ')}` });
  });

  it('refuses a channel that differs only in case', () => {
    expect(problemFields(buildReportInput({ channel: 'Patrol' }))).toEqual(['channel']);
  });

  it('refuses a non-string channel', () => {
    expect(problemFields(buildReportInput({ channel: 1 }))).toEqual(['channel']);
  });
});

describe('parseReport: reporter', () => {
  it('keeps a reporter with only a phone number', () => {
    expect(expectReport(parse({ reporter: { phone: '010-12345' } })).reporter).toEqual({ phone: '010-12345' });
  });

  it('keeps an empty reporter object as an empty reporter', () => {
    expect(expectReport(parse({ reporter: {} })).reporter).toEqual({});
  });

  it.each([
    ['a string', 'Wang Fang'],
    ['an array', ['Wang Fang']],
    ['null', null],
  ])('refuses a reporter that is %s', (_label, reporter) => {
    expect(expectProblems(parse({ reporter }))).toEqual([{ field: 'reporter', message: 'reporter must be an object {name?, phone?, id?}' }]);
  });

  it('refuses each unknown reporter field by its dotted name', () => {
    expect(problemFields(buildReportInput({ reporter: { name: 'Wang', email: 'w@example.test', address: 'x' } }))).toEqual(['reporter.email', 'reporter.address']);
  });

  it.each([
    ['name', REPORT_LIMITS.reporterNameChars],
    ['phone', REPORT_LIMITS.reporterPhoneChars],
    ['id', REPORT_LIMITS.reporterIdChars],
  ])('accepts reporter.%s of exactly %i characters', (key, limit) => {
    const reporter = { [key]: '7'.repeat(limit) };
    expect(expectReport(parse({ reporter })).reporter).toEqual(reporter);
  });

  it.each([
    ['name', REPORT_LIMITS.reporterNameChars],
    ['phone', REPORT_LIMITS.reporterPhoneChars],
    ['id', REPORT_LIMITS.reporterIdChars],
  ])('refuses reporter.%s one character over its limit of %i', (key, limit) => {
    const [problem] = expectProblems(parse({ reporter: { [key]: '7'.repeat(limit + 1) } }));
    expect(problem).toEqual({ field: `reporter.${key}`, message: `reporter.${key} must be a string of at most ${limit} characters` });
  });

  it('refuses a numeric reporter phone', () => {
    expect(problemFields(buildReportInput({ reporter: { phone: 13800000000 } }))).toEqual(['reporter.phone']);
  });
});

describe('parseReport: photos', () => {
  it(`accepts ${REPORT_LIMITS.photos} photos`, () => {
    const photos = Array.from({ length: REPORT_LIMITS.photos }, (_, i) => `upload:${i}`);
    expect(expectReport(parse({ photos })).photos).toEqual(photos);
  });

  it(`refuses ${REPORT_LIMITS.photos + 1} photos`, () => {
    const photos = Array.from({ length: REPORT_LIMITS.photos + 1 }, (_, i) => `upload:${i}`);
    expect(expectProblems(parse({ photos }))).toEqual([{ field: 'photos', message: `at most ${REPORT_LIMITS.photos} photos` }]);
  });

  it(`accepts a photo reference of exactly ${REPORT_LIMITS.photoChars} characters`, () => {
    expect(expectReport(parse({ photos: ['p'.repeat(REPORT_LIMITS.photoChars)] })).photos[0]).toHaveLength(REPORT_LIMITS.photoChars);
  });

  it.each([
    ['an empty reference', ['']],
    [`a reference of ${REPORT_LIMITS.photoChars + 1} characters`, ['p'.repeat(REPORT_LIMITS.photoChars + 1)]],
    ['a number in the list', ['upload:1', 2]],
    ['an object in the list', [{ url: 'https://example.test/p.jpg' }]],
  ])('refuses a photo list with %s', (_label, photos) => {
    expect(problemFields(buildReportInput({ photos }))).toEqual(['photos']);
  });

  it('refuses photos that are not a list', () => {
    const [problem] = expectProblems(parse({ photos: 'https://example.test/p.jpg' }));
    expect(problem).toMatchObject({ field: 'photos', message: expect.stringContaining('must be a list') });
  });

  it('treats null photos as no photos', () => {
    expect(expectReport(parse({ photos: null })).photos).toEqual([]);
  });
});

describe('parseReport: unknown fields and reporting every problem', () => {
  it('refuses an unknown top-level field by its name', () => {
    const [problem] = expectProblems(parse({ severity: 1 }));
    expect(problem).toMatchObject({ field: 'severity', message: expect.stringContaining('unknown field "severity"') });
  });

  it('refuses a report with an otherwise valid body when one field is unknown', () => {
    expect(parse({ gridCode: '110108011003007' }).ok).toBe(false);
  });

  it('reports every unknown field, not just the first', () => {
    expect(problemFields(buildReportInput({ point: [116, 39], lon: 116 }))).toEqual(['point', 'lon']);
  });

  it('reports a problem for every bad field at once, in field order', () => {
    const input = {
      extra: true,
      reportId: 'has space',
      category: 'Z9999',
      lng: 'east',
      lat: 39.9,
      crs: 'UTM50N',
      description: 'x'.repeat(REPORT_LIMITS.descriptionChars + 1),
      channel: 'fax',
      reporter: { name: 'n'.repeat(REPORT_LIMITS.reporterNameChars + 1) },
      photos: [''],
    };
    expect(problemFields(input)).toEqual(['extra', 'reportId', 'category', 'lng', 'crs', 'description', 'channel', 'reporter.name', 'photos']);
  });

  it('gives every problem a non-empty message', () => {
    const problems = expectProblems(parseReport({ reportId: '', lng: 'x', channel: 0, photos: {} }, isKnownCategory));
    expect(problems.length).toBeGreaterThanOrEqual(4);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
  });
});

describe('CHANNELS_ALLOWED_OUTSIDE', () => {
  it('lets staff and system channels report outside every grid', () => {
    expect([...CHANNELS_ALLOWED_OUTSIDE].sort()).toEqual(['hotline', 'patrol', 'referral', 'sensor', 'video']);
  });

  it.each(['resident-app', 'open311'] as const)('refuses the public channel %s outside every grid', (channel) => {
    expect(CHANNELS_ALLOWED_OUTSIDE.has(channel)).toBe(false);
  });

  it('holds only known channels', () => {
    for (const channel of CHANNELS_ALLOWED_OUTSIDE) expect(CHANNELS).toContain(channel);
  });
});
