import { useEffect, useState } from 'react';
import type { Catalogue, Category } from '../../core/catalogue/catalogue.ts';
import type { ApiClient } from '../http/api-client.ts';
import { isAbortError, toError } from '../http/api-error.ts';
import type { Loadable } from './loadable.ts';

export interface CatalogueData {
  readonly catalogue: Catalogue;
  readonly categories: ReadonlyMap<string, Category>;
}

/** The case catalogue (GET /api/categories, both languages), loaded once; `attempt` loads it again. */
export function useCatalogue(api: ApiClient, attempt = 0): Loadable<CatalogueData> {
  const [state, setState] = useState<Loadable<CatalogueData>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    api.categories(controller.signal).then(
      (catalogue) => setState({ status: 'ready', data: { catalogue, categories: new Map(catalogue.categories.map((c) => [c.code, c])) } }),
      (error: unknown) => {
        if (isAbortError(error) || controller.signal.aborted) return;
        setState({ status: 'failed', error: toError(error) });
      },
    );
    return () => controller.abort();
  }, [api, attempt]);
  return state;
}
