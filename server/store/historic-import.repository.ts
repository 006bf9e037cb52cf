import type { CaseStatus, Tier } from '../../core/case-loop/case-state.ts';
import type { SqlClient } from './sql-client.ts';

/**
 * The intake's lock (`INTAKE_LOCK` in cases.repository.ts): every writer of case events takes it
 * while it draws sequence numbers and commits, so sequence order is commit order and the hash chain
 * has one line. Bulk imports take the same one, a batch at a time, so live intake goes on between them.
 */
export const CASE_EVENTS_LOCK = 7201510;

/** A historic case as its row in `cases` (the projection of its one `imported` event). */
export interface ImportedCaseRow {
  readonly id: number;
  readonly number: string;
  readonly reportId: string;
  readonly reportHash: string;
  readonly category: string;
  readonly severity: number;
  readonly lng: number;
  readonly lat: number;
  readonly crs: string;
  readonly gridCode: string | null;
  readonly communityCode: string | null;
  readonly streetCode: string | null;
  readonly status: Extract<CaseStatus, 'queued' | 'closed'>;
  readonly tier: Tier;
  readonly channel: string;
  readonly description: string;
  readonly departmentCode: string;
  readonly queueKind: 'street' | 'district';
  readonly queueStreet: string | null;
  /** JSON text of the dispatch reason and of the near-boundary flag (null: none). */
  readonly dispatchReasonJson: string;
  readonly nearBoundaryJson: string | null;
  /** ISO 8601 instants. */
  readonly reportedAt: string;
  readonly acceptDueAt: string;
  readonly resolveDueAt: string;
  readonly acceptedAt: string | null;
  readonly closedAt: string | null;
  readonly rating: number | null;
}

/** The `imported` event of one case (type, kind and actor are the import's). */
export interface ImportedEventRow {
  readonly seq: number;
  readonly caseId: number;
  readonly at: string;
  /** The event's data and the case as it stands after it, as JSON text. */
  readonly dataJson: string;
  readonly payloadJson: string;
  readonly streetCode: string | null;
  readonly communityCode: string | null;
  readonly gridCode: string | null;
  readonly prevHash: string | null;
  readonly hash: string;
}

export const IMPORT_ACTOR = 'system:import';

/** One import batch: a transaction holding the case-events lock throughout. */
export interface HistoricImportBatch {
  /** Which of these report ids are already stored (a re-import skips them). */
  knownReportIds(reportIds: readonly string[]): Promise<Set<string>>;
  /** Sequence numbers, contiguous and above every committed one (the lock sees to both). */
  allocateSeqs(count: number): Promise<number[]>;
  lastEventHash(): Promise<string | null>;
  insertCases(rows: readonly ImportedCaseRow[]): Promise<void>;
  insertEvents(rows: readonly ImportedEventRow[]): Promise<void>;
}

/** An open case's place, for re-routing after the grids change. */
export interface OpenCasePoint {
  readonly id: number;
  readonly number: string;
  readonly lng: number;
  readonly lat: number;
  readonly gridCode: string | null;
  readonly status: CaseStatus;
}

/** Bulk writes and reads for imports and re-routing (`npm run import:cases`, `npm run reroute:cases`). */
export interface HistoricImportRepository {
  /** Runs one batch in a transaction under the case-events lock. */
  batch<T>(work: (batch: HistoricImportBatch) => Promise<T>): Promise<T>;
  /** Case ids from the cases' sequence: unique whoever draws them, so drawn outside the lock. */
  allocateCaseIds(count: number): Promise<number[]>;
  knownReportIds(reportIds: readonly string[]): Promise<Set<string>>;
  /** Open cases (closed_at IS NULL) by id, a page at a time. */
  openCasePoints(afterId: number, limit: number): Promise<OpenCasePoint[]>;
}

// Rows travel as one text parameter, a line per row and a tab between fields, split by the database
// (string_to_table / string_to_array; OFFSET 0 keeps the split to once per row rather than once per
// column): about 2.5 times faster than one array parameter per column, whose elements node-postgres
// must quote and escape one by one, within ~25 % of COPY (which SqlClient does not offer), and the
// same SQL on both drivers. No field may hold a tab or a line break: free text goes as a JSON string
// literal, JSON as is (JSON.stringify escapes both), the rest are codes, numbers and ISO times.

/** A field of a row line: '' stands for NULL. */
function f(value: string | number | null): string {
  return value === null ? '' : String(value);
}

function caseLine(r: ImportedCaseRow): string {
  return [
    r.id, r.number, r.reportId, r.reportHash, r.category, r.lng, r.lat, r.crs, f(r.gridCode), f(r.communityCode), f(r.streetCode), r.status, r.severity,
    r.channel, JSON.stringify(r.description), r.queueKind, f(r.queueStreet), r.dispatchReasonJson, f(r.nearBoundaryJson), r.reportedAt, r.acceptDueAt,
    r.resolveDueAt, r.tier, r.departmentCode, f(r.acceptedAt), f(r.closedAt), f(r.rating),
  ].join('\t');
}

function eventLine(r: ImportedEventRow): string {
  return [r.seq, r.caseId, r.at, r.dataJson, r.payloadJson, f(r.streetCode), f(r.communityCode), f(r.gridCode), f(r.prevHash), r.hash].join('\t');
}

const ROWS = (param: string): string => `(SELECT string_to_array(line, E'\\t') AS v FROM string_to_table(${param}, E'\\n') AS line OFFSET 0) AS t`;

const INSERT_CASES = `
  INSERT INTO cases (id, case_number, report_id, report_hash, category_code, geom, crs, grid_code, community_code, street_code, status, severity,
                     channel, description, queue_kind, queue_street, dispatch_reason, near_boundary, reported_at, accept_due_at, resolve_due_at,
                     tier, department_code, accepted_at, closed_at, rating, rating_comment, rated_at)
  SELECT v[1]::bigint, v[2], v[3], v[4], v[5], ST_SetSRID(ST_MakePoint(v[6]::float8, v[7]::float8), 4326), v[8], nullif(v[9], ''), nullif(v[10], ''),
         nullif(v[11], ''), v[12], v[13]::smallint, v[14], v[15]::jsonb #>> '{}', v[16], nullif(v[17], ''), v[18]::jsonb, nullif(v[19], '')::jsonb,
         v[20]::timestamptz, v[21]::timestamptz, v[22]::timestamptz, v[23], v[24], nullif(v[25], '')::timestamptz, nullif(v[26], '')::timestamptz,
         nullif(v[27], '')::smallint, CASE WHEN v[27] <> '' THEN '' END, CASE WHEN v[27] <> '' THEN nullif(v[26], '')::timestamptz END
  FROM ${ROWS('$1')}
  RETURNING 1`;

const INSERT_EVENTS = `
  INSERT INTO case_events (seq, case_id, type, kind, actor, at, data, payload, street_code, community_code, grid_code, prev_hash, hash)
  SELECT v[1]::bigint, v[2]::bigint, 'imported', 'case:created', '${IMPORT_ACTOR}', v[3]::timestamptz, v[4]::jsonb, v[5]::jsonb,
         nullif(v[6], ''), nullif(v[7], ''), nullif(v[8], ''), nullif(v[9], ''), v[10]
  FROM ${ROWS('$1')}
  RETURNING 1`;

async function knownReportIds(sql: SqlClient, reportIds: readonly string[]): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const rows = await sql.query<{ report_id: string }>('SELECT report_id FROM cases WHERE report_id = ANY($1::text[])', [reportIds]);
  return new Set(rows.map((r) => r.report_id));
}

function batchOn(tx: SqlClient): HistoricImportBatch {
  return {
    knownReportIds: (ids) => knownReportIds(tx, ids),
    async allocateSeqs(count) {
      if (count === 0) return [];
      const rows = await tx.query<{ v: number }>("SELECT nextval(pg_get_serial_sequence('case_events', 'seq'))::bigint AS v FROM generate_series(1, $1)", [count]);
      return rows.map((r) => r.v).sort((a, b) => a - b);
    },
    async lastEventHash() {
      const rows = await tx.query<{ hash: string }>('SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1');
      return rows[0]?.hash ?? null;
    },
    async insertCases(rows) {
      if (rows.length === 0) return;
      const inserted = await tx.query(INSERT_CASES, [rows.map(caseLine).join('\n')]);
      // Counted: the embedded store can lose an error and write nothing (see open-pglite-client.ts).
      if (inserted.length !== rows.length) throw new Error(`stored ${inserted.length} of ${rows.length} imported cases`);
    },
    async insertEvents(rows) {
      if (rows.length === 0) return;
      const inserted = await tx.query(INSERT_EVENTS, [rows.map(eventLine).join('\n')]);
      if (inserted.length !== rows.length) throw new Error(`stored ${inserted.length} of ${rows.length} imported events`);
    },
  };
}

export function createHistoricImportRepository(sql: SqlClient): HistoricImportRepository {
  return {
    batch(work) {
      return sql.transaction(async (tx) => {
        // The batch's rows arrive as one text of ~10 MB: room to split it without spilling to a temporary file.
        await tx.query("SELECT pg_advisory_xact_lock($1), set_config('work_mem', '64MB', true)", [CASE_EVENTS_LOCK]);
        return work(batchOn(tx));
      });
    },

    async allocateCaseIds(count) {
      if (count === 0) return [];
      const rows = await sql.query<{ v: number }>("SELECT nextval(pg_get_serial_sequence('cases', 'id'))::bigint AS v FROM generate_series(1, $1)", [count]);
      return rows.map((r) => r.v).sort((a, b) => a - b);
    },

    knownReportIds: (ids) => knownReportIds(sql, ids),

    async openCasePoints(afterId, limit) {
      const rows = await sql.query<{ id: number; case_number: string; lng: number; lat: number; grid_code: string | null; status: CaseStatus }>(
        `SELECT id, case_number, ST_X(geom) AS lng, ST_Y(geom) AS lat, grid_code, status
         FROM cases WHERE closed_at IS NULL AND id > $1 ORDER BY id LIMIT $2`,
        [afterId, limit],
      );
      return rows.map((r) => ({ id: r.id, number: r.case_number, lng: r.lng, lat: r.lat, gridCode: r.grid_code, status: r.status }));
    },
  };
}
