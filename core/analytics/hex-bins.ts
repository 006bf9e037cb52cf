import { createLocalProjection } from '../geo/local-projection.ts';
import type { LngLat } from '../geo/lng-lat.ts';
import type { HexBin } from '../protocol/analytics-api.ts';

/**
 * Hexagonal binning of case points for the analyst's density map. Points are projected to metres
 * on the district's local equirectangular projection (under 0.1 % distortion across a district),
 * binned into flat-topped hexagons anchored at the projection's origin, and the bins come back in
 * WGS-84. Anchoring at a fixed origin (the district's centre), not at the request's bbox, keeps every
 * hexagon where it was while the map pans, so a bin's count never jumps because the view moved.
 *
 * A flat-topped hexagon of circumradius R has corners at 0°, 60°, … 300° from its centre; it is 2R
 * wide and √3·R between its top and bottom edges. `cellMeters` is that edge-to-edge distance, which is
 * also the distance between the centres of neighbouring hexagons. Axial coordinates (q, r) as in
 * https://www.redblobgames.com/grids/hexagons/ (flat orientation).
 */

const SQRT3 = Math.sqrt(3);

/** Case points as columns (what the store hands over): index i is one case. */
export interface CasePointColumns {
  readonly lng: ArrayLike<number>;
  readonly lat: ArrayLike<number>;
  /** 1 when the case is open now, else 0. */
  readonly open: ArrayLike<number>;
  /** 1 when the case is open and past its resolve deadline now, else 0. */
  readonly overdueNow: ArrayLike<number>;
}

export interface HexBinOptions {
  /** The projection's origin and the hexagons' anchor: the district's centre. */
  readonly origin: LngLat;
  /** Edge-to-edge size of a hexagon, metres. */
  readonly cellMeters: number;
  /** At most this many bins come back: the cell is doubled until they fit (at least 3). */
  readonly maxBins: number;
}

export interface HexBinning {
  /** The cell the bins were made with: `cellMeters` of the options, doubled as often as needed. */
  readonly cellMeters: number;
  /** The largest count among the bins (0 without any). */
  readonly maxCount: number;
  /** Non-empty bins, ordered by their axial coordinates (q, then r). */
  readonly bins: HexBin[];
}

/** The circumradius of a flat-topped hexagon `cellMeters` between opposite edges. */
export function hexRadius(cellMeters: number): number {
  return cellMeters / SQRT3;
}

/** Axial coordinates of the hexagon of circumradius `radius` (anchored at 0, 0) that holds the point (x, y) metres. */
export function hexAt(x: number, y: number, radius: number): [q: number, r: number] {
  const fq = ((2 / 3) * x) / radius;
  const fr = ((-1 / 3) * x + (SQRT3 / 3) * y) / radius;
  const fs = -fq - fr;
  // Cube rounding: round each coordinate, then fix the one that moved most so that q + r + s = 0.
  let q = Math.round(fq);
  let r = Math.round(fr);
  const s = Math.round(fs);
  const dq = Math.abs(q - fq);
  const dr = Math.abs(r - fr);
  const ds = Math.abs(s - fs);
  if (dq > dr && dq > ds) q = -r - s;
  else if (dr > ds) r = -q - s;
  // `+ 0` turns -0 into 0, so that equal cells compare and print equal.
  return [q + 0, r + 0];
}

/** The centre of hexagon (q, r), metres from the anchor. */
export function hexCentre(q: number, r: number, radius: number): [x: number, y: number] {
  return [radius * 1.5 * q, radius * SQRT3 * (r + q / 2)];
}

/** The six corners of the flat-topped hexagon centred at (x, y), counter-clockwise from the east corner. */
export function hexCorners(x: number, y: number, radius: number): [x: number, y: number][] {
  const corners: [number, number][] = [];
  for (let i = 0; i < 6; i++) {
    const angle = (Math.PI / 3) * i;
    corners.push([x + radius * Math.cos(angle), y + radius * Math.sin(angle)]);
  }
  return corners;
}

/** About 1 cm: enough for a map, and keeps the answer short. */
const round7 = (v: number): number => Math.round(v * 1e7) / 1e7 + 0;

/** Up to this many cells, bins are looked up in a flat array over the points' extent rather than a Map. */
const DENSE_CELLS = 1 << 23;

/** The points' bins for one cell size, numbered in order of first appearance. */
interface Assignment {
  readonly binOf: Uint32Array;
  /** Each bin's cell: its offset (q − qMin) · rSpan + (r − rMin) in the points' extent. */
  readonly cellOf: readonly number[];
  readonly qMin: number;
  readonly rMin: number;
  readonly rSpan: number;
  /** The bin of a cell. */
  binAt(cell: number): number;
}

/**
 * Assigns every point to its hexagon. The hot loop of a map request (100,000 cases, possibly a few
 * cell sizes): hexAt inlined, no allocation per point, and cells indexed by their offset in the
 * points' (q, r) extent, in a flat array when that extent is small enough, else in a Map.
 */
function assign(xs: Float64Array, ys: Float64Array, radius: number): Assignment {
  const n = xs.length;
  const qs = new Int32Array(n);
  const rs = new Int32Array(n);
  let qMin = 0;
  let qMax = 0;
  let rMin = 0;
  let rMax = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const fq = ((2 / 3) * x) / radius;
    const fr = ((-1 / 3) * x + (SQRT3 / 3) * ys[i]!) / radius;
    const fs = -fq - fr;
    let q = Math.round(fq);
    let r = Math.round(fr);
    const s = Math.round(fs);
    const dq = Math.abs(q - fq);
    const dr = Math.abs(r - fr);
    const ds = Math.abs(s - fs);
    if (dq > dr && dq > ds) q = -r - s;
    else if (dr > ds) r = -q - s;
    qs[i] = q;
    rs[i] = r;
    if (i === 0 || q < qMin) qMin = q;
    if (i === 0 || q > qMax) qMax = q;
    if (i === 0 || r < rMin) rMin = r;
    if (i === 0 || r > rMax) rMax = r;
  }
  const rSpan = rMax - rMin + 1;
  const cells = (qMax - qMin + 1) * rSpan;
  const binOf = new Uint32Array(n);
  const cellOf: number[] = [];
  if (cells <= DENSE_CELLS) {
    const dense = new Int32Array(cells).fill(-1);
    for (let i = 0; i < n; i++) {
      const cell = (qs[i]! - qMin) * rSpan + (rs[i]! - rMin);
      let bin = dense[cell]!;
      if (bin < 0) {
        bin = cellOf.length;
        dense[cell] = bin;
        cellOf.push(cell);
      }
      binOf[i] = bin;
    }
    return { binOf, cellOf, qMin, rMin, rSpan, binAt: (cell) => dense[cell]! };
  }
  const sparse = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const cell = (qs[i]! - qMin) * rSpan + (rs[i]! - rMin);
    let bin = sparse.get(cell);
    if (bin === undefined) {
      bin = cellOf.length;
      sparse.set(cell, bin);
      cellOf.push(cell);
    }
    binOf[i] = bin;
  }
  return { binOf, cellOf, qMin, rMin, rSpan, binAt: (cell) => sparse.get(cell)! };
}

/** The assignment with its bins renumbered in (q, r) order (the order of their cells), and each bin's q and r. */
function ordered(a: Assignment): { binOf: Uint32Array; q: Int32Array; r: Int32Array } {
  const cells = Float64Array.from(a.cellOf).sort();
  const rank = new Uint32Array(cells.length);
  const q = new Int32Array(cells.length);
  const r = new Int32Array(cells.length);
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k]!;
    rank[a.binAt(cell)] = k;
    q[k] = Math.floor(cell / a.rSpan) + a.qMin;
    r[k] = (cell % a.rSpan) + a.rMin;
  }
  const binOf = new Uint32Array(a.binOf.length);
  for (let i = 0; i < binOf.length; i++) binOf[i] = rank[a.binOf[i]!]!;
  return { binOf, q, r };
}

/**
 * Bins the points into hexagons of `cellMeters` (doubled until at most `maxBins` are non-empty) and
 * counts per bin: all cases, the open ones, the overdue ones.
 */
export function binCasePoints(points: CasePointColumns, options: HexBinOptions): HexBinning {
  const n = points.lng.length;
  if (points.lat.length !== n || points.open.length !== n || points.overdueNow.length !== n) throw new RangeError('the point columns differ in length');
  if (!(Number.isFinite(options.cellMeters) && options.cellMeters > 0)) throw new RangeError(`cellMeters must be a positive number, got ${options.cellMeters}`);
  // Three hexagons meet at a corner, so a tight cluster may always straddle three: fewer could never fit.
  if (!(Number.isInteger(options.maxBins) && options.maxBins >= 3)) throw new RangeError(`maxBins must be a whole number ≥ 3, got ${options.maxBins}`);

  const projection = createLocalProjection(options.origin);
  const [lng0, lat0] = options.origin;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // projection.toMeters, without an array per point.
    xs[i] = (points.lng[i]! - lng0) * projection.metersPerDegreeLng;
    ys[i] = (points.lat[i]! - lat0) * projection.metersPerDegreeLat;
  }

  let cellMeters = options.cellMeters;
  let assigned = assign(xs, ys, hexRadius(cellMeters));
  while (assigned.cellOf.length > options.maxBins) {
    cellMeters *= 2;
    assigned = assign(xs, ys, hexRadius(cellMeters));
  }

  const { binOf, q, r } = ordered(assigned);
  const bins = q.length;
  const count = new Uint32Array(bins);
  const open = new Uint32Array(bins);
  const overdue = new Uint32Array(bins);
  for (let i = 0; i < n; i++) {
    const bin = binOf[i]!;
    count[bin]!++;
    if (points.open[i]) open[bin]!++;
    if (points.overdueNow[i]) overdue[bin]!++;
  }

  const radius = hexRadius(cellMeters);
  const toLngLat = (x: number, y: number): [number, number] => {
    const [lng, lat] = projection.toLngLat(x, y);
    return [round7(lng), round7(lat)];
  };
  let maxCount = 0;
  const out: HexBin[] = [];
  for (let bin = 0; bin < bins; bin++) {
    const [cx, cy] = hexCentre(q[bin]!, r[bin]!, radius);
    const [lng, lat] = toLngLat(cx, cy);
    const ring = hexCorners(cx, cy, radius).map(([x, y]) => toLngLat(x, y));
    ring.push(ring[0]!);
    maxCount = Math.max(maxCount, count[bin]!);
    out.push({ lng, lat, ring, count: count[bin]!, open: open[bin]!, overdueNow: overdue[bin]! });
  }
  return { cellMeters, maxCount, bins: out };
}
