import type { MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { areaSquareMeters } from '../../core/geo/multipolygon-measures.ts';
import { childCode } from '../../core/geography/area-code.ts';
import { planarCentroid } from './planar-geometry.ts';
import { sequenceWestEastNorthSouth } from './sequence-west-east-north-south.ts';
import type { TiledHierarchy } from './tile-hierarchy.ts';

export interface NumberedHierarchy {
  readonly streets: Map<string, MultiPolygonRings>;
  readonly communities: { code: string; streetCode: string; rings: MultiPolygonRings }[];
  readonly grids: { code: string; communityCode: string; streetCode: string; rings: MultiPolygonRings }[];
}

/** Row height for numbering `count` areas that share `areaSquareMeters`: about one area's width. */
export function sequenceBandDegrees(areaSquareMeters: number, count: number, metersPerDegreeLat: number): number {
  return Math.sqrt(areaSquareMeters / count) / metersPerDegreeLat;
}

/**
 * Gives communities and grids their codes: street code + 3-digit sequence, then community code +
 * 3-digit sequence, numbered west→east in rows from north to south as the Beijing standard does.
 * Streets are keyed by their (real) code already.
 */
export function numberHierarchy(
  tiled: TiledHierarchy,
  streets: readonly { code: string }[],
  metersPerDegreeLat: number,
  /** The community keys already are codes (a finer grid set inside known communities): keep them. */
  keepCommunityKeys = false,
): NumberedHierarchy {
  const communities: NumberedHierarchy['communities'] = [];
  const codeOfKey = new Map<string, string>();
  for (const street of streets) {
    const own = [...tiled.communities].filter(([, c]) => c.streetKey === street.code);
    if (own.length === 0) continue;
    const band = sequenceBandDegrees(areaSquareMeters(tiled.streets.get(street.code)!), own.length, metersPerDegreeLat);
    sequenceWestEastNorthSouth(own, ([, c]) => planarCentroid(c.rings), band).forEach(([key, c], k) => {
      const code = keepCommunityKeys ? key : childCode(street.code, k + 1);
      codeOfKey.set(key, code);
      communities.push({ code, streetCode: street.code, rings: c.rings });
    });
  }
  const grids: NumberedHierarchy['grids'] = [];
  for (const community of communities) {
    const own = tiled.grids.filter((g) => codeOfKey.get(g.communityKey) === community.code);
    const band = sequenceBandDegrees(areaSquareMeters(community.rings), own.length, metersPerDegreeLat);
    sequenceWestEastNorthSouth(own, (g) => planarCentroid(g.rings), band).forEach((g, k) => {
      grids.push({ code: childCode(community.code, k + 1), communityCode: community.code, streetCode: community.streetCode, rings: g.rings });
    });
  }
  return { streets: tiled.streets, communities, grids };
}
