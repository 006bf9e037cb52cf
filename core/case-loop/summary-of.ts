import type { CaseSummary } from '../cases/case-summary.ts';
import { applyEvent } from './apply-event.ts';
import type { CaseEvent } from './case-events.ts';
import type { CaseState } from './case-state.ts';

/** The case as dashboards see it (no reporter data), from its state and its assignee's roster entry. */
export function summaryOf(state: CaseState, assignee: CaseSummary['assignee']): CaseSummary {
  return {
    id: state.id,
    number: state.number,
    category: state.category,
    severity: state.severity,
    point: state.point,
    gridCode: state.gridCode,
    communityCode: state.communityCode,
    streetCode: state.streetCode,
    status: state.status,
    tier: state.tier,
    channel: state.channel,
    description: state.description,
    queue: state.queue,
    assignee,
    dispatchReason: state.dispatchReason,
    reportedAt: state.reportedAt,
    acceptDueAt: state.acceptDueAt,
    resolveDueAt: state.resolveDueAt,
    acceptedAt: state.acceptedAt,
    closedAt: state.closedAt,
    overdueAcceptAt: state.overdueAcceptAt,
    overdueResolveAt: state.overdueResolveAt,
    escalatedAt: state.escalatedAt,
    reworkCount: state.reworkCount,
    extensionPending: state.extension !== null,
    formalNoticeDueAt: state.formalNotice && state.formalNotice.answeredAt === null ? state.formalNotice.dueAt : null,
    reportsCount: state.reportsCount,
    duplicateOf: state.duplicateOfNumber,
    departmentCode: state.departmentCode,
    nearBoundary: state.nearBoundary,
  };
}

/**
 * The case an `imported` event leaves: nobody is assigned (imported cases wait in a queue or are
 * closed). Bulk imports store no payload for these events, so readers of the log derive it here.
 */
export function summaryOfImported(caseId: number, event: Extract<CaseEvent, { type: 'imported' }>): CaseSummary {
  return summaryOf(applyEvent(undefined, caseId, event), null);
}
