import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { canWatchArea, DISTRICT_WIDE_ROLES } from '../../core/access/case-scope.ts';
import { BEIJING_OFFICE_HOURS } from '../../core/calendar/working-calendar.ts';
import type { AuthService } from '../services/auth.service.ts';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, EXPORT_MEDIA_TYPES, exportCases, parseExportRequest, type ExportFormat } from '../services/case-export.service.ts';
import type { GeographyService } from '../services/geography.service.ts';
import type { Store } from '../store/store.ts';
import { actorOf, requireRole } from './authenticate.ts';
import { badRequest, HttpError } from './http-error.ts';
import { allowOnly, single, type Query } from './query-params.ts';

/**
 * GET /api/cases/export?format=geojson|csv|fgb&area=&category=&status=open|closed|all&from=&to=
 * A filtered set of cases as a file, streamed page by page (never built in memory), without any
 * reporter data or free text. District-wide roles export anything; a street dispatcher their own
 * street (the default area for them) or anything inside it; other roles are refused (403).
 */
export function registerExportRoutes(app: FastifyInstance, store: Store, geography: GeographyService, auth: AuthService, utcOffsetMinutes = BEIJING_OFFICE_HOURS.utcOffsetMinutes): void {
  app.get('/api/cases/export', { preHandler: requireRole(auth, ...DISTRICT_WIDE_ROLES, 'street-dispatcher') }, async (request, reply) => {
    const query = request.query as Query;
    allowOnly(query, ['format', 'area', 'category', 'status', 'from', 'to']);
    const format = (single(query, 'format') ?? 'geojson') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw badRequest(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
    const actor = await actorOf(request);
    let area = single(query, 'area');
    if (actor.role === 'street-dispatcher' && (area === undefined || area === '')) {
      if (!actor.streetCode) throw new HttpError(403, 'forbidden', 'this street dispatcher account has no street');
      area = actor.streetCode;
    }
    const categories = new Set((await store.catalogue.catalogue()).categories.map((c) => c.code));
    const parsed = parseExportRequest(
      { area, category: single(query, 'category'), status: single(query, 'status'), from: single(query, 'from'), to: single(query, 'to') },
      { isArea: (code) => geography.name(code) !== undefined, isCategory: (code) => categories.has(code), utcOffsetMinutes },
    );
    if (!parsed.ok) throw badRequest(parsed.message);
    // No area: the whole district, which only district-wide roles may export (a street dispatcher's defaults to their street).
    const scope = parsed.filter.area ?? '';
    if (!canWatchArea(actor, scope)) {
      request.log.warn({ actor: actor.accountId, role: actor.role, area: scope }, 'export refused: out of scope');
      throw new HttpError(403, 'forbidden', `a ${actor.role} may not export the cases of ${scope || 'the district'}`);
    }
    const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const name = `cases-${parsed.filter.area ?? 'district'}-${stamp}.${EXPORT_EXTENSIONS[format]}`;
    const stream = Readable.from(exportCases(store, parsed.filter, format));
    stream.on('error', (error) => request.log.error({ err: error }, 'export failed while streaming'));
    return reply
      .header('content-type', EXPORT_MEDIA_TYPES[format])
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });
}
