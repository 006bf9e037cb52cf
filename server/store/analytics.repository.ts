import type { CasePointColumns } from '../../core/analytics/hex-bins.ts';
import type { BBox, LngLat } from '../../core/geo/lng-lat.ts';
import { levelOfCode, type AreaLevel } from '../../core/geography/area-code.ts';
import type { AreaFigures, AreaFiguresRow, DepartmentFiguresRow, HotspotMeasure, HotspotRow } from '../../core/protocol/analytics-api.ts';
import type { SqlClient } from './sql-client.ts';

/**
 * Which cases an analytics answer counts: reported in [from, to), of these categories (none: all),
 * inside `within` (a district, street, community or grid code; absent: everywhere). Likely duplicates
 * and merged cases (duplicate_of set) are never counted: their reports show in the original's
 * reports_count. `now` is when "open", "closed" and "overdue" are measured.
 */
export interface AnalyticsCaseFilter {
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
  readonly categories: readonly string[];
  readonly within?: string;
}

export type FiguresLevel = Exclude<AreaLevel, 'district'>;

/** The points of the cases a hex-bin map draws, and the anchor of its hexagons. */
export interface CasePoints {
  /** The centre of the district's bounding box (of all districts' together, should there be several). */
  readonly origin: LngLat;
  readonly points: CasePointColumns;
}

export interface AnalyticsRepository {
  /** One row per area of `level` inside the filter's `within` (zeros included), by code; `within` must be coarser than `level`. */
  areaFigures(level: FiguresLevel, filter: AnalyticsCaseFilter): Promise<AreaFiguresRow[]>;
  /** One row per department (zeros included), in the departments' order. */
  departmentFigures(filter: AnalyticsCaseFilter): Promise<DepartmentFiguresRow[]>;
  /** The `limit` grids with the highest `by` (above zero), highest first, ties by grid code. */
  hotspots(by: HotspotMeasure, limit: number, filter: AnalyticsCaseFilter): Promise<HotspotRow[]>;
  /** The filter's cases inside `bbox` (its edges included; absent: everywhere) as points with their open and overdue flags. */
  casePoints(filter: AnalyticsCaseFilter, bbox?: BBox): Promise<CasePoints>;
}

const AREA_LEVELS: readonly AreaLevel[] = ['district', 'street', 'community', 'grid'];

/**
 * The filter on $5 (the `within` code, or null for everywhere); the column follows the code's level.
 * Fixed SQL chosen from a closed set: no user value is ever part of the text.
 */
const WITHIN: Readonly<Record<AreaLevel, string>> = {
  // Unrouted cases wait in the district centre's queue: they are the district's.
  district: '(c.street_code IS NULL OR left(c.street_code, 6) = $5::text)',
  street: 'c.street_code = $5::text',
  community: 'c.community_code = $5::text',
  grid: 'c.grid_code = $5::text',
};

/** The areas of each level, their case column, and the area they lie in. */
const LEVELS: Readonly<Record<FiguresLevel, { table: string; column: string; parent: string }>> = {
  street: { table: 'streets', column: 'c.street_code', parent: 'district_code' },
  community: { table: 'communities', column: 'c.community_code', parent: 'street_code' },
  grid: { table: 'grids', column: 'c.grid_code', parent: 'community_code' },
};

/**
 * The cases the filter counts ($1 from, $2 to, $3 now, $4 categories or null, $5 within or null).
 * A case closed after `now` (a clock set in the past) is still open at `now`.
 */
function casesWhere(within: AreaLevel | undefined): string {
  return `c.duplicate_of IS NULL
      AND c.reported_at >= $1::timestamptz AND c.reported_at < $2::timestamptz
      AND ($4::text[] IS NULL OR c.category_code = ANY($4::text[]))
      AND ${within ? WITHIN[within] : '$5::text IS NULL'}`;
}

/**
 * The figures of a group of cases. On time: closed by the resolve deadline, or without one (as the
 * evaluation counts it). Rejected cases are closed too (closed_at set): received = open + closed.
 */
const FIGURES = `
      count(*)::int AS received,
      count(*) FILTER (WHERE c.closed_at IS NULL OR c.closed_at > $3::timestamptz)::int AS open,
      count(*) FILTER (WHERE (c.closed_at IS NULL OR c.closed_at > $3::timestamptz) AND c.resolve_due_at < $3::timestamptz)::int AS overdue_now,
      count(*) FILTER (WHERE c.escalated_at <= $3::timestamptz)::int AS escalated,
      count(*) FILTER (WHERE c.closed_at <= $3::timestamptz)::int AS closed,
      count(*) FILTER (WHERE c.closed_at <= $3::timestamptz AND (c.resolve_due_at IS NULL OR c.closed_at <= c.resolve_due_at))::int AS on_time,
      coalesce(sum(c.reports_count - 1), 0)::int AS repeat_reports`;

/** The figures of `f` (a LEFT JOIN, so absent groups read as zeros). */
const FIGURE_COLUMNS = `
      coalesce(f.received, 0) AS received, coalesce(f.open, 0) AS open, coalesce(f.overdue_now, 0) AS overdue_now,
      coalesce(f.escalated, 0) AS escalated, coalesce(f.closed, 0) AS closed, coalesce(f.on_time, 0) AS on_time,
      coalesce(f.repeat_reports, 0) AS repeat_reports`;

interface FiguresColumns {
  received: number;
  open: number;
  overdue_now: number;
  escalated: number;
  closed: number;
  on_time: number;
  repeat_reports: number;
}

function figuresOf(r: FiguresColumns): AreaFigures {
  return {
    received: r.received,
    open: r.open,
    overdueNow: r.overdue_now,
    escalated: r.escalated,
    closed: r.closed,
    onTimeRate: r.closed === 0 ? null : r.on_time / r.closed,
    repeatReports: r.repeat_reports,
  };
}

/** The measure's column in the figures: fixed names, never user text. */
const MEASURE_COLUMN: Readonly<Record<HotspotMeasure, string>> = { received: 'received', repeatReports: 'repeat_reports', overdueNow: 'overdue_now' };

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

function withinLevelOf(filter: AnalyticsCaseFilter): AreaLevel | undefined {
  if (filter.within === undefined) return undefined;
  const level = levelOfCode(filter.within);
  if (!level) throw new RangeError(`"${filter.within.slice(0, 40)}" is not an area code`);
  return level;
}

function params(filter: AnalyticsCaseFilter): unknown[] {
  return [filter.from.toISOString(), filter.to.toISOString(), filter.now.toISOString(), filter.categories.length > 0 ? [...filter.categories] : null, filter.within ?? null];
}

const PACKED_POINT_BYTES = 18;

function unpackPoints(n: number, packed: string | null): CasePointColumns {
  // PostgreSQL breaks base64 into lines of 76 characters; Node's decoder skips the line breaks.
  const bytes = packed === null ? new Uint8Array(0) : Buffer.from(packed, 'base64');
  if (bytes.length !== n * PACKED_POINT_BYTES) throw new Error(`case points: ${bytes.length} bytes for ${n} points`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  const open = new Uint8Array(n);
  const overdueNow = new Uint8Array(n);
  for (let i = 0, o = 0; i < n; i++, o += PACKED_POINT_BYTES) {
    lng[i] = view.getFloat64(o, false);
    lat[i] = view.getFloat64(o + 8, false);
    const flags = view.getInt16(o + 16, false);
    open[i] = flags & 1;
    overdueNow[i] = (flags >> 1) & 1;
  }
  return { lng, lat, open, overdueNow };
}

export function createAnalyticsRepository(sql: SqlClient): AnalyticsRepository {
  return {
    async areaFigures(level, filter) {
      const withinLevel = withinLevelOf(filter);
      if (withinLevel && AREA_LEVELS.indexOf(withinLevel) >= AREA_LEVELS.indexOf(level)) throw new RangeError(`no ${level} lies within a ${withinLevel}`);
      const { table, column, parent } = LEVELS[level];
      const rows = await sql.query<FiguresColumns & { code: string; name: string; parent_code: string }>(
        `WITH f AS (
           SELECT ${column} AS k, ${FIGURES}
           FROM cases c
           WHERE ${casesWhere(withinLevel)} AND ${column} IS NOT NULL
           GROUP BY 1
         )
         SELECT a.code, a.name, a.${parent} AS parent_code, ${FIGURE_COLUMNS}
         FROM ${table} a LEFT JOIN f ON f.k = a.code
         WHERE $5::text IS NULL OR left(a.code, length($5::text)) = $5::text
         ORDER BY a.code COLLATE "C"`,
        params(filter),
      );
      return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, ...figuresOf(r) }));
    },

    async departmentFigures(filter) {
      const rows = await sql.query<FiguresColumns & { code: string; name_zh: string; name_en: string }>(
        `WITH f AS (
           SELECT c.department_code AS k, ${FIGURES}
           FROM cases c
           WHERE ${casesWhere(withinLevelOf(filter))}
           GROUP BY 1
         )
         SELECT d.code, d.name_zh, d.name_en, ${FIGURE_COLUMNS}
         FROM departments d LEFT JOIN f ON f.k = d.code
         ORDER BY d.sort_order, d.code COLLATE "C"`,
        params(filter),
      );
      return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, ...figuresOf(r) }));
    },

    async hotspots(by, limit, filter) {
      if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`limit must be a whole number ≥ 1, got ${limit}`);
      const measure = MEASURE_COLUMN[by];
      // The point on each grid's surface is worked out for the chosen few only, after the limit.
      const rows = await sql.query<FiguresColumns & { grid_code: string; grid_name: string; community_name: string; street_name: string; lng: number; lat: number }>(
        `WITH f AS (
           SELECT c.grid_code AS k, ${FIGURES}
           FROM cases c
           WHERE ${casesWhere(withinLevelOf(filter))} AND c.grid_code IS NOT NULL
           GROUP BY 1
         ), top AS (
           SELECT f.* FROM f JOIN grids g ON g.code = f.k
           WHERE f.${measure} > 0
           ORDER BY f.${measure} DESC, f.k COLLATE "C"
           LIMIT $6
         )
         SELECT g.code AS grid_code, g.name AS grid_name, m.name AS community_name, s.name AS street_name,
                ST_X(p.pt) AS lng, ST_Y(p.pt) AS lat, ${FIGURE_COLUMNS}
         FROM top f
         JOIN grids g ON g.code = f.k
         JOIN communities m ON m.code = g.community_code
         JOIN streets s ON s.code = g.street_code
         CROSS JOIN LATERAL (SELECT ST_PointOnSurface(g.geom) AS pt) p
         ORDER BY f.${measure} DESC, f.k COLLATE "C"`,
        [...params(filter), limit],
      );
      return rows.map((r) => ({
        gridCode: r.grid_code,
        gridName: r.grid_name,
        communityName: r.community_name,
        streetName: r.street_name,
        lng: round7(r.lng),
        lat: round7(r.lat),
        ...figuresOf(r),
      }));
    },

    async casePoints(filter, bbox) {
      // Each point packed as 18 bytes (lng, lat as float8, flags as int2; big-endian, as *send writes
      // them) into one value: a row per case would cost more to decode than the query takes to run.
      // Base64 text rather than bytea, which both drivers decode slower (PGlite three times slower).
      const rows = await sql.query<{ origin_lng: number | null; origin_lat: number | null; n: number; packed: string | null }>(
        `WITH o AS (SELECT ST_Extent(geom) AS e FROM districts)
         SELECT (ST_XMin(o.e) + ST_XMax(o.e)) / 2 AS origin_lng, (ST_YMin(o.e) + ST_YMax(o.e)) / 2 AS origin_lat, p.n, p.packed
         FROM o, (
           SELECT count(*)::int AS n,
                  encode(string_agg(float8send(ST_X(c.geom)) || float8send(ST_Y(c.geom)) || int2send(
                    CASE WHEN c.closed_at IS NULL OR c.closed_at > $3::timestamptz
                         THEN CASE WHEN c.resolve_due_at < $3::timestamptz THEN 3 ELSE 1 END ELSE 0 END::int2), ''::bytea), 'base64') AS packed
           FROM cases c
           WHERE ${casesWhere(withinLevelOf(filter))}
             AND ($6::float8 IS NULL OR c.geom && ST_MakeEnvelope($6::float8, $7::float8, $8::float8, $9::float8, 4326))
         ) p`,
        [...params(filter), ...(bbox ?? [null, null, null, null])],
      );
      const row = rows[0];
      if (!row || row.origin_lng === null || row.origin_lat === null) throw new Error('the store has no district');
      return { origin: [row.origin_lng, row.origin_lat], points: unpackPoints(row.n, row.packed) };
    },
  };
}
