import { describe, expect, it } from 'vitest';
import type { MultiPolygonRings, Ring } from '../../../core/geo/lng-lat.ts';
import { findRingProblem } from '../../../core/geography/find-ring-problem.ts';

const ring = (...points: [number, number][]): Ring => points;
const polygon = (...rings: Ring[]): MultiPolygonRings => [rings];

/** lng 116.30..116.32, lat 39.90..39.92, counter-clockwise. */
const SQUARE = ring([116.3, 39.9], [116.32, 39.9], [116.32, 39.92], [116.3, 39.92], [116.3, 39.9]);

describe('findRingProblem', () => {
  it('accepts a plain rectangle', () => {
    expect(findRingProblem(polygon(SQUARE))).toBeUndefined();
  });

  it('accepts a polygon with a hole inside it', () => {
    const hole = ring([116.305, 39.905], [116.305, 39.915], [116.315, 39.915], [116.315, 39.905], [116.305, 39.905]);
    expect(findRingProblem(polygon(SQUARE, hole))).toBeUndefined();
  });

  it('accepts a clockwise exterior ring', () => {
    expect(findRingProblem(polygon(ring(...([...SQUARE].reverse() as [number, number][]))))).toBeUndefined();
  });

  it('reports an unclosed ring, at its first position', () => {
    const open = ring([116.3, 39.9], [116.32, 39.9], [116.32, 39.92], [116.3, 39.92]);
    expect(findRingProblem(polygon(open))).toEqual({ reason: 'ring 0 is not closed', at: [116.3, 39.9] });
  });

  it('reports a ring of 3 positions as too short for a closed ring', () => {
    const short = ring([116.3, 39.9], [116.32, 39.9], [116.3, 39.9]);
    expect(findRingProblem(polygon(short))?.reason).toBe('ring 0 has 3 positions; a closed ring needs at least 4');
  });

  it('reports a non-finite coordinate as not WGS-84', () => {
    const broken = ring([116.3, 39.9], [Number.NaN, 39.9], [116.32, 39.92], [116.3, 39.92], [116.3, 39.9]);
    expect(findRingProblem(polygon(broken))?.reason).toMatch(/is not a WGS-84 longitude\/latitude/);
  });

  it('reports an infinite coordinate as not WGS-84', () => {
    const broken = ring([116.3, 39.9], [Number.POSITIVE_INFINITY, 39.9], [116.32, 39.92], [116.3, 39.92], [116.3, 39.9]);
    expect(findRingProblem(polygon(broken))?.reason).toMatch(/is not a WGS-84 longitude\/latitude/);
  });

  it('reports projected coordinates such as [500000, 4420000] and suggests a wrong CRS', () => {
    const projected = ring([500000, 4420000], [500100, 4420000], [500100, 4420100], [500000, 4420100], [500000, 4420000]);
    const reason = findRingProblem(polygon(projected))?.reason;
    expect(reason).toContain('[500000,4420000]');
    expect(reason).toContain('wrong CRS?');
  });

  it('reports a ring whose positions are all on one line as having zero area', () => {
    const flat = ring([116.3, 39.9], [116.31, 39.9], [116.32, 39.9], [116.3, 39.9]);
    expect(findRingProblem(polygon(flat))).toEqual({ reason: 'ring 0 has zero area', at: [116.3, 39.9] });
  });

  it('reports a self-intersecting bow-tie at the point where its edges cross', () => {
    // Edges (116.30,39.90)->(116.32,39.92) and (116.32,39.90)->(116.30,39.93) cross at (116.312, 39.912).
    const bowTie = ring([116.3, 39.9], [116.32, 39.92], [116.32, 39.9], [116.3, 39.93], [116.3, 39.9]);
    const problem = findRingProblem(polygon(bowTie));
    expect(problem?.reason).toBe('ring 0 intersects itself');
    expect(problem?.at?.[0]).toBeCloseTo(116.312, 9);
    expect(problem?.at?.[1]).toBeCloseTo(39.912, 9);
  });

  it('refuses a symmetric bow-tie, whose two lobes cancel to zero signed area', () => {
    const bowTie = ring([116.3, 39.9], [116.32, 39.92], [116.32, 39.9], [116.3, 39.92], [116.3, 39.9]);
    expect(findRingProblem(polygon(bowTie))).toBeDefined();
  });

  it('accepts a hole that touches the exterior ring at a single point, as OGC allows', () => {
    const touching = ring([116.3, 39.91], [116.31, 39.905], [116.31, 39.915], [116.3, 39.91]);
    expect(findRingProblem(polygon(SQUARE, touching))).toBeUndefined();
  });

  it('reports a hole that runs along the exterior ring for a stretch', () => {
    const alongEdge = ring([116.3, 39.905], [116.31, 39.905], [116.31, 39.915], [116.3, 39.915], [116.3, 39.905]);
    expect(findRingProblem(polygon(SQUARE, alongEdge))?.reason).toBe('ring 0 crosses ring 1');
  });

  it('reports a hole that crosses the exterior ring', () => {
    const crossing = ring([116.31, 39.91], [116.33, 39.91], [116.33, 39.915], [116.31, 39.915], [116.31, 39.91]);
    expect(findRingProblem(polygon(SQUARE, crossing))?.reason).toBe('ring 0 crosses ring 1');
  });

  it('reports a spike that doubles back along its own edge, at the spike tip', () => {
    // Out east along lat 39.91 to 116.33, then back west to 116.325 on the same line.
    const spiky = ring([116.3, 39.9], [116.32, 39.9], [116.32, 39.91], [116.33, 39.91], [116.325, 39.91], [116.32, 39.92], [116.3, 39.92], [116.3, 39.9]);
    expect(findRingProblem(polygon(spiky))).toEqual({ reason: 'ring 0 doubles back on itself', at: [116.33, 39.91] });
  });

  it('prefixes the part number of a multipolygon', () => {
    const short = ring([116.4, 39.9], [116.41, 39.9], [116.4, 39.9]);
    expect(findRingProblem([[SQUARE], [short]])?.reason).toBe('part 1: ring 0 has 3 positions; a closed ring needs at least 4');
  });

  it('reports a geometry with no polygons', () => {
    expect(findRingProblem([])).toEqual({ reason: 'geometry has no polygons' });
  });

  // The edges on either side of a repeated position are neighbours, not an intersection: PostGIS
  // says ST_IsValid('POLYGON((0 0,1 0,1 0,1 1,0 1,0 0))') = true.
  it('accepts a repeated consecutive position, which PostGIS calls valid', () => {
    const repeated = ring([116.3, 39.9], [116.32, 39.9], [116.32, 39.9], [116.32, 39.92], [116.3, 39.92], [116.3, 39.9]);
    expect(findRingProblem(polygon(repeated))).toBeUndefined();
  });
});
