import { useMemo } from 'react';
import { type AreaCount, type CountLevel, countByArea, totalOf } from '../live/area-counts.ts';
import { buildQueue, type Queue, type QueueFilter } from '../live/case-queue.ts';
import { type LiveSession, useStoreVersion } from '../live/use-live.ts';
import { useNow } from '../state/use-now.ts';

/** How often the drill-down's figures and the queue are recounted (deadlines pass without events). */
const REFRESH_MS = 1_000;

/** Live counts per child area of `level` inside `within`, recounted at most once a second. */
export function useAreaCounts(live: LiveSession | undefined, level: CountLevel, within: string | undefined): ReadonlyMap<string, AreaCount> {
  const version = useStoreVersion(live?.store, REFRESH_MS);
  const now = useNow(REFRESH_MS * 5, live !== undefined);
  return useMemo(() => (live ? countByArea(live.store, level, now, within) : new Map<string, AreaCount>()), [live, level, within, now, version]);
}

export function useAreaTotal(live: LiveSession | undefined, within: string | undefined): AreaCount | undefined {
  const version = useStoreVersion(live?.store, REFRESH_MS);
  const now = useNow(REFRESH_MS * 5, live !== undefined);
  return useMemo(() => (live ? totalOf(live.store, now, within) : undefined), [live, within, now, version]);
}

/** The live queue under `filter`, its first `limit` rows, refreshed as cases change and each second. */
export function useQueue(live: LiveSession | undefined, filter: QueueFilter, limit: number): Queue | undefined {
  const version = useStoreVersion(live?.store, REFRESH_MS / 2);
  const now = useNow(REFRESH_MS, live !== undefined);
  // Filters arrive as fresh arrays on every render: memoise on their contents.
  const { area } = filter;
  const categories = filter.categories.join(',');
  const statuses = filter.statuses.join(',');
  return useMemo(() => {
    if (!live) return undefined;
    const split = (list: string): string[] => (list ? list.split(',') : []);
    return buildQueue(live.store, { area, categories: split(categories), statuses: split(statuses) }, now, limit);
  }, [live, area, categories, statuses, now, version, limit]);
}
