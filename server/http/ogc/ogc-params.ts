import type { BBox } from '../../../core/geo/lng-lat.ts';
import { isValidLngLat } from '../../../core/geo/lng-lat.ts';
import { HttpError } from '../http-error.ts';
import { single, type Query } from '../query-params.ts';

/** OGC API exception codes (the `code` of `{code, description}`). */
export const invalidParameter = (message: string): HttpError => new HttpError(400, 'InvalidParameterValue', message);
export const notFoundOgc = (message: string): HttpError => new HttpError(404, 'NotFound', message);
export const notAcceptable = (message: string): HttpError => new HttpError(406, 'NotAcceptable', message);

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/**
 * bbox=minLng,minLat,maxLng,maxLat (or the six numbers of a 3D box, heights ignored), CRS84.
 * A box across the antimeridian (minLng > maxLng) is refused: the district is nowhere near it.
 */
export function ogcBbox(query: Query): BBox | undefined {
  const raw = single(query, 'bbox');
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((p) => !Number.isFinite(p))) {
    throw invalidParameter(`bbox must be four numbers minLng,minLat,maxLng,maxLat (CRS84), got "${raw}"`);
  }
  const [minLng, minLat, maxLng, maxLat] = (parts.length === 4 ? parts : [parts[0], parts[1], parts[3], parts[4]]) as [number, number, number, number];
  if (!isValidLngLat(minLng, minLat) || !isValidLngLat(maxLng, maxLat)) throw invalidParameter(`bbox is outside longitude −180..180 / latitude −90..90: "${raw}"`);
  if (minLng > maxLng || minLat > maxLat) throw invalidParameter(`bbox minimums must not exceed maximums: "${raw}"`);
  return [minLng, minLat, maxLng, maxLat];
}

/** limit (1–10,000, default 100) and offset (≥ 0, default 0). */
export function ogcPaging(query: Query): { limit: number; offset: number } {
  const read = (name: string, fallback: number, min: number, max: number): number => {
    const raw = single(query, name);
    if (raw === undefined) return fallback;
    const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw invalidParameter(`${name} must be ${max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `an integer from ${min} to ${max}`}, got "${raw}"`);
    }
    return value;
  };
  return { limit: read('limit', DEFAULT_LIMIT, 1, MAX_LIMIT), offset: read('offset', 0, 0, Number.MAX_SAFE_INTEGER) };
}

/** Report-time bounds of a `datetime` parameter, as the case repository takes them. */
export interface ReportedWithin {
  readonly reportedFrom?: string;
  readonly reportedUntil?: string;
  readonly reportedBefore?: string;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?$/;

interface Instant {
  /** The first instant it stands for. */
  readonly start: string;
  /** A date covers its whole (UTC) day: the start of the next one; a date-time is itself. */
  readonly nextDay?: string;
  /** Its first and last millisecond (a date spans a day). */
  readonly ms: number;
  readonly lastMs: number;
}

/** An RFC 3339 date-time (with its offset) or full-date, checked for real calendar values. */
function parseInstant(raw: string): Instant | undefined {
  const m = DATE_TIME.exec(raw);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const day = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const probe = new Date(day);
  if (probe.getUTCFullYear() !== Number(y) || probe.getUTCMonth() !== Number(mo) - 1 || probe.getUTCDate() !== Number(d)) return undefined;
  if (h === undefined) {
    const start = new Date(day).toISOString();
    return { start, nextDay: new Date(day + 86_400_000).toISOString(), ms: day, lastMs: day + 86_399_999 };
  }
  // 60 only for a leap second, which PostgreSQL reads as the next minute.
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const offset = m[8]!;
  if (!/^[Zz]$/.test(offset) && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return undefined;
  const ms = Date.parse(raw.toUpperCase());
  if (!Number.isFinite(ms)) return undefined;
  return { start: raw.toUpperCase(), ms, lastMs: ms };
}

/**
 * datetime: an instant (`2026-11-27T10:00:00Z`, or a date for its whole UTC day), a closed interval
 * `a/b` (both ends included), or a half-bounded one `../b`, `a/..` (an empty end is open too).
 */
export function ogcDatetime(query: Query): ReportedWithin | undefined {
  const raw = single(query, 'datetime');
  if (raw === undefined) return undefined;
  const bad = (why: string): HttpError =>
    invalidParameter(`datetime ${why}: give an RFC 3339 date-time (2026-11-27T10:00:00Z), a date, or an interval start/end with ".." for an open end, got "${raw}"`);
  const parts = raw.split('/');
  if (parts.length > 2) throw bad('has more than one "/"');
  if (parts.length === 1) {
    const instant = parseInstant(raw);
    if (!instant) throw bad('is not a date-time');
    return instant.nextDay ? { reportedFrom: instant.start, reportedBefore: instant.nextDay } : { reportedFrom: instant.start, reportedUntil: instant.start };
  }
  const [from, to] = parts as [string, string];
  const open = (end: string): boolean => end === '..' || end === '';
  if (open(from) && open(to)) throw bad('is open at both ends');
  const start = open(from) ? undefined : parseInstant(from);
  const end = open(to) ? undefined : parseInstant(to);
  if (!open(from) && !start) throw bad('starts with something that is not a date-time');
  if (!open(to) && !end) throw bad('ends with something that is not a date-time');
  if (start && end && start.ms > end.lastMs) throw bad('ends before it starts');
  return {
    ...(start ? { reportedFrom: start.start } : {}),
    ...(end ? (end.nextDay ? { reportedBefore: end.nextDay } : { reportedUntil: end.start }) : {}),
  };
}

/** Media types by q-value from an Accept header, highest first (q=0 dropped). */
function acceptedTypes(header: string): { type: string; q: number }[] {
  return header
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((t) => t.type !== '' && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

/**
 * The media type to answer with, of those `offered` (the first is the default): `f` wins
 * (`f=json`, and `f=geojson` where GeoJSON is offered), then the Accept header; 406 when Accept
 * names nothing offered, 400 for an unknown `f`.
 */
export function negotiate(query: Query, accept: string | undefined, offered: readonly string[]): string {
  const f = single(query, 'f');
  if (f !== undefined) {
    const byF: Readonly<Record<string, string | undefined>> = {
      json: offered.find((t) => t === 'application/geo+json' || t === 'application/json' || t.startsWith('application/vnd.oai.openapi+json')),
      geojson: offered.find((t) => t === 'application/geo+json'),
    };
    const type = byF[f];
    if (!type) throw invalidParameter(`f must be ${offered.includes('application/geo+json') ? 'json or geojson' : 'json'}, got "${f}"`);
    return type;
  }
  if (!accept || accept.trim() === '') return offered[0]!;
  for (const { type } of acceptedTypes(accept)) {
    if (type === '*/*' || type === 'application/*') return offered[0]!;
    const exact = offered.find((o) => o.split(';')[0] === type);
    if (exact) return exact;
  }
  throw notAcceptable(`this resource is offered as ${offered.map((o) => o.split(';')[0]).join(' or ')}; Accept: ${accept}`);
}
