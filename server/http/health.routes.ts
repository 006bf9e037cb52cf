import type { FastifyInstance } from 'fastify';
import type { GeographyService } from '../services/geography.service.ts';
import type { Store } from '../store/store.ts';

/** GET /healthz: 200 only while the store answers, 503 otherwise (load balancers take us out). */
export function registerHealthRoutes(app: FastifyInstance, store: Store, geography: GeographyService): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await store.ping();
      return { status: 'ok', store: store.driver, geographyVersion: geography.version, grids: geography.gridCount };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', store: store.driver, error: (error as Error).message });
    }
  });
}
