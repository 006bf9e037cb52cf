import type { CaseEventMessage, CaseEventType, CaseSummary } from '../cases/case-summary.ts';
import { base64Of, bytesOfBase64Reused } from './base64.ts';
import type { EventBatch, EventBatchWire, PackedEventsWire, SnapshotWire, WatchResult, WatchResultWire } from './cases-api.ts';
import { CASE_ROW_FIELDS, type CaseRow, type EventRow, type Ms, queueOf } from './case-row.ts';
import { packEvents, unpackEvents } from './live-columns.ts';

/**
 * A case as live dashboards get it over the socket: what the map, the queue, the counts, the
 * tooltip and the ticker need, and no more. The rest (the whole description, channel, dispatch
 * reason, boundary and duplicate notes…) is the case panel's to fetch (GET /api/cases/:number).
 *
 * Why not the summary itself: every dashboard decodes every case of its area, and 200 of them on a
 * wall network follow 1,000 cases/s; the summary as JSON is ~1 KB, most of it keys, ISO times and
 * text nobody reads live. A case is first made into a row (an array in the order of CASE_ROW_FIELDS,
 * times as epoch milliseconds, coordinates to 1e-7°): a snapshot carries rows as JSON (the database
 * builds them), events carry them packed as columns (live-columns.ts); each end decodes a case into
 * the object below once.
 */
export interface LiveCase
  extends Pick<
    CaseSummary,
    'id' | 'number' | 'category' | 'severity' | 'point' | 'gridCode' | 'communityCode' | 'streetCode' | 'status' | 'tier' | 'queue' | 'assignee' | 'departmentCode' | 'reportsCount'
  > {
  /** The description's first BRIEF_LENGTH characters (code points), with "…" where it was longer. */
  readonly brief: string;
  /** Epoch milliseconds; null where the case has no such time. */
  readonly reportedMs: number;
  readonly acceptDueMs: number | null;
  readonly resolveDueMs: number | null;
  readonly acceptedMs: number | null;
  readonly closedMs: number | null;
  readonly overdueAcceptMs: number | null;
  readonly overdueResolveMs: number | null;
  readonly escalatedMs: number | null;
}

/** One stored event as live dashboards get it: the case as it stands after the event. */
export interface LiveEvent {
  /** Global, monotonic sequence number from the store. */
  readonly seq: number;
  readonly kind: 'case:created' | 'case:updated';
  readonly type: CaseEventType;
  readonly atMs: number;
  readonly case: LiveCase;
}

/**
 * The live wire's version, which `area:watch` carries: 1 was events as JSON rows, 2 is packed events
 * (live-columns.ts). A server refuses a watch of another version (`protocol_mismatch`), so a wall
 * display left running across an upgrade learns it needs the new page instead of failing to read
 * every frame.
 */
export const LIVE_PROTOCOL = 2;

export { CASE_ROW_FIELDS, type CaseRow, type EventRow };

/** Enough for a ticker line or a tooltip; the panel shows the whole. */
export const BRIEF_LENGTH = 48;

const ms = (iso: string | null): Ms => (iso === null ? null : Date.parse(iso));
/** 1e-7° is ~1 cm: finer than any report's position, and half the digits of a double. */
const coordinate = (value: number): number => Math.round(value * 1e7) / 1e7;

/** The first BRIEF_LENGTH characters (code points, as the database counts them), with "…" where there were more. */
export function briefOf(description: string): string {
  if (description.length <= BRIEF_LENGTH) return description;
  const points = Array.from(description);
  return points.length <= BRIEF_LENGTH ? description : `${points.slice(0, BRIEF_LENGTH).join('')}…`;
}

export function caseRowOf(summary: CaseSummary): CaseRow {
  const { queue, assignee } = summary;
  return [
    summary.id, summary.number, summary.category, summary.severity, coordinate(summary.point[0]), coordinate(summary.point[1]),
    summary.gridCode, summary.communityCode, summary.streetCode, summary.status, summary.tier,
    queue.kind, queue.kind === 'person' ? queue.personId : queue.kind === 'street' ? queue.streetCode : null,
    assignee?.id ?? null, assignee?.name ?? null, assignee?.departmentCode ?? null, summary.departmentCode,
    summary.reportsCount, briefOf(summary.description),
    Date.parse(summary.reportedAt), ms(summary.acceptDueAt), ms(summary.resolveDueAt), ms(summary.acceptedAt), ms(summary.closedAt),
    ms(summary.overdueAcceptAt), ms(summary.overdueResolveAt), ms(summary.escalatedAt),
  ];
}

export function eventRowOf(event: CaseEventMessage): EventRow {
  return [event.seq, event.kind === 'case:created' ? 'c' : 'u', event.type, Date.parse(event.at), caseRowOf(event.case)];
}

export function liveCaseOf(row: CaseRow): LiveCase {
  const [id, number, category, severity, lng, lat, gridCode, communityCode, streetCode, status, tier, queueKind, queueRef, assigneeId, assigneeName, assigneeDepartmentCode] = row;
  return {
    id,
    number,
    category,
    severity: severity as LiveCase['severity'],
    point: [lng, lat],
    gridCode,
    communityCode,
    streetCode,
    status,
    tier,
    queue: queueOf(queueKind, queueRef),
    assignee: assigneeId === null ? null : { id: assigneeId, name: assigneeName ?? '', departmentCode: assigneeDepartmentCode ?? '' },
    departmentCode: row[16],
    reportsCount: row[17],
    brief: row[18],
    reportedMs: row[19],
    acceptDueMs: row[20],
    resolveDueMs: row[21],
    acceptedMs: row[22],
    closedMs: row[23],
    overdueAcceptMs: row[24],
    overdueResolveMs: row[25],
    escalatedMs: row[26],
  };
}

export function liveEventOf(row: EventRow): LiveEvent {
  return { seq: row[0], kind: row[1] === 'c' ? 'case:created' : 'case:updated', type: row[2], atMs: row[3], case: liveCaseOf(row[4]) };
}

/** The live form of a full summary (a command's answer, say), as if it had come over the socket. */
export function liveCaseOfSummary(summary: CaseSummary): LiveCase {
  return liveCaseOf(caseRowOf(summary));
}

/** Events as sent (packed columns in base64: see cases-api.ts). */
export function packedEventsOf(rows: readonly EventRow[]): PackedEventsWire {
  return { count: rows.length, packed: base64Of(packEvents(rows)) };
}

/** The events of a packed wire, checked against the count it states. */
export function eventsOfPacked(wire: PackedEventsWire): LiveEvent[] {
  const events = unpackEvents(bytesOfBase64Reused(wire.packed));
  if (events.length !== wire.count) throw new Error(`${wire.count} packed events came as ${events.length}`);
  return events;
}

export function eventBatchOf(wire: EventBatchWire): EventBatch {
  return { from: wire.from, to: wire.to, area: wire.area, events: eventsOfPacked(wire), ...(wire.complete ? { complete: true as const } : {}) };
}

/** A snapshot's rows, as its binary JSON holds them. */
export function snapshotRowsOf(wire: Pick<SnapshotWire, 'rows' | 'count'>): CaseRow[] {
  const rows = JSON.parse(new TextDecoder().decode(wire.rows)) as unknown;
  if (!Array.isArray(rows) || rows.length !== wire.count) throw new Error(`a snapshot of ${wire.count} cases came with ${Array.isArray(rows) ? rows.length : 'no'} rows`);
  return rows as CaseRow[];
}

export function watchResultOf(wire: WatchResultWire): WatchResult {
  return wire.kind === 'snapshot'
    ? { kind: 'snapshot', area: wire.area, seq: wire.seq, cases: snapshotRowsOf(wire).map(liveCaseOf) }
    : { kind: 'events', area: wire.area, from: wire.from, to: wire.to, events: eventsOfPacked(wire) };
}

/** The live form of a stored event, as if it had come over the socket. */
export function liveEventOfMessage(event: CaseEventMessage): LiveEvent {
  return liveEventOf(eventRowOf(event));
}
