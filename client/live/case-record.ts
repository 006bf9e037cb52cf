import { type CaseStatus, isOpenStatus } from '../../core/cases/case-summary.ts';
import type { LiveCase } from '../../core/protocol/live-wire.ts';
import type { Queue } from '../../core/dispatch/dispatch-decision.ts';

/**
 * An open case as the dashboard keeps it: what the map, the queue, the counts and the tooltip need,
 * with its times parsed once (a wall with 90,000 open cases re-checks every deadline each second, and
 * Date.parse is not free). The rest of a case (description, timeline, dispatch reason…) is the case
 * panel's to fetch when it opens. The live store keeps these as columns and hands out a record on
 * request (see case-store.ts).
 */
export interface CaseRecord
  extends Pick<LiveCase, 'id' | 'number' | 'category' | 'severity' | 'point' | 'gridCode' | 'communityCode' | 'streetCode' | 'status' | 'tier' | 'reportsCount' | 'assignee'> {
  /** The queue it waits in (who holds it when nobody is assigned). */
  readonly queueKind: Queue['kind'];
  readonly reportedMs: number;
  /** NaN where the case has no such deadline. */
  readonly acceptDueMs: number;
  readonly resolveDueMs: number;
  /** Someone accepted it (acceptedMs is set). */
  readonly accepted: boolean;
  /** The scheduler marked a deadline passed (overdueAcceptMs / overdueResolveMs). */
  readonly marked: boolean;
  /** Went up a tier at least once (grid → street/town → district). */
  readonly escalated: boolean;
}

export function recordOf(live: LiveCase): CaseRecord {
  return {
    id: live.id,
    number: live.number,
    category: live.category,
    severity: live.severity,
    point: live.point,
    gridCode: live.gridCode,
    communityCode: live.communityCode,
    streetCode: live.streetCode,
    status: live.status,
    tier: live.tier,
    reportsCount: live.reportsCount,
    assignee: live.assignee,
    queueKind: live.queue.kind,
    reportedMs: live.reportedMs,
    acceptDueMs: live.acceptDueMs ?? Number.NaN,
    resolveDueMs: live.resolveDueMs ?? Number.NaN,
    accepted: live.acceptedMs !== null,
    marked: live.overdueAcceptMs !== null || live.overdueResolveMs !== null,
    escalated: live.escalatedMs !== null,
  };
}

export interface Deadline {
  readonly which: 'accept' | 'resolve';
  readonly dueMs: number;
}

/**
 * The deadline a case is racing now: accepting it (until someone accepts), then resolving it. A case
 * whose result is reported (feedback) waits for its verifier and races nothing; neither does a closed one.
 */
export function deadlineFor(status: CaseStatus, accepted: boolean, acceptDueMs: number, resolveDueMs: number): Deadline | undefined {
  if (!isOpenStatus(status) || status === 'feedback') return undefined;
  if (!accepted && status !== 'handling' && Number.isFinite(acceptDueMs)) return { which: 'accept', dueMs: acceptDueMs };
  if (Number.isFinite(resolveDueMs)) return { which: 'resolve', dueMs: resolveDueMs };
  return undefined;
}

export function deadlineOf(record: CaseRecord): Deadline | undefined {
  return deadlineFor(record.status, record.accepted, record.acceptDueMs, record.resolveDueMs);
}

/** Overdue: a deadline the case races has passed, or the scheduler has marked one passed. */
export function isOverdue(record: CaseRecord, nowMs: number): boolean {
  if (record.marked) return true;
  const deadline = deadlineOf(record);
  return deadline !== undefined && deadline.dueMs < nowMs;
}
