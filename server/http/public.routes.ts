import type { FastifyInstance } from 'fastify';
import type { Department } from '../../core/catalogue/catalogue.ts';
import type { GridServant } from '../../core/people/person.ts';
import type { AreaRef, PublicGridAnswer, PublicOutsideError, PublicServant } from '../../core/protocol/http-api.ts';
import type { GeographyService } from '../services/geography.service.ts';
import type { Store } from '../store/store.ts';
import { allowOnly, pointQuery, type Query } from './query-params.ts';

/** The board changes only with a roster or geography import; a minute of caching spares the store. */
const PUBLIC_CACHE_CONTROL = 'public, max-age=60';

/** Built by hand, field by field: nothing of an internal object reaches the public by accident. */
function publicArea(area: AreaRef): AreaRef {
  return { code: area.code, name: area.name };
}

function publicServant(person: GridServant, department: Department | undefined): PublicServant {
  return {
    name: person.name,
    department: { code: person.departmentCode, name: department?.zh ?? person.departmentCode, nameEn: department?.en ?? person.departmentCode },
    duty: person.duty,
    dutyEn: person.dutyEn,
    phone: person.phone,
  };
}

/**
 * GET /api/public/grid?lng=&lat=[&crs=GCJ-02|BD-09]: the public disclosure board (实名制公示) of the
 * grid at a point, for residents, no sign-in: the grid, its community and street, and the people
 * who serve it (name, department, duty, work phone), sorted by department. Nothing else: no ids, no
 * on-duty flags, no cases, nothing about other grids. A point outside every grid is a 404
 * `outside_district` naming the nearest grid and its distance.
 */
export function registerPublicRoutes(app: FastifyInstance, geography: GeographyService, store: Store): void {
  app.get('/api/public/grid', async (request, reply) => {
    const query = request.query as Query;
    allowOnly(query, ['lng', 'lat', 'crs']);

    const route = geography.route(pointQuery(query));
    if (!route.routed) {
      // The point as the resident gave it (before any CRS conversion).
      const [lng, lat] = [Number(query['lng']), Number(query['lat'])];
      const nearest = route.nearest;
      const error: PublicOutsideError = nearest
        ? {
            code: 'outside_district',
            message: `(${lng}, ${lat}) is outside the district: the nearest grid is ${nearest.grid.name} (${nearest.grid.code}), ${Math.round(nearest.distanceMeters)} m away`,
            nearest: { grid: publicArea(nearest.grid), distanceMeters: nearest.distanceMeters },
          }
        : { code: 'outside_district', message: `(${lng}, ${lat}) is outside every grid of the district` };
      return reply.code(404).header('cache-control', PUBLIC_CACHE_CONTROL).send({ error });
    }

    const [people, departments] = await Promise.all([store.personnel.forGrid(route.grid.code), store.catalogue.departments()]);
    const byCode = new Map(departments.map((d) => [d.code, d]));
    const rank = new Map(departments.map((d, i) => [d.code, i]));
    const rankOf = (person: GridServant): number => rank.get(person.departmentCode) ?? departments.length;
    // Stable: within a department the roster's own order (forGrid's) is kept.
    const sorted = [...people].sort((a, b) => rankOf(a) - rankOf(b));
    const answer: PublicGridAnswer = {
      grid: publicArea(route.grid),
      community: publicArea(route.community),
      street: publicArea(route.street),
      people: sorted.map((person) => publicServant(person, byCode.get(person.departmentCode))),
    };
    return reply.header('cache-control', PUBLIC_CACHE_CONTROL).send(answer);
  });
}

/**
 * GET /public: the public page (a second entry of the client build, public.html). Only when the
 * built client has it; call after @fastify/static is registered (it provides sendFile).
 */
export function registerPublicPage(app: FastifyInstance): void {
  for (const path of ['/public', '/public/']) {
    app.get(path, (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('public.html'));
  }
}
