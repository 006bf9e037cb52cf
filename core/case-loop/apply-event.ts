import type { CaseEvent, CaseEventData } from './case-events.ts';
import { tierOfQueue, type CaseState } from './case-state.ts';

export class CaseHistoryError extends Error {}

/** The state a `filed` event starts; the dispatch event that follows it says where the case went. */
function filedState(caseId: number, d: CaseEventData['filed'], at: string): CaseState {
  return {
    id: caseId,
    number: d.number,
    category: d.category,
    departmentCode: d.departmentCode,
    severity: d.severity,
    point: d.point,
    channel: d.channel,
    description: d.description,
    resolveMinutes: d.resolveMinutes,
    workingTime: d.workingTime,
    gridCode: d.gridCode,
    communityCode: d.communityCode,
    streetCode: d.streetCode,
    status: 'queued',
    tier: 'district',
    queue: { kind: 'district' },
    assigneeId: null,
    dispatchReason: { code: 'outside-grids' },
    nearBoundary: d.nearBoundary,
    handlerId: null,
    selfHandled: false,
    reportedAt: at,
    acceptDueAt: d.acceptDueAt,
    resolveDueAt: d.resolveDueAt,
    acceptedAt: null,
    feedbackAt: null,
    closedAt: null,
    overdueAcceptAt: null,
    overdueResolveAt: null,
    escalatedAt: null,
    reworkCount: 0,
    reopenCount: 0,
    extension: null,
    formalNotice: null,
    rating: null,
    duplicateOf: null,
    duplicateOfNumber: null,
    reportsCount: 1,
  };
}

/** A historic case as the import found it: filed, and already open in its queue or closed (with its rating). */
function importedState(caseId: number, event: Extract<CaseEvent, { type: 'imported' }>): CaseState {
  const d = event.data;
  return {
    ...filedState(caseId, d, event.at),
    status: d.status === 'closed' ? 'closed' : 'queued',
    queue: d.queue,
    tier: tierOfQueue(d.queue),
    dispatchReason: d.reason,
    acceptedAt: d.acceptedAt,
    closedAt: d.closedAt,
    rating: d.rating === null ? null : { score: d.rating, comment: '', at: d.closedAt ?? event.at },
  };
}

/**
 * The case after one more event. The state machine (`transition`) decides what may happen; this
 * only records what did, so replaying a stored history always gives the same state.
 */
export function applyEvent(state: CaseState | undefined, caseId: number, event: CaseEvent): CaseState {
  if (event.type === 'filed') {
    if (state) throw new CaseHistoryError(`case ${caseId} was filed twice`);
    return filedState(caseId, event.data, event.at);
  }
  if (event.type === 'imported') {
    if (state) throw new CaseHistoryError(`case ${caseId} has an imported event after its first event`);
    return importedState(caseId, event);
  }
  if (!state) throw new CaseHistoryError(`case ${caseId} has a ${event.type} event before it was filed`);
  const at = event.at;
  switch (event.type) {
    case 'dispatched':
    case 'queued':
      // A fresh dispatch (intake's, a dispatcher's, or after a return) starts the tier from its queue,
      // unless the case has already been escalated higher: escalation never goes down by itself.
      return {
        ...state,
        status: event.type,
        queue: event.data.queue,
        assigneeId: event.data.assigneeId,
        dispatchReason: event.data.reason,
        tier: state.escalatedAt ? state.tier : tierOfQueue(event.data.queue),
      };
    case 'linked':
      return {
        ...state,
        status: 'linked',
        queue: event.data.queue,
        assigneeId: null,
        dispatchReason: event.data.reason,
        tier: tierOfQueue(event.data.queue),
        duplicateOf: event.data.duplicateOf,
        duplicateOfNumber: event.data.reason.code === 'likely-duplicate' ? event.data.reason.originalCaseNumber : null,
      };
    case 'me-too':
      return { ...state, reportsCount: event.data.reportsCount };
    case 'rejected':
      return { ...state, status: 'rejected', closedAt: at, extension: null };
    case 'merged':
      return { ...state, status: 'merged', closedAt: at, duplicateOf: event.data.intoCaseId, duplicateOfNumber: event.data.intoCaseNumber, extension: null };
    case 'unlinked':
      return { ...state, status: 'queued', queue: event.data.queue, assigneeId: null, duplicateOf: null, duplicateOfNumber: null, tier: state.escalatedAt ? state.tier : tierOfQueue(event.data.queue) };
    case 'accepted':
      // A fresh deadline to resolve: whatever was overdue against the old one is in the log, not on the case.
      return { ...state, status: 'handling', acceptedAt: at, resolveDueAt: event.data.resolveDueAt, overdueResolveAt: null };
    case 'returned':
      return { ...state, status: 'queued', queue: event.data.queue, assigneeId: null, acceptedAt: null, extension: null, tier: state.escalatedAt ? state.tier : tierOfQueue(event.data.queue) };
    case 'extension-requested':
      return { ...state, extension: { until: event.data.until, reason: event.data.reason, requestedBy: event.actor, requestedAt: at } };
    case 'extension-decided':
      return event.data.approved
        ? { ...state, extension: null, resolveDueAt: event.data.until, overdueResolveAt: null }
        : { ...state, extension: null };
    case 'feedback':
      return { ...state, status: 'feedback', feedbackAt: at, handlerId: event.data.handlerId, extension: null };
    case 'handled-on-spot':
      return { ...state, status: 'feedback', feedbackAt: at, acceptedAt: state.acceptedAt ?? at, handlerId: event.data.handlerId, selfHandled: true, extension: null };
    case 'closed':
      return { ...state, status: 'closed', closedAt: at };
    case 'rework': {
      const person = event.data.queue.kind === 'person' ? event.data.queue.personId : null;
      return {
        ...state,
        status: person ? 'handling' : 'queued',
        queue: event.data.queue,
        assigneeId: person,
        tier: state.escalatedAt ? state.tier : tierOfQueue(event.data.queue),
        feedbackAt: null,
        reworkCount: state.reworkCount + 1,
      };
    }
    case 'rated':
      return { ...state, rating: { score: event.data.score, comment: event.data.comment, at } };
    case 'reopened':
      return {
        ...state,
        status: event.data.queue.kind === 'person' ? 'dispatched' : 'queued',
        queue: event.data.queue,
        assigneeId: event.data.queue.kind === 'person' ? event.data.queue.personId : null,
        rating: { score: event.data.score, comment: event.data.comment, at },
        closedAt: null,
        feedbackAt: null,
        acceptedAt: null,
        reopenCount: state.reopenCount + 1,
      };
    case 'escalated':
      return { ...state, tier: event.data.to, escalatedAt: at };
    case 'overdue':
      return event.data.which === 'accept' ? { ...state, overdueAcceptAt: at } : { ...state, overdueResolveAt: at };
    case 'formal-deadline-set':
      return {
        ...state,
        formalNotice: { unit: event.data.unit, dueAt: event.data.dueAt, requirements: event.data.requirements, setBy: event.actor, setAt: at, answeredAt: null, answer: null },
      };
    case 'reporter-answered':
      if (!state.formalNotice) throw new CaseHistoryError(`case ${caseId}: the reporter was answered without a formal notice`);
      return { ...state, formalNotice: { ...state.formalNotice, answeredAt: at, answer: event.data.answer } };
    case 'moved':
      return {
        ...state,
        gridCode: event.data.gridCode,
        communityCode: event.data.communityCode,
        streetCode: event.data.streetCode,
        status: event.data.queue.kind === 'person' ? 'dispatched' : 'queued',
        queue: event.data.queue,
        assigneeId: event.data.assigneeId,
        dispatchReason: event.data.reason,
        nearBoundary: null,
        // Moved by a dispatcher, it stands on its own: no longer a likely duplicate.
        duplicateOf: null,
        duplicateOfNumber: null,
        tier: state.escalatedAt ? state.tier : tierOfQueue(event.data.queue),
      };
  }
}

/** A case's state from its whole history, in order. */
export function foldEvents(caseId: number, events: readonly CaseEvent[]): CaseState {
  let state: CaseState | undefined;
  for (const event of events) state = applyEvent(state, caseId, event);
  if (!state) throw new CaseHistoryError(`case ${caseId} has no events`);
  return state;
}
