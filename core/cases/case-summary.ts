import type { DispatchReason, Queue } from '../dispatch/dispatch-decision.ts';
import type { LngLat } from '../geo/lng-lat.ts';
import type { Channel } from './report.ts';

/**
 * Where a case stands. Intake produces the first three; the case loop (collect → … → evaluate)
 * adds the rest. A case is open until it is closed.
 */
export type CaseStatus = 'dispatched' | 'queued' | 'linked' | 'closed';

export function isOpenStatus(status: CaseStatus): boolean {
  return status !== 'closed';
}

/** A case as dashboards see it: broadcast on every change, and in snapshots. No reporter data. */
export interface CaseSummary {
  readonly id: number;
  /** Human-facing number, e.g. HD20261127-0001234. */
  readonly number: string;
  readonly category: string;
  readonly severity: 1 | 2 | 3 | 4;
  readonly point: LngLat;
  readonly gridCode: string | null;
  readonly communityCode: string | null;
  readonly streetCode: string | null;
  readonly status: CaseStatus;
  readonly channel: Channel;
  readonly description: string;
  readonly queue: Queue;
  readonly assignee: { readonly id: string; readonly name: string; readonly departmentCode: string } | null;
  readonly dispatchReason: DispatchReason;
  /** ISO 8601 times. */
  readonly reportedAt: string;
  readonly acceptDueAt: string | null;
  readonly resolveDueAt: string | null;
  /** How many reports (from any channel) this case stands for: 1 plus its likely duplicates. */
  readonly reportsCount: number;
  /** For a likely duplicate, the number of the open case it was linked to. */
  readonly duplicateOf: string | null;
  /** Another grid within a few metres: the case may belong there (one click for a dispatcher). */
  readonly nearBoundary: { readonly gridCode: string; readonly distanceMeters: number } | null;
}

export type CaseEventType = 'filed' | 'dispatched' | 'queued' | 'linked' | 'me-too';

/** One stored event of a case, as broadcast and as replayed on catch-up. */
export interface CaseEventMessage {
  /** Global, monotonic sequence number from the store. */
  readonly seq: number;
  readonly kind: 'case:created' | 'case:updated';
  readonly type: CaseEventType;
  readonly at: string;
  /** The case as it stands after this event. */
  readonly case: CaseSummary;
}
