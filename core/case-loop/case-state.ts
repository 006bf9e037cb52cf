import type { Channel } from '../cases/report.ts';
import type { DispatchReason, Queue } from '../dispatch/dispatch-decision.ts';
import type { LngLat } from '../geo/lng-lat.ts';
import type { ManualDispatchReason } from './case-events.ts';

/**
 * The steps of the policy as states. Intake files a case straight into `dispatched` (a person),
 * `queued` (a dispatcher's queue) or `linked` (a likely duplicate awaiting a dispatcher's word).
 * `closed`, `rejected` and `merged` are not open; only `closed` can be rated (and so reopened).
 */
export const CASE_STATUSES = ['queued', 'dispatched', 'handling', 'feedback', 'linked', 'closed', 'rejected', 'merged'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export function isOpenStatus(status: CaseStatus): boolean {
  return status !== 'closed' && status !== 'rejected' && status !== 'merged';
}

/** Which loop holds the case: the grid (微循环), the street/town sub-centre (小循环), the district centre (大循环). */
export const TIERS = ['grid', 'street', 'district'] as const;
export type Tier = (typeof TIERS)[number];

export function tierAbove(tier: Tier): Tier | undefined {
  return tier === 'grid' ? 'street' : tier === 'street' ? 'district' : undefined;
}

/** The tier whose dispatchers own a queue. */
export function tierOfQueue(queue: Queue): Tier {
  return queue.kind === 'person' ? 'grid' : queue.kind === 'street' ? 'street' : 'district';
}

export interface ExtensionRequest {
  readonly until: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
}

/** 限期受理: a street/town sets a deadline and requirements for a responsible unit, and answers the reporter. */
export interface FormalNotice {
  readonly unit: string;
  readonly dueAt: string;
  readonly requirements: string;
  readonly setBy: string;
  readonly setAt: string;
  readonly answeredAt: string | null;
  readonly answer: string | null;
}

export interface CaseRating {
  readonly score: 1 | 2 | 3 | 4 | 5;
  readonly comment: string;
  readonly at: string;
}

/** A case as its events make it. Times are ISO 8601 strings, as stored in the events. */
export interface CaseState {
  readonly id: number;
  readonly number: string;
  readonly category: string;
  /** The department that handles the category, as it was at filing. */
  readonly departmentCode: string | null;
  readonly severity: 1 | 2 | 3 | 4;
  readonly point: LngLat;
  readonly channel: Channel;
  readonly description: string;
  /** Minutes to resolve once accepted, and whether they count working time only (from the category). */
  readonly resolveMinutes: number;
  readonly workingTime: boolean;
  readonly gridCode: string | null;
  readonly communityCode: string | null;
  readonly streetCode: string | null;
  readonly status: CaseStatus;
  readonly tier: Tier;
  readonly queue: Queue;
  readonly assigneeId: string | null;
  /** Why the case is where it is: intake's decision or a dispatcher's. */
  readonly dispatchReason: DispatchReason | ManualDispatchReason;
  readonly nearBoundary: { readonly gridCode: string; readonly distanceMeters: number } | null;
  /** Who reported the result (a person id, or an account id for someone without one): not its verifier. */
  readonly handlerId: string | null;
  readonly selfHandled: boolean;
  readonly reportedAt: string;
  readonly acceptDueAt: string | null;
  readonly resolveDueAt: string | null;
  readonly acceptedAt: string | null;
  readonly feedbackAt: string | null;
  readonly closedAt: string | null;
  readonly overdueAcceptAt: string | null;
  readonly overdueResolveAt: string | null;
  readonly escalatedAt: string | null;
  readonly reworkCount: number;
  readonly reopenCount: number;
  readonly extension: ExtensionRequest | null;
  readonly formalNotice: FormalNotice | null;
  readonly rating: CaseRating | null;
  /** For a linked or merged case, the id of the case it duplicates. */
  readonly duplicateOf: number | null;
  readonly duplicateOfNumber: string | null;
  readonly reportsCount: number;
}
