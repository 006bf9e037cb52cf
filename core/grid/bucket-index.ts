import Flatbush from 'flatbush';
import type { PackedPolygons } from './packed-polygons.ts';
import { OUTSIDE, locateInRing, locatePointInPolygon } from './point-in-polygon.ts';

/**
 * A uniform grid of buckets over the polygons' extent. A bucket that no polygon edge comes near
 * lies wholly inside one polygon (or none), so its answer is stored and a lookup there costs two
 * array reads. A bucket that edges pass through lists, in polygon order, the polygons whose edges
 * touch it and that could beat its stored answer; a lookup tests only those.
 *
 * Exactness: a bucket counts as touched by an edge that comes within EDGE_MARGIN (about 0.1 mm) of
 * it, far above the rounding error of locating a point in a bucket, so every point is decided by
 * the exact point-in-polygon test or by a bucket no edge comes near.
 */
export interface BucketIndex {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly columns: number;
  readonly rows: number;
  readonly bucketWidth: number;
  readonly bucketHeight: number;
  /**
   * Per bucket, one int, so that a lookup touches as little memory as possible: a value ≥ -1 is the
   * answer itself (a polygon index, or -1 for none); a value v ≤ -2 points at lists[-(v + 2)], laid
   * out as [fallback, n, then n × (polygon, firstPoint, endPoint)]. firstPoint/endPoint give the
   * ring of a one-ring polygon (most grids), so its test reads the coordinates directly; for other
   * polygons firstPoint is -1 and the general test runs.
   */
  readonly slots: Int32Array;
  readonly lists: Int32Array;
}

const EDGE_MARGIN_DEGREES = 1e-9;

export interface BucketIndexOptions {
  /** Buckets per polygon; more buckets mean fewer polygon tests per lookup and more memory. */
  readonly bucketsPerPolygon?: number;
  readonly maxBuckets?: number;
}

class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** Does segment (ax,ay)-(bx,by) meet the rectangle? Liang–Barsky clipping. */
function segmentMeetsRect(ax: number, ay: number, bx: number, by: number, x0: number, y0: number, x1: number, y1: number): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const p = [-dx, dx, -dy, dy];
  const q = [ax - x0, x1 - ax, ay - y0, y1 - ay];
  for (let i = 0; i < 4; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) {
      if (qi < 0) return false;
    } else {
      const r = qi / pi;
      if (pi < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
    }
  }
  return true;
}

export function buildBucketIndex(polygons: PackedPolygons, options: BucketIndexOptions = {}): BucketIndex {
  const { count, bbox, partStart, ringStart, pointStart, xy } = polygons;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, bbox[4 * i]!);
    minY = Math.min(minY, bbox[4 * i + 1]!);
    maxX = Math.max(maxX, bbox[4 * i + 2]!);
    maxY = Math.max(maxY, bbox[4 * i + 3]!);
  }
  if (count === 0) {
    return { minX: 0, minY: 0, maxX: -1, maxY: -1, columns: 0, rows: 0, bucketWidth: 1, bucketHeight: 1, slots: new Int32Array(0), lists: new Int32Array(0) };
  }
  const width = Math.max(maxX - minX, 1e-9);
  const height = Math.max(maxY - minY, 1e-9);
  // Square buckets on the ground: a degree of longitude is cos(lat) of a degree of latitude.
  const aspect = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const target = Math.min(options.maxBuckets ?? 4_000_000, Math.max(1, Math.round(count * (options.bucketsPerPolygon ?? 48))));
  const side = Math.sqrt((width * aspect * height) / target);
  const columns = Math.max(1, Math.ceil((width * aspect) / side));
  const rows = Math.max(1, Math.ceil(height / side));
  const bucketWidth = width / columns;
  const bucketHeight = height / rows;
  const buckets = columns * rows;

  // 1. Which polygons have an edge in (or within the margin of) each bucket.
  const pairBucket = new IntList();
  const pairPolygon = new IntList();
  const lastPolygon = new Int32Array(buckets).fill(-1);
  const edgeCount = new Uint32Array(buckets);
  for (let poly = 0; poly < count; poly++) {
    for (let part = partStart[poly]!; part < partStart[poly + 1]!; part++) {
      for (let ring = ringStart[part]!; ring < ringStart[part + 1]!; ring++) {
        for (let k = pointStart[ring]!; k + 1 < pointStart[ring + 1]!; k++) {
          const ax = xy[2 * k]!;
          const ay = xy[2 * k + 1]!;
          const bx = xy[2 * k + 2]!;
          const by = xy[2 * k + 3]!;
          const c0 = Math.max(0, Math.floor((Math.min(ax, bx) - EDGE_MARGIN_DEGREES - minX) / bucketWidth));
          const c1 = Math.min(columns - 1, Math.floor((Math.max(ax, bx) + EDGE_MARGIN_DEGREES - minX) / bucketWidth));
          const r0 = Math.max(0, Math.floor((Math.min(ay, by) - EDGE_MARGIN_DEGREES - minY) / bucketHeight));
          const r1 = Math.min(rows - 1, Math.floor((Math.max(ay, by) + EDGE_MARGIN_DEGREES - minY) / bucketHeight));
          for (let r = r0; r <= r1; r++) {
            const y0 = minY + r * bucketHeight - EDGE_MARGIN_DEGREES;
            const y1 = minY + (r + 1) * bucketHeight + EDGE_MARGIN_DEGREES;
            for (let c = c0; c <= c1; c++) {
              const b = r * columns + c;
              if (lastPolygon[b] === poly) continue;
              const x0 = minX + c * bucketWidth - EDGE_MARGIN_DEGREES;
              const x1 = minX + (c + 1) * bucketWidth + EDGE_MARGIN_DEGREES;
              if (!segmentMeetsRect(ax, ay, bx, by, x0, y0, x1, y1)) continue;
              lastPolygon[b] = poly;
              edgeCount[b]!++;
              pairBucket.push(b);
              pairPolygon.push(poly);
            }
          }
        }
      }
    }
  }
  // Pairs were produced polygon by polygon, so a counting sort keeps each bucket's list in polygon order.
  const edgeStart = new Uint32Array(buckets + 1);
  for (let b = 0; b < buckets; b++) edgeStart[b + 1] = edgeStart[b]! + edgeCount[b]!;
  const edgePolygons = new Int32Array(pairBucket.length);
  const fill = edgeStart.slice(0, buckets);
  for (let i = 0; i < pairBucket.length; i++) edgePolygons[fill[pairBucket.data[i]!]!++] = pairPolygon.data[i]!;

  // 2. Each bucket's fallback: the first polygon covering the bucket entirely. Inside a bucket no
  // edge comes near, every polygon either covers all of it or none of it, so its centre decides;
  // a run of such buckets along a row shares one answer.
  const boxes = new Flatbush(count);
  for (let i = 0; i < count; i++) boxes.add(bbox[4 * i]!, bbox[4 * i + 1]!, bbox[4 * i + 2]!, bbox[4 * i + 3]!);
  boxes.finish();
  const fallback = new Int32Array(buckets).fill(-1);
  const firstCovering = (x: number, y: number, skip: (poly: number) => boolean, mustContain?: [number, number, number, number]): number => {
    let best = -1;
    const hits = mustContain ? boxes.search(mustContain[0], mustContain[1], mustContain[2], mustContain[3]) : boxes.search(x, y, x, y);
    for (const poly of hits) {
      if (best !== -1 && poly > best) continue;
      if (skip(poly)) continue;
      if (mustContain) {
        const o = 4 * poly;
        if (bbox[o]! > mustContain[0] || bbox[o + 1]! > mustContain[1] || bbox[o + 2]! < mustContain[2] || bbox[o + 3]! < mustContain[3]) continue;
      }
      if (locatePointInPolygon(polygons, poly, x, y) !== OUTSIDE) best = poly;
    }
    return best;
  };
  const never = (): boolean => false;
  for (let r = 0; r < rows; r++) {
    let runAnswer = -2;
    for (let c = 0; c < columns; c++) {
      const b = r * columns + c;
      const cx = minX + (c + 0.5) * bucketWidth;
      const cy = minY + (r + 0.5) * bucketHeight;
      if (edgeCount[b] === 0) {
        if (runAnswer === -2) {
          const above = r > 0 ? b - columns : -1;
          runAnswer = above >= 0 && edgeCount[above] === 0 ? fallback[above]! : firstCovering(cx, cy, never);
        }
        fallback[b] = runAnswer;
      } else {
        runAnswer = -2;
        // Edges pass through: a polygon can still cover the whole bucket (overlapping data), and
        // only one whose box contains the bucket can.
        const s = edgeStart[b]!;
        const e = edgeStart[b + 1]!;
        const listed = (poly: number): boolean => {
          for (let k = s; k < e; k++) if (edgePolygons[k] === poly) return true;
          return false;
        };
        const rect: [number, number, number, number] = [minX + c * bucketWidth, minY + r * bucketHeight, minX + (c + 1) * bucketWidth, minY + (r + 1) * bucketHeight];
        fallback[b] = firstCovering(cx, cy, listed, rect);
      }
    }
  }

  // 3. Keep only listed polygons that come before the fallback; later ones can never win.
  const slots = new Int32Array(buckets);
  const lists = new IntList();
  const simpleRing = (poly: number): number => {
    const part = partStart[poly]!;
    if (partStart[poly + 1] !== part + 1 || ringStart[part + 1] !== ringStart[part]! + 1) return -1;
    const ring = ringStart[part]!;
    // PostGIS ignores a ring of under 4 points; the general test does the same.
    return pointStart[ring + 1]! - pointStart[ring]! >= 4 ? ring : -1;
  };
  for (let b = 0; b < buckets; b++) {
    const limit = fallback[b]! === -1 ? Infinity : fallback[b]!;
    let n = 0;
    for (let k = edgeStart[b]!; k < edgeStart[b + 1]!; k++) if (edgePolygons[k]! < limit) n++;
    if (n === 0) {
      slots[b] = fallback[b]!;
      continue;
    }
    slots[b] = -2 - lists.length;
    lists.push(fallback[b]!);
    lists.push(n);
    for (let k = edgeStart[b]!; k < edgeStart[b + 1]!; k++) {
      const poly = edgePolygons[k]!;
      if (poly >= limit) continue;
      const ring = simpleRing(poly);
      lists.push(poly);
      lists.push(ring === -1 ? -1 : pointStart[ring]!);
      lists.push(ring === -1 ? -1 : pointStart[ring + 1]!);
    }
  }
  return { minX, minY, maxX, maxY, columns, rows, bucketWidth, bucketHeight, slots, lists: lists.data.slice(0, lists.length) };
}

/**
 * The first polygon (in index order) that covers (x, y), or -1. Callers order polygons by code, so
 * this is the lowest code among the polygons covering the point: the tie rule for shared edges.
 */
export function locateInBucketIndex(index: BucketIndex, polygons: PackedPolygons, x: number, y: number): number {
  if (!(x >= index.minX && x <= index.maxX && y >= index.minY && y <= index.maxY)) return -1;
  let c = Math.floor((x - index.minX) / index.bucketWidth);
  let r = Math.floor((y - index.minY) / index.bucketHeight);
  if (c >= index.columns) c = index.columns - 1;
  if (r >= index.rows) r = index.rows - 1;
  const slot = index.slots[r * index.columns + c]!;
  if (slot >= -1) return slot;
  const lists = index.lists;
  let k = -(slot + 2);
  const fallback = lists[k]!;
  const end = k + 2 + 3 * lists[k + 1]!;
  for (k += 2; k < end; k += 3) {
    const poly = lists[k]!;
    const first = lists[k + 1]!;
    const location = first >= 0 ? locateInRing(polygons.xy, first, lists[k + 2]!, x, y) : locatePointInPolygon(polygons, poly, x, y);
    if (location !== OUTSIDE) return poly;
  }
  return fallback;
}
