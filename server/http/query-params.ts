import { parseInputCrs, toWgs84 } from '../../core/geo/convert-crs.ts';
import type { BBox, LngLat } from '../../core/geo/lng-lat.ts';
import { isValidLngLat } from '../../core/geo/lng-lat.ts';
import { badRequest } from './http-error.ts';

export type Query = Readonly<Record<string, unknown>>;

/** Refuses parameters the endpoint does not know, so a typo (lon for lng) is an error, not ignored. */
export function allowOnly(query: Query, allowed: readonly string[]): void {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw badRequest(`unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ')}`);
}

export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`parameter "${name}" must be given once`);
  return value;
}

export function requiredNumber(query: Query, name: string): number {
  const raw = single(query, name);
  if (raw === undefined || raw.trim() === '') throw badRequest(`parameter "${name}" is required`);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw badRequest(`parameter "${name}" must be a number, got "${raw}"`);
  return value;
}

export function integer(query: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = single(query, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw badRequest(`parameter "${name}" must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** bbox=minLng,minLat,maxLng,maxLat in WGS-84 degrees. */
export function bbox(query: Query, name = 'bbox'): BBox | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) throw badRequest(`"${name}" must be minLng,minLat,maxLng,maxLat, got "${raw}"`);
  const [minLng, minLat, maxLng, maxLat] = parts as [number, number, number, number];
  if (!isValidLngLat(minLng, minLat) || !isValidLngLat(maxLng, maxLat)) throw badRequest(`"${name}" is outside longitude −180..180 / latitude −90..90`);
  if (minLng > maxLng || minLat > maxLat) throw badRequest(`"${name}" minimums must not exceed maximums`);
  return [minLng, minLat, maxLng, maxLat];
}

/**
 * A point from `lng`, `lat` and an optional `crs` (WGS84 by default, or GCJ-02 / BD-09 as Chinese
 * phone map SDKs give), converted to WGS-84; a clear 400 for anything else. Other parameters are
 * the caller's to allow.
 */
export function pointQuery(query: Query): LngLat {
  const lng = requiredNumber(query, 'lng');
  const lat = requiredNumber(query, 'lat');
  if (!isValidLngLat(lng, lat)) throw badRequest(`(${lng}, ${lat}) is out of range: lng must be −180..180 and lat −90..90`);
  const crsName = single(query, 'crs') ?? 'WGS84';
  const crs = parseInputCrs(crsName);
  if (!crs) throw badRequest(`unknown crs "${crsName}"; use WGS84, GCJ-02 or BD-09`);
  return toWgs84([lng, lat], crs);
}
