import type { FastifyInstance } from 'fastify';
import { parseInputCrs, toWgs84 } from '../../core/geo/convert-crs.ts';
import { isValidLngLat } from '../../core/geo/lng-lat.ts';
import type { GeographyService } from '../services/geography.service.ts';
import { badRequest } from './http-error.ts';
import { allowOnly, requiredNumber, single, type Query } from './query-params.ts';

/**
 * GET /api/route?lng=&lat=[&crs=WGS84|GCJ-02|BD-09]: the grid (with its community and street) a
 * point belongs to, or, outside every grid, the nearest grid and its distance in metres.
 */
export function registerRouteRoutes(app: FastifyInstance, geography: GeographyService): void {
  app.get('/api/route', async (request) => {
    const query = request.query as Query;
    allowOnly(query, ['lng', 'lat', 'crs']);
    const lng = requiredNumber(query, 'lng');
    const lat = requiredNumber(query, 'lat');
    if (!isValidLngLat(lng, lat)) throw badRequest(`(${lng}, ${lat}) is out of range: lng must be −180..180 and lat −90..90`);
    const crsName = single(query, 'crs') ?? 'WGS84';
    const crs = parseInputCrs(crsName);
    if (!crs) throw badRequest(`unknown crs "${crsName}"; use WGS84, GCJ-02 or BD-09`);
    return geography.route(toWgs84([lng, lat], crs));
  });
}
