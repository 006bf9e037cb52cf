import Flatbush from 'flatbush';
import { metersPerDegreeAt } from '../geo/local-projection.ts';
import { distanceToPolygonMeters } from './distance-to-polygon.ts';
import type { PackedPolygons } from './packed-polygons.ts';

export interface NearestPolygon {
  readonly polygon: number;
  readonly distanceMeters: number;
}

export function buildBoxIndex(polygons: PackedPolygons): Flatbush {
  const index = new Flatbush(Math.max(1, polygons.count));
  for (let i = 0; i < polygons.count; i++) {
    index.add(polygons.bbox[4 * i]!, polygons.bbox[4 * i + 1]!, polygons.bbox[4 * i + 2]!, polygons.bbox[4 * i + 3]!);
  }
  if (polygons.count === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}

/**
 * The polygon whose edge is nearest to (x, y), in metres. Candidates come from the bounding-box
 * index in order of box distance; the search stops once no remaining box can be nearer than the
 * best exact distance found (box distance times the shorter degree is a lower bound in metres).
 */
export function findNearestPolygon(polygons: PackedPolygons, boxes: Flatbush, x: number, y: number): NearestPolygon | undefined {
  if (polygons.count === 0) return undefined;
  const scale = metersPerDegreeAt(y);
  // A degree, in whichever direction is shorter here, is the lower bound for turning box distance into metres.
  const metersPerDegreeAtLeast = Math.min(scale.lng, scale.lat);
  let best: NearestPolygon | undefined;
  for (let want = 16; ; want *= 4) {
    const found = boxes.neighbors(x, y, want);
    for (const polygon of found) {
      const d = distanceToPolygonMeters(polygons, polygon, x, y);
      if (!best || d < best.distanceMeters || (d === best.distanceMeters && polygon < best.polygon)) best = { polygon, distanceMeters: d };
    }
    const last = found[found.length - 1];
    if (found.length < want || last === undefined) return best;
    const o = 4 * last;
    const dx = Math.max(polygons.bbox[o]! - x, 0, x - polygons.bbox[o + 2]!);
    const dy = Math.max(polygons.bbox[o + 1]! - y, 0, y - polygons.bbox[o + 3]!);
    if (best && Math.hypot(dx, dy) * metersPerDegreeAtLeast > best.distanceMeters) return best;
  }
}
