import type { LngLat } from '../../core/geo/lng-lat.ts';
import { createGridRouter, type GridRouter } from '../../core/grid/grid-router.ts';
import type { AreaRef, RouteAnswer } from '../../core/protocol/http-api.ts';
import type { Store } from '../store/store.ts';

export interface GeographyService {
  /** The geography version the router was built from. */
  readonly version: number;
  readonly gridCount: number;
  route(point: LngLat): RouteAnswer;
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
    async refresh() {
      const stored = (await store.geography.version())?.version ?? 0;
      if (stored === current.version) return false;
      current = await load(store);
      return true;
    },
  };
}
