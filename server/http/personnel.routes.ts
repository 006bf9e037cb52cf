import type { FastifyInstance } from 'fastify';
import { isAreaCode } from '../../core/geography/area-code.ts';
import type { Store } from '../store/store.ts';
import { badRequest, notFound } from './http-error.ts';
import { allowOnly, single, type Query } from './query-params.ts';

/** GET /api/personnel?grid=CODE: who serves a grid, one per department, with how many grids each covers. */
export function registerPersonnelRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/personnel', async (request) => {
    const query = request.query as Query;
    allowOnly(query, ['grid']);
    const grid = single(query, 'grid');
    if (grid === undefined) throw badRequest('parameter "grid" is required (a 15-digit grid code)');
    if (!isAreaCode('grid', grid)) throw badRequest(`"${grid}" is not a grid code (15 digits)`);
    const details = await store.geography.gridDetails(grid);
    if (!details) throw notFound(`no grid ${grid}`);
    return { grid: details, people: await store.personnel.forGrid(grid) };
  });
}
