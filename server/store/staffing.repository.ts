import type { StaffedGrid, StaffMember } from '../../core/protocol/analytics-api.ts';
import type { SqlClient } from './sql-client.ts';

export interface StaffingQuery {
  /** Only people of this department (absent: every department). */
  readonly departmentCode?: string;
  /** Only grids inside this district, street, community or grid (absent: every grid). */
  readonly within?: string;
  /** When "overdue" is measured. */
  readonly now: Date;
}

export interface Staffing {
  readonly grids: StaffedGrid[];
  readonly people: StaffMember[];
}

export interface StaffingRepository {
  /**
   * Every grid inside `within` (by code) with the people of the department (or of any) assigned to
   * it, and every one of those people (by id) with all their grids and their open and overdue cases.
   */
  staffing(query: StaffingQuery): Promise<Staffing>;
}

/**
 * One statement, two JSON arrays built by PostgreSQL: the store can hold tens of thousands of grids,
 * and a row per (grid, person) pair would cross the driver boundary many times over. Open cases: not
 * closed (closed_at null, or after `now` for a clock set in the past); overdue: past the resolve deadline.
 */
const STAFFING_SQL = `
  WITH g AS (
    SELECT code, ST_PointOnSurface(geom) AS inside FROM grids WHERE $1::text IS NULL OR left(code, length($1::text)) = $1::text
  ), a AS (
    SELECT a.grid_code, p.id, p.department_code, p.on_duty
    FROM g JOIN assignments a ON a.grid_code = g.code JOIN personnel p ON p.id = a.person_id
    WHERE $2::text IS NULL OR p.department_code = $2::text
  ), per_grid AS (
    SELECT g.code,
           round(ST_X(g.inside)::numeric, 6)::float8 AS lng,
           round(ST_Y(g.inside)::numeric, 6)::float8 AS lat,
           coalesce(array_agg(a.id ORDER BY a.id COLLATE "C") FILTER (WHERE a.id IS NOT NULL), '{}') AS people,
           count(DISTINCT a.department_code)::int AS departments,
           count(*) FILTER (WHERE a.on_duty)::int AS on_duty
    FROM g LEFT JOIN a ON a.grid_code = g.code
    GROUP BY g.code, g.inside
  ), who AS (
    SELECT DISTINCT id FROM a
  ), load AS (
    SELECT c.assignee_id AS id, count(*)::int AS open, count(*) FILTER (WHERE c.resolve_due_at < $3::timestamptz)::int AS overdue
    FROM cases c JOIN who ON who.id = c.assignee_id
    WHERE c.closed_at IS NULL OR c.closed_at > $3::timestamptz
    GROUP BY c.assignee_id
  ), person_grids AS (
    SELECT x.person_id AS id, array_agg(x.grid_code ORDER BY x.grid_code COLLATE "C") AS grids
    FROM who JOIN assignments x ON x.person_id = who.id
    GROUP BY x.person_id
  )
  SELECT
    (SELECT coalesce(json_agg(json_build_object('gridCode', code, 'lng', lng, 'lat', lat, 'people', people, 'departmentsCovered', departments, 'onDuty', on_duty)
                              ORDER BY code COLLATE "C"), '[]'::json)
     FROM per_grid) AS grids,
    (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'departmentCode', p.department_code, 'streetCode', p.street_code,
                                                'phone', p.phone, 'onDuty', p.on_duty, 'grids', pg.grids,
                                                'openCases', coalesce(l.open, 0), 'overdueCases', coalesce(l.overdue, 0))
                              ORDER BY p.id COLLATE "C"), '[]'::json)
     FROM who JOIN personnel p ON p.id = who.id JOIN person_grids pg ON pg.id = p.id LEFT JOIN load l ON l.id = p.id) AS people`;

export function createStaffingRepository(sql: SqlClient): StaffingRepository {
  return {
    async staffing(query) {
      const [row] = await sql.query<{ grids: StaffedGrid[]; people: StaffMember[] }>(STAFFING_SQL, [query.within ?? null, query.departmentCode ?? null, query.now.toISOString()]);
      return { grids: row?.grids ?? [], people: row?.people ?? [] };
    },
  };
}
