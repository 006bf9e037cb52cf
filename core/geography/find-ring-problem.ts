import Flatbush from 'flatbush';
import type { LngLat, MultiPolygonRings, Ring } from '../geo/lng-lat.ts';
import { isValidLngLat } from '../geo/lng-lat.ts';
import { orientation, segmentsIntersect } from '../geo/segments-intersect.ts';

export interface RingProblem {
  readonly reason: string;
  readonly at?: LngLat;
}

function ringSignedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum / 2;
}

interface Segment {
  readonly ring: number;
  readonly index: number;
  readonly count: number;
  readonly a: LngLat;
  readonly b: LngLat;
}

/**
 * Checks one polygon's rings for what PostGIS would call invalid, and says where: unclosed or
 * too-short rings, non-finite or out-of-range coordinates (usually a projected file, not WGS-84),
 * rings that cross or touch themselves, rings that cross each other or share a stretch of edge
 * (a hole may touch its exterior at a single point, as OGC allows), and zero area.
 */
function findPolygonProblem(polygon: readonly Ring[]): RingProblem | undefined {
  const segments: Segment[] = [];
  for (let r = 0; r < polygon.length; r++) {
    const ring = polygon[r]!;
    if (ring.length < 4) return { reason: `ring ${r} has ${ring.length} positions; a closed ring needs at least 4`, ...(ring[0] ? { at: ring[0] } : {}) };
    for (const p of ring) {
      if (!Array.isArray(p) || p.length < 2 || !isValidLngLat(p[0], p[1])) {
        return { reason: `coordinate ${JSON.stringify(p)} is not a WGS-84 longitude/latitude (wrong CRS?)` };
      }
    }
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) return { reason: `ring ${r} is not closed`, at: first };
    if (ring.every((p) => orientation(first[0], first[1], ring[1]![0], ring[1]![1], p[0], p[1]) === 0)) return { reason: `ring ${r} has zero area`, at: first };
    // Repeated positions are harmless (PostGIS accepts them): edges are numbered without them, so
    // the edges on either side of a repeat still count as neighbours.
    const kept: [LngLat, LngLat][] = [];
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[i + 1]!;
      if (a[0] !== b[0] || a[1] !== b[1]) kept.push([a, b]);
    }
    kept.forEach(([a, b], index) => segments.push({ ring: r, index, count: kept.length, a, b }));
  }
  if (segments.length === 0) return { reason: 'polygon has no edges' };
  const index = new Flatbush(segments.length);
  for (const s of segments) index.add(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]));
  index.finish();
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const hits = index.search(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]));
    for (const j of hits) {
      if (j <= i) continue;
      const t = segments[j]!;
      if (s.ring === t.ring) {
        // Neighbouring edges of one ring share an end by construction.
        const gap = Math.abs(s.index - t.index);
        if (gap === 1 || gap === s.count - 1) {
          if (!sharesOnlyEndpoint(s, t)) return { reason: `ring ${s.ring} doubles back on itself`, at: s.b };
          continue;
        }
      }
      if (!segmentsIntersect(s.a[0], s.a[1], s.b[0], s.b[1], t.a[0], t.a[1], t.b[0], t.b[1])) continue;
      if (s.ring === t.ring) return { reason: `ring ${s.ring} intersects itself`, at: meetingPoint(s, t) };
      if (crossesOrOverlaps(s, t)) return { reason: `ring ${s.ring} crosses ring ${t.ring}`, at: meetingPoint(s, t) };
    }
  }
  for (let r = 0; r < polygon.length; r++) {
    if (ringSignedArea(polygon[r]!) === 0) return { reason: `ring ${r} has zero area`, at: polygon[r]![0]! };
  }
  return undefined;
}

/** Edges of two rings meet in more than a single touching point: they cross, or share a stretch. */
function crossesOrOverlaps(s: Segment, t: Segment): boolean {
  const o1 = orientation(s.a[0], s.a[1], s.b[0], s.b[1], t.a[0], t.a[1]);
  const o2 = orientation(s.a[0], s.a[1], s.b[0], s.b[1], t.b[0], t.b[1]);
  const o3 = orientation(t.a[0], t.a[1], t.b[0], t.b[1], s.a[0], s.a[1]);
  const o4 = orientation(t.a[0], t.a[1], t.b[0], t.b[1], s.b[0], s.b[1]);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  if (o1 === 0 && o2 === 0) {
    // Collinear: overlapping by more than a point?
    const along = (p: LngLat): number => (p[0] - s.a[0]) * (s.b[0] - s.a[0]) + (p[1] - s.a[1]) * (s.b[1] - s.a[1]);
    const lengthSq = along(s.b);
    const lo = Math.max(0, Math.min(along(t.a), along(t.b)));
    const hi = Math.min(lengthSq, Math.max(along(t.a), along(t.b)));
    return hi > lo;
  }
  return false;
}

/** Where two edges meet: their crossing point, or the end of one that lies on the other. */
function meetingPoint(s: Segment, t: Segment): LngLat {
  const dx1 = s.b[0] - s.a[0];
  const dy1 = s.b[1] - s.a[1];
  const dx2 = t.b[0] - t.a[0];
  const dy2 = t.b[1] - t.a[1];
  const denominator = dx1 * dy2 - dy1 * dx2;
  if (denominator !== 0) {
    const u = ((t.a[0] - s.a[0]) * dy2 - (t.a[1] - s.a[1]) * dx2) / denominator;
    if (u >= 0 && u <= 1) return [s.a[0] + u * dx1, s.a[1] + u * dy1];
  }
  for (const p of [t.a, t.b, s.a, s.b]) {
    if (orientation(s.a[0], s.a[1], s.b[0], s.b[1], p[0], p[1]) === 0) return p;
  }
  return s.b;
}

/** Adjacent edges a→b, b→c overlap (a spike) when c lies back along b→a. */
function sharesOnlyEndpoint(s: Segment, t: Segment): boolean {
  const [p, q, r] = s.b[0] === t.a[0] && s.b[1] === t.a[1] ? [s.a, s.b, t.b] : [t.a, t.b, s.b];
  const cross = (q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0]);
  if (cross !== 0) return true;
  const dot = (q[0] - p[0]) * (r[0] - q[0]) + (q[1] - p[1]) * (r[1] - q[1]);
  return dot > 0;
}

export function findRingProblem(rings: MultiPolygonRings): RingProblem | undefined {
  if (!Array.isArray(rings) || rings.length === 0) return { reason: 'geometry has no polygons' };
  for (let p = 0; p < rings.length; p++) {
    const problem = findPolygonProblem(rings[p]!);
    if (problem) return rings.length > 1 ? { ...problem, reason: `part ${p}: ${problem.reason}` } : problem;
  }
  return undefined;
}
