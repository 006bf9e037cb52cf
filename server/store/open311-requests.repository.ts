import type { CaseEventType } from '../../core/case-loop/case-events.ts';
import type { CaseStatus } from '../../core/case-loop/case-state.ts';
import { STEP_EVENT_TYPES, type Open311CaseFacts } from '../../core/open311/requests.ts';
import type { SqlClient } from './sql-client.ts';

/** GET requests: by case numbers (which overrides the rest), or by categories, statuses and a time window. */
export interface Open311RequestQuery {
  readonly numbers?: readonly string[];
  readonly categories?: readonly string[];
  readonly statuses?: readonly CaseStatus[];
  /** reported_at ≥ from and < until. */
  readonly from?: Date;
  readonly until?: Date;
  readonly limit: number;
}

/** The reads of the Open311 door: cases as service requests, and the report ids a POST may repeat. */
export interface Open311RequestsRepository {
  /** Newest first (then by number), at most `limit`; never any reporter data. */
  query(query: Open311RequestQuery): Promise<Open311CaseFacts[]>;
  /** When each of these report ids was filed, for those that were. */
  reportTimes(reportIds: readonly string[]): Promise<Map<string, Date>>;
}

interface Row {
  case_number: string;
  category_code: string;
  status: CaseStatus;
  description: string;
  department_code: string | null;
  reported_at: Date;
  resolve_due_at: Date | null;
  closed_at: Date | null;
  lng: number;
  lat: number;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  photos: string[] | null;
  queue_kind: 'person' | 'street' | 'district';
  duplicate_of_number: string | null;
  step_type: CaseEventType | null;
  step_at: Date | null;
  step_data: Record<string, unknown> | null;
}

export function createOpen311RequestsRepository(sql: SqlClient): Open311RequestsRepository {
  return {
    async query(query) {
      // Open311 answers anyone: only what the public filed is listed (the app and Open311 clients).
      // Staff channels carry callers' words from the hotline and patrol notes, which are not public.
      const where: string[] = [`c.channel = ANY(ARRAY['resident-app', 'open311'])`];
      const params: unknown[] = [STEP_EVENT_TYPES];
      const param = (value: unknown): string => {
        params.push(value);
        return `$${params.length}`;
      };
      if (query.numbers) where.push(`c.case_number = ANY(${param(query.numbers)}::text[])`);
      else {
        if (query.categories) where.push(`c.category_code = ANY(${param(query.categories)}::text[])`);
        if (query.statuses) where.push(`c.status = ANY(${param(query.statuses)}::text[])`);
        if (query.from) where.push(`c.reported_at >= ${param(query.from.toISOString())}::timestamptz`);
        if (query.until) where.push(`c.reported_at < ${param(query.until.toISOString())}::timestamptz`);
      }
      const rows = await sql.query<Row>(
        `SELECT c.case_number, c.category_code, c.status, c.description, c.department_code, c.reported_at, c.resolve_due_at, c.closed_at,
                ST_X(c.geom) AS lng, ST_Y(c.geom) AS lat, c.grid_code, c.community_code, c.street_code, c.photos, c.queue_kind,
                d.case_number AS duplicate_of_number, s.type AS step_type, s.at AS step_at, s.data AS step_data
         FROM cases c
         LEFT JOIN cases d ON d.id = c.duplicate_of
         LEFT JOIN LATERAL (SELECT e.type, e.at, e.data FROM case_events e WHERE e.case_id = c.id AND e.type = ANY($1::text[]) ORDER BY e.seq DESC LIMIT 1) s ON true
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY c.reported_at DESC, c.case_number DESC
         LIMIT ${param(query.limit)}`,
        params,
      );
      return rows.map(
        (r): Open311CaseFacts => ({
          number: r.case_number,
          category: r.category_code,
          status: r.status,
          description: r.description,
          departmentCode: r.department_code,
          reportedAt: r.reported_at.toISOString(),
          resolveDueAt: r.resolve_due_at?.toISOString() ?? null,
          closedAt: r.closed_at?.toISOString() ?? null,
          point: [r.lng, r.lat],
          gridCode: r.grid_code,
          communityCode: r.community_code,
          streetCode: r.street_code,
          photos: r.photos ?? [],
          queueKind: r.queue_kind,
          duplicateOfNumber: r.duplicate_of_number,
          lastStep: r.step_type && r.step_at ? { type: r.step_type, at: r.step_at.toISOString(), data: r.step_data ?? {} } : null,
        }),
      );
    },

    async reportTimes(reportIds) {
      if (reportIds.length === 0) return new Map();
      const rows = await sql.query<{ report_id: string; reported_at: Date }>('SELECT report_id, reported_at FROM cases WHERE report_id = ANY($1::text[])', [reportIds]);
      return new Map(rows.map((r) => [r.report_id, r.reported_at]));
    },
  };
}
