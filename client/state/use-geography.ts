import { useCallback, useEffect, useState } from 'react';
import type { GridCollection } from '../../core/protocol/http-api.ts';
import type { ApiClient } from '../http/api-client.ts';
import { isAbortError } from '../http/api-error.ts';
import { createGeographyData, FULL_GRID_LOAD_MAX, type GeographyData, GridCache, type GridFeature, type GridRequest, tilesOf, withGrids } from './geography-data.ts';
import type { Loadable } from './loadable.ts';

/** Parallel grid requests at most (a first view at the legible zoom needs ~15–25 tiles). */
const GRID_REQUESTS_AT_ONCE = 6;

/**
 * Loads the district, streets, communities and departments once, and the grids: all of them at
 * start when there are few (≤ FULL_GRID_LOAD_MAX; one request tells how many), otherwise none at
 * start and then those the map asks for (`GeographyData.loadGrids`: a view's tiles, or a street's or
 * community's grids), cached and merged, the least recently used dropped beyond GRID_CACHE_MAX.
 * `retry` loads everything again.
 */
export function useGeography(api: ApiClient): { geography: Loadable<GeographyData>; retry: () => void } {
  const [geography, setGeography] = useState<Loadable<GeographyData>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setGeography({ status: 'loading' });
    // One grid tells how many there are; with few, all of them come in a second request.
    const grids = async (): Promise<{ grids: GridCollection; complete: boolean }> => {
      const probe = await api.gridPage({ limit: 1 }, signal);
      if (probe.numberMatched <= 1) return { grids: probe, complete: true };
      if (probe.numberMatched > FULL_GRID_LOAD_MAX) return { grids: { ...probe, numberReturned: 0, features: [] }, complete: false };
      return { grids: await api.grids(signal), complete: true };
    };
    Promise.all([api.district(signal), api.streets(signal), api.communities(signal), grids(), api.departments(signal)])
      .then(([district, streets, communities, { grids: loaded, complete }, { departments }]) => {
        if (complete) {
          setGeography({ status: 'ready', data: createGeographyData({ district, streets, communities, grids: loaded, departments }) });
          return;
        }
        const cache = new GridCache(loaded.numberMatched);
        const inFlight = new Map<string, Promise<void>>();
        /** The newest view's tiles: never dropped while it is the view. */
        let viewKeys: ReadonlySet<string> = new Set();
        let queue: Promise<unknown> = Promise.resolve();

        const publish = (): void => {
          if (signal.aborted) return;
          setGeography((current) => (current.status === 'ready' ? { status: 'ready', data: withGrids(current.data, cache.collection(), cache.gridNames) } : current));
        };
        const fetchEntry = (key: string, fetch: () => Promise<GridCollection>): Promise<void> => {
          const pending = inFlight.get(key);
          if (pending) return pending;
          const promise = fetch()
            .then((page) => cache.put(key, page.features as GridFeature[]))
            .finally(() => inFlight.delete(key));
          inFlight.set(key, promise);
          return promise;
        };
        const loadGrids = async (request: GridRequest): Promise<void> => {
          let wanted: { key: string; fetch: () => Promise<GridCollection> }[];
          if ('bbox' in request) {
            const tiles = tilesOf(request.bbox);
            viewKeys = new Set(tiles.map((t) => t.key));
            wanted = tiles.map((t) => ({ key: t.key, fetch: () => api.gridPage({ bbox: t.bbox }, signal) }));
          } else {
            wanted = [{ key: `p/${request.parent}`, fetch: () => api.gridPage({ parent: request.parent }, signal) }];
          }
          const missing = wanted.filter((w) => !cache.has(w.key));
          cache.touch(wanted.map((w) => w.key));
          if (missing.length === 0) return;
          // A few requests at a time, nearest the centre first; the map shows each batch as it comes.
          const run = async (): Promise<void> => {
            for (let i = 0; i < missing.length; i += GRID_REQUESTS_AT_ONCE) {
              if (signal.aborted) return;
              // Tiles of a view the map has already left are skipped (a quick pan asks for many).
              const batch = missing.slice(i, i + GRID_REQUESTS_AT_ONCE).filter((w) => !cache.has(w.key) && (!('bbox' in request) || viewKeys.has(w.key)));
              if (batch.length === 0) continue;
              const results = await Promise.allSettled(batch.map((w) => fetchEntry(w.key, w.fetch)));
              cache.evict(new Set([...viewKeys, ...wanted.map((w) => w.key)]));
              publish();
              const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
              if (failure) throw failure.reason;
            }
          };
          const done = queue.then(run, run);
          queue = done.catch(() => {});
          return done;
        };
        setGeography({
          status: 'ready',
          data: createGeographyData({ district, streets, communities, grids: cache.collection(), gridsComplete: false, gridNames: cache.gridNames, departments, loadGrids }),
        });
      })
      .catch((error: unknown) => {
        if (isAbortError(error) || signal.aborted) return;
        setGeography({ status: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      });
    return () => controller.abort();
  }, [api, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { geography, retry };
}
