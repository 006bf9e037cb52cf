import type { MultiPolygonRings } from '../geo/lng-lat.ts';
import type { AreaLevel } from './area-code.ts';
import type { AreaInput, GeographyProblem } from './validate-geography.ts';

export interface AreaFields {
  /** Property holding the area code; matched case-insensitively. */
  readonly code: string;
  /** Property holding the area name; matched case-insensitively. */
  readonly name: string;
}

export const DEFAULT_FIELDS: AreaFields = { code: 'code', name: 'name' };

const WGS84_CRS_NAMES = new Set(['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84', 'urn:ogc:def:crs:EPSG::4326', 'EPSG:4326', 'CRS84']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function property(properties: Record<string, unknown>, name: string): unknown {
  if (name in properties) return properties[name];
  const lower = name.toLowerCase();
  const key = Object.keys(properties).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : properties[key];
}

export interface ReadAreas {
  readonly areas: AreaInput[];
  readonly properties: Record<string, unknown>[];
  readonly problems: GeographyProblem[];
}

/**
 * Turns a parsed GeoJSON FeatureCollection (anything a user hands us) into areas of one level,
 * or says precisely what is wrong with it: not a FeatureCollection, a declared CRS other than
 * WGS-84, a feature without polygon geometry, or without a code or name.
 */
export function readAreaFeatures(level: AreaLevel, source: string, collection: unknown, fields: AreaFields = DEFAULT_FIELDS): ReadAreas {
  const problems: GeographyProblem[] = [];
  const areas: AreaInput[] = [];
  const properties: Record<string, unknown>[] = [];
  const fail = (message: string, code = ''): void => {
    problems.push({ kind: 'invalid-geometry', level, code, message: `${source}: ${message}` });
  };
  if (!isRecord(collection) || collection['type'] !== 'FeatureCollection' || !Array.isArray(collection['features'])) {
    fail('is not a GeoJSON FeatureCollection');
    return { areas, properties, problems };
  }
  const crs = collection['crs'];
  if (isRecord(crs)) {
    const name = isRecord(crs['properties']) ? crs['properties']['name'] : undefined;
    if (typeof name !== 'string' || !WGS84_CRS_NAMES.has(name)) {
      fail(`declares CRS ${JSON.stringify(name ?? crs)}; only WGS-84 longitude/latitude (EPSG:4326 / CRS84) is accepted — reproject first`);
      return { areas, properties, problems };
    }
  }
  (collection['features'] as unknown[]).forEach((feature, i) => {
    if (!isRecord(feature) || feature['type'] !== 'Feature') return fail(`feature ${i} is not a GeoJSON Feature`);
    const props = isRecord(feature['properties']) ? feature['properties'] : {};
    const rawCode = property(props, fields.code);
    const code = typeof rawCode === 'number' && Number.isSafeInteger(rawCode) ? String(rawCode) : rawCode;
    const label = typeof code === 'string' ? code : `#${i}`;
    if (typeof code !== 'string' || code.length === 0) return fail(`feature ${i} has no "${fields.code}" property`);
    const rawName = property(props, fields.name);
    if (typeof rawName !== 'string' || rawName.trim().length === 0) return fail(`feature ${label} has no "${fields.name}" property`, code);
    const geometry = feature['geometry'];
    if (!isRecord(geometry)) return fail(`feature ${label} has no geometry`, code);
    let rings: unknown;
    if (geometry['type'] === 'Polygon') rings = [geometry['coordinates']];
    else if (geometry['type'] === 'MultiPolygon') rings = geometry['coordinates'];
    else return fail(`feature ${label} is a ${String(geometry['type'])}, not a Polygon or MultiPolygon`, code);
    if (!Array.isArray(rings) || !rings.every((p) => Array.isArray(p) && p.every((r) => Array.isArray(r)))) {
      return fail(`feature ${label} has malformed coordinates`, code);
    }
    areas.push({ code, name: rawName.trim(), rings: rings as MultiPolygonRings });
    properties.push(props);
  });
  return { areas, properties, problems };
}
