import { describe, expect, it } from 'vitest';
import { binCasePoints, hexAt, hexCentre, hexCorners, hexRadius, type CasePointColumns } from '../../../core/analytics/hex-bins.ts';
import type { LngLat } from '../../../core/geo/lng-lat.ts';

// Figures worked out by hand. Origin 116.3° E, 40° N. The WGS-84 radii of curvature there give
// 85,393.857 m per degree of longitude (N·cos φ·π/180, N = a/√(1 − e²sin²φ) = 6,386,976 m) and
// 111,034.633 m per degree of latitude. A cell of 100·√3 m is a hexagon of circumradius R = 100 m:
// corners at (±100, 0) and (±50, ±86.603); centres of (q, r) at (150·q, 173.205·(r + q/2)).
const ORIGIN: LngLat = [116.3, 40];
const M_PER_DEG_LNG = 85_393.857;
const M_PER_DEG_LAT = 111_034.633;
const CELL = 100 * Math.sqrt(3);
const H = 50 * Math.sqrt(3); // 86.603: half the edge-to-edge size

/** A point x, y metres east and north of the origin. */
const at = (x: number, y: number): LngLat => [ORIGIN[0] + x / M_PER_DEG_LNG, ORIGIN[1] + y / M_PER_DEG_LAT];

function columns(points: readonly { x: number; y: number; open?: boolean; overdue?: boolean }[]): CasePointColumns {
  const lngLat = points.map((p) => at(p.x, p.y));
  return {
    lng: lngLat.map((p) => p[0]),
    lat: lngLat.map((p) => p[1]),
    open: points.map((p) => (p.open ? 1 : 0)),
    overdueNow: points.map((p) => (p.overdue ? 1 : 0)),
  };
}

describe('hexagon geometry (flat-topped, axial coordinates)', () => {
  it('has a circumradius of cell / √3', () => {
    expect(hexRadius(CELL)).toBeCloseTo(100, 9);
    expect(hexRadius(500)).toBeCloseTo(288.675, 3);
  });

  it('puts each point in the hexagon whose inside it is', () => {
    const cases: [number, number, [number, number]][] = [
      [0, 0, [0, 0]],
      [99, 0, [0, 0]], // just inside the east corner (100, 0)
      [0, 86, [0, 0]], // just below the flat top edge (y = 86.603)
      [0, 87, [0, 1]], // just above it: the hexagon north, centred at (0, 173.205)
      [101, 1, [1, 0]], // past the east corner, north of the x axis: the north-east neighbour (150, 86.603)
      [101, -1, [1, -1]], // … south of it: the south-east neighbour (150, −86.603)
      [-150, -86.6, [-1, 0]], // the south-west neighbour's centre
      [0, 300, [0, 2]], // centre 346.410, 46 m away
      [0, 600, [0, 3]], // centre 519.615, 80 m away (< 86.603)
      [0, 900, [0, 5]], // centre 866.025
    ];
    for (const [x, y, cell] of cases) expect(hexAt(x, y, 100), `(${x}, ${y})`).toEqual(cell);
  });

  it('places centres 1.5·R apart in columns and √3·R apart within one', () => {
    expect(hexCentre(0, 0, 100)).toEqual([0, 0]);
    const [x1, y1] = hexCentre(1, 0, 100);
    expect(x1).toBeCloseTo(150, 9);
    expect(y1).toBeCloseTo(H, 9);
    const [x2, y2] = hexCentre(0, 1, 100);
    expect(x2).toBeCloseTo(0, 9);
    expect(y2).toBeCloseTo(2 * H, 9);
    const [x3, y3] = hexCentre(2, -1, 100);
    expect(x3).toBeCloseTo(300, 9);
    expect(y3).toBeCloseTo(0, 9);
  });

  it('has six corners counter-clockwise from the east one', () => {
    const expected = [[100, 0], [50, H], [-50, H], [-100, 0], [-50, -H], [50, -H]];
    hexCorners(0, 0, 100).forEach(([x, y], i) => {
      expect(x).toBeCloseTo(expected[i]![0]!, 9);
      expect(y).toBeCloseTo(expected[i]![1]!, 9);
    });
  });
});

describe('binCasePoints', () => {
  it('counts cases, open and overdue per hexagon, with centres and closed rings in WGS-84', () => {
    const result = binCasePoints(
      columns([
        { x: 0, y: 0, open: true },
        { x: 10, y: -20, open: true, overdue: true },
        { x: 0, y: 87 },
        { x: 150, y: 80, open: true },
        { x: 101, y: 1 },
      ]),
      { origin: ORIGIN, cellMeters: CELL, maxBins: 10 },
    );
    expect(result.cellMeters).toBe(CELL);
    expect(result.maxCount).toBe(2);
    // Ordered by q, then r: (0, 0), (0, 1), (1, 0).
    expect(result.bins.map((b) => [b.count, b.open, b.overdueNow])).toEqual([
      [2, 2, 1],
      [1, 0, 0],
      [2, 1, 0],
    ]);
    const [home, north, northEast] = result.bins;
    expect([home!.lng, home!.lat]).toEqual([116.3, 40]);
    // (0, 173.205 m): 173.205 / 111,034.633 = 0.0015599°.
    expect(north!.lng).toBe(116.3);
    expect(north!.lat).toBeCloseTo(40.0015599, 7);
    // (150 m, 86.603 m): 150 / 85,393.857 = 0.0017566°, 86.603 / 111,034.633 = 0.00078°.
    expect(northEast!.lng).toBeCloseTo(116.3017566, 7);
    expect(northEast!.lat).toBeCloseTo(40.00078, 7);
    // The home hexagon's ring: east corner (100 m → 0.001171°), then counter-clockwise, closed.
    expect(home!.ring).toHaveLength(7);
    expect(home!.ring[0]).toEqual(home!.ring[6]);
    const expectedRing = [[116.301171, 40], [116.3005855, 40.00078], [116.2994145, 40.00078], [116.298829, 40], [116.2994145, 39.99922], [116.3005855, 39.99922]];
    expectedRing.forEach(([lng, lat], i) => {
      expect(home!.ring[i]![0]).toBeCloseTo(lng!, 7);
      expect(home!.ring[i]![1]).toBeCloseTo(lat!, 7);
    });
    // Neighbours share corners exactly: the north hexagon's south-east corner is home's north-east one.
    expect(north!.ring[5]).toEqual(home!.ring[1]);
  });

  it('doubles the cell until the bins fit', () => {
    // Four points up a column: four hexagons at R = 100 and R = 200, two at R = 400 (|y| < 346 → r = 0, centre 692.8 → r = 1).
    const points = columns([0, 300, 600, 900].map((y) => ({ x: 0, y, open: true })));
    expect(binCasePoints(points, { origin: ORIGIN, cellMeters: CELL, maxBins: 4 }).bins).toHaveLength(4);
    const squeezed = binCasePoints(points, { origin: ORIGIN, cellMeters: CELL, maxBins: 3 });
    expect(squeezed.cellMeters).toBeCloseTo(4 * CELL, 9);
    expect(squeezed.bins.map((b) => b.count)).toEqual([2, 2]);
    expect(squeezed.bins[1]!.lat).toBeCloseTo(ORIGIN[1] + (8 * H) / M_PER_DEG_LAT, 7);
    expect(squeezed.maxCount).toBe(2);
  });

  it('answers no bins for no points, and every count sums to the points', () => {
    expect(binCasePoints(columns([]), { origin: ORIGIN, cellMeters: 500, maxBins: 20_000 })).toEqual({ cellMeters: 500, maxCount: 0, bins: [] });
    const many = columns(Array.from({ length: 500 }, (_, i) => ({ x: ((i * 37) % 1000) - 500, y: ((i * 53) % 1000) - 500, open: i % 2 === 0, overdue: i % 4 === 0 })));
    const result = binCasePoints(many, { origin: ORIGIN, cellMeters: 120, maxBins: 20_000 });
    expect(result.bins.reduce((s, b) => s + b.count, 0)).toBe(500);
    expect(result.bins.reduce((s, b) => s + b.open, 0)).toBe(250);
    expect(result.bins.reduce((s, b) => s + b.overdueNow, 0)).toBe(125);
    expect(result.maxCount).toBe(Math.max(...result.bins.map((b) => b.count)));
  });

  it('agrees with hexAt on every point, on a dense extent and on a sparse one', () => {
    // A deterministic scatter over 2 km × 2 km (off whole metres, which can fall exactly on an edge of
    // these 150 m cells), and the same with two points 2,000 km away (a sparse extent).
    const scatter = Array.from({ length: 400 }, (_, i) => ({ x: ((i * 7919) % 2000) - 999.63, y: ((i * 104_729) % 2000) - 999.39, open: i % 3 === 0, overdue: i % 6 === 0 }));
    const far: { x: number; y: number; open?: boolean; overdue?: boolean }[] = [{ x: 2_000_000, y: 2_000_000 }, { x: -2_000_000, y: 1_500_000, open: true }];
    for (const points of [scatter, [...scatter, ...far]]) {
      const expected = new Map<string, [number, number, number]>();
      for (const p of points) {
        const [q, r] = hexAt(p.x, p.y, hexRadius(150));
        const key = `${q},${r}`;
        const [count, open, overdue] = expected.get(key) ?? [0, 0, 0];
        expected.set(key, [count + 1, open + (p.open ? 1 : 0), overdue + (p.overdue ? 1 : 0)]);
      }
      const result = binCasePoints(columns(points), { origin: ORIGIN, cellMeters: 150, maxBins: 20_000 });
      expect(result.bins).toHaveLength(expected.size);
      for (const bin of result.bins) {
        const [q, r] = hexAt((bin.lng - ORIGIN[0]) * M_PER_DEG_LNG, (bin.lat - ORIGIN[1]) * M_PER_DEG_LAT, hexRadius(150));
        expect([bin.count, bin.open, bin.overdueNow], `bin ${q},${r}`).toEqual(expected.get(`${q},${r}`));
      }
    }
  });

  it('refuses bad options and columns of different lengths', () => {
    const one = columns([{ x: 0, y: 0 }]);
    expect(() => binCasePoints(one, { origin: ORIGIN, cellMeters: 0, maxBins: 10 })).toThrow(RangeError);
    expect(() => binCasePoints(one, { origin: ORIGIN, cellMeters: Number.NaN, maxBins: 10 })).toThrow(RangeError);
    expect(() => binCasePoints(one, { origin: ORIGIN, cellMeters: 100, maxBins: 2 })).toThrow(RangeError);
    expect(() => binCasePoints({ ...one, open: [] }, { origin: ORIGIN, cellMeters: 100, maxBins: 10 })).toThrow(RangeError);
  });
});
