import type { CaseScope } from '../access/case-scope.ts';
import type { CaseEventType, ManualDispatchReason } from '../case-loop/case-events.ts';
import type { CaseStatus, Tier } from '../case-loop/case-state.ts';
import type { DispatchReason, Queue } from '../dispatch/dispatch-decision.ts';
import type { LngLat } from '../geo/lng-lat.ts';
import type { Channel } from './report.ts';

export { isOpenStatus, type CaseStatus, type Tier } from '../case-loop/case-state.ts';
export type { CaseEventType } from '../case-loop/case-events.ts';

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
  /** Which loop holds it: grid, street/town sub-centre or district centre. */
  readonly tier: Tier;
  readonly channel: Channel;
  readonly description: string;
  readonly queue: Queue;
  readonly assignee: { readonly id: string; readonly name: string; readonly departmentCode: string } | null;
  readonly dispatchReason: DispatchReason | ManualDispatchReason;
  /** ISO 8601 times. */
  readonly reportedAt: string;
  readonly acceptDueAt: string | null;
  readonly resolveDueAt: string | null;
  readonly acceptedAt: string | null;
  readonly closedAt: string | null;
  /** When the scheduler found a deadline passed (null: not overdue). */
  readonly overdueAcceptAt: string | null;
  readonly overdueResolveAt: string | null;
  /** When it last went up a tier. */
  readonly escalatedAt: string | null;
  readonly reworkCount: number;
  /** An extension request waits for a dispatcher. */
  readonly extensionPending: boolean;
  /** A formal deadline notice (限期受理) waits for the reporter to be answered. */
  readonly formalNoticeDueAt: string | null;
  /** How many reports (from any channel) this case stands for: 1 plus its likely duplicates. */
  readonly reportsCount: number;
  /** For a likely duplicate, the number of the open case it was linked to. */
  readonly duplicateOf: string | null;
  /** The department that handles the category (as filed); decides which department staff see it. */
  readonly departmentCode: string | null;
  /** Another grid within a few metres: the case may belong there (one click for a dispatcher). */
  readonly nearBoundary: { readonly gridCode: string; readonly distanceMeters: number } | null;
}

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

/** Who may see a case, from its summary (see core/access/case-scope.ts). */
export function scopeOfSummary(summary: CaseSummary): CaseScope {
  return {
    streetCode: summary.streetCode,
    gridCode: summary.gridCode,
    departmentCode: summary.departmentCode,
    assigneeId: summary.assignee?.id ?? null,
    queueStreetCode: summary.queue.kind === 'street' ? summary.queue.streetCode : null,
  };
}
