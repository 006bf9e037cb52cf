// Builders for the grid-routing unit tests. Every builder takes overrides and returns fresh data, so
// tests share nothing mutable. Coordinates in hand-built cases are dyadic (116.25, 40.125, ...) where
// a test needs a point to lie *exactly* on an edge: then the side test is exactly zero in doubles.
import { Delaunay } from 'd3-delaunay';
import type { BBox, LngLat, MultiPolygonRings, PolygonRings, Ring } from '../../../core/geo/lng-lat.ts';
import { buildBucketIndex, type BucketIndexOptions } from '../../../core/grid/bucket-index.ts';
import type { GridRouter, RoutableGrid } from '../../../core/grid/grid-router.ts';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { OUTSIDE, locatePointInPolygon, type PointLocation } from '../../../core/grid/point-in-polygon.ts';
import { createRandom, type Random } from '../../../scripts/geodata/seeded-random.ts';

/** A box about the size of a district in Haidian, Beijing. */
export const DISTRICT_BOX: BBox = [116.25, 39.9, 116.35, 40.0];

// ---------------------------------------------------------------------------------------------
// Codes

/** A 15-digit grid code: 9-digit street, 3-digit community, 3-digit grid. */
export function buildGridCode(overrides: { street?: string; community?: number; grid?: number } = {}): string {
  const street = overrides.street ?? '110108001';
  const community = String(overrides.community ?? 1).padStart(3, '0');
  const grid = String(overrides.grid ?? 1).padStart(3, '0');
  return `${street}${community}${grid}`;
}

/** n distinct 15-digit codes in a shuffled order, so that input order is not code order. */
export function buildShuffledCodes(n: number, random: Random): string[] {
  const codes = Array.from({ length: n }, (_, i) => buildGridCode({ community: 1 + Math.floor(i / 1000), grid: i % 1000 }));
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [codes[i], codes[j]] = [codes[j]!, codes[i]!];
  }
  return codes;
}

// ---------------------------------------------------------------------------------------------
// Rings and grids

export interface RectSpec {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
  /** Clockwise when true; counter-clockwise (the GeoJSON exterior convention) by default. */
  readonly clockwise: boolean;
}

export function buildRectRing(overrides: Partial<RectSpec> = {}): Ring {
  const { west, south, east, north, clockwise }: RectSpec = { west: 116.25, south: 40.0, east: 116.5, north: 40.25, clockwise: false, ...overrides };
  const ring: LngLat[] = [[west, south], [east, south], [east, north], [west, north], [west, south]];
  return clockwise ? ring.reverse() : ring;
}

export function buildGrid(overrides: Partial<RoutableGrid> = {}): RoutableGrid {
  return { code: buildGridCode(), rings: [[buildRectRing()]], ...overrides };
}

export function buildRectGrid(code: string, rect: Partial<RectSpec> = {}): RoutableGrid {
  return buildGrid({ code, rings: [[buildRectRing(rect)]] });
}

export interface StarSpec {
  readonly center: LngLat;
  readonly minRadius: number;
  readonly maxRadius: number;
  readonly vertexCount: number;
  readonly clockwise: boolean;
}

/**
 * A simple star-shaped ring around `center`: vertices at jittered, increasing angles (with 5 or more
 * vertices every gap is under 101°), so the ring never crosses itself and contains the disc of
 * radius minRadius × cos 50.5° ≈ 0.63 minRadius.
 */
export function buildStarRing(random: Random, overrides: Partial<StarSpec> = {}): Ring {
  const { center, minRadius, maxRadius, vertexCount, clockwise }: StarSpec = {
    center: [116.3, 39.95], minRadius: 0.004, maxRadius: 0.01, vertexCount: 8, clockwise: false, ...overrides,
  };
  const step = (2 * Math.PI) / vertexCount;
  const ring: LngLat[] = [];
  for (let k = 0; k < vertexCount; k++) {
    const angle = step * (k + 0.4 * (random() - 0.5));
    const radius = minRadius + (maxRadius - minRadius) * random();
    ring.push([center[0] + radius * Math.cos(angle), center[1] + radius * Math.sin(angle)]);
  }
  ring.push(ring[0]!);
  return clockwise ? ring.reverse() : ring;
}

/** A square ring centred on `center` with the given half side, for holes and islands. */
export function buildCenteredSquareRing(center: LngLat, halfSide: number, clockwise = false): Ring {
  return buildRectRing({ west: center[0] - halfSide, south: center[1] - halfSide, east: center[0] + halfSide, north: center[1] + halfSide, clockwise });
}

// ---------------------------------------------------------------------------------------------
// Grid sets for the oracle tests

export interface RandomSetSpec {
  readonly seed: number;
  readonly count: number;
  readonly box: BBox;
}

const defaultSet = (overrides: Partial<RandomSetSpec>, count: number): RandomSetSpec => ({ seed: 1, count, box: DISTRICT_BOX, ...overrides });

/** A Voronoi tiling of the box: cells share edges and vertices, and the outer cells end on the box. */
export function buildVoronoiGrids(overrides: Partial<RandomSetSpec> = {}): RoutableGrid[] {
  const { seed, count, box } = defaultSet(overrides, 150);
  const random = createRandom(seed);
  const sites = randomPointsIn(box, count, random).map(([x, y]): [number, number] => [x, y]);
  const voronoi = Delaunay.from(sites).voronoi([box[0], box[1], box[2], box[3]]);
  const codes = buildShuffledCodes(count, random);
  return sites.map((_, i) => ({ code: codes[i]!, rings: [[voronoi.cellPolygon(i).map(([x, y]): LngLat => [x, y])]] }));
}

/** A regular lattice of rectangles whose shared corners are bit-identical: exact ties everywhere. */
export function buildLatticeGrids(overrides: Partial<{ columns: number; rows: number; box: BBox; seed: number }> = {}): RoutableGrid[] {
  const { columns, rows, box, seed } = { columns: 12, rows: 9, box: DISTRICT_BOX, seed: 1, ...overrides };
  const xAt = (c: number): number => box[0] + ((box[2] - box[0]) * c) / columns;
  const yAt = (r: number): number => box[1] + ((box[3] - box[1]) * r) / rows;
  const codes = buildShuffledCodes(columns * rows, createRandom(seed));
  const grids: RoutableGrid[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      grids.push(buildRectGrid(codes[r * columns + c]!, { west: xAt(c), south: yAt(r), east: xAt(c + 1), north: yAt(r + 1), clockwise: (r + c) % 2 === 1 }));
    }
  }
  return grids;
}

/**
 * A lattice laid over the router's own bucket grid, each interior line a few ulps off a bucket border
 * (cycling through `ulpOffsets`): where rounding can put a point on a line in a bucket whose rectangle
 * the line misses, the case the bucket index's edge margin exists for. Returns the grids, and the
 * index options under which the router's buckets are exactly those the lattice was laid over.
 */
export function buildBucketAlignedLattice(
  overrides: Partial<{ box: BBox; buckets: number; seed: number; ulpOffsets: readonly number[] }> = {},
): { grids: RoutableGrid[]; options: BucketIndexOptions; columns: number; rows: number } {
  const { box, buckets, seed, ulpOffsets } = { box: DISTRICT_BOX, buckets: 96, seed: 1, ulpOffsets: [-2, -1, 1, 2, 0, -3, 3], ...overrides };
  const probe = buildBucketIndex(packPolygons([[[buildRectRing({ west: box[0], south: box[1], east: box[2], north: box[3] })]]]), { bucketsPerPolygon: buckets });
  const { columns, rows, bucketWidth, bucketHeight } = probe;
  const stepUlps = (x: number, ulps: number): number => {
    let y = x;
    for (let k = 0; k < Math.abs(ulps); k++) y = nextAfter(y, ulps > 0 ? 1 : -1);
    return y;
  };
  const line = (origin: number, end: number, step: number, k: number, n: number): number =>
    k === 0 ? origin : k === n ? end : stepUlps(origin + k * step, ulpOffsets[k % ulpOffsets.length]!);
  const xs = Array.from({ length: columns + 1 }, (_, c) => line(box[0], box[2], bucketWidth, c, columns));
  const ys = Array.from({ length: rows + 1 }, (_, r) => line(box[1], box[3], bucketHeight, r, rows));
  const codes = buildShuffledCodes(columns * rows, createRandom(seed));
  const grids: RoutableGrid[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      grids.push(buildRectGrid(codes[r * columns + c]!, { west: xs[c]!, south: ys[r]!, east: xs[c + 1]!, north: ys[r + 1]! }));
    }
  }
  return { grids, options: { bucketsPerPolygon: buckets / (columns * rows) }, columns, rows };
}

/**
 * Random rectangles that overlap one another, half of them snapped to a 0.005° lattice so that many
 * edges are collinear and many corners coincide exactly, plus some that cover much of the box.
 */
export function buildOverlappingRectGrids(overrides: Partial<RandomSetSpec> = {}): RoutableGrid[] {
  const { seed, count, box } = defaultSet(overrides, 120);
  const random = createRandom(seed);
  const codes = buildShuffledCodes(count, random);
  const snap = (v: number, origin: number): number => origin + Math.round((v - origin) / 0.005) * 0.005;
  return codes.map((code, i) => {
    const large = i % 15 === 0;
    const width = (box[2] - box[0]) * (large ? 0.3 + 0.5 * random() : 0.02 + 0.2 * random());
    const height = (box[3] - box[1]) * (large ? 0.3 + 0.5 * random() : 0.02 + 0.2 * random());
    let west = box[0] + (box[2] - box[0] - width) * random();
    let south = box[1] + (box[3] - box[1] - height) * random();
    let east = west + width;
    let north = south + height;
    if (i % 2 === 0) {
      west = snap(west, box[0]);
      south = snap(south, box[1]);
      east = Math.max(snap(east, box[0]), west + 0.005);
      north = Math.max(snap(north, box[1]), south + 0.005);
    }
    return buildRectGrid(code, { west, south, east, north, clockwise: random() < 0.5 });
  });
}

/**
 * Star-shaped grids, some with a square hole, some with a second part (itself sometimes holed), and
 * some islands: small grids inside another grid's hole. Grids overlap one another at random.
 */
export function buildHoleAndMultipartGrids(overrides: Partial<RandomSetSpec> = {}): RoutableGrid[] {
  const { seed, count, box } = defaultSet(overrides, 60);
  const random = createRandom(seed);
  const codes = buildShuffledCodes(count * 2, random);
  const grids: RoutableGrid[] = [];
  const margin = 0.02;
  const holedPart = (center: LngLat, minRadius: number, withHole: boolean): PolygonRings => {
    const exterior = buildStarRing(random, { center, minRadius, maxRadius: minRadius * 2, vertexCount: 5 + Math.floor(random() * 8), clockwise: random() < 0.5 });
    return withHole ? [exterior, buildCenteredSquareRing(center, minRadius * 0.4, random() < 0.5)] : [exterior];
  };
  for (let i = 0; i < count; i++) {
    const center: LngLat = [box[0] + margin + (box[2] - box[0] - 2 * margin) * random(), box[1] + margin + (box[3] - box[1] - 2 * margin) * random()];
    const minRadius = 0.002 + 0.004 * random();
    const withHole = random() < 0.6;
    const parts: PolygonRings[] = [holedPart(center, minRadius, withHole)];
    if (random() < 0.4) {
      const otherCenter: LngLat = [center[0] + minRadius * 5, center[1] + minRadius * (random() - 0.5)];
      parts.push(holedPart(otherCenter, minRadius * 0.8, random() < 0.5));
    }
    grids.push({ code: codes[2 * i]!, rings: parts });
    if (withHole && random() < 0.5) {
      grids.push({ code: codes[2 * i + 1]!, rings: [[buildCenteredSquareRing(center, minRadius * 0.2)]] });
    }
  }
  return grids;
}

// ---------------------------------------------------------------------------------------------
// Points

export function randomPointsIn(box: BBox, count: number, random: Random): LngLat[] {
  return Array.from({ length: count }, (): LngLat => [box[0] + (box[2] - box[0]) * random(), box[1] + (box[3] - box[1]) * random()]);
}

/** The next double after x towards +∞ (direction 1) or -∞ (direction -1). */
export function nextAfter(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + ((x > 0) === (direction > 0) ? 1n : -1n));
  return view.getFloat64(0);
}

/** Copies of each point moved by each offset (degrees) along each axis and diagonally, both ways. */
export function offsetAround(points: readonly LngLat[], offsets: readonly number[]): LngLat[] {
  const out: LngLat[] = [];
  for (const [x, y] of points) {
    for (const d of offsets) out.push([x + d, y], [x - d, y], [x, y + d], [x, y - d], [x + d, y + d], [x - d, y - d]);
  }
  return out;
}

/** Each point, the point moved by one ulp along each axis both ways, and offsetAround(points, offsets). */
export function nudgedAround(points: readonly LngLat[], offsets: readonly number[] = [1e-12, 1e-10, 1e-9, 2e-9]): LngLat[] {
  const out: LngLat[] = [];
  for (const [x, y] of points) {
    out.push([x, y], [nextAfter(x, 1), y], [nextAfter(x, -1), y], [x, nextAfter(y, 1)], [x, nextAfter(y, -1)]);
  }
  return [...out, ...offsetAround(points, offsets)];
}

/** Every vertex and every edge midpoint of every ring: the points where rounding decides. */
export function vertexAndMidpoints(grids: readonly RoutableGrid[]): LngLat[] {
  const points: LngLat[] = [];
  for (const { rings } of grids) {
    for (const polygon of rings) {
      for (const ring of polygon) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const [ax, ay] = ring[k]!;
          const [bx, by] = ring[k + 1]!;
          points.push([ax, ay], [(ax + bx) / 2, (ay + by) / 2]);
        }
      }
    }
  }
  return points;
}

/** Points on the four sides of the box and its corners, and just outside it. */
export function extentProbePoints(box: BBox, random: Random, perSide = 50): LngLat[] {
  const [x0, y0, x1, y1] = box;
  const points: LngLat[] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  for (let k = 0; k < perSide; k++) {
    const x = x0 + (x1 - x0) * random();
    const y = y0 + (y1 - y0) * random();
    points.push([x, y0], [x, y1], [x0, y], [x1, y]);
  }
  return nudgedAround(points, [1e-9]);
}

/** Planar distance, in degrees, from (x, y) to the nearest edge of any ring. */
export function distanceToEdgesDegrees(rings: MultiPolygonRings, x: number, y: number): number {
  let best = Infinity;
  for (const polygon of rings) {
    for (const ring of polygon) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [ax, ay] = ring[k]!;
        const [bx, by] = ring[k + 1]!;
        const dx = bx - ax;
        const dy = by - ay;
        const lengthSq = dx * dx + dy * dy;
        const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSq));
        best = Math.min(best, Math.hypot(ax + t * dx - x, ay + t * dy - y));
      }
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Oracles

/**
 * The documented rule, by brute force: the lowest code among the grids whose polygon covers the
 * point (inside or on the boundary), or null. Shares only the point-in-polygon test with the router.
 */
export function createBruteForceRouter(grids: readonly RoutableGrid[]): (lng: number, lat: number) => string | null {
  const packed = packPolygons(grids.map((g) => g.rings));
  const codes = grids.map((g) => g.code);
  return (lng, lat) => {
    let best: string | null = null;
    for (let i = 0; i < packed.count; i++) {
      const o = 4 * i;
      if (lng < packed.bbox[o]! || lat < packed.bbox[o + 1]! || lng > packed.bbox[o + 2]! || lat > packed.bbox[o + 3]!) continue;
      if ((best === null || codes[i]! < best) && locatePointInPolygon(packed, i, lng, lat) !== OUTSIDE) best = codes[i]!;
    }
    return best;
  };
}

/** Where one polygon, given as rings, puts (lng, lat). */
export function locateInRings(rings: MultiPolygonRings, lng: number, lat: number): PointLocation {
  return locatePointInPolygon(packPolygons([rings]), 0, lng, lat);
}

/** How many grids cover (lng, lat): two or more means the tie rule decides. */
export function createCoverageCounter(grids: readonly RoutableGrid[]): (lng: number, lat: number) => number {
  const packed = packPolygons(grids.map((g) => g.rings));
  return (lng, lat) => {
    let n = 0;
    for (let i = 0; i < packed.count; i++) if (locatePointInPolygon(packed, i, lng, lat) !== OUTSIDE) n++;
    return n;
  };
}

/** The union of the grids' bounding boxes: the router's index extent. */
export function extentOf(grids: readonly RoutableGrid[]): BBox {
  const { bbox, count } = packPolygons(grids.map((g) => g.rings));
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, bbox[4 * i]!);
    minY = Math.min(minY, bbox[4 * i + 1]!);
    maxX = Math.max(maxX, bbox[4 * i + 2]!);
    maxY = Math.max(maxY, bbox[4 * i + 3]!);
  }
  return [minX, minY, maxX, maxY];
}

export function routedCode(router: GridRouter, lng: number, lat: number): string | null {
  const i = router.locate(lng, lat);
  return i >= 0 ? router.codeAt(i) : null;
}

/** One line per point where the router and the expected answers disagree (empty when they agree). */
export function findMismatches(router: GridRouter, points: readonly LngLat[], expected: readonly (string | null)[]): string[] {
  const mismatches: string[] = [];
  points.forEach(([x, y], k) => {
    const actual = routedCode(router, x, y);
    if (actual !== expected[k]) mismatches.push(`(${x}, ${y}): router ${actual}, expected ${expected[k]}`);
  });
  return mismatches;
}
