import type { CaseSummary } from '../cases/case-summary.ts';
import type { LiveCase, LiveEvent } from './live-wire.ts';
import type { ReportProblem } from '../cases/report.ts';
import type { AreaRef } from './http-api.ts';

/** What every intake door answers for a stored report (and, identically, for its retries). */
export interface CaseAck {
  readonly caseNumber: string;
  readonly caseId: number;
  /** True when this reportId had been stored before: the same case is returned, nothing new stored. */
  readonly replayed: boolean;
  readonly status: CaseSummary['status'];
  readonly grid: AreaRef | null;
  readonly community: AreaRef | null;
  readonly street: AreaRef | null;
  readonly assignee: CaseSummary['assignee'];
  readonly queue: CaseSummary['queue'];
  /** Why the case went where it went, as data and as one line in each language. */
  readonly dispatch: { readonly reason: CaseSummary['dispatchReason']; readonly zh: string; readonly en: string };
  readonly acceptDueAt: string | null;
  readonly resolveDueAt: string | null;
  readonly nearBoundary: CaseSummary['nearBoundary'];
  readonly duplicateOf: string | null;
}

export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly problems?: readonly ReportProblem[];
  /** Seconds to wait before retrying (store unavailable). */
  readonly retryAfterSeconds?: number;
}

/** Socket acknowledgements: a discriminated result. */
export type Ack<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ApiError };

/** POST /api/cases/bulk: one result per item, in order. */
export interface BulkResult {
  readonly accepted: number;
  readonly rejected: number;
  readonly results: readonly Ack<CaseAck>[];
}

/** The events of one committed range, for one watched area (possibly none in this area), as a client decodes them. */
export interface EventBatch {
  /** Global sequence range the batch covers: every event in (from-1, to] for this area is in it. */
  readonly from: number;
  readonly to: number;
  readonly area: string;
  readonly events: readonly LiveEvent[];
  /**
   * Every event for this area in from..to is in this frame: it is also the range's mark, so a
   * watcher whose area had events gets one message per range, not two. (The server marks every
   * frame so, each covering its part of a range; a receiver still buffers a frame without it.)
   */
  readonly complete?: true;
}

/** The answer to area:watch and case:range: a snapshot of the open cases, or the events missed. */
export type WatchResult =
  | { readonly kind: 'snapshot'; readonly area: string; readonly seq: number; readonly cases: readonly LiveCase[] }
  | { readonly kind: 'events'; readonly area: string; readonly from: number; readonly to: number; readonly events: readonly LiveEvent[] };

/**
 * Events as sent: `count` events packed as columns (live-columns.ts), in base64 so that a batch
 * stays one text frame that socket.io encodes once for every socket of a room (a binary attachment
 * would be framed and written again for each socket, as two messages).
 */
export interface PackedEventsWire {
  readonly count: number;
  readonly packed: string;
}

/**
 * A snapshot as sent: its `count` case rows as one JSON array in UTF-8, binary (an ArrayBuffer in a
 * browser, a Buffer in Node). The server hands on the text the database built without parsing it,
 * and socket.io sends a binary attachment to every socket that asked as it is, where a snapshot in
 * JSON was encoded again for each: a district's is ~18 MB, and a wall of dashboards reconnecting
 * together asks for it many times at once.
 */
export interface SnapshotWire {
  readonly kind: 'snapshot';
  readonly area: string;
  readonly seq: number;
  readonly count: number;
  readonly rows: ArrayBuffer | Uint8Array;
}
export type EventBatchWire = Omit<EventBatch, 'events'> & PackedEventsWire;
export type WatchResultWire = SnapshotWire | (Omit<Extract<WatchResult, { kind: 'events' }>, 'events'> & PackedEventsWire);
