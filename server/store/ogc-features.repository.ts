import type { BBox } from '../../core/geo/lng-lat.ts';
import type { SqlClient } from './sql-client.ts';
import type { FeaturePage } from './store.ts';

/** The area levels the OGC API serves as collections (the district outline is /api/geo/district). */
export type OgcAreaLevel = 'street' | 'community' | 'grid';

const AREA_TABLES: Readonly<Record<OgcAreaLevel, string>> = { street: 'streets', community: 'communities', grid: 'grids' };

/**
 * Cases by report time: `reportedFrom` ≤ reported_at ≤ `reportedUntil`, and reported_at <
 * `reportedBefore` (a whole day given as a date ends before the next one). Times are RFC 3339 text,
 * handed to PostgreSQL as timestamptz so that no precision is lost on the way.
 */
export interface CaseFeatureQuery {
  readonly number?: string;
  readonly bbox?: BBox;
  readonly reportedFrom?: string;
  readonly reportedUntil?: string;
  readonly reportedBefore?: string;
  readonly limit: number;
  readonly offset: number;
}

export interface CaseExtent {
  /** The bounding box of every case's point; null before the first case. */
  readonly bbox: BBox | null;
  readonly firstReportedAt: Date | null;
  readonly lastReportedAt: Date | null;
}

/** What the OGC API – Features endpoints read beyond the geography's own feature pages. */
export interface OgcFeaturesRepository {
  /** The bounding box of a level's areas; null when it has none. */
  areaExtent(level: OgcAreaLevel): Promise<BBox | null>;
  caseExtent(): Promise<CaseExtent>;
  /**
   * Cases as GeoJSON point features, ordered by id, with the exact count of all that match. What a
   * district-wide role may see: the case's place in the loop, never its reporter or description.
   */
  casePage(query: CaseFeatureQuery): Promise<FeaturePage>;
}

/** A timestamptz as RFC 3339 UTC text with milliseconds (json_build_object would use the session's zone). */
const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const CASE_PROPERTIES = [
  "'number', c.case_number",
  "'category', c.category_code",
  "'categoryName', k.name_zh",
  "'status', c.status",
  "'tier', c.tier",
  "'severity', c.severity",
  "'gridCode', c.grid_code",
  "'communityCode', c.community_code",
  "'streetCode', c.street_code",
  "'departmentCode', c.department_code",
  `'reportedAt', ${iso('c.reported_at')}`,
  `'acceptedAt', ${iso('c.accepted_at')}`,
  `'closedAt', ${iso('c.closed_at')}`,
  `'acceptDueAt', ${iso('c.accept_due_at')}`,
  `'resolveDueAt', ${iso('c.resolve_due_at')}`,
  "'acceptOverdue', c.overdue_accept_at IS NOT NULL",
  "'resolveOverdue', c.overdue_resolve_at IS NOT NULL",
].join(', ');

function bboxOf(row: { min_lng: number | null; min_lat: number | null; max_lng: number | null; max_lat: number | null }): BBox | null {
  return row.min_lng === null || row.min_lat === null || row.max_lng === null || row.max_lat === null ? null : [row.min_lng, row.min_lat, row.max_lng, row.max_lat];
}

const EXTENT_COLUMNS = 'ST_XMin(e)::float8 AS min_lng, ST_YMin(e)::float8 AS min_lat, ST_XMax(e)::float8 AS max_lng, ST_YMax(e)::float8 AS max_lat';

export function createOgcFeaturesRepository(sql: SqlClient): OgcFeaturesRepository {
  return {
    async areaExtent(level) {
      const [row] = await sql.query<{ min_lng: number | null; min_lat: number | null; max_lng: number | null; max_lat: number | null }>(
        `SELECT ${EXTENT_COLUMNS} FROM (SELECT ST_Extent(geom) AS e FROM ${AREA_TABLES[level]}) x`,
      );
      return bboxOf(row!);
    },

    async caseExtent() {
      const [row] = await sql.query<{ min_lng: number | null; min_lat: number | null; max_lng: number | null; max_lat: number | null; first: Date | null; last: Date | null }>(
        `SELECT ${EXTENT_COLUMNS}, first, last
         FROM (SELECT ST_Extent(geom) AS e, min(reported_at) AS first, max(reported_at) AS last FROM cases) x`,
      );
      return { bbox: bboxOf(row!), firstReportedAt: row!.first, lastReportedAt: row!.last };
    },

    async casePage(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: (n: string) => string, value: unknown): void => {
        params.push(value);
        where.push(clause(`$${params.length}`));
      };
      if (query.number !== undefined) add((n) => `c.case_number = ${n}`, query.number);
      if (query.reportedFrom !== undefined) add((n) => `c.reported_at >= ${n}::timestamptz`, query.reportedFrom);
      if (query.reportedUntil !== undefined) add((n) => `c.reported_at <= ${n}::timestamptz`, query.reportedUntil);
      if (query.reportedBefore !== undefined) add((n) => `c.reported_at < ${n}::timestamptz`, query.reportedBefore);
      if (query.bbox) {
        params.push(...query.bbox);
        const n = params.length;
        where.push(`ST_Intersects(c.geom, ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326))`);
      }
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      params.push(query.limit, query.offset);
      const n = params.length;
      const [row] = await sql.query<{ matched: number; returned: number; features: string }>(
        `SELECT (SELECT count(*)::int FROM cases c ${filter}) AS matched, count(f.feature)::int AS returned,
                coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json)::text AS features
         FROM (SELECT c.id, json_build_object('type', 'Feature', 'id', c.case_number,
                 'properties', json_build_object(${CASE_PROPERTIES}),
                 'geometry', ST_AsGeoJSON(c.geom, 7)::json) AS feature
               FROM cases c JOIN categories k ON k.code = c.category_code
               ${filter} ORDER BY c.id LIMIT $${n - 1} OFFSET $${n}) f`,
        params,
      );
      return { numberMatched: row!.matched, numberReturned: row!.returned, features: row!.features };
    },
  };
}
