import type { Category } from '../catalogue/catalogue.ts';
import { parseInputCrs, toWgs84, type InputCrs } from '../geo/convert-crs.ts';
import { isValidLngLat, type LngLat } from '../geo/lng-lat.ts';
import { CHANNELS, REPORT_LIMITS, type Channel } from './report.ts';

/**
 * A row of historic hotline records (`npm run import:cases`), as a city exports them: one case
 * each, with what happened to it. Required columns first; the rest may be left out of the header.
 */
export const HISTORIC_COLUMNS = ['report_id', 'reported_at', 'category', 'lng', 'lat', 'crs', 'channel', 'description', 'status', 'closed_at', 'accepted_at', 'rating'] as const;
export type HistoricColumn = (typeof HISTORIC_COLUMNS)[number];
export const REQUIRED_HISTORIC_COLUMNS: readonly HistoricColumn[] = ['report_id', 'reported_at', 'category', 'lng', 'lat', 'status'];

/** What is wrong with one cell (or a whole row: column ''). `row` counts data rows, 1 = the first after the header. */
export interface HistoricProblem {
  readonly row: number;
  /** The line of the file the row starts on (the header is line 1). */
  readonly line: number;
  readonly column: string;
  readonly message: string;
}

/** A validated historic case; coordinates in WGS-84, times as instants. */
export interface HistoricRecord {
  readonly reportId: string;
  readonly reportedAt: Date;
  readonly category: Category;
  readonly point: LngLat;
  readonly crs: InputCrs;
  readonly channel: Channel;
  readonly description: string;
  readonly status: 'open' | 'closed';
  readonly acceptedAt: Date | null;
  readonly closedAt: Date | null;
  readonly rating: 1 | 2 | 3 | 4 | 5 | null;
}

/** Where each column is in a row. */
export type HistoricHeader = Readonly<Record<HistoricColumn, number>> & { readonly width: number };

export function parseHistoricHeader(fields: readonly string[]): { ok: true; header: HistoricHeader } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const index: Partial<Record<HistoricColumn, number>> = {};
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(HISTORIC_COLUMNS as readonly string[]).includes(name)) {
      problems.push(`unknown column "${raw.slice(0, 40)}" (column ${i + 1}); the columns are ${HISTORIC_COLUMNS.join(', ')}`);
      return;
    }
    if (index[name as HistoricColumn] !== undefined) problems.push(`column "${name}" appears twice`);
    else index[name as HistoricColumn] = i;
  });
  const missing = REQUIRED_HISTORIC_COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the first line must be the header: ${HISTORIC_COLUMNS.join(',')})`);
  if (problems.length > 0) return { ok: false, problems };
  const header = { width: fields.length } as Record<HistoricColumn, number> & { width: number };
  for (const c of HISTORIC_COLUMNS) header[c] = index[c] ?? -1;
  return { ok: true, header };
}

const REPORT_ID = /^[A-Za-z0-9._:@-]+$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** ISO 8601 / RFC 3339 with a zone: 2025-03-04T08:15:00+08:00, …Z, fractions optional, a space for T allowed. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z|z)|([+-])(\d{2}):?(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An ISO 8601 instant with its zone, or a reason it is not one. */
export function parseInstant(text: string): Date | string {
  const m = INSTANT.exec(text);
  if (!m) return `"${text.slice(0, 40)}" is not an ISO 8601 time with a zone (e.g. 2025-03-04T08:15:00+08:00)`;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return `"${text.slice(0, 40)}" is not a valid date and time`;
  const offset = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Math.abs(offset) > 14 * 60) return `"${text.slice(0, 40)}" has a UTC offset beyond ±14:00`;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000);
}

export interface HistoricContext {
  readonly categories: ReadonlyMap<string, Category>;
  /** Times after this are refused (a record cannot be from the future). */
  readonly now: Date;
}

type CellProblem = { column: string; message: string };

function problem(problems: CellProblem[], column: string, message: string): void {
  problems.push({ column, message });
}

function cellOf(fields: readonly string[], header: HistoricHeader, column: HistoricColumn): string {
  return header[column] < 0 ? '' : fields[header[column]]!.trim();
}

/** The instant in a time column (null where empty or wrong: the problem is added). */
function timeOf(fields: readonly string[], header: HistoricHeader, column: HistoricColumn, now: Date, problems: CellProblem[], required: boolean): Date | null {
  const text = cellOf(fields, header, column);
  if (text === '') {
    if (required) problem(problems, column, 'required');
    return null;
  }
  const parsed = parseInstant(text);
  if (typeof parsed === 'string') {
    problem(problems, column, parsed);
    return null;
  }
  if (parsed.getTime() > now.getTime()) {
    problem(problems, column, `${text} is in the future`);
    return null;
  }
  return parsed;
}

/**
 * Checks one data row against the header, every cell, and says what is wrong with each. Whether the
 * point is in (or near) the district is the router's question, asked by the caller.
 */
export function parseHistoricRecord(fields: readonly string[], header: HistoricHeader, context: HistoricContext): { ok: true; record: HistoricRecord } | { ok: false; problems: { column: string; message: string }[] } {
  if (fields.length !== header.width) {
    return { ok: false, problems: [{ column: '', message: `${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.width}` }] };
  }
  // The helpers are module functions, not closures made per row: a million rows would make a million
  // of each (and under tsx each closure made also has its name defined on it).
  const problems: CellProblem[] = [];

  const reportId = cellOf(fields, header, 'report_id');
  if (reportId === '') problem(problems, 'report_id', 'required: the record\'s unique id');
  else if (reportId.length > REPORT_LIMITS.reportIdChars || !REPORT_ID.test(reportId)) problem(problems, 'report_id', `must be 1–${REPORT_LIMITS.reportIdChars} characters of A–Z a–z 0–9 . _ : @ -`);

  const reportedAt = timeOf(fields, header, 'reported_at', context.now, problems, true);

  const code = cellOf(fields, header, 'category');
  const category = context.categories.get(code);
  if (code === '') problem(problems, 'category', 'required: a catalogue code such as E0102');
  else if (!category) problem(problems, 'category', `unknown category "${code.slice(0, 40)}"; see GET /api/categories`);

  const lngText = cellOf(fields, header, 'lng');
  const latText = cellOf(fields, header, 'lat');
  let lng = NaN;
  let lat = NaN;
  if (lngText === '' || latText === '') problem(problems, lngText === '' ? 'lng' : 'lat', 'required');
  else if (!NUMBER.test(lngText)) problem(problems, 'lng', `"${lngText.slice(0, 40)}" is not a number`);
  else if (!NUMBER.test(latText)) problem(problems, 'lat', `"${latText.slice(0, 40)}" is not a number`);
  else {
    lng = Number(lngText);
    lat = Number(latText);
    if (!isValidLngLat(lng, lat)) problem(problems, lng < -180 || lng > 180 || !Number.isFinite(lng) ? 'lng' : 'lat', `(${lngText}, ${latText}) is out of range: lng must be −180..180 and lat −90..90`);
  }

  let crs: InputCrs = 'WGS84';
  const crsText = cellOf(fields, header, 'crs');
  if (crsText !== '') {
    const parsed = parseInputCrs(crsText);
    if (!parsed) problem(problems, 'crs', `"${crsText.slice(0, 40)}": must be WGS84, GCJ-02 or BD-09 (or empty for WGS84)`);
    else crs = parsed;
  }

  const channelText = cellOf(fields, header, 'channel') || 'hotline';
  if (!(CHANNELS as readonly string[]).includes(channelText)) problem(problems, 'channel', `"${channelText.slice(0, 40)}": must be one of ${CHANNELS.join(', ')} (or empty for hotline)`);

  const description = cellOf(fields, header, 'description');
  if (description.length > REPORT_LIMITS.descriptionChars) problem(problems, 'description', `${description.length} characters; the limit is ${REPORT_LIMITS.descriptionChars}`);
  else if (description.includes('\u0000')) problem(problems, 'description', 'must not contain NUL characters');

  const statusText = cellOf(fields, header, 'status').toLowerCase();
  const status = statusText === 'open' || statusText === 'closed' ? statusText : undefined;
  if (!status) problem(problems, 'status', `"${cellOf(fields, header, 'status').slice(0, 40)}": must be open or closed`);

  const closedAt = timeOf(fields, header, 'closed_at', context.now, problems, status === 'closed');
  if (status === 'open' && cellOf(fields, header, 'closed_at') !== '') problem(problems, 'closed_at', 'an open case has no closed_at');
  const acceptedAt = timeOf(fields, header, 'accepted_at', context.now, problems, false);
  if (reportedAt && closedAt && closedAt < reportedAt) problem(problems, 'closed_at', 'is before reported_at');
  if (reportedAt && acceptedAt && acceptedAt < reportedAt) problem(problems, 'accepted_at', 'is before reported_at');
  if (acceptedAt && closedAt && acceptedAt > closedAt) problem(problems, 'accepted_at', 'is after closed_at');

  let rating: HistoricRecord['rating'] = null;
  const ratingText = cellOf(fields, header, 'rating');
  if (ratingText !== '') {
    if (!/^[1-5]$/.test(ratingText)) problem(problems, 'rating', `"${ratingText.slice(0, 40)}": must be a whole number from 1 to 5 (or empty)`);
    else if (status === 'open') problem(problems, 'rating', 'an open case has no rating');
    else rating = Number(ratingText) as 1 | 2 | 3 | 4 | 5;
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    record: {
      reportId,
      reportedAt: reportedAt!,
      category: category!,
      point: toWgs84([lng, lat], crs),
      crs,
      channel: channelText as Channel,
      description,
      status: status!,
      acceptedAt,
      closedAt,
      rating,
    },
  };
}
