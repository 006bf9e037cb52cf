import { type CaseSummary, isOpenStatus } from '../../core/cases/case-summary.ts';

/**
 * A case as the dashboard keeps it: the summary the server sent, with its times parsed once (a wall
 * with 90,000 open cases re-checks every deadline each second, and Date.parse is not free).
 */
export interface CaseRecord {
  readonly summary: CaseSummary;
  readonly reportedMs: number;
  /** NaN where the case has no such deadline. */
  readonly acceptDueMs: number;
  readonly resolveDueMs: number;
  /** The scheduler marked a deadline passed (overdueAcceptAt / overdueResolveAt). */
  readonly marked: boolean;
  /** Went up a tier at least once (grid → street/town → district). */
  readonly escalated: boolean;
}

const parse = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));

export function recordOf(summary: CaseSummary): CaseRecord {
  return {
    summary,
    reportedMs: parse(summary.reportedAt),
    acceptDueMs: parse(summary.acceptDueAt),
    resolveDueMs: parse(summary.resolveDueAt),
    marked: summary.overdueAcceptAt !== null || summary.overdueResolveAt !== null,
    escalated: summary.escalatedAt !== null,
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
export function currentDeadline(summary: CaseSummary, acceptDueMs = parse(summary.acceptDueAt), resolveDueMs = parse(summary.resolveDueAt)): Deadline | undefined {
  if (!isOpenStatus(summary.status) || summary.status === 'feedback') return undefined;
  if (summary.acceptedAt === null && summary.status !== 'handling' && Number.isFinite(acceptDueMs)) return { which: 'accept', dueMs: acceptDueMs };
  if (Number.isFinite(resolveDueMs)) return { which: 'resolve', dueMs: resolveDueMs };
  return undefined;
}

export function deadlineOf(record: CaseRecord): Deadline | undefined {
  return currentDeadline(record.summary, record.acceptDueMs, record.resolveDueMs);
}

/** Overdue: a deadline the case races has passed, or the scheduler has marked one passed. */
export function isOverdue(record: CaseRecord, nowMs: number): boolean {
  if (record.marked) return true;
  const deadline = deadlineOf(record);
  return deadline !== undefined && deadline.dueMs < nowMs;
}
