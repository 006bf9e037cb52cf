import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../../core/access/actor.ts';
import type { AuthService } from '../../services/auth.service.ts';
import type { FeaturePage, Store } from '../../store/store.ts';
import { authenticateRequest, requireRole } from '../authenticate.ts';
import { allowOnly, type Query } from '../query-params.ts';
import {
  AREA_COLLECTIONS,
  CASES_COLLECTION,
  CONFORMANCE,
  GEOJSON,
  JSON_TYPE,
  OPENAPI,
  collectionDocument,
  collectionsDocument,
  landingPage,
  openApiDocument,
  type CollectionSpec,
  type Link,
} from './ogc-documents.ts';
import { negotiate, notFoundOgc, ogcBbox, ogcDatetime, ogcPaging } from './ogc-params.ts';

/** Roles that see every case of the district: they may read the cases collection. */
export const CASE_COLLECTION_ROLES: readonly Role[] = ['district-dispatcher', 'verifier', 'analyst', 'admin'];

/** The app's error codes as OGC API exception codes. */
const OGC_CODES: Readonly<Record<string, string>> = { bad_request: 'InvalidParameterValue', not_found: 'NotFound' };

function isErrorBody(payload: unknown): payload is { error: { code: string; message: string } } {
  const error = (payload as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

/** Where /ogc is, as the client reached it: every link is absolute. */
function baseOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/ogc`;
}

/** The request's URL with some query parameters replaced (for self/next/prev links). */
function linkTo(request: FastifyRequest, path: string, query: Query, overrides: Readonly<Record<string, string>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (typeof value === 'string' && !(name in overrides)) params.set(name, value);
  for (const [name, value] of Object.entries(overrides)) params.set(name, value);
  const search = params.toString();
  return `${baseOf(request)}${path}${search ? `?${search}` : ''}`;
}

function sendPage(request: FastifyRequest, reply: FastifyReply, collectionId: string, page: FeaturePage, paging: { limit: number; offset: number }, type: string): FastifyReply {
  const query = request.query as Query;
  const path = `/collections/${collectionId}/items`;
  const at = (offset: number): Record<string, string> => ({ limit: String(paging.limit), offset: String(offset) });
  const links: Link[] = [
    { href: linkTo(request, path, query, {}), rel: 'self', type, title: 'this page' },
    { href: `${baseOf(request)}/collections/${collectionId}`, rel: 'collection', type: JSON_TYPE, title: 'the collection' },
  ];
  if (paging.offset + page.numberReturned < page.numberMatched) links.push({ href: linkTo(request, path, query, at(paging.offset + page.numberReturned)), rel: 'next', type, title: 'next page' });
  if (paging.offset > 0) links.push({ href: linkTo(request, path, query, at(Math.max(0, paging.offset - paging.limit))), rel: 'prev', type, title: 'previous page' });
  // The features stay the text PostGIS wrote; only the envelope is built here.
  const body =
    `{"type":"FeatureCollection","numberMatched":${page.numberMatched},"numberReturned":${page.numberReturned},` +
    `"timeStamp":${JSON.stringify(new Date().toISOString())},"links":${JSON.stringify(links)},"features":${page.features}}`;
  return reply.type(type).send(body);
}

function sendFeature(request: FastifyRequest, reply: FastifyReply, collectionId: string, featureId: string, page: FeaturePage, type: string): FastifyReply {
  const [feature] = JSON.parse(page.features) as Record<string, unknown>[];
  if (!feature) throw notFoundOgc(`collection ${collectionId} has no feature "${featureId}"`);
  const href = `${baseOf(request)}/collections/${collectionId}/items/${encodeURIComponent(featureId)}`;
  const links: Link[] = [
    { href, rel: 'self', type, title: 'this feature' },
    { href: `${baseOf(request)}/collections/${collectionId}`, rel: 'collection', type: JSON_TYPE, title: 'the collection' },
  ];
  return reply.type(type).send(JSON.stringify({ ...feature, links }));
}

const ITEM_TYPES = [GEOJSON, JSON_TYPE] as const;

/**
 * OGC API – Features, Part 1 (Core, GeoJSON, OpenAPI 3.0), read-only, at /ogc: the streets,
 * communities and grids (public, like /api/geo) and the cases (a session of a district-wide role).
 * Every error under /ogc is an OGC exception `{code, description}`.
 */
export function registerOgcRoutes(app: FastifyInstance, store: Store, auth: AuthService): void {
  const mayReadCases = requireRole(auth, ...CASE_COLLECTION_ROLES);

  void app.register(
    async (ogc) => {
      // The app's error answers (thrown HttpErrors, the role guard's 401/403, 503) in OGC's shape.
      ogc.addHook('preSerialization', async (_request, _reply, payload) =>
        isErrorBody(payload) ? { code: OGC_CODES[payload.error.code] ?? payload.error.code, description: payload.error.message } : payload,
      );
      ogc.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 'NotFound', description: `no resource ${request.method} ${request.url.split('?')[0]}` }));

      const metadata = (request: FastifyRequest, offered: readonly string[] = [JSON_TYPE]): string => {
        allowOnly(request.query as Query, ['f']);
        return negotiate(request.query as Query, request.headers.accept, offered);
      };

      ogc.get('/', async (request, reply) => reply.type(metadata(request)).send(landingPage(baseOf(request))));
      ogc.get('/conformance', async (request, reply) => reply.type(metadata(request)).send({ conformsTo: CONFORMANCE }));
      ogc.get('/api', async (request, reply) => {
        const type = metadata(request, [OPENAPI, JSON_TYPE]);
        // With its charset given, Fastify leaves the media type as written: GDAL looks for `…+json;version=3.0` verbatim.
        return reply
          .header('content-type', `${type};charset=utf-8`)
          .send(JSON.stringify(openApiDocument(baseOf(request), [...AREA_COLLECTIONS.map((c) => c.id), CASES_COLLECTION.id])));
      });

      const areaCollection = async (request: FastifyRequest, spec: CollectionSpec): Promise<object> =>
        collectionDocument(baseOf(request), spec, { bbox: await store.ogcFeatures.areaExtent(spec.level!) });
      const casesCollection = async (request: FastifyRequest): Promise<object> => {
        const extent = await store.ogcFeatures.caseExtent();
        return collectionDocument(baseOf(request), CASES_COLLECTION, { bbox: extent.bbox ?? (await store.ogcFeatures.areaExtent('street')), interval: [extent.firstReportedAt, extent.lastReportedAt] });
      };

      // The cases collection is listed only to those who may read it.
      ogc.get('/collections', async (request, reply) => {
        const type = metadata(request);
        const actor = await authenticateRequest(request, auth);
        const collections = await Promise.all(AREA_COLLECTIONS.map((spec) => areaCollection(request, spec)));
        if (actor && CASE_COLLECTION_ROLES.includes(actor.role)) collections.push(await casesCollection(request));
        return reply.type(type).send(collectionsDocument(baseOf(request), collections));
      });

      // Static paths win over the parametric ones below, so only these three carry the role guard.
      ogc.get('/collections/cases', { preHandler: mayReadCases }, async (request, reply) => reply.type(metadata(request)).send(await casesCollection(request)));
      ogc.get('/collections/cases/items', { preHandler: mayReadCases }, async (request, reply) => {
        const query = request.query as Query;
        allowOnly(query, ['f', 'bbox', 'limit', 'offset', 'datetime']);
        const type = negotiate(query, request.headers.accept, ITEM_TYPES);
        const box = ogcBbox(query);
        const paging = ogcPaging(query);
        const page = await store.ogcFeatures.casePage({ ...(box ? { bbox: box } : {}), ...ogcDatetime(query), ...paging });
        return sendPage(request, reply, CASES_COLLECTION.id, page, paging, type);
      });
      ogc.get('/collections/cases/items/:featureId', { preHandler: mayReadCases }, async (request, reply) => {
        const { featureId } = request.params as { featureId: string };
        const type = metadata(request, ITEM_TYPES);
        return sendFeature(request, reply, CASES_COLLECTION.id, featureId, await store.ogcFeatures.casePage({ number: featureId, limit: 1, offset: 0 }), type);
      });

      const areaSpec = (request: FastifyRequest): CollectionSpec => {
        const { collectionId } = request.params as { collectionId: string };
        const spec = AREA_COLLECTIONS.find((c) => c.id === collectionId);
        if (!spec) throw notFoundOgc(`no collection "${collectionId}"; there are ${[...AREA_COLLECTIONS.map((c) => c.id), CASES_COLLECTION.id].join(', ')}`);
        return spec;
      };
      ogc.get('/collections/:collectionId', async (request, reply) => {
        const spec = areaSpec(request);
        return reply.type(metadata(request)).send(await areaCollection(request, spec));
      });
      ogc.get('/collections/:collectionId/items', async (request, reply) => {
        const spec = areaSpec(request);
        const query = request.query as Query;
        allowOnly(query, ['f', 'bbox', 'limit', 'offset']);
        const type = negotiate(query, request.headers.accept, ITEM_TYPES);
        const box = ogcBbox(query);
        const paging = ogcPaging(query);
        const page = await store.geography.featurePage(spec.level!, { ...(box ? { bbox: box } : {}), ...paging });
        return sendPage(request, reply, spec.id, page, paging, type);
      });
      ogc.get('/collections/:collectionId/items/:featureId', async (request, reply) => {
        const spec = areaSpec(request);
        const { featureId } = request.params as { featureId: string };
        const type = metadata(request, ITEM_TYPES);
        return sendFeature(request, reply, spec.id, featureId, await store.geography.featurePage(spec.level!, { code: featureId, limit: 1, offset: 0 }), type);
      });
    },
    { prefix: '/ogc' },
  );
}
