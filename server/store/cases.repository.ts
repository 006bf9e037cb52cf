import type { CaseEvent } from '../../core/case-loop/case-events.ts';
import { summaryOfImported } from '../../core/case-loop/summary-of.ts';
import type { CaseEventMessage, CaseStatus, CaseSummary, Tier } from '../../core/cases/case-summary.ts';
import type { Channel } from '../../core/cases/report.ts';
import type { DispatchReason, Queue } from '../../core/dispatch/dispatch-decision.ts';
import { BRIEF_LENGTH } from '../../core/protocol/live-wire.ts';
import { copyLine } from './copy-text.ts';
import { drawForBatch } from './identity-sequences.ts';
import type { SqlClient } from './sql-client.ts';
import type { CandidateRow, CaseBatch, CaseRepository, NearbyOpenCase, NewCaseRow, NewEventRow, StoredCaseEvent } from './store.ts';

/**
 * One lock for every intake batch in the database, whichever server runs it: see `batch`. Every
 * other writer of case events (the roster import, historic imports) takes it too.
 */
export const INTAKE_LOCK = 7201510;

/** The columns every writer of case events gives, in COPY's order (what each writes as payload, and why, is said where it writes). */
export const CASE_EVENT_COLUMNS = ['seq', 'case_id', 'type', 'kind', 'actor', 'at', 'data', 'payload', 'street_code', 'community_code', 'grid_code', 'prev_hash', 'hash'] as const;

const SUMMARY_COLUMNS = `c.id, c.case_number, c.category_code, c.severity, ST_X(c.geom) AS lng, ST_Y(c.geom) AS lat,
  c.grid_code, c.community_code, c.street_code, c.status, c.channel, c.description, c.queue_kind, c.queue_street,
  c.assignee_id, p.name AS assignee_name, p.department_code AS assignee_department, c.dispatch_reason,
  c.reported_at, c.accept_due_at, c.resolve_due_at, c.reports_count, d.case_number AS duplicate_of_number, c.near_boundary,
  c.tier, c.department_code, c.accepted_at, c.closed_at, c.overdue_accept_at, c.overdue_resolve_at, c.escalated_at, c.rework_count,
  c.extension IS NOT NULL AS extension_pending, CASE WHEN c.formal_notice ->> 'answeredAt' IS NULL THEN c.formal_notice ->> 'dueAt' END AS formal_notice_due_at`;
const SUMMARY_FROM = 'cases c LEFT JOIN personnel p ON p.id = c.assignee_id LEFT JOIN cases d ON d.id = c.duplicate_of';

const epochMs = (column: string): string => `floor(extract(epoch FROM ${column}) * 1000)::bigint`;
/**
 * A case as a live row (core/protocol/live-wire.ts: caseRowOf), built in SQL: the same fields in the
 * same order, the brief cut at BRIEF_LENGTH characters with "…", coordinates to 1e-7°. A test holds
 * it to caseRowOf over every case of the test stores.
 */
const LIVE_ROW = `json_build_array(c.id, c.case_number, c.category_code, c.severity, round(ST_X(c.geom)::numeric, 7), round(ST_Y(c.geom)::numeric, 7),
  c.grid_code, c.community_code, c.street_code, c.status, c.tier,
  c.queue_kind, CASE c.queue_kind WHEN 'person' THEN coalesce(c.assignee_id, '') WHEN 'street' THEN coalesce(c.queue_street, '') END,
  CASE WHEN p.id IS NOT NULL THEN c.assignee_id END, p.name, p.department_code, c.department_code, c.reports_count,
  CASE WHEN char_length(c.description) > ${BRIEF_LENGTH} THEN left(c.description, ${BRIEF_LENGTH}) || '…' ELSE c.description END,
  ${epochMs('c.reported_at')}, ${epochMs('c.accept_due_at')}, ${epochMs('c.resolve_due_at')}, ${epochMs('c.accepted_at')}, ${epochMs('c.closed_at')},
  ${epochMs('c.overdue_accept_at')}, ${epochMs('c.overdue_resolve_at')}, ${epochMs('c.escalated_at')})`;

interface SummaryRow {
  id: number;
  case_number: string;
  category_code: string;
  severity: 1 | 2 | 3 | 4;
  lng: number;
  lat: number;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  status: CaseStatus;
  channel: Channel;
  description: string;
  queue_kind: Queue['kind'];
  queue_street: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  assignee_department: string | null;
  dispatch_reason: DispatchReason;
  reported_at: Date;
  accept_due_at: Date | null;
  resolve_due_at: Date | null;
  reports_count: number;
  duplicate_of_number: string | null;
  near_boundary: CaseSummary['nearBoundary'];
  tier: Tier;
  department_code: string | null;
  accepted_at: Date | null;
  closed_at: Date | null;
  overdue_accept_at: Date | null;
  overdue_resolve_at: Date | null;
  escalated_at: Date | null;
  rework_count: number;
  extension_pending: boolean;
  formal_notice_due_at: string | null;
}

function toSummary(r: SummaryRow): CaseSummary {
  const queue: Queue =
    r.queue_kind === 'person' ? { kind: 'person', personId: r.assignee_id ?? '' } : r.queue_kind === 'street' ? { kind: 'street', streetCode: r.queue_street ?? '' } : { kind: 'district' };
  return {
    id: r.id,
    number: r.case_number,
    category: r.category_code,
    severity: r.severity,
    point: [r.lng, r.lat],
    gridCode: r.grid_code,
    communityCode: r.community_code,
    streetCode: r.street_code,
    status: r.status,
    tier: r.tier,
    channel: r.channel,
    description: r.description,
    queue,
    assignee: r.assignee_id && r.assignee_name && r.assignee_department ? { id: r.assignee_id, name: r.assignee_name, departmentCode: r.assignee_department } : null,
    dispatchReason: r.dispatch_reason,
    reportedAt: r.reported_at.toISOString(),
    acceptDueAt: r.accept_due_at?.toISOString() ?? null,
    resolveDueAt: r.resolve_due_at?.toISOString() ?? null,
    acceptedAt: r.accepted_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    overdueAcceptAt: r.overdue_accept_at?.toISOString() ?? null,
    overdueResolveAt: r.overdue_resolve_at?.toISOString() ?? null,
    escalatedAt: r.escalated_at?.toISOString() ?? null,
    reworkCount: r.rework_count,
    extensionPending: r.extension_pending,
    formalNoticeDueAt: r.formal_notice_due_at,
    reportsCount: r.reports_count,
    duplicateOf: r.duplicate_of_number,
    departmentCode: r.department_code,
    nearBoundary: r.near_boundary,
  };
}

/** The column a filter on an area code uses: district (all), street, community or grid. */
function areaColumn(area: string): string | undefined {
  switch (area.length) {
    case 6:
      return undefined;
    case 9:
      return 'street_code';
    case 12:
      return 'community_code';
    case 15:
      return 'grid_code';
    default:
      throw new RangeError(`"${area}" is not an area code`);
  }
}

/**
 * The case reads and writes of one transaction. The caller holds INTAKE_LOCK in `tx` (as `batch`
 * does): another repository's transaction that must write case events with its own changes (the
 * roster import) takes the lock and uses this.
 */
export function caseBatchOn(tx: SqlClient): CaseBatch {
  const summaries = async (where: string, params: unknown[]): Promise<CaseSummary[]> =>
    (await tx.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE ${where}`, params)).map(toSummary);
  return {
    async byReportId(reportIds) {
      if (reportIds.length === 0) return new Map();
      // Nearly always none is stored: the plain lookup answers that without planning the summary's
      // join (on the embedded store, which plans every statement afresh, ~1.4 ms against ~0.4).
      const found = await tx.query<{ report_id: string; report_hash: string; id: number }>('SELECT report_id, report_hash, id FROM cases WHERE report_id = ANY($1::text[])', [reportIds]);
      if (found.length === 0) return new Map();
      const byId = new Map((await summaries('c.id = ANY($1::bigint[])', [found.map((r) => r.id)])).map((s) => [s.id, s]));
      return new Map(found.map((r) => [r.report_id, { summary: byId.get(Number(r.id))!, reportHash: r.report_hash }]));
    },

    async openCasesNear(items, meters, since) {
      if (items.length === 0) return [];
      // A box of ~0.0009° (≥ 75 m here) lets the GiST index find candidates; geography decides.
      const rows = await tx.query<{ i: number; id: number; d: number }>(
        `SELECT DISTINCT ON (r.i) r.i, c.id, ST_Distance(c.geom::geography, r.g::geography) AS d
         FROM (SELECT i, cat, ST_SetSRID(ST_MakePoint(lng, lat), 4326) AS g
               FROM unnest($1::int[], $2::text[], $3::float8[], $4::float8[]) AS t(i, cat, lng, lat)) r
         JOIN cases c ON c.category_code = r.cat AND c.closed_at IS NULL AND c.duplicate_of IS NULL
           AND c.reported_at >= $5::timestamptz AND c.geom && ST_Expand(r.g, 0.0009)
           AND ST_DWithin(c.geom::geography, r.g::geography, $6)
         ORDER BY r.i, d, c.id`,
        [items.map((_, i) => i), items.map((x) => x.category), items.map((x) => x.point[0]), items.map((x) => x.point[1]), since.toISOString(), meters],
      );
      const result: (NearbyOpenCase | undefined)[] = items.map(() => undefined);
      for (const r of rows) result[r.i] = { caseId: r.id, distanceMeters: r.d };
      return result;
    },

    async candidates(pairs) {
      if (pairs.length === 0) return [];
      // One index lookup per (grid, department) (LATERAL, and OFFSET 0 so that the planner does not
      // flatten it back into a join): as a plain join it hashed the batch's pairs and scanned every
      // assignment (42,000 in the demo district, ~5–7 ms) on each intake batch. The department is kept
      // on the assignment (migration 010) so that the probe finds only that department's people. The
      // pairs come as one JSON array: from unnest($1::text[], …) the generic plan assumed 10 pairs
      // and a batch's one or two made each custom plan look cheaper, so PostgreSQL planned this anew
      // for every batch (a batch with one pair: PGlite 1.28 → 0.81 ms, the server 0.89 → 0.64 ms).
      const rows = await tx.query<{ grid_code: string; department_code: string; id: string; name: string; on_duty: boolean; open_cases: number }>(
        `SELECT k.grid AS grid_code, x.department_code, x.id, x.name, x.on_duty,
                (SELECT count(*)::int FROM cases c WHERE c.assignee_id = x.id AND c.closed_at IS NULL) AS open_cases
         FROM (SELECT DISTINCT grid, dept FROM jsonb_to_recordset($1::jsonb) AS t(grid text, dept text)) k
         CROSS JOIN LATERAL (
           SELECT p.department_code, p.id, p.name, p.on_duty
           FROM assignments a JOIN personnel p ON p.id = a.person_id
           WHERE a.grid_code = k.grid AND a.department_code = k.dept
           OFFSET 0
         ) x`,
        [JSON.stringify(pairs.map((p) => ({ grid: p.gridCode, dept: p.departmentCode })))],
      );
      return rows.map((r): CandidateRow => ({ gridCode: r.grid_code, departmentCode: r.department_code, personId: r.id, name: r.name, onDuty: r.on_duty, openCases: r.open_cases }));
    },

    async summaries(caseIds) {
      if (caseIds.length === 0) return new Map();
      const list = await summaries('c.id = ANY($1::bigint[])', [caseIds]);
      return new Map(list.map((s) => [s.id, s]));
    },

    drawForBatch: (caseCount, seqCount) => drawForBatch(tx, caseCount, seqCount),

    async insertCases(rows: readonly NewCaseRow[]) {
      if (rows.length === 0) return;
      const col = <T>(f: (r: NewCaseRow) => T): T[] => rows.map(f);
      const inserted = await tx.query(
        `INSERT INTO cases (id, case_number, report_id, report_hash, category_code, geom, crs, grid_code, community_code, street_code, status, severity,
                            channel, description, reporter, photos, queue_kind, queue_street, assignee_id, dispatch_reason, near_boundary,
                            duplicate_of, reported_at, accept_due_at, resolve_due_at, tier, department_code)
         SELECT id, num, rid, rhash, cat, ST_SetSRID(ST_MakePoint(lng, lat), 4326), crs, grid, community, street, status, severity,
                channel, description, reporter::jsonb, photos::jsonb, queue_kind, queue_street, assignee, reason::jsonb, near::jsonb,
                dup, reported::timestamptz, accept_due::timestamptz, resolve_due::timestamptz,
                CASE queue_kind WHEN 'person' THEN 'grid' WHEN 'street' THEN 'street' ELSE 'district' END, dept
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::smallint[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[],
                     $21::text[], $22::bigint[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[])
           AS t(id, num, rid, cat, lng, lat, crs, grid, community, street, status, severity, channel, description, reporter, photos,
                queue_kind, queue_street, assignee, reason, near, dup, reported, accept_due, resolve_due, rhash, dept)
         RETURNING 1`,
        [
          col((r) => r.id),
          col((r) => r.number),
          col((r) => r.reportId),
          col((r) => r.category),
          col((r) => r.point[0]),
          col((r) => r.point[1]),
          col((r) => r.crs),
          col((r) => r.gridCode),
          col((r) => r.communityCode),
          col((r) => r.streetCode),
          col((r) => r.status),
          col((r) => r.severity),
          col((r) => r.channel),
          col((r) => r.description),
          col((r) => (r.reporter ? JSON.stringify(r.reporter) : null)),
          col((r) => JSON.stringify(r.photos)),
          col((r) => r.queue.kind),
          col((r) => (r.queue.kind === 'street' ? r.queue.streetCode : null)),
          col((r) => r.assigneeId),
          col((r) => JSON.stringify(r.dispatchReason)),
          col((r) => (r.nearBoundary ? JSON.stringify(r.nearBoundary) : null)),
          col((r) => r.duplicateOf),
          col((r) => r.reportedAt.toISOString()),
          col((r) => r.acceptDueAt?.toISOString() ?? null),
          col((r) => r.resolveDueAt?.toISOString() ?? null),
          col((r) => r.reportHash),
          col((r) => r.departmentCode),
        ],
      );
      // Counted: the embedded store can lose an error and write nothing (see open-pglite-client.ts).
      if (inserted.length !== rows.length) throw new Error(`stored ${inserted.length} of ${rows.length} cases`);
    },

    async insertEvents(rows: readonly NewEventRow[]) {
      if (rows.length === 0) return;
      // A new case's events share one payload object (the case after the batch): only the last of
      // them stores it, the others leave it NULL for readers to take from the case's next event that
      // has one (`events`). A payload is the largest part of an event row (~1 KB of jsonb), and the
      // database's parse of it the largest cost of inserting one (migration 011). Rows come in
      // sequence order: a row leaves it NULL only where the same case's next row carries the same one.
      const stores = rows.map(() => true);
      const laterOfCase = new Map<number, NewEventRow>();
      for (let k = rows.length - 1; k >= 0; k--) {
        const row = rows[k]!;
        if (laterOfCase.get(row.caseId)?.payload === row.payload) stores[k] = false;
        laterOfCase.set(row.caseId, row);
      }
      // By COPY, as imports write them: no array literal of ~1 KB JSON texts to escape here and parse
      // there, no unnest of thirteen arrays (bench:ingest, scaled, paired: the embedded store 668 →
      // 767–869 cases/s saturated, the server 1,067–1,101 → 1,134). New cases by COPY measured no better.
      const lines = rows.map((r, k) =>
        copyLine([r.seq, r.caseId, r.type, r.kind, r.actor, r.at.toISOString(), JSON.stringify(r.data), stores[k] ? JSON.stringify(r.payload) : null, r.payload.streetCode, r.payload.communityCode, r.payload.gridCode, r.prevHash, r.hash]),
      );
      const stored = await tx.copyRows('case_events', CASE_EVENT_COLUMNS, lines.join(''));
      // Counted: the embedded store can lose an error and write nothing (see open-pglite-client.ts).
      if (stored !== rows.length) throw new Error(`stored ${stored} of ${rows.length} case events`);
    },

    async addReports(added) {
      if (added.size === 0) return;
      const updated = await tx.query(
        'UPDATE cases c SET reports_count = c.reports_count + t.n FROM unnest($1::bigint[], $2::int[]) AS t(id, n) WHERE c.id = t.id RETURNING 1',
        [[...added.keys()], [...added.values()]],
      );
      if (updated.length !== added.size) throw new Error(`${added.size - updated.length} of ${added.size} cases not found`);
    },

    async lockCase(number) {
      const rows = await tx.query<{ id: number }>('SELECT id FROM cases WHERE case_number = $1 FOR UPDATE', [number]);
      return rows[0]?.id;
    },

    async eventsOf(caseId) {
      const rows = await tx.query<EventRow>('SELECT seq, type, actor, at, data, prev_hash, hash FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
      return rows.map((r) => toStoredEvent(r).event);
    },

    async updateProjection(state) {
      const updated = await tx.query(
        `UPDATE cases SET status = $2, tier = $3, queue_kind = $4, queue_street = $5, assignee_id = $6, dispatch_reason = $7::jsonb,
           grid_code = $8, community_code = $9, street_code = $10, near_boundary = $11::jsonb, handler_id = $12, self_handled = $13,
           accept_due_at = $14, resolve_due_at = $15, accepted_at = $16, feedback_at = $17, closed_at = $18,
           overdue_accept_at = $19, overdue_resolve_at = $20, escalated_at = $21, rework_count = $22, reopen_count = $23,
           extension = $24::jsonb, formal_notice = $25::jsonb, rating = $26, rating_comment = $27, rated_at = $28,
           duplicate_of = $29, reports_count = $30
         WHERE id = $1 RETURNING 1`,
        [
          state.id,
          state.status,
          state.tier,
          state.queue.kind,
          state.queue.kind === 'street' ? state.queue.streetCode : null,
          state.assigneeId,
          JSON.stringify(state.dispatchReason),
          state.gridCode,
          state.communityCode,
          state.streetCode,
          state.nearBoundary ? JSON.stringify(state.nearBoundary) : null,
          state.handlerId,
          state.selfHandled,
          state.acceptDueAt,
          state.resolveDueAt,
          state.acceptedAt,
          state.feedbackAt,
          state.closedAt,
          state.overdueAcceptAt,
          state.overdueResolveAt,
          state.escalatedAt,
          state.reworkCount,
          state.reopenCount,
          state.extension ? JSON.stringify(state.extension) : null,
          state.formalNotice ? JSON.stringify(state.formalNotice) : null,
          state.rating?.score ?? null,
          state.rating?.comment ?? null,
          state.rating?.at ?? null,
          state.duplicateOf,
          state.reportsCount,
        ],
      );
      if (updated.length !== 1) throw new Error(`case ${state.id} not found`);
    },

    async person(id) {
      const rows = await tx.query<{ id: string; name: string; department_code: string; on_duty: boolean }>('SELECT id, name, department_code, on_duty FROM personnel WHERE id = $1 AND on_roster', [id]);
      const r = rows[0];
      return r ? { id: r.id, name: r.name, departmentCode: r.department_code, onDuty: r.on_duty } : undefined;
    },
  };
}

interface EventRow {
  seq: number;
  type: CaseEvent['type'];
  actor: string;
  at: Date;
  data: unknown;
  prev_hash: string | null;
  hash: string;
}

function toStoredEvent(r: EventRow): StoredCaseEvent {
  return { seq: r.seq, event: { type: r.type, actor: r.actor, at: r.at.toISOString(), data: r.data } as CaseEvent, prevHash: r.prev_hash, hash: r.hash };
}

export function createCaseRepository(sql: SqlClient): CaseRepository {
  return {
    batch(work) {
      return sql.transaction(async (tx) => {
        // One intake batch at a time across every server: sequence numbers are then drawn and
        // committed in the same order, so a client that has seen seq N has every event below N.
        await tx.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_LOCK]);
        return work(caseBatchOn(tx));
      });
    },

    snapshot(area) {
      const column = areaColumn(area);
      return sql.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const [{ seq } = { seq: 0 }] = await tx.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::bigint AS seq FROM case_events');
        const rows = await tx.query<SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE c.closed_at IS NULL ${column ? `AND c.${column} = $1` : ''} ORDER BY c.id`,
          column ? [area] : [],
        );
        return { seq, cases: rows.map(toSummary) };
      });
    },

    liveSnapshot(area) {
      const column = areaColumn(area);
      return sql.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const [{ seq } = { seq: 0 }] = await tx.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::bigint AS seq FROM case_events');
        const [{ count, json } = { count: 0, json: null }] = await tx.query<{ count: number; json: string | null }>(
          `SELECT count(*)::int AS count, json_agg(${LIVE_ROW} ORDER BY c.id)::text AS json FROM cases c LEFT JOIN personnel p ON p.id = c.assignee_id
           WHERE c.closed_at IS NULL ${column ? `AND c.${column} = $1` : ''}`,
          column ? [area] : [],
        );
        return { seq, count, json: json ?? '[]' };
      });
    },

    async events(area, from, to, limit) {
      const column = areaColumn(area);
      // An imported event keeps no payload (migration 009): its case, actor and data come along to derive
      // it. Any other event without one shares it with the case's next event that has one, written in
      // the same statement (migration 011).
      const rows = await sql.query<{ seq: number; kind: CaseEventMessage['kind']; type: CaseEventMessage['type']; at: Date; payload: CaseSummary | null; case_id: number | null; actor: string | null; data: unknown }>(
        `SELECT e.seq, e.kind, e.type, e.at,
                CASE WHEN e.payload IS NOT NULL THEN e.payload
                     WHEN e.type <> 'imported' THEN (SELECT n.payload FROM case_events n WHERE n.case_id = e.case_id AND n.seq > e.seq AND n.payload IS NOT NULL ORDER BY n.seq LIMIT 1)
                END AS payload,
                CASE WHEN e.type = 'imported' AND e.payload IS NULL THEN e.case_id END AS case_id,
                CASE WHEN e.type = 'imported' AND e.payload IS NULL THEN e.actor END AS actor,
                CASE WHEN e.type = 'imported' AND e.payload IS NULL THEN e.data END AS data
         FROM case_events e
         WHERE e.seq BETWEEN $1 AND $2 ${column ? `AND e.${column} = $4` : ''} ORDER BY e.seq LIMIT $3`,
        column ? [from, to, limit + 1, area] : [from, to, limit + 1],
      );
      if (rows.length > limit) return undefined;
      return rows.map((r) => {
        const at = r.at.toISOString();
        if (r.payload) return { seq: r.seq, kind: r.kind, type: r.type, at, case: r.payload };
        if (r.type !== 'imported') throw new Error(`event ${r.seq} (${r.type}) has no payload, and no later event of its case carries one`);
        const event = { type: 'imported', actor: r.actor ?? '', at, data: r.data } as Extract<CaseEvent, { type: 'imported' }>;
        return { seq: r.seq, kind: r.kind, type: r.type, at, case: summaryOfImported(r.case_id!, event) };
      });
    },

    async maxSeq() {
      const [row] = await sql.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::bigint AS seq FROM case_events');
      return row?.seq ?? 0;
    },

    async chain(afterSeq, limit) {
      const rows = await sql.query<EventRow & { case_id: number }>(
        'SELECT seq, case_id, type, actor, at, data, prev_hash, hash FROM case_events WHERE seq > $1 ORDER BY seq LIMIT $2',
        [afterSeq, limit],
      );
      return rows.map((r) => ({ ...toStoredEvent(r), caseId: r.case_id }));
    },

    async summariesAfter(afterId, limit) {
      const rows = await sql.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE c.id > $1 ORDER BY c.id LIMIT $2`, [afterId, limit]);
      return rows.map(toSummary);
    },

    async timeline(caseId) {
      const rows = await sql.query<EventRow>('SELECT seq, type, actor, at, data, prev_hash, hash FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
      return rows.map(toStoredEvent);
    },

    async overdueCandidates(now, limit) {
      const rows = await sql.query<{ case_number: string }>(
        `(SELECT case_number FROM cases WHERE closed_at IS NULL AND accepted_at IS NULL AND overdue_accept_at IS NULL AND accept_due_at < $1 AND status <> 'feedback' ORDER BY accept_due_at LIMIT $2)
         UNION
         (SELECT case_number FROM cases WHERE closed_at IS NULL AND overdue_resolve_at IS NULL AND resolve_due_at < $1 AND status <> 'feedback' ORDER BY resolve_due_at LIMIT $2)`,
        [now.toISOString(), limit],
      );
      return rows.map((r) => r.case_number);
    },

    async escalationCandidates(now, minGraceMinutes, limit) {
      // Working minutes are never fewer than calendar minutes, so the calendar grace is a safe lower bound;
      // a rule counts from the later of its own mark and the last escalation, so the earliest is
      // greatest(least(marks), escalated_at) (LEAST and GREATEST skip NULLs).
      const rows = await sql.query<{ case_number: string }>(
        `SELECT case_number FROM cases
         WHERE closed_at IS NULL AND status <> 'feedback' AND (overdue_accept_at IS NOT NULL OR overdue_resolve_at IS NOT NULL)
           AND ((tier = 'grid' AND $2::int IS NOT NULL AND greatest(least(overdue_accept_at, overdue_resolve_at), escalated_at) + make_interval(mins => $2::int) <= $1::timestamptz)
             OR (tier = 'street' AND $3::int IS NOT NULL AND greatest(least(overdue_accept_at, overdue_resolve_at), escalated_at) + make_interval(mins => $3::int) <= $1::timestamptz))
         ORDER BY id LIMIT $4`,
        [now.toISOString(), minGraceMinutes.grid, minGraceMinutes.street, limit],
      );
      return rows.map((r) => r.case_number);
    },

    async byNumber(number) {
      const rows = await sql.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE c.case_number = $1`, [number]);
      return rows[0] ? toSummary(rows[0]) : undefined;
    },

    async count() {
      const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
      return row?.n ?? 0;
    },
  };
}
