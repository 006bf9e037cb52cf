import type { FastifyInstance } from 'fastify';
import { type AreaLevel, CODE_LENGTH, levelOfCode } from '../../core/geography/area-code.ts';
import type { Store } from '../store/store.ts';
import { GeographyAnswers } from './geography-answers.ts';
import { badRequest } from './http-error.ts';
import { allowOnly, bbox, integer, single, type Query } from './query-params.ts';

const PATHS: Readonly<Record<string, { level: AreaLevel; parents: readonly AreaLevel[] }>> = {
  district: { level: 'district', parents: [] },
  streets: { level: 'street', parents: ['district'] },
  communities: { level: 'community', parents: ['street'] },
  grids: { level: 'grid', parents: ['street', 'community'] },
};

export const MAX_FEATURES = 50_000;
const DEFAULT_FEATURES = 10_000;
/**
 * GET /api/geo/{district|streets|communities|grids}?parent=&bbox=&limit=&offset=
 * GeoJSON FeatureCollections with numberMatched/numberReturned (as in OGC API – Features).
 * `geographyVersion` is the geography the server routes with: answers without a box are kept per version.
 */
export function registerGeoRoutes(app: FastifyInstance, store: Store, geographyVersion: () => number): void {
  const answers = new GeographyAnswers(geographyVersion);
  for (const [path, { level, parents }] of Object.entries(PATHS)) {
    app.get(`/api/geo/${path}`, async (request, reply) => {
      const query = request.query as Query;
      allowOnly(query, ['parent', 'bbox', 'limit', 'offset']);
      const parent = single(query, 'parent');
      if (parent !== undefined) {
        const parentLevel = levelOfCode(parent);
        if (parents.length === 0) throw badRequest(`${path} takes no parent`);
        if (!parentLevel || !parents.includes(parentLevel)) {
          const shapes = parents.map((p) => `${p} (${CODE_LENGTH[p]} digits)`).join(' or ');
          throw badRequest(`parent must be the code of a ${shapes}, got "${parent}"`);
        }
      }
      const box = bbox(query);
      const options = {
        ...(parent !== undefined ? { parent } : {}),
        ...(box ? { bbox: box } : {}),
        limit: integer(query, 'limit', DEFAULT_FEATURES, 1, MAX_FEATURES),
        offset: integer(query, 'offset', 0, 0, 10_000_000),
      };
      const read = (): Promise<string> => store.geography.features(level, options);
      const body = box ? await read() : await answers.get(`${level}|${parent ?? ''}|${options.limit}|${options.offset}`, read);
      return reply.type('application/geo+json; charset=utf-8').send(body);
    });
  }
}
