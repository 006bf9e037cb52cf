import type Flatbush from 'flatbush';
import { isValidLngLat, type MultiPolygonRings } from '../geo/lng-lat.ts';
import { buildBucketIndex, locateInBucketIndex, type BucketIndex, type BucketIndexOptions } from './bucket-index.ts';
import { metersPerDegreeAt } from '../geo/local-projection.ts';
import { distanceToPolygonMeters } from './distance-to-polygon.ts';
import { buildBoxIndex, findNearestPolygon } from './nearest-polygon.ts';
import { packPolygons, type PackedPolygons } from './packed-polygons.ts';
import { BOUNDARY, locatePointInPolygon } from './point-in-polygon.ts';

export interface RoutableGrid {
  /** 15-digit grid code; its first 12 digits are the community's, its first 9 the street's. */
  readonly code: string;
  readonly rings: MultiPolygonRings;
}

export type RouteResult =
  | {
      readonly routed: true;
      readonly gridCode: string;
      readonly communityCode: string;
      readonly streetCode: string;
      /** The point lies exactly on the grid's edge or vertex: the tie rule chose this grid. */
      readonly onBoundary: boolean;
    }
  | {
      readonly routed: false;
      /** The grid whose edge is nearest, and how far it is; absent when there are no grids. */
      readonly nearest?: { readonly gridCode: string; readonly distanceMeters: number };
    };

export interface GridRouter {
  readonly gridCount: number;
  /** Index (in code order) of the grid covering the point, or -1: the hot path, no allocation. */
  locate(lng: number, lat: number): number;
  codeAt(index: number): string;
  route(lng: number, lat: number): RouteResult;
  /**
   * Another grid whose edge lies within `withinMeters` of a point that routed to grid `index`: the
   * nearest such, or undefined. A point this close to a boundary may belong across it (the outline
   * or the report's position can be off by a few metres), so a dispatcher is offered the other grid.
   */
  otherGridWithin(lng: number, lat: number, index: number, withinMeters: number): { readonly gridCode: string; readonly distanceMeters: number } | undefined;
}

/**
 * Point → grid, in process. The rule, shared with PostGIS (`ST_Covers(geom, pt) ORDER BY code
 * LIMIT 1`): a grid covers a point inside it or on its boundary; a point that several grids cover
 * (on a shared edge or vertex) goes to the grid with the smallest code. A point no grid covers is
 * unrouted, with the nearest grid and its distance.
 */
export function createGridRouter(grids: readonly RoutableGrid[], options: BucketIndexOptions = {}): GridRouter {
  const sorted = grids.slice().sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.code === sorted[i - 1]!.code) throw new Error(`duplicate grid code ${sorted[i]!.code}`);
  }
  const codes = sorted.map((g) => g.code);
  const polygons: PackedPolygons = packPolygons(sorted.map((g) => g.rings));
  const index: BucketIndex = buildBucketIndex(polygons, options);
  let boxes: Flatbush | undefined;

  const locate = (lng: number, lat: number): number => locateInBucketIndex(index, polygons, lng, lat);
  return {
    gridCount: codes.length,
    locate,
    codeAt: (i) => codes[i]!,
    route(lng, lat) {
      if (!isValidLngLat(lng, lat)) throw new RangeError(`(${lng}, ${lat}) is not a WGS-84 longitude/latitude`);
      const i = locate(lng, lat);
      if (i >= 0) {
        const code = codes[i]!;
        return {
          routed: true,
          gridCode: code,
          communityCode: code.slice(0, 12),
          streetCode: code.slice(0, 9),
          onBoundary: locatePointInPolygon(polygons, i, lng, lat) === BOUNDARY,
        };
      }
      boxes ??= buildBoxIndex(polygons);
      const nearest = findNearestPolygon(polygons, boxes, lng, lat);
      return nearest ? { routed: false, nearest: { gridCode: codes[nearest.polygon]!, distanceMeters: nearest.distanceMeters } } : { routed: false };
    },
    otherGridWithin(lng, lat, index, withinMeters) {
      boxes ??= buildBoxIndex(polygons);
      const scale = metersPerDegreeAt(lat);
      const dx = withinMeters / scale.lng;
      const dy = withinMeters / scale.lat;
      let best: { gridCode: string; distanceMeters: number } | undefined;
      for (const j of boxes.search(lng - dx, lat - dy, lng + dx, lat + dy)) {
        if (j === index) continue;
        const distanceMeters = distanceToPolygonMeters(polygons, j, lng, lat);
        if (distanceMeters <= withinMeters && (!best || distanceMeters < best.distanceMeters)) best = { gridCode: codes[j]!, distanceMeters };
      }
      return best;
    },
  };
}
