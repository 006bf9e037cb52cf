import Flatbush from 'flatbush';
import type { MultiPolygonRings } from '../../core/geo/lng-lat.ts';

/** Bounding boxes of every edge of a region's outline: "does the outline reach this box?" in O(log n). */
export function regionEdgeIndex(region: MultiPolygonRings): Flatbush {
  const edges: [number, number, number, number][] = [];
  for (const polygon of region) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i]!;
        const [bx, by] = ring[i + 1]!;
        edges.push([Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)]);
      }
    }
  }
  const index = new Flatbush(Math.max(1, edges.length));
  for (const e of edges) index.add(e[0], e[1], e[2], e[3]);
  if (edges.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}
