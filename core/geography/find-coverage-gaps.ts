import type { LngLat, MultiPolygonRings } from '../geo/lng-lat.ts';
import { areaSquareMeters, labelPointOf } from '../geo/multipolygon-measures.ts';
import { subtract, unite } from '../geo/overlay.ts';

export interface CoveragePiece {
  readonly squareMeters: number;
  readonly at: LngLat;
}

export interface Coverage {
  /** Pieces of the parent that no child covers. */
  readonly gaps: CoveragePiece[];
  /** Pieces of children that lie outside the parent. */
  readonly spills: CoveragePiece[];
  readonly gapSquareMeters: number;
  readonly spillSquareMeters: number;
}

function pieces(rings: MultiPolygonRings, tolerance: number): { list: CoveragePiece[]; total: number } {
  let total = 0;
  const list: CoveragePiece[] = [];
  for (const polygon of rings) {
    const part = [polygon];
    const squareMeters = areaSquareMeters(part);
    total += squareMeters;
    if (squareMeters > tolerance) list.push({ squareMeters, at: labelPointOf(part) });
  }
  return { list, total };
}

/** Does the union of `children` cover `parent` exactly? Reports each gap and spill above the tolerance. */
export function findCoverageGaps(parent: MultiPolygonRings, children: readonly MultiPolygonRings[], toleranceSquareMeters: number): Coverage {
  const union = unite(...children);
  const gaps = pieces(subtract(parent, union), toleranceSquareMeters);
  const spills = pieces(union.length === 0 ? [] : subtract(union, parent), toleranceSquareMeters);
  return { gaps: gaps.list, spills: spills.list, gapSquareMeters: gaps.total, spillSquareMeters: spills.total };
}
