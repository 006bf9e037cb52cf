/**
 * The HTTP API's answers, shared by the server that sends them and the client that reads them.
 * Types only: the seam between the two ends, so that neither restates the other's shapes.
 */
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { Department } from '../catalogue/catalogue.ts';
import type { LngLat } from '../geo/lng-lat.ts';
import type { CommunityProperties, DistrictProperties, GridProperties, StreetProperties } from '../geography/geography-types.ts';
import type { GridServant } from '../people/person.ts';

export interface AreaRef {
  readonly code: string;
  readonly name: string;
}

/** GET /api/geo/*: a FeatureCollection with OGC API – Features counts. */
export interface AreaCollection<P> extends FeatureCollection<MultiPolygon, P & { readonly areaSquareMeters: number }> {
  readonly numberMatched: number;
  readonly numberReturned: number;
}

export type DistrictCollection = AreaCollection<DistrictProperties>;
export type StreetCollection = AreaCollection<StreetProperties>;
export type CommunityCollection = AreaCollection<CommunityProperties>;
export type GridCollection = AreaCollection<GridProperties>;

/** GET /api/route?lng=&lat= */
export type RouteAnswer = RoutedAnswer | UnroutedAnswer;

export interface RoutedAnswer {
  readonly routed: true;
  readonly point: LngLat;
  readonly grid: AreaRef;
  readonly community: AreaRef;
  readonly street: AreaRef;
  readonly onBoundary: boolean;
}

export interface UnroutedAnswer {
  readonly routed: false;
  readonly point: LngLat;
  readonly nearest?: NearestGrid;
}

export interface NearestGrid {
  readonly grid: AreaRef;
  readonly distanceMeters: number;
}

/** GET /api/personnel?grid=CODE */
export interface GridPersonnel {
  readonly grid: GridDetails;
  readonly people: readonly GridServant[];
}

export interface GridDetails {
  readonly code: string;
  readonly name: string;
  readonly communityCode: string;
  readonly communityName: string;
  readonly streetCode: string;
  readonly streetName: string;
  readonly areaSquareMeters: number;
}

/** GET /api/departments */
export interface DepartmentList {
  readonly departments: readonly Department[];
}

/**
 * GET /api/public/grid?lng=&lat=[&crs=]: the public disclosure board (实名制公示) of the grid at a
 * point, for residents without sign-in. Exactly these fields: no ids, no on-duty flags, no cases.
 */
export interface PublicGridAnswer {
  readonly grid: AreaRef;
  readonly community: AreaRef;
  readonly street: AreaRef;
  /** Sorted by department (the departments' own order). */
  readonly people: readonly PublicServant[];
}

/** One person on a grid's public board. */
export interface PublicServant {
  readonly name: string;
  readonly department: { readonly code: string; readonly name: string; readonly nameEn: string };
  readonly duty: string;
  readonly dutyEn: string;
  /** Work phone. */
  readonly phone: string;
}

/** The `error` of GET /api/public/grid's 404 for a point outside every grid. */
export interface PublicOutsideError {
  readonly code: 'outside_district';
  /** Names the nearest grid and its distance, in English. */
  readonly message: string;
  /** The same as data, so a page can say it in its own language. */
  readonly nearest?: NearestGrid;
}

/**
 * The geography every map asks for first, whole (the grids: only their count, a page of one). The
 * server keeps these answers in memory per geography version and makes them when it starts, so that
 * a wall of displays reconnecting after a restart does not ask the database for them once each.
 */
export const FIRST_GEO_PATHS = {
  district: '/api/geo/district',
  streets: '/api/geo/streets',
  communities: '/api/geo/communities?limit=50000',
  gridCount: '/api/geo/grids?limit=1',
} as const;
