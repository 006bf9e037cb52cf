import type { FastifyInstance } from 'fastify';
import type { GeographyService } from '../services/geography.service.ts';
import { allowOnly, pointQuery, type Query } from './query-params.ts';

/**
 * GET /api/route?lng=&lat=[&crs=WGS84|GCJ-02|BD-09]: the grid (with its community and street) a
 * point belongs to, or, outside every grid, the nearest grid and its distance in metres.
 */
export function registerRouteRoutes(app: FastifyInstance, geography: GeographyService): void {
  app.get('/api/route', async (request) => {
    const query = request.query as Query;
    allowOnly(query, ['lng', 'lat', 'crs']);
    return geography.route(pointQuery(query));
  });
}
