import type { LngLat, MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { areaSquareMeters } from '../../core/geo/multipolygon-measures.ts';
import { unite } from '../../core/geo/overlay.ts';
import { regionContains } from './relax-seeds.ts';
import { tileWithVoronoi } from './voronoi-tiling.ts';

export interface SeedGroup {
  /** The community the seeds were placed in. */
  readonly communityKey: string;
  readonly streetKey: string;
  readonly seeds: readonly LngLat[];
}

export interface TiledHierarchy {
  readonly grids: { readonly rings: MultiPolygonRings; readonly communityKey: string; readonly seed: LngLat }[];
  readonly communities: Map<string, { readonly rings: MultiPolygonRings; readonly streetKey: string }>;
  readonly streets: Map<string, MultiPolygonRings>;
  /** Areas that still came out in several pieces after repair (reported, never silently kept). */
  readonly multipart: string[];
}

const REPAIR_ROUNDS = 6;

/** The piece of an area in pieces that it keeps: the largest by area. */
function largestPart(rings: MultiPolygonRings): MultiPolygonRings {
  let best = rings[0]!;
  let bestArea = -1;
  for (const polygon of rings) {
    const area = areaSquareMeters([polygon]);
    if (area > bestArea) {
      best = polygon;
      bestArea = area;
    }
  }
  return [best];
}

/** The key with the most votes; ties go to the smaller key, so the build stays deterministic. */
function mostVoted(votes: ReadonlyMap<string, number>): string | undefined {
  return [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/**
 * Tiles the district with one Voronoi diagram of every grid seed, then builds each community as the
 * union of its grids and each street as the union of its communities, so all three levels share
 * edges exactly. A community whose grids come out in several pieces gives its stray grids to the
 * neighbouring community (same street first) that most of their neighbours belong to.
 */
export function tileHierarchy(district: MultiPolygonRings, groups: readonly SeedGroup[], lngScale: number): TiledHierarchy {
  const seeds: LngLat[] = [];
  const community: string[] = [];
  const streetOf = new Map<string, string>();
  for (const g of groups) {
    streetOf.set(g.communityKey, g.streetKey);
    for (const s of g.seeds) {
      seeds.push(s);
      community.push(g.communityKey);
    }
  }
  const { cells, neighbours } = tileWithVoronoi(district, seeds, lngScale, (i, j) => community[i] === community[j]);

  const members = (key: string): number[] => community.flatMap((c, i) => (c === key ? [i] : []));
  const unions = new Map<string, MultiPolygonRings>();
  const recompute = (key: string): void => {
    unions.set(key, unite(...members(key).map((i) => cells[i]!)));
  };
  for (const g of groups) recompute(g.communityKey);

  for (let round = 0; round < REPAIR_ROUNDS; round++) {
    const broken = [...unions].filter(([, rings]) => rings.length > 1);
    if (broken.length === 0) break;
    const touched = new Set<string>();
    for (const [key, rings] of broken) {
      const main = largestPart(rings);
      for (const i of members(key)) {
        if (regionContains(main, seeds[i]!)) continue;
        const votes = new Map<string, number>();
        for (const j of neighbours[i]!) {
          const other = community[j]!;
          if (other === key) continue;
          const sameStreet = streetOf.get(other) === streetOf.get(key);
          votes.set(other, (votes.get(other) ?? 0) + (sameStreet ? 10 : 1));
        }
        const winner = mostVoted(votes);
        if (winner === undefined) continue;
        community[i] = winner;
        touched.add(key).add(winner);
      }
    }
    for (const key of touched) recompute(key);
  }

  // Streets are unions of communities; a street in pieces hands its stray communities to the
  // neighbouring street that most of their grids' neighbours belong to.
  const streets = new Map<string, MultiPolygonRings>();
  const streetKeys = [...new Set(groups.map((g) => g.streetKey))];
  const recomputeStreet = (s: string): void => {
    streets.set(s, unite(...[...unions].filter(([c, rings]) => streetOf.get(c) === s && rings.length > 0).map(([, rings]) => rings)));
  };
  for (const s of streetKeys) recomputeStreet(s);
  for (let round = 0; round < REPAIR_ROUNDS; round++) {
    const broken = [...streets].filter(([, rings]) => rings.length > 1);
    if (broken.length === 0) break;
    const touched = new Set<string>();
    for (const [s, rings] of broken) {
      const main = largestPart(rings);
      for (const [c] of unions) {
        if (streetOf.get(c) !== s) continue;
        const cells = members(c);
        if (cells.length === 0 || regionContains(main, seeds[cells[0]!]!)) continue;
        const votes = new Map<string, number>();
        for (const i of cells) {
          for (const j of neighbours[i]!) {
            const other = streetOf.get(community[j]!)!;
            if (other !== s) votes.set(other, (votes.get(other) ?? 0) + 1);
          }
        }
        const winner = mostVoted(votes);
        if (winner === undefined) continue;
        streetOf.set(c, winner);
        touched.add(s).add(winner);
      }
    }
    for (const s of touched) recomputeStreet(s);
  }
  const communities = new Map([...unions].filter(([, rings]) => rings.length > 0).map(([k, rings]) => [k, { rings, streetKey: streetOf.get(k)! }]));
  const multipart = [
    ...[...communities].filter(([, c]) => c.rings.length > 1).map(([k]) => k),
    ...[...streets].filter(([, r]) => r.length > 1).map(([k]) => k),
    ...cells.flatMap((c, i) => (c.length > 1 ? [`grid seed ${i}`] : [])),
  ];
  return {
    grids: cells.map((rings, i) => ({ rings, communityKey: community[i]!, seed: seeds[i]! })),
    communities,
    streets,
    multipart,
  };
}
