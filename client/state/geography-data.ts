import type { Department } from '../../core/catalogue/catalogue.ts';
import type { CommunityCollection, DistrictCollection, GridCollection, StreetCollection } from '../../core/protocol/http-api.ts';
import type { StreetKind } from '../../core/geography/geography-types.ts';

/** The district's geography and the department list, as loaded once at start. */
export interface GeographyData {
  readonly district: DistrictCollection;
  readonly streets: StreetCollection;
  readonly communities: CommunityCollection;
  readonly grids: GridCollection;
  readonly departments: ReadonlyMap<string, Department>;
  readonly streetKinds: ReadonlyMap<string, StreetKind>;
  readonly streetNames: ReadonlyMap<string, string>;
  readonly communityNames: ReadonlyMap<string, string>;
  readonly gridNames: ReadonlyMap<string, string>;
  /** The district's code (the area district-wide dashboards watch). */
  readonly districtCode: string | undefined;
}

export function createGeographyData(parts: {
  district: DistrictCollection;
  streets: StreetCollection;
  communities: CommunityCollection;
  grids: GridCollection;
  departments: readonly Department[];
}): GeographyData {
  return {
    ...parts,
    departments: new Map(parts.departments.map((d) => [d.code, d])),
    streetKinds: new Map(parts.streets.features.map((f) => [f.properties.code, f.properties.kind])),
    streetNames: new Map(parts.streets.features.map((f) => [f.properties.code, f.properties.name])),
    communityNames: new Map(parts.communities.features.map((f) => [f.properties.code, f.properties.name])),
    gridNames: new Map(parts.grids.features.map((f) => [f.properties.code, f.properties.name])),
    districtCode: parts.district.features[0]?.properties.code,
  };
}
