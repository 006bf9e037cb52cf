import type { BBox, MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import type { AreaLevel } from '../../core/geography/area-code.ts';
import type { StreetKind } from '../../core/geography/geography-types.ts';
import type { AreaInput } from '../../core/geography/validate-geography.ts';
import type { Catalogue, Department } from '../../core/catalogue/catalogue.ts';
import type { GridServant, RosterEntry } from '../../core/people/person.ts';
import type { GridDetails } from '../../core/protocol/http-api.ts';

export interface GeographySet {
  readonly district: AreaInput;
  readonly streets: readonly (AreaInput & { readonly kind: StreetKind })[];
  readonly communities: readonly AreaInput[];
  readonly grids: readonly AreaInput[];
}

export interface GeographyVersion {
  readonly version: number;
  readonly source: string;
  readonly loadedAt: Date;
}

export interface ReplaceGeographyResult {
  readonly version: number;
  readonly counts: Readonly<Record<AreaLevel, number>>;
  /** Roster assignments kept because their grid code still exists, and those dropped. */
  readonly assignmentsKept: number;
  readonly assignmentsDropped: number;
}

export interface AreaQuery {
  /** Code of the enclosing area (a street for communities, a street or community for grids). */
  readonly parent?: string;
  readonly bbox?: BBox;
  readonly limit: number;
  readonly offset: number;
}

export interface GeographyRepository {
  version(): Promise<GeographyVersion | undefined>;
  /** Replaces the whole hierarchy atomically; PostGIS re-checks validity and any problem rolls it all back. */
  replace(set: GeographySet, source: string): Promise<ReplaceGeographyResult>;
  /** A GeoJSON FeatureCollection, as text straight from PostGIS (coordinates to 7 decimals, ~1 cm). */
  features(level: AreaLevel, query: AreaQuery): Promise<string>;
  /** Every grid with its exact stored geometry, for building the in-process router. */
  routableGrids(): Promise<{ code: string; rings: MultiPolygonRings }[]>;
  gridDetails(code: string): Promise<GridDetails | undefined>;
  /** Code and name of every district, street, community and grid. */
  names(): Promise<{ code: string; name: string }[]>;
  /** PostGIS's own answer for each point (ST_Covers, smallest code on shared edges): the router's oracle. */
  routeInDatabase(points: readonly (readonly [number, number])[]): Promise<(string | null)[]>;
}

export interface CatalogueRepository {
  replace(departments: readonly Department[], catalogue: Catalogue): Promise<void>;
  departments(): Promise<Department[]>;
  catalogue(): Promise<Catalogue>;
}

export interface PersonnelRepository {
  /** Replaces the roster; assignments to grids that do not exist are refused (the whole roster is). */
  replace(roster: readonly RosterEntry[]): Promise<{ people: number; assignments: number }>;
  forGrid(gridCode: string): Promise<GridServant[]>;
  count(): Promise<number>;
}

/** The store of record, as the services see it; drivers live behind SqlClient. */
export interface Store {
  readonly driver: 'pglite' | 'pg';
  readonly geography: GeographyRepository;
  readonly catalogue: CatalogueRepository;
  readonly personnel: PersonnelRepository;
  /** Resolves when the database answers; throws StoreUnavailableError when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** PostGIS found an area invalid that the import's own checks let through; nothing was stored. */
export class InvalidGeographyError extends Error {
  override readonly name = 'InvalidGeographyError';
  constructor(readonly reasons: readonly string[]) {
    super(`PostGIS rejected the geometry: ${reasons.join('; ')}`);
  }
}
