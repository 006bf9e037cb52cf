import type { BBox } from '../../../core/geo/lng-lat.ts';
import type { OgcAreaLevel } from '../../store/ogc-features.repository.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from './ogc-params.ts';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';
export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const OPENAPI = 'application/vnd.oai.openapi+json;version=3.0';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
] as const;

export interface Link {
  readonly href: string;
  readonly rel: string;
  readonly type?: string;
  readonly title?: string;
}

export interface CollectionSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The area level it serves; undefined for cases. */
  readonly level?: OgcAreaLevel;
}

/** The collections: three public area levels, and the cases (district-wide roles only). */
export const AREA_COLLECTIONS: readonly CollectionSpec[] = [
  { id: 'streets', level: 'street', title: '街道/乡镇 Streets and towns', description: 'Streets and towns of the district: code (9 digits), name, kind (street or town), district code, area in m². MultiPolygon, CRS84.' },
  { id: 'communities', level: 'community', title: '社区/村 Communities', description: 'Communities (社区) and villages: code (12 digits), name, street code, area in m². MultiPolygon, CRS84.' },
  { id: 'grids', level: 'grid', title: '网格 Grids', description: 'Management grids, the unit cases are routed to: code (15 digits), name, community and street codes, area in m². MultiPolygon, CRS84.' },
];

export const CASES_COLLECTION: CollectionSpec = {
  id: 'cases',
  title: '案件 Cases',
  description:
    'Cases where they were reported: number, category, status, tier, severity, grid/community/street codes, department, reported/accepted/closed times, ' +
    'deadlines and overdue flags (never reporter data). Point, CRS84. datetime filters on the report time. Needs a session of a district-wide role (Authorization: Bearer …).',
};

export interface Extent {
  readonly bbox: BBox | null;
  /** [first, last] report times, for collections with a time. */
  readonly interval?: readonly [Date | null, Date | null];
}

export function landingPage(base: string): object {
  return {
    title: 'Grid Command – OGC API – Features',
    description: 'The district’s streets/towns, communities and grids (public) and its cases (signed-in district-wide roles), read-only.',
    links: [
      { href: `${base}/`, rel: 'self', type: JSON_TYPE, title: 'this document' },
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI, title: 'the API definition (OpenAPI 3.0)' },
      { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes' },
      { href: `${base}/conformance`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/conformance', type: JSON_TYPE, title: 'conformance classes' },
      { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'the collections' },
      { href: `${base}/collections`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/data', type: JSON_TYPE, title: 'the collections' },
    ] satisfies Link[],
  };
}

export function collectionDocument(base: string, spec: CollectionSpec, extent: Extent): object {
  const href = `${base}/collections/${spec.id}`;
  const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    itemType: 'feature',
    crs: [CRS84],
    extent: {
      spatial: { bbox: extent.bbox ? [[...extent.bbox]] : [], crs: CRS84 },
      ...(extent.interval ? { temporal: { interval: [[iso(extent.interval[0]), iso(extent.interval[1])]], trs: GREGORIAN } } : {}),
    },
    links: [
      { href, rel: 'self', type: JSON_TYPE, title: spec.title },
      { href: `${href}/items`, rel: 'items', type: GEOJSON, title: `${spec.title} as GeoJSON` },
    ] satisfies Link[],
  };
}

export function collectionsDocument(base: string, collections: readonly object[]): object {
  return { links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'the collections' }] satisfies Link[], collections };
}

const exception = { description: 'an OGC API exception', content: { [JSON_TYPE]: { schema: { $ref: '#/components/schemas/exception' } } } };

/** A small OpenAPI 3.0 definition of what /ogc serves. */
export function openApiDocument(base: string, collectionIds: readonly string[]): object {
  const f = { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json'] } };
  const collectionId = { name: 'collectionId', in: 'path', required: true, schema: { type: 'string', enum: collectionIds } };
  // Inline (no $ref): the GIS clients that read the limit's maximum from here do not all resolve references.
  const limit = { name: 'limit', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } };
  const offset = { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } };
  const bbox = { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } };
  const datetime = { name: 'datetime', in: 'query', required: false, description: 'cases only: an instant, a/b, ../b or a/.. against the report time', schema: { type: 'string' } };
  const fItems = { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'geojson'] } };
  const json = (description: string): object => ({ description, content: { [JSON_TYPE]: { schema: { type: 'object' } } } });
  const geojson = (description: string): object => ({ description, content: { [GEOJSON]: { schema: { type: 'object' } } } });
  return {
    openapi: '3.0.3',
    info: { title: 'Grid Command – OGC API – Features', version: '1.0.0', description: 'Read-only features of the district: streets, communities, grids (public) and cases (bearer session, district-wide roles).' },
    servers: [{ url: base }],
    components: {
      securitySchemes: { session: { type: 'http', scheme: 'bearer', description: 'a session token from POST /api/session' } },
      schemas: { exception: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, description: { type: 'string' } } } },
    },
    paths: {
      '/': { get: { summary: 'landing page', operationId: 'getLandingPage', parameters: [f], responses: { 200: json('links to the API definition, conformance and collections') } } },
      '/conformance': { get: { summary: 'conformance classes', operationId: 'getConformanceDeclaration', parameters: [f], responses: { 200: json('the conformance classes') } } },
      '/collections': { get: { summary: 'the collections', operationId: 'getCollections', parameters: [f], responses: { 200: json('the collections you may read') } } },
      '/collections/{collectionId}': {
        get: { summary: 'a collection', operationId: 'describeCollection', parameters: [collectionId, f], responses: { 200: json('the collection'), 404: exception } },
      },
      '/collections/{collectionId}/items': {
        get: {
          summary: 'features of a collection',
          operationId: 'getFeatures',
          parameters: [collectionId, limit, offset, bbox, datetime, fItems],
          responses: { 200: geojson('a page of features'), 400: exception, 401: exception, 403: exception, 404: exception },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          summary: 'one feature',
          operationId: 'getFeature',
          parameters: [collectionId, { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }, fItems],
          responses: { 200: geojson('the feature'), 401: exception, 403: exception, 404: exception },
        },
      },
    },
  };
}
