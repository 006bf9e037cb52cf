import Flatbush from 'flatbush';
import type { LngLat, MultiPolygonRings } from '../geo/lng-lat.ts';
import { areaSquareMeters, bboxOf, labelPointOf } from '../geo/multipolygon-measures.ts';
import { intersect } from '../geo/overlay.ts';

export interface CodedArea {
  readonly code: string;
  readonly rings: MultiPolygonRings;
}

export interface Overlap {
  readonly code: string;
  readonly otherCode: string;
  readonly squareMeters: number;
  readonly at: LngLat;
}

/** Pairs of areas whose interiors overlap by more than `toleranceSquareMeters`, with where. */
export function findOverlaps(areas: readonly CodedArea[], toleranceSquareMeters: number): { overlaps: Overlap[]; totalSquareMeters: number } {
  const overlaps: Overlap[] = [];
  let total = 0;
  if (areas.length < 2) return { overlaps, totalSquareMeters: 0 };
  const index = new Flatbush(areas.length);
  const boxes = areas.map((a) => bboxOf(a.rings));
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  areas.forEach((a, i) => {
    const b = boxes[i]!;
    for (const j of index.search(b[0], b[1], b[2], b[3])) {
      if (j <= i) continue;
      const other = areas[j]!;
      const rings = intersect(a.rings, other.rings);
      if (rings.length === 0) continue;
      const squareMeters = areaSquareMeters(rings);
      total += squareMeters;
      if (squareMeters > toleranceSquareMeters) overlaps.push({ code: a.code, otherCode: other.code, squareMeters, at: labelPointOf(rings) });
    }
  });
  return { overlaps, totalSquareMeters: total };
}
