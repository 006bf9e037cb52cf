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
