import { isAreaCode } from '../../core/geography/area-code.ts';
import type { StreetKind } from '../../core/geography/geography-types.ts';
import { DEFAULT_FIELDS, readAreaFeatures, type AreaFields } from '../../core/geography/read-area-features.ts';
import { DEFAULT_TOLERANCES, validateGeography, type AreaInput, type GeographyProblem, type GeographyReport } from '../../core/geography/validate-geography.ts';
import { unite } from '../../core/geo/overlay.ts';
import { readAreaFile } from '../import/read-area-file.ts';
import { InvalidGeographyError, type GeographySet, type ReplaceGeographyResult, type Store } from '../store/store.ts';

export interface GeographySources {
  /** The district outline; when absent it is the union of the streets. */
  readonly district?: string;
  readonly streets: string;
  readonly communities: string;
  readonly grids: string;
}

export interface GeographyImportOptions {
  readonly fields?: AreaFields;
  /** Property saying 'street' or 'town'; without it, names ending in 镇/乡/地区 are towns. */
  readonly kindField?: string;
  /** For a district derived from the streets: its name (its code is the streets' common prefix). */
  readonly districtName?: string;
  /** Validate only; store nothing. */
  readonly dryRun?: boolean;
}

export interface GeographyImportReport {
  readonly ok: boolean;
  readonly problems: readonly GeographyProblem[];
  readonly validation?: GeographyReport;
  readonly stored?: ReplaceGeographyResult;
}

function streetKind(properties: Record<string, unknown>, name: string, kindField: string | undefined): StreetKind {
  const declared = kindField ? properties[kindField] : properties['kind'];
  if (declared === 'town' || declared === 'street') return declared;
  return /(镇|乡|地区)$/.test(name) ? 'town' : 'street';
}

/**
 * Loads a city's own streets, communities and grids (GeoJSON or Shapefile) in place of the current
 * geography. Everything is read and validated first (codes, rings, overlaps, gaps, area sums);
 * only a clean set is stored, in one transaction that PostGIS validates again. A bad file gets a
 * report of every problem with its place, and the store is left exactly as it was.
 */
export async function importGeography(store: Store | undefined, sources: GeographySources, options: GeographyImportOptions = {}): Promise<GeographyImportReport> {
  const fields = options.fields ?? DEFAULT_FIELDS;
  const problems: GeographyProblem[] = [];
  const read = async (level: 'district' | 'street' | 'community' | 'grid', path: string) => {
    const file = await readAreaFile(path);
    if (!file.ok) {
      problems.push({ kind: 'invalid-geometry', level, code: '', message: file.message });
      return undefined;
    }
    const result = readAreaFeatures(level, path, file.collection, fields);
    problems.push(...result.problems);
    if (result.areas.length === 0 && result.problems.length === 0) problems.push({ kind: 'no-children', level, code: '', message: `${path} has no features` });
    return result;
  };
  const district = sources.district ? await read('district', sources.district) : undefined;
  const streets = await read('street', sources.streets);
  const communities = await read('community', sources.communities);
  const grids = await read('grid', sources.grids);
  if (problems.length > 0 || !streets || !communities || !grids) return { ok: false, problems };

  let districtArea: AreaInput | undefined = district?.areas[0];
  if (sources.district && district && district.areas.length !== 1) {
    return { ok: false, problems: [{ kind: 'invalid-geometry', level: 'district', code: '', message: `${sources.district} must hold exactly one district, found ${district.areas.length}` }] };
  }
  if (!districtArea) {
    const prefixes = [...new Set(streets.areas.map((s) => String(s.code).slice(0, 6)))];
    const code = prefixes[0];
    if (prefixes.length !== 1 || code === undefined || !isAreaCode('district', code)) {
      return { ok: false, problems: [{ kind: 'bad-code', level: 'street', code: '', message: `street codes must share one 6-digit district prefix to derive the district, found ${prefixes.join(', ')}` }] };
    }
    try {
      districtArea = { code, name: options.districtName ?? code, rings: unite(...streets.areas.map((s) => s.rings)) };
    } catch (error) {
      return { ok: false, problems: [{ kind: 'overlay-failed', level: 'district', code, message: `could not derive the district outline from the streets: ${(error as Error).message}` }] };
    }
  }

  const validation = validateGeography({ district: districtArea, streets: streets.areas, communities: communities.areas, grids: grids.areas }, DEFAULT_TOLERANCES);
  if (!validation.ok) return { ok: false, problems: validation.problems, validation };
  if (options.dryRun || !store) return { ok: true, problems: [], validation };

  const set: GeographySet = {
    district: districtArea,
    streets: streets.areas.map((s, i) => ({ ...s, kind: streetKind(streets.properties[i]!, s.name, options.kindField) })),
    communities: communities.areas,
    grids: grids.areas,
  };
  try {
    const stored = await store.geography.replace(set, `import: ${[sources.district, sources.streets, sources.communities, sources.grids].filter(Boolean).join(', ')}`);
    return { ok: true, problems: [], validation, stored };
  } catch (error) {
    if (error instanceof InvalidGeographyError) {
      return { ok: false, problems: error.reasons.map((reason) => ({ kind: 'invalid-geometry', level: 'grid', code: reason.split(':')[0] ?? '', message: `PostGIS: ${reason}` })), validation };
    }
    throw error;
  }
}
