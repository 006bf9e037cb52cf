import type { LngLat } from '../../core/geo/lng-lat.ts';
import { createGridRouter, type GridRouter } from '../../core/grid/grid-router.ts';
import type { AreaRef, RouteAnswer } from '../../core/protocol/http-api.ts';
import type { Store } from '../store/store.ts';

/** Where a case lands: its grid (and a neighbour within reach), or the nearest grid when outside all. */
export type CaseRoute =
  | {
      readonly routed: true;
      readonly gridCode: string;
      readonly communityCode: string;
      readonly streetCode: string;
      readonly nearBoundary: { readonly gridCode: string; readonly distanceMeters: number } | null;
    }
  | { readonly routed: false; readonly nearest?: { readonly gridCode: string; readonly distanceMeters: number } };

export interface GeographyService {
  /** The geography version the router was built from. */
  readonly version: number;
  readonly gridCount: number;
  route(point: LngLat): RouteAnswer;
  /** The route a case takes, with a neighbouring grid flagged when one lies within `nearBoundaryMeters` (0: not looked for). */
  routeCase(point: LngLat, nearBoundaryMeters: number): CaseRoute;
  /** The name of a district, street, community or grid; undefined for an unknown code. */
  name(code: string): string | undefined;
  /** Rebuilds the router if the stored geography changed (an import); true when it did. */
  refresh(): Promise<boolean>;
}

interface Loaded {
  version: number;
  router: GridRouter;
  names: Map<string, string>;
}

async function load(store: Store): Promise<Loaded> {
  const version = (await store.geography.version())?.version ?? 0;
  const [grids, names] = await Promise.all([store.geography.routableGrids(), store.geography.names()]);
  return { version, router: createGridRouter(grids), names: new Map(names.map((n) => [n.code, n.name])) };
}

/** The in-process router over the stored grids, with the names that make its answers readable. */
export async function createGeographyService(store: Store): Promise<GeographyService> {
  let current = await load(store);
  const ref = (code: string): AreaRef => ({ code, name: current.names.get(code) ?? '' });
  return {
    get version() {
      return current.version;
    },
    get gridCount() {
      return current.router.gridCount;
    },
    route(point) {
      const result = current.router.route(point[0], point[1]);
      if (result.routed) {
        return { routed: true, point, grid: ref(result.gridCode), community: ref(result.communityCode), street: ref(result.streetCode), onBoundary: result.onBoundary };
      }
      return result.nearest
        ? { routed: false, point, nearest: { grid: ref(result.nearest.gridCode), distanceMeters: Math.round(result.nearest.distanceMeters * 10) / 10 } }
        : { routed: false, point };
    },
    routeCase(point, nearBoundaryMeters) {
      const { router } = current;
      const index = router.locate(point[0], point[1]);
      if (index < 0) {
        const result = router.route(point[0], point[1]);
        return result.routed || !result.nearest
          ? { routed: false }
          : { routed: false, nearest: { gridCode: result.nearest.gridCode, distanceMeters: Math.round(result.nearest.distanceMeters * 10) / 10 } };
      }
      const code = router.codeAt(index);
      const near = nearBoundaryMeters > 0 ? router.otherGridWithin(point[0], point[1], index, nearBoundaryMeters) : undefined;
      return {
        routed: true,
        gridCode: code,
        communityCode: code.slice(0, 12),
        streetCode: code.slice(0, 9),
        nearBoundary: near ? { gridCode: near.gridCode, distanceMeters: Math.round(near.distanceMeters * 10) / 10 } : null,
      };
    },
    name: (code) => current.names.get(code),
    async refresh() {
      const stored = (await store.geography.version())?.version ?? 0;
      if (stored === current.version) return false;
      current = await load(store);
      return true;
    },
  };
}
