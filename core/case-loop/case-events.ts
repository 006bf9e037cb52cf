import type { Channel } from '../cases/report.ts';
import type { DispatchReason, Queue } from '../dispatch/dispatch-decision.ts';
import type { LngLat } from '../geo/lng-lat.ts';
import type { Tier } from './case-state.ts';

/** Why a case went up a tier: a deadline passed (the scheduler), or a dispatcher sent it up. */
export const ESCALATION_REASONS = ['accept-overdue', 'resolve-overdue', 'several-departments', 'dispatcher'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** A dispatcher's choice, recorded like intake's automatic decisions. */
export type ManualDispatchReason = { readonly code: 'dispatcher'; readonly by: string; readonly note?: string };

/**
 * What each event says, by type. An event records facts (who, when, what was decided), enough for
 * the case's state to be derived from its events alone; nothing is ever updated or deleted.
 */
export interface CaseEventData {
  filed: {
    readonly reportId: string;
    readonly number: string;
    readonly channel: Channel;
    readonly crs: string;
    readonly description: string;
    readonly category: string;
    readonly departmentCode: string | null;
    readonly severity: 1 | 2 | 3 | 4;
    readonly resolveMinutes: number;
    readonly workingTime: boolean;
    readonly point: LngLat;
    readonly gridCode: string | null;
    readonly communityCode: string | null;
    readonly streetCode: string | null;
    readonly nearBoundary: { readonly gridCode: string; readonly distanceMeters: number } | null;
    readonly acceptDueAt: string | null;
    readonly resolveDueAt: string | null;
  };
  dispatched: { readonly queue: Queue; readonly assigneeId: string | null; readonly reason: DispatchReason | ManualDispatchReason };
  queued: { readonly queue: Queue; readonly assigneeId: null; readonly reason: DispatchReason | ManualDispatchReason };
  linked: { readonly queue: Queue; readonly assigneeId: null; readonly reason: DispatchReason; readonly duplicateOf: number };
  'me-too': { readonly added: number; readonly reportsCount: number };
  rejected: { readonly reason: string };
  merged: { readonly intoCaseId: number; readonly intoCaseNumber: string };
  unlinked: { readonly queue: Queue };
  accepted: { readonly resolveDueAt: string | null };
  returned: { readonly reason: string; readonly queue: Queue };
  'extension-requested': { readonly until: string; readonly reason: string };
  'extension-decided': { readonly approved: boolean; readonly until: string };
  /** `handlerId`: the person who did the work (or the account, for someone without a roster entry). */
  feedback: { readonly result: string; readonly photos: readonly string[]; readonly handlerId: string };
  'handled-on-spot': { readonly result: string; readonly photos: readonly string[]; readonly handlerId: string };
  closed: { readonly note: string };
  /** Back to whoever did the work (the assignee, or the grid worker who handled it on the spot), else to the dispatchers. */
  rework: { readonly note: string; readonly queue: Queue };
  rated: { readonly score: 1 | 2 | 3 | 4 | 5; readonly comment: string };
  reopened: { readonly score: 1 | 2 | 3 | 4 | 5; readonly comment: string; readonly queue: Queue };
  escalated: { readonly from: Tier; readonly to: Tier; readonly reason: EscalationReason; readonly note: string };
  overdue: { readonly which: 'accept' | 'resolve'; readonly dueAt: string };
  'formal-deadline-set': { readonly unit: string; readonly dueAt: string; readonly requirements: string };
  'reporter-answered': { readonly answer: string };
  moved: {
    readonly gridCode: string;
    readonly communityCode: string;
    readonly streetCode: string;
    readonly queue: Queue;
    readonly assigneeId: string | null;
    readonly reason: DispatchReason;
  };
  /**
   * A historic case loaded in bulk (`npm run import:cases`): the facts `filed` records and the outcome
   * the record had, so the case starts in its final state. Only ever a case's first event; its `at`
   * is when the case was reported, `importedAt` when it was loaded.
   */
  imported: CaseEventData['filed'] & {
    readonly status: 'open' | 'closed';
    /** Where an open case waits: its street's sub-centre, or the district centre when outside every grid. */
    readonly queue: Queue;
    readonly reason: DispatchReason | ManualDispatchReason;
    readonly acceptedAt: string | null;
    readonly closedAt: string | null;
    readonly rating: 1 | 2 | 3 | 4 | 5 | null;
    readonly importedAt: string;
  };
}

export type CaseEventType = keyof CaseEventData;

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'filed', 'dispatched', 'queued', 'linked', 'me-too', 'rejected', 'merged', 'unlinked', 'accepted', 'returned',
  'extension-requested', 'extension-decided', 'feedback', 'handled-on-spot', 'closed', 'rework', 'rated', 'reopened',
  'escalated', 'overdue', 'formal-deadline-set', 'reporter-answered', 'moved', 'imported',
];

/** One event of one case, before the store gives it a sequence number and a place in the hash chain. */
export type CaseEvent = {
  [T in CaseEventType]: { readonly type: T; readonly actor: string; readonly at: string; readonly data: CaseEventData[T] };
}[CaseEventType];

export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;
