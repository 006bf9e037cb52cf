import type { CaseStatus, Tier } from '../../core/case-loop/case-state.ts';
import { CASE_EVENT_COLUMNS, INTAKE_LOCK } from './cases.repository.ts';
import { copyLine } from './copy-text.ts';
import { drawCaseIds, drawEventSeqs } from './identity-sequences.ts';
import type { SqlClient } from './sql-client.ts';
import { pointEwkbHex } from './wkb.ts';

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
  /** The event's data as JSON text. Its payload (the case after it) is not stored: readers derive it (migration 009). */
  readonly dataJson: string;
  readonly streetCode: string | null;
  readonly communityCode: string | null;
  readonly gridCode: string | null;
  readonly prevHash: string | null;
  readonly hash: string;
}

export const IMPORT_ACTOR = 'system:import';

/**
 * One import batch: a transaction. Its cases are written first, without the intake lock, so that
 * another batch (or live intake) can hold the lock meanwhile; `lockChain` then takes it until the
 * commit, and only after it are sequence numbers drawn and the last hash read.
 */
export interface HistoricImportBatch {
  /** Which of these report ids are already stored (a re-import skips them). */
  knownReportIds(reportIds: readonly string[]): Promise<Set<string>>;
  insertCases(rows: readonly ImportedCaseRow[]): Promise<void>;
  /** Takes the intake lock (held until the transaction ends). */
  lockChain(): Promise<void>;
  /** Sequence numbers, contiguous and above every committed one (the lock sees to both). */
  allocateSeqs(count: number): Promise<number[]>;
  lastEventHash(): Promise<string | null>;
  insertEvents(rows: readonly ImportedEventRow[]): Promise<void>;
}

/**
 * A whole import in one transaction that holds the case tables (see
 * HistoricImportRepository.loadInOneTransaction): the intake lock is held from the start, so sequence
 * numbers can be drawn and the chain extended at any time.
 */
export interface OneTransactionLoad {
  /** Case ids, on a connection of their own where the store has one (the load's may be busy writing). */
  allocateCaseIds(count: number): Promise<number[]>;
  knownReportIds(reportIds: readonly string[]): Promise<Set<string>>;
  insertCases(rows: readonly ImportedCaseRow[]): Promise<void>;
  allocateSeqs(count: number): Promise<number[]>;
  lastEventHash(): Promise<string | null>;
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
  /**
   * How many batches are worth writing at once: 2 on a PostgreSQL server (each on its own
   * connection: one writes its cases while the other holds the lock for its events), 1 on the
   * embedded store (one connection: a second batch would only wait).
   */
  readonly parallelBatches: number;
  /** Runs one batch in a transaction (see HistoricImportBatch for when it takes the intake lock). */
  batch<T>(work: (batch: HistoricImportBatch) => Promise<T>): Promise<T>;
  /**
   * Runs a whole import in one transaction that holds `cases` and `case_events` to itself (live
   * intake waits until it commits) and writes them without their secondary indexes and foreign keys,
   * which it builds again, as they were, once `work` resolves: each index is built once by a sort
   * instead of row by row, and each key checked by one join. If `work` throws (or a rebuilt key
   * finds a row without its parent) everything is rolled back, indexes and keys included.
   * `onRebuild` hears when the rebuilding starts.
   */
  loadInOneTransaction<T>(work: (load: OneTransactionLoad) => Promise<T>, onRebuild?: () => void): Promise<T>;
  /** Case ids from the cases' sequence: unique whoever draws them, so drawn outside the lock. */
  allocateCaseIds(count: number): Promise<number[]>;
  knownReportIds(reportIds: readonly string[]): Promise<Set<string>>;
  /** Open cases (closed_at IS NULL) by id, a page at a time. */
  openCasePoints(afterId: number, limit: number): Promise<OpenCasePoint[]>;
}

// Rows travel by COPY (SqlClient.copyRows): no SQL is planned or run per row, and the point goes as
// hex EWKB (exact doubles, no WKT to parse).

const CASE_COLUMNS = [
  'id', 'case_number', 'report_id', 'report_hash', 'category_code', 'geom', 'crs', 'grid_code', 'community_code', 'street_code', 'status', 'severity',
  'channel', 'description', 'queue_kind', 'queue_street', 'dispatch_reason', 'near_boundary', 'reported_at', 'accept_due_at', 'resolve_due_at',
  'tier', 'department_code', 'accepted_at', 'closed_at', 'rating', 'rating_comment', 'rated_at',
] as const;

function caseLine(r: ImportedCaseRow): string {
  const rated = r.rating !== null;
  return copyLine([
    r.id, r.number, r.reportId, r.reportHash, r.category, pointEwkbHex(r.lng, r.lat), r.crs, r.gridCode, r.communityCode, r.streetCode, r.status, r.severity,
    r.channel, r.description, r.queueKind, r.queueStreet, r.dispatchReasonJson, r.nearBoundaryJson, r.reportedAt, r.acceptDueAt, r.resolveDueAt,
    r.tier, r.departmentCode, r.acceptedAt, r.closedAt, r.rating, rated ? '' : null, rated ? r.closedAt : null,
  ]);
}

// payload is given as NULL: its column's default ('{}') would be a wrong case, not a missing one.

function eventLine(r: ImportedEventRow): string {
  return copyLine([r.seq, r.caseId, 'imported', 'case:created', IMPORT_ACTOR, r.at, r.dataJson, null, r.streetCode, r.communityCode, r.gridCode, r.prevHash, r.hash]);
}

async function knownReportIds(sql: SqlClient, reportIds: readonly string[]): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const rows = await sql.query<{ report_id: string }>('SELECT report_id FROM cases WHERE report_id = ANY($1::text[])', [reportIds]);
  return new Set(rows.map((r) => r.report_id));
}

async function lastEventHash(tx: SqlClient): Promise<string | null> {
  const rows = await tx.query<{ hash: string }>('SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1');
  return rows[0]?.hash ?? null;
}

async function insertCases(tx: SqlClient, rows: readonly ImportedCaseRow[]): Promise<void> {
  if (rows.length === 0) return;
  const stored = await tx.copyRows('cases', CASE_COLUMNS, rows.map(caseLine).join(''));
  // Counted: the embedded store can lose an error and write nothing (see open-pglite-client.ts).
  if (stored !== rows.length) throw new Error(`stored ${stored} of ${rows.length} imported cases`);
}

async function insertEvents(tx: SqlClient, rows: readonly ImportedEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const stored = await tx.copyRows('case_events', CASE_EVENT_COLUMNS, rows.map(eventLine).join(''));
  if (stored !== rows.length) throw new Error(`stored ${stored} of ${rows.length} imported events`);
}

const LOADED_TABLES = ['cases', 'case_events'] as const;

/**
 * Takes the intake lock and the case tables, drops their secondary indexes (neither unique nor
 * behind a constraint: the unique ones find already-stored reports and keep ids unique as rows
 * arrive) and their foreign keys, and returns how to build them again, as the catalogue defines them.
 */
async function dropSecondaryStructures(tx: SqlClient): Promise<string[]> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_LOCK]);
  await tx.exec(`LOCK TABLE ${LOADED_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
  const tables = `(${LOADED_TABLES.map((t) => `'${t}'::regclass`).join(', ')})`;
  const indexes = await tx.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid IN ${tables} AND NOT i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
  );
  const keys = await tx.query<{ owner: string; name: string; definition: string }>(
    `SELECT conrelid::regclass::text AS owner, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE contype = 'f' AND conrelid IN ${tables} ORDER BY 1, 2`,
  );
  for (const k of keys) await tx.exec(`ALTER TABLE ${k.owner} DROP CONSTRAINT ${k.name}`);
  if (indexes.length > 0) await tx.exec(`DROP INDEX ${indexes.map((i) => i.name).join(', ')}`);
  return [...indexes.map((i) => i.definition), ...keys.map((k) => `ALTER TABLE ${k.owner} ADD CONSTRAINT ${k.name} ${k.definition}`)];
}

function batchOn(tx: SqlClient): HistoricImportBatch {
  let locked = false;
  const underLock = (what: string): void => {
    if (!locked) throw new Error(`${what} needs the intake lock: call lockChain first`);
  };
  return {
    knownReportIds: (ids) => knownReportIds(tx, ids),
    async lockChain() {
      // The intake's lock: every writer of case events holds it while it draws sequence numbers and
      // commits, so sequence order is commit order and the hash chain has one line. A batch takes it
      // only for its events, so live intake goes on between them.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_LOCK]);
      locked = true;
    },
    allocateSeqs(count) {
      underLock('allocateSeqs');
      return drawEventSeqs(tx, count);
    },
    lastEventHash() {
      underLock('lastEventHash');
      return lastEventHash(tx);
    },
    insertCases: (rows) => insertCases(tx, rows),
    insertEvents(rows) {
      underLock('insertEvents');
      return insertEvents(tx, rows);
    },
  };
}

export function createHistoricImportRepository(sql: SqlClient): HistoricImportRepository {
  return {
    parallelBatches: sql.driver === 'pg' ? 2 : 1,
    batch(work) {
      return sql.transaction((tx) => work(batchOn(tx)));
    },

    loadInOneTransaction(work, onRebuild) {
      return sql.transaction(async (tx) => {
        const rebuild = await dropSecondaryStructures(tx);
        // A server sorts for each index in memory it may take for the purpose (the embedded store keeps its default: its memory is this process's).
        if (sql.driver === 'pg') await tx.exec("SET LOCAL maintenance_work_mem = '256MB'");
        const result = await work({
          // The pool's other connections draw ids while this one writes; the embedded store has only the one.
          allocateCaseIds: (count) => drawCaseIds(sql.driver === 'pg' ? sql : tx, count),
          knownReportIds: (ids) => knownReportIds(tx, ids),
          insertCases: (rows) => insertCases(tx, rows),
          allocateSeqs: (count) => drawEventSeqs(tx, count),
          lastEventHash: () => lastEventHash(tx),
          insertEvents: (rows) => insertEvents(tx, rows),
        });
        onRebuild?.();
        for (const statement of rebuild) await tx.exec(statement);
        return result;
      });
    },

    allocateCaseIds: (count) => drawCaseIds(sql, count),

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
