import type { CaseStatus, Tier } from '../../core/case-loop/case-state.ts';
import type { SqlClient } from './sql-client.ts';

/**
 * Which cases an export holds. `area`: a district, street, community or grid code (district: all);
 * `status`: open (not closed, rejected or merged), closed (any of those) or all; report times as
 * RFC 3339 text, handed to PostgreSQL as timestamptz: `reportedFrom` ≤ t ≤ `reportedUntil`, t < `reportedBefore`.
 */
export interface CaseExportFilter {
  readonly area?: string;
  /** Any of these categories. */
  readonly categories?: readonly string[];
  readonly status: 'open' | 'closed' | 'all';
  readonly reportedFrom?: string;
  readonly reportedUntil?: string;
  readonly reportedBefore?: string;
}

/** A case as exports show it: its place in the loop, never its reporter nor the free text they wrote. */
export interface ExportedCase {
  readonly id: number;
  readonly number: string;
  readonly category: string;
  readonly categoryName: string;
  readonly severity: number;
  readonly status: CaseStatus;
  readonly tier: Tier;
  readonly channel: string;
  readonly lng: number;
  readonly lat: number;
  readonly gridCode: string | null;
  readonly communityCode: string | null;
  readonly streetCode: string | null;
  readonly departmentCode: string | null;
  readonly queue: 'person' | 'street' | 'district';
  readonly reportedAt: Date;
  readonly acceptDueAt: Date | null;
  readonly resolveDueAt: Date | null;
  readonly acceptedAt: Date | null;
  readonly closedAt: Date | null;
  readonly acceptOverdue: boolean;
  readonly resolveOverdue: boolean;
  readonly rating: number | null;
  readonly reportsCount: number;
}

export interface CaseExportRepository {
  /** The filter's cases with id > `afterId`, by id, at most `limit`: an export reads page after page. */
  page(filter: CaseExportFilter, afterId: number, limit: number): Promise<ExportedCase[]>;
}

const AREA_COLUMNS: Readonly<Record<number, string>> = { 9: 'street_code', 12: 'community_code', 15: 'grid_code' };

interface Row {
  id: number;
  case_number: string;
  category_code: string;
  category_name: string;
  severity: number;
  status: CaseStatus;
  tier: Tier;
  channel: string;
  lng: number;
  lat: number;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  department_code: string | null;
  queue_kind: ExportedCase['queue'];
  reported_at: Date;
  accept_due_at: Date | null;
  resolve_due_at: Date | null;
  accepted_at: Date | null;
  closed_at: Date | null;
  accept_overdue: boolean;
  resolve_overdue: boolean;
  rating: number | null;
  reports_count: number;
}

export function createCaseExportRepository(sql: SqlClient): CaseExportRepository {
  return {
    async page(filter, afterId, limit) {
      const params: unknown[] = [afterId];
      const where = ['c.id > $1'];
      const add = (clause: (n: string) => string, value: unknown): void => {
        params.push(value);
        where.push(clause(`$${params.length}`));
      };
      if (filter.area !== undefined) {
        const column = AREA_COLUMNS[filter.area.length];
        if (column) add((n) => `c.${column} = ${n}`, filter.area);
        else if (filter.area.length !== 6) throw new RangeError(`"${filter.area}" is not an area code`);
      }
      // Codes never hold a comma: one text parameter serves both drivers alike.
      if (filter.categories !== undefined && filter.categories.length > 0) add((n) => `c.category_code = ANY (string_to_array(${n}, ','))`, filter.categories.join(','));
      if (filter.status === 'open') where.push('c.closed_at IS NULL');
      if (filter.status === 'closed') where.push('c.closed_at IS NOT NULL');
      if (filter.reportedFrom !== undefined) add((n) => `c.reported_at >= ${n}::timestamptz`, filter.reportedFrom);
      if (filter.reportedUntil !== undefined) add((n) => `c.reported_at <= ${n}::timestamptz`, filter.reportedUntil);
      if (filter.reportedBefore !== undefined) add((n) => `c.reported_at < ${n}::timestamptz`, filter.reportedBefore);
      params.push(limit);
      const rows = await sql.query<Row>(
        `SELECT c.id, c.case_number, c.category_code, k.name_zh AS category_name, c.severity, c.status, c.tier, c.channel,
                ST_X(c.geom) AS lng, ST_Y(c.geom) AS lat, c.grid_code, c.community_code, c.street_code, c.department_code, c.queue_kind,
                c.reported_at, c.accept_due_at, c.resolve_due_at, c.accepted_at, c.closed_at,
                c.overdue_accept_at IS NOT NULL AS accept_overdue, c.overdue_resolve_at IS NOT NULL AS resolve_overdue, c.rating, c.reports_count
         FROM cases c JOIN categories k ON k.code = c.category_code
         WHERE ${where.join(' AND ')} ORDER BY c.id LIMIT $${params.length}`,
        params,
      );
      return rows.map((r) => ({
        id: r.id,
        number: r.case_number,
        category: r.category_code,
        categoryName: r.category_name,
        severity: r.severity,
        status: r.status,
        tier: r.tier,
        channel: r.channel,
        lng: r.lng,
        lat: r.lat,
        gridCode: r.grid_code,
        communityCode: r.community_code,
        streetCode: r.street_code,
        departmentCode: r.department_code,
        queue: r.queue_kind,
        reportedAt: r.reported_at,
        acceptDueAt: r.accept_due_at,
        resolveDueAt: r.resolve_due_at,
        acceptedAt: r.accepted_at,
        closedAt: r.closed_at,
        acceptOverdue: r.accept_overdue,
        resolveOverdue: r.resolve_overdue,
        rating: r.rating,
        reportsCount: r.reports_count,
      }));
    },
  };
}
