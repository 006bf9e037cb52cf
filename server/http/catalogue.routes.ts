import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.ts';
import { allowOnly, type Query } from './query-params.ts';

/** GET /api/categories (the case catalogue, both languages) and GET /api/departments. */
export function registerCatalogueRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/categories', async (request) => {
    allowOnly(request.query as Query, []);
    return store.catalogue.catalogue();
  });
  app.get('/api/departments', async (request) => {
    allowOnly(request.query as Query, []);
    return { departments: await store.catalogue.departments() };
  });
}
