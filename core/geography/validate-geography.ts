import type { LngLat, MultiPolygonRings } from '../geo/lng-lat.ts';
import { areaSquareMeters } from '../geo/multipolygon-measures.ts';
import { type AreaLevel, isAreaCode, parentCode } from './area-code.ts';
import { findCoverageGaps } from './find-coverage-gaps.ts';
import { findOverlaps } from './find-overlaps.ts';
import { findRingProblem } from './find-ring-problem.ts';

export interface AreaInput {
  readonly code: string;
  readonly name: string;
  readonly rings: MultiPolygonRings;
}

export interface GeographyInput {
  readonly district: AreaInput;
  readonly streets: readonly AreaInput[];
  readonly communities: readonly AreaInput[];
  readonly grids: readonly AreaInput[];
}

export type ProblemKind = 'bad-code' | 'duplicate-code' | 'orphan' | 'invalid-geometry' | 'overlap' | 'gap' | 'outside-parent' | 'no-children' | 'area-mismatch' | 'overlay-failed';

export interface GeographyProblem {
  readonly kind: ProblemKind;
  readonly level: AreaLevel;
  readonly code: string;
  readonly message: string;
  readonly at?: LngLat;
  readonly otherCode?: string;
  readonly squareMeters?: number;
}

export interface GeographyTolerances {
  /** An overlap between two areas of one level larger than this is an error. */
  readonly overlapSquareMeters: number;
  /** A gap (or spill) between a parent and its children larger than this is an error. */
  readonly gapSquareMeters: number;
  /** Each level's areas must sum to the district's within this fraction. */
  readonly areaSumFraction: number;
}

export const DEFAULT_TOLERANCES: GeographyTolerances = { overlapSquareMeters: 1, gapSquareMeters: 1, areaSumFraction: 0.001 };

export interface LevelSummary {
  readonly count: number;
  readonly squareMeters: number;
  /** Sum of this level's areas over the district's area, minus one. */
  readonly areaSumError: number;
  readonly overlapSquareMeters: number;
  readonly largestOverlapSquareMeters: number;
  readonly gapSquareMeters: number;
}

export interface GeographyReport {
  readonly ok: boolean;
  readonly problems: GeographyProblem[];
  readonly districtSquareMeters: number;
  readonly levels: Partial<Record<'street' | 'community' | 'grid', LevelSummary>>;
}

const CHILD_LEVEL = { district: 'street', street: 'community', community: 'grid' } as const;

function where(at: LngLat | undefined): string {
  return at ? ` near (${at[0].toFixed(6)}, ${at[1].toFixed(6)})` : '';
}

function m2(squareMeters: number): string {
  return `${squareMeters < 10 ? squareMeters.toFixed(2) : Math.round(squareMeters).toLocaleString('en')} m²`;
}

/**
 * Checks a whole district hierarchy before anything is stored: codes (6+3+3+3 digits, each
 * starting with its parent's), valid rings in WGS-84, no overlaps between areas of one level, each
 * parent covered exactly by its children, and each level's area summing to the district's.
 * Every problem says what, which area, and where.
 */
export function validateGeography(input: GeographyInput, tolerances: GeographyTolerances = DEFAULT_TOLERANCES): GeographyReport {
  const problems: GeographyProblem[] = [];
  const levels: { level: AreaLevel; areas: readonly AreaInput[] }[] = [
    { level: 'district', areas: [input.district] },
    { level: 'street', areas: input.streets },
    { level: 'community', areas: input.communities },
    { level: 'grid', areas: input.grids },
  ];

  // Codes and hierarchy.
  const known = new Map<string, AreaLevel>();
  for (const { level, areas } of levels) {
    for (const a of areas) {
      if (!isAreaCode(level, a.code)) {
        problems.push({ kind: 'bad-code', level, code: String(a.code), message: `${level} code "${a.code}" is not ${codeShape(level)}` });
        continue;
      }
      if (known.has(a.code)) {
        problems.push({ kind: 'duplicate-code', level, code: a.code, message: `${level} code ${a.code} appears more than once` });
        continue;
      }
      known.set(a.code, level);
      const parent = parentCode(a.code);
      if (level !== 'district' && parent !== undefined && !known.has(parent)) {
        problems.push({ kind: 'orphan', level, code: a.code, message: `${level} ${a.code} belongs to ${parent}, which is not in the import` });
      }
    }
  }

  // Geometry, one area at a time.
  const valid = new Set<string>();
  for (const { level, areas } of levels) {
    for (const a of areas) {
      const problem = findRingProblem(a.rings);
      if (problem) {
        problems.push({ kind: 'invalid-geometry', level, code: String(a.code), message: `${level} ${a.code}: ${problem.reason}${where(problem.at)}`, ...(problem.at ? { at: problem.at } : {}) });
      } else {
        valid.add(a.code);
      }
    }
  }
  const allValid = levels.every(({ areas }) => areas.every((a) => valid.has(a.code)));
  const districtSquareMeters = valid.has(input.district.code) ? areaSquareMeters(input.district.rings) : 0;
  if (!allValid || problems.length > 0) return { ok: false, problems, districtSquareMeters, levels: {} };

  // Topology, level by level.
  const summaries: GeographyReport['levels'] = {};
  for (const { level, areas } of levels) {
    if (level === 'district') continue;
    let overlapTotal = 0;
    let largestOverlap = 0;
    let gapTotal = 0;
    try {
      const { overlaps, totalSquareMeters } = findOverlaps(areas, tolerances.overlapSquareMeters);
      overlapTotal = totalSquareMeters;
      for (const o of overlaps) {
        largestOverlap = Math.max(largestOverlap, o.squareMeters);
        problems.push({
          kind: 'overlap', level, code: o.code, otherCode: o.otherCode, squareMeters: o.squareMeters, at: o.at,
          message: `${level} ${o.code} overlaps ${level} ${o.otherCode} by ${m2(o.squareMeters)}${where(o.at)}`,
        });
      }
    } catch (error) {
      problems.push({ kind: 'overlay-failed', level, code: '', message: `could not compute ${level} overlaps: ${(error as Error).message}` });
    }

    const parentLevel = (Object.keys(CHILD_LEVEL) as (keyof typeof CHILD_LEVEL)[]).find((k) => CHILD_LEVEL[k] === level)!;
    const parents = levels.find((l) => l.level === parentLevel)!.areas;
    const childrenOf = new Map<string, MultiPolygonRings[]>();
    for (const a of areas) {
      const p = parentCode(a.code)!;
      const list = childrenOf.get(p);
      if (list) list.push(a.rings);
      else childrenOf.set(p, [a.rings]);
    }
    for (const parent of parents) {
      const children = childrenOf.get(parent.code) ?? [];
      if (children.length === 0) {
        problems.push({ kind: 'no-children', level: parentLevel, code: parent.code, message: `${parentLevel} ${parent.code} has no ${level}s` });
        continue;
      }
      try {
        const coverage = findCoverageGaps(parent.rings, children, tolerances.gapSquareMeters);
        gapTotal += coverage.gapSquareMeters;
        for (const g of coverage.gaps) {
          problems.push({
            kind: 'gap', level, code: parent.code, squareMeters: g.squareMeters, at: g.at,
            message: `gap of ${m2(g.squareMeters)} in ${parentLevel} ${parent.code} that no ${level} covers${where(g.at)}`,
          });
        }
        for (const s of coverage.spills) {
          problems.push({
            kind: 'outside-parent', level, code: parent.code, squareMeters: s.squareMeters, at: s.at,
            message: `${level}s of ${parentLevel} ${parent.code} reach ${m2(s.squareMeters)} outside it${where(s.at)}`,
          });
        }
      } catch (error) {
        problems.push({ kind: 'overlay-failed', level, code: parent.code, message: `could not compare ${parent.code} with its ${level}s: ${(error as Error).message}` });
      }
    }

    const squareMeters = areas.reduce((sum, a) => sum + areaSquareMeters(a.rings), 0);
    const areaSumError = squareMeters / districtSquareMeters - 1;
    if (Math.abs(areaSumError) > tolerances.areaSumFraction) {
      problems.push({
        kind: 'area-mismatch', level, code: input.district.code,
        message: `${level}s add up to ${m2(squareMeters)}, ${(areaSumError * 100).toFixed(3)} % off the district's ${m2(districtSquareMeters)} (allowed ${tolerances.areaSumFraction * 100} %)`,
      });
    }
    summaries[level] = { count: areas.length, squareMeters, areaSumError, overlapSquareMeters: overlapTotal, largestOverlapSquareMeters: largestOverlap, gapSquareMeters: gapTotal };
  }
  return { ok: problems.length === 0, problems, districtSquareMeters, levels: summaries };
}

function codeShape(level: AreaLevel): string {
  switch (level) {
    case 'district':
      return '6 digits';
    case 'street':
      return '9 digits (district 6 + street 3)';
    case 'community':
      return '12 digits (street 9 + community 3)';
    case 'grid':
      return '15 digits (community 12 + grid 3)';
  }
}
