import type { CaseEventType, CaseStatus, Tier } from '../cases/case-summary.ts';
import type { Queue } from '../dispatch/dispatch-decision.ts';

/*
 * A case as a row: the shape both live encodings start from (live-wire.ts makes rows from summaries
 * and reads them back; live-columns.ts packs them). Its own module so that both can use it.
 */

/** The positions of a case row (documented in the README's socket table). */
export const CASE_ROW_FIELDS = [
  'id', 'number', 'category', 'severity', 'lng', 'lat', 'gridCode', 'communityCode', 'streetCode', 'status', 'tier',
  'queueKind', 'queueRef', 'assigneeId', 'assigneeName', 'assigneeDepartmentCode', 'departmentCode', 'reportsCount', 'brief',
  'reportedMs', 'acceptDueMs', 'resolveDueMs', 'acceptedMs', 'closedMs', 'overdueAcceptMs', 'overdueResolveMs', 'escalatedMs',
] as const;

export type Ms = number | null;
export type Code = string | null;
/** A case on the wire, in the order of CASE_ROW_FIELDS. */
export type CaseRow = readonly [
  id: number, number: string, category: string, severity: number, lng: number, lat: number,
  gridCode: Code, communityCode: Code, streetCode: Code, status: CaseStatus, tier: Tier,
  queueKind: Queue['kind'], queueRef: Code, assigneeId: Code, assigneeName: Code, assigneeDepartmentCode: Code, departmentCode: Code,
  reportsCount: number, brief: string,
  reportedMs: number, acceptDueMs: Ms, resolveDueMs: Ms, acceptedMs: Ms, closedMs: Ms, overdueAcceptMs: Ms, overdueResolveMs: Ms, escalatedMs: Ms,
];

/** An event on the wire: sequence, `c` (case:created) or `u` (case:updated), event type, time, the case. */
export type EventRow = readonly [seq: number, kind: 'c' | 'u', type: CaseEventType, atMs: number, caseRow: CaseRow];

/** A row's queue (its kind and reference) as the queue a case is in. */
export function queueOf(kind: Queue['kind'], ref: Code): Queue {
  if (kind === 'person') return { kind, personId: ref ?? '' };
  if (kind === 'street') return { kind, streetCode: ref ?? '' };
  return { kind: 'district' };
}
