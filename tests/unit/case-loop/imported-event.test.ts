import { describe, expect, it } from 'vitest';
import { applyEvent, CaseHistoryError, foldEvents } from '../../../core/case-loop/apply-event.ts';
import { CASE_EVENT_TYPES, type CaseEvent, type CaseEventData } from '../../../core/case-loop/case-events.ts';
import { summaryOf } from '../../../core/case-loop/summary-of.ts';
import { transition } from '../../../core/case-loop/transition.ts';
import { BEIJING_OFFICE_HOURS } from '../../../core/calendar/working-calendar.ts';
import { buildFiledData, DISTRICT_DISPATCHER, FILED_AT, filedEvent, STREET } from './case-builders.ts';

const CLOSED_AT = '2025-03-05T02:00:00.000Z';
const ACCEPTED_AT = '2025-03-04T01:00:00.000Z';

function importedEvent(overrides: Partial<CaseEventData['imported']> = {}): CaseEvent {
  return {
    type: 'imported',
    actor: 'system:import',
    at: FILED_AT,
    data: {
      ...buildFiledData(),
      status: 'closed',
      queue: { kind: 'street', streetCode: STREET },
      reason: { code: 'dispatcher', by: 'system:import', note: 'imported historic record' },
      acceptedAt: ACCEPTED_AT,
      closedAt: CLOSED_AT,
      rating: 4,
      importedAt: '2026-01-01T00:00:00.000Z',
      ...overrides,
    },
  };
}

describe('the imported event', () => {
  it('is one of the case event types', () => {
    expect(CASE_EVENT_TYPES).toContain('imported');
  });

  it('starts a closed case already in its final state: closed, accepted, rated, in its street queue', () => {
    const state = foldEvents(7, [importedEvent()]);
    expect(state).toMatchObject({
      id: 7, status: 'closed', tier: 'street', queue: { kind: 'street', streetCode: STREET }, assigneeId: null, reportedAt: FILED_AT,
      acceptedAt: ACCEPTED_AT, closedAt: CLOSED_AT, rating: { score: 4, comment: '', at: CLOSED_AT }, reportsCount: 1, duplicateOf: null,
    });
    expect(summaryOf(state, null)).toMatchObject({ status: 'closed', closedAt: CLOSED_AT, acceptedAt: ACCEPTED_AT, gridCode: buildFiledData().gridCode });
  });

  it('starts an open case queued for its sub-centre (or the district centre when unrouted), which a dispatcher can dispatch', () => {
    const open = foldEvents(8, [importedEvent({ status: 'open', closedAt: null, rating: null, acceptedAt: null })]);
    expect(open).toMatchObject({ status: 'queued', tier: 'street', closedAt: null, rating: null });
    const outside = foldEvents(9, [importedEvent({ status: 'open', closedAt: null, rating: null, queue: { kind: 'district' }, reason: { code: 'outside-grids' }, gridCode: null, communityCode: null, streetCode: null })]);
    expect(outside).toMatchObject({ status: 'queued', tier: 'district', gridCode: null });
    const reject = transition(open, { type: 'reject', reason: 'duplicate of an older record' }, DISTRICT_DISPATCHER, new Date('2026-01-02T00:00:00Z'), { calendar: BEIJING_OFFICE_HOURS });
    expect(reject.ok).toBe(true);
  });

  it('can only be a case\'s first event', () => {
    const filed = applyEvent(undefined, 1, filedEvent());
    expect(() => applyEvent(filed, 1, importedEvent())).toThrow(CaseHistoryError);
    const imported = applyEvent(undefined, 2, importedEvent());
    expect(() => applyEvent(imported, 2, filedEvent())).toThrow(CaseHistoryError);
    expect(() => applyEvent(imported, 2, importedEvent())).toThrow(CaseHistoryError);
  });
});
