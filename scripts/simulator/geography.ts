/**
 * The district as the simulator sees it: the grids (the server's own routing rule, in process, so
 * "inside" means "the server will route it to a grid"), their streets and communities, and ways to
 * draw points: uniform over the area, weighted by grid (grids are small where people are many), near
 * a place, or just outside the district. Built from the server's GeoJSON; pure.
 */
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { LngLat, MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { areaSquareMeters, bboxOf } from '../../core/geo/multipolygon-measures.ts';
import { createGridRouter, type GridRouter } from '../../core/grid/grid-router.ts';
import { weightedTable, type Rng } from './random.ts';

export interface GeographyInput {
  readonly district: FeatureCollection<MultiPolygon, { readonly code: string; readonly name: string }>;
  readonly streets: FeatureCollection<MultiPolygon, { readonly code: string; readonly name: string }>;
  readonly communities: FeatureCollection<MultiPolygon, { readonly code: string; readonly name: string; readonly streetCode: string }>;
  readonly grids: FeatureCollection<MultiPolygon, { readonly code: string; readonly name: string; readonly communityCode: string; readonly streetCode: string }>;
}

export interface SimGrid {
  readonly code: string;
  readonly communityCode: string;
  readonly streetCode: string;
  readonly bbox: readonly [number, number, number, number];
}

export interface SimStreet {
  readonly code: string;
  readonly name: string;
  /** Indexes (router order) of its grids. */
  readonly grids: readonly number[];
}

export interface SimCommunity {
  readonly code: string;
  readonly name: string;
  readonly streetCode: string;
  readonly grids: readonly number[];
}

export interface SimGeography {
  readonly districtName: string;
  readonly bbox: readonly [number, number, number, number];
  readonly grids: readonly SimGrid[];
  readonly streets: readonly SimStreet[];
  readonly communities: readonly SimCommunity[];
  /** Index of the grid the server would route the point to, or -1. */
  gridAt(point: LngLat): number;
  isInside(point: LngLat): boolean;
  /** Metres from the point to the nearest grid edge when outside (0 inside). */
  distanceOutside(point: LngLat): number;
  communityOf(gridIndex: number): SimCommunity | undefined;
  streetOf(gridIndex: number): SimStreet | undefined;
  /** Uniform over the district's area. */
  uniformPoint(rng: Rng): LngLat;
  /** A random grid (weighted by 1/area: grids are drawn small where people are many), then uniform inside it. */
  gridWeightedPoint(rng: Rng): LngLat;
  /** Uniform inside one grid. */
  pointInGrid(rng: Rng, gridIndex: number): LngLat;
  /** Gaussian around a centre (sigma in metres), kept inside the district; the centre if all tries fail. */
  pointNear(rng: Rng, center: LngLat, sigmaMeters: number): LngLat;
  /** A point outside every grid, between minMeters and maxMeters from the nearest one. */
  outsidePoint(rng: Rng, minMeters: number, maxMeters: number): LngLat;
}

const METERS_PER_DEGREE_LAT = 110_574;
const METERS_PER_DEGREE_LNG_EQUATOR = 111_320;

/** Moves a point by metres east and north (local flat-earth approximation, fine at these distances). */
export function offsetMeters(point: LngLat, east: number, north: number): LngLat {
  const k = Math.cos((point[1] * Math.PI) / 180);
  return [point[0] + east / (METERS_PER_DEGREE_LNG_EQUATOR * k), point[1] + north / METERS_PER_DEGREE_LAT];
}

/** Distance in metres between two nearby points (the server's own approximation). */
export function metersBetween(a: LngLat, b: LngLat): number {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * METERS_PER_DEGREE_LNG_EQUATOR * k, (a[1] - b[1]) * METERS_PER_DEGREE_LAT);
}

function ringsOf(geometry: MultiPolygon): MultiPolygonRings {
  return geometry.coordinates as unknown as MultiPolygonRings;
}

export function createSimGeography(input: GeographyInput): SimGeography {
  if (input.grids.features.length === 0) throw new Error('the server has no grids: import a geography first');
  const router: GridRouter = createGridRouter(input.grids.features.map((f) => ({ code: f.properties.code, rings: ringsOf(f.geometry) })));
  const byCode = new Map(input.grids.features.map((f) => [f.properties.code, f]));
  const grids: SimGrid[] = [];
  for (let i = 0; i < router.gridCount; i++) {
    const feature = byCode.get(router.codeAt(i))!;
    const bbox = bboxOf(ringsOf(feature.geometry));
    grids.push({ code: feature.properties.code, communityCode: feature.properties.communityCode, streetCode: feature.properties.streetCode, bbox: [bbox[0], bbox[1], bbox[2], bbox[3]] });
  }
  const gridTable = weightedTable(
    grids.map((_, i) => i),
    grids.map((g) => 1 / Math.max(1, areaSquareMeters(ringsOf(byCode.get(g.code)!.geometry)))),
  );
  const gridsOfStreet = new Map<string, number[]>();
  const gridsOfCommunity = new Map<string, number[]>();
  grids.forEach((g, i) => {
    (gridsOfStreet.get(g.streetCode) ?? gridsOfStreet.set(g.streetCode, []).get(g.streetCode)!).push(i);
    (gridsOfCommunity.get(g.communityCode) ?? gridsOfCommunity.set(g.communityCode, []).get(g.communityCode)!).push(i);
  });
  const streets: SimStreet[] = input.streets.features
    .map((f) => ({ code: f.properties.code, name: f.properties.name, grids: gridsOfStreet.get(f.properties.code) ?? [] }))
    .filter((s) => s.grids.length > 0)
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const communities: SimCommunity[] = input.communities.features
    .map((f) => ({ code: f.properties.code, name: f.properties.name, streetCode: f.properties.streetCode, grids: gridsOfCommunity.get(f.properties.code) ?? [] }))
    .filter((c) => c.grids.length > 0)
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const streetByCode = new Map(streets.map((s) => [s.code, s]));
  const communityByCode = new Map(communities.map((c) => [c.code, c]));

  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of grids) {
    bbox[0] = Math.min(bbox[0], g.bbox[0]);
    bbox[1] = Math.min(bbox[1], g.bbox[1]);
    bbox[2] = Math.max(bbox[2], g.bbox[2]);
    bbox[3] = Math.max(bbox[3], g.bbox[3]);
  }

  const gridAt = (p: LngLat): number => router.locate(p[0], p[1]);
  const pointInGrid = (rng: Rng, index: number): LngLat => {
    const b = grids[index]!.bbox;
    for (let tries = 0; tries < 200; tries++) {
      const p: LngLat = [rng.between(b[0], b[2]), rng.between(b[1], b[3])];
      if (gridAt(p) === index) return p;
    }
    // A sliver of a grid: any point of it will do; fall back to the box centre's grid.
    const c: LngLat = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
    return c;
  };

  const geography: SimGeography = {
    districtName: input.district.features[0]?.properties.name ?? '',
    bbox,
    grids,
    streets,
    communities,
    gridAt,
    isInside: (p) => gridAt(p) >= 0,
    distanceOutside(p) {
      const r = router.route(p[0], p[1]);
      return r.routed ? 0 : (r.nearest?.distanceMeters ?? Infinity);
    },
    communityOf: (i) => communityByCode.get(grids[i]?.communityCode ?? ''),
    streetOf: (i) => streetByCode.get(grids[i]?.streetCode ?? ''),
    uniformPoint(rng) {
      for (let tries = 0; tries < 10_000; tries++) {
        const p: LngLat = [rng.between(bbox[0], bbox[2]), rng.between(bbox[1], bbox[3])];
        if (gridAt(p) >= 0) return p;
      }
      return geography.gridWeightedPoint(rng);
    },
    gridWeightedPoint: (rng) => pointInGrid(rng, gridTable.draw(rng)),
    pointInGrid,
    pointNear(rng, center, sigma) {
      for (let tries = 0; tries < 20; tries++) {
        const p = offsetMeters(center, rng.normal() * sigma, rng.normal() * sigma);
        if (gridAt(p) >= 0) return p;
      }
      return center;
    },
    outsidePoint(rng, minMeters, maxMeters) {
      const margin = maxMeters / METERS_PER_DEGREE_LAT + 0.001;
      for (let tries = 0; tries < 10_000; tries++) {
        // Start from a random grid on the bounding box's rim, step outwards.
        const p: LngLat = [rng.between(bbox[0] - margin, bbox[2] + margin), rng.between(bbox[1] - margin, bbox[3] + margin)];
        if (gridAt(p) >= 0) continue;
        const d = geography.distanceOutside(p);
        if (d >= minMeters && d <= maxMeters) return p;
      }
      // Far outside the box: always outside.
      return [bbox[2] + margin * 2, bbox[3] + margin * 2];
    },
  };
  return geography;
}
