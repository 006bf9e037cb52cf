import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';

export type StreetKind = 'street' | 'town';

export interface DistrictProperties {
  readonly code: string;
  readonly name: string;
}
export interface StreetProperties {
  readonly code: string;
  readonly name: string;
  readonly kind: StreetKind;
  readonly districtCode: string;
}
export interface CommunityProperties {
  readonly code: string;
  readonly name: string;
  readonly streetCode: string;
}
export interface GridProperties {
  readonly code: string;
  readonly name: string;
  readonly communityCode: string;
  readonly streetCode: string;
}

export type AreaFeature<P> = Feature<MultiPolygon, P>;

/** The whole hierarchy as it is loaded into a store or produced by the importer. */
export interface Geography {
  readonly district: AreaFeature<DistrictProperties>;
  readonly streets: FeatureCollection<MultiPolygon, StreetProperties>;
  readonly communities: FeatureCollection<MultiPolygon, CommunityProperties>;
  readonly grids: FeatureCollection<MultiPolygon, GridProperties>;
}
