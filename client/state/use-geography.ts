import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../http/api-client.ts';
import { isAbortError } from '../http/api-error.ts';
import { createGeographyData, type GeographyData } from './geography-data.ts';
import type { Loadable } from './loadable.ts';

/** Loads the district, streets, communities, grids and departments once; `retry` loads them again. */
export function useGeography(api: ApiClient): { geography: Loadable<GeographyData>; retry: () => void } {
  const [geography, setGeography] = useState<Loadable<GeographyData>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setGeography({ status: 'loading' });
    Promise.all([api.district(signal), api.streets(signal), api.communities(signal), api.grids(signal), api.departments(signal)])
      .then(([district, streets, communities, grids, { departments }]) => {
        setGeography({ status: 'ready', data: createGeographyData({ district, streets, communities, grids, departments }) });
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
