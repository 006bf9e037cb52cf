import { parseInputCrs, toWgs84, type InputCrs } from '../geo/convert-crs.ts';
import { isValidLngLat, type LngLat } from '../geo/lng-lat.ts';

/** Where a report came from. Staff and system channels may report places outside every grid. */
export const CHANNELS = ['patrol', 'hotline', 'resident-app', 'sensor', 'video', 'referral', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Reports from these channels that fall outside every grid are stored "unrouted" in the district
 * centre's queue (a patrol or a hotline operator knows the place exists; a dispatcher places it).
 * Public channels (resident app, Open311) are refused instead, so the resident can correct the point.
 */
export const CHANNELS_ALLOWED_OUTSIDE: ReadonlySet<Channel> = new Set(['patrol', 'hotline', 'sensor', 'video', 'referral']);

export const REPORT_LIMITS = {
  reportIdChars: 100,
  descriptionChars: 4000,
  photos: 10,
  photoChars: 500,
  reporterNameChars: 50,
  reporterPhoneChars: 30,
  reporterIdChars: 100,
} as const;

export interface Reporter {
  readonly name?: string;
  readonly phone?: string;
  readonly id?: string;
}

/** A validated report, coordinates already in WGS-84. */
export interface Report {
  readonly reportId: string;
  readonly category: string;
  readonly point: LngLat;
  /** The coordinate system the report arrived in (converted on entry). */
  readonly crs: InputCrs;
  readonly description: string;
  readonly channel: Channel;
  readonly reporter?: Reporter;
  readonly photos: readonly string[];
}

export interface ReportProblem {
  readonly field: string;
  readonly message: string;
}

export type ParsedReport = { readonly ok: true; readonly report: Report } | { readonly ok: false; readonly problems: readonly ReportProblem[] };

const FIELDS = ['reportId', 'category', 'lng', 'lat', 'crs', 'description', 'channel', 'reporter', 'photos'];
const REPORTER_FIELDS = ['name', 'phone', 'id'];
const REPORT_ID = /^[A-Za-z0-9._:@-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a report as a client sent it, every field, and says what is wrong with each: the doors
 * (socket, HTTP, bulk, Open311) all go through here. `isCategory` says whether a code is in the
 * catalogue. Whether the point lies in the district is the router's question, asked later.
 */
export function parseReport(input: unknown, isCategory: (code: string) => boolean, defaultChannel: Channel = 'resident-app'): ParsedReport {
  if (!isRecord(input)) return { ok: false, problems: [{ field: '', message: 'a report must be a JSON object' }] };
  const problems: ReportProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  for (const key of Object.keys(input)) if (!FIELDS.includes(key)) problem(key, `unknown field "${key}"; a report has ${FIELDS.join(', ')}`);

  const reportId = input['reportId'];
  if (typeof reportId !== 'string' || reportId.length === 0) problem('reportId', 'reportId is required: a client-chosen unique id (a UUID, say), the same on every retry');
  else if (reportId.length > REPORT_LIMITS.reportIdChars || !REPORT_ID.test(reportId)) problem('reportId', `reportId must be 1–${REPORT_LIMITS.reportIdChars} characters of A–Z a–z 0–9 . _ : @ -`);

  const category = input['category'];
  if (typeof category !== 'string' || category.length === 0) problem('category', 'category is required (a catalogue code such as E0102)');
  else if (!isCategory(category)) problem('category', `unknown category "${category.slice(0, 40)}"; see GET /api/categories`);

  const lng = input['lng'];
  const lat = input['lat'];
  const numbers = typeof lng === 'number' && typeof lat === 'number' && Number.isFinite(lng) && Number.isFinite(lat);
  if (lng === undefined || lat === undefined) problem('lng', 'lng and lat are required');
  else if (!numbers) problem('lng', 'lng and lat must be numbers');
  else if (!isValidLngLat(lng, lat)) problem('lng', `(${lng}, ${lat}) is out of range: lng must be −180..180 and lat −90..90`);

  let crs: InputCrs = 'WGS84';
  if (input['crs'] !== undefined) {
    const parsed = typeof input['crs'] === 'string' ? parseInputCrs(input['crs']) : undefined;
    if (!parsed) problem('crs', 'crs must be "WGS84", "GCJ-02" or "BD-09"');
    else crs = parsed;
  }

  const description = input['description'] ?? '';
  if (typeof description !== 'string') problem('description', 'description must be a string');
  else if (description.length > REPORT_LIMITS.descriptionChars) problem('description', `description is ${description.length} characters; the limit is ${REPORT_LIMITS.descriptionChars}`);
  // PostgreSQL stores no NUL character in text or JSON: refused as bad input rather than failing the write.
  else if (description.includes('\u0000')) problem('description', 'description must not contain NUL characters');

  const channel = input['channel'] ?? defaultChannel;
  if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) problem('channel', `channel must be one of ${CHANNELS.join(', ')}`);

  let reporter: Reporter | undefined;
  if (input['reporter'] !== undefined) {
    const r = input['reporter'];
    if (!isRecord(r)) problem('reporter', 'reporter must be an object {name?, phone?, id?}');
    else {
      for (const key of Object.keys(r)) if (!REPORTER_FIELDS.includes(key)) problem(`reporter.${key}`, `unknown field "reporter.${key}"`);
      const limits = { name: REPORT_LIMITS.reporterNameChars, phone: REPORT_LIMITS.reporterPhoneChars, id: REPORT_LIMITS.reporterIdChars };
      for (const [key, limit] of Object.entries(limits)) {
        const value = r[key];
        if (value !== undefined && (typeof value !== 'string' || value.length > limit || value.includes('\u0000'))) problem(`reporter.${key}`, `reporter.${key} must be a string of at most ${limit} characters`);
      }
      reporter = { ...(typeof r['name'] === 'string' ? { name: r['name'] } : {}), ...(typeof r['phone'] === 'string' ? { phone: r['phone'] } : {}), ...(typeof r['id'] === 'string' ? { id: r['id'] } : {}) };
    }
  }

  const photos = input['photos'] ?? [];
  if (!Array.isArray(photos) || photos.some((p) => typeof p !== 'string' || p.length === 0 || p.length > REPORT_LIMITS.photoChars || p.includes('\u0000'))) {
    problem('photos', `photos must be a list of URLs or upload ids, each 1–${REPORT_LIMITS.photoChars} characters`);
  } else if (photos.length > REPORT_LIMITS.photos) {
    problem('photos', `at most ${REPORT_LIMITS.photos} photos`);
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    report: {
      reportId: reportId as string,
      category: category as string,
      point: toWgs84([lng as number, lat as number], crs),
      crs,
      description: (description as string).trim(),
      channel: channel as Channel,
      ...(reporter ? { reporter } : {}),
      photos: photos as string[],
    },
  };
}
