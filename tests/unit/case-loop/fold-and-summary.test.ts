import { describe, expect, it } from 'vitest';
import { applyEvent, CaseHistoryError, foldEvents } from '../../../core/case-loop/apply-event.ts';
import type { CaseEvent } from '../../../core/case-loop/case-events.ts';
import type { CaseState } from '../../../core/case-loop/case-state.ts';
import { summaryOf } from '../../../core/case-loop/summary-of.ts';
import {
  ACCEPT_DUE_AT,
  CASE_ID,
  CASE_NUMBER,
  CaseWalk,
  DISTRICT_DISPATCHER,
  FILED_AT,
  filedEvent,
  GRID,
  intakeEvent,
  minutesAfter,
  STAFF,
  STAFF_ID,
  STREET_DISPATCHER,
  SYSTEM_ACTOR,
  VERIFIER,
} from './case-builders.ts';

/** A long history: accepted, overdue, escalated, extended, under a formal notice, reworked, closed, reopened, closed, rated. */
function longWalk(): CaseWalk {
  const walk = CaseWalk.filed('person');
  walk.at(ACCEPT_DUE_AT);
  walk.give({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR);
  walk.give({ type: 'escalate', reason: 'accept-overdue', note: 'late' }, SYSTEM_ACTOR);
  walk.give({ type: 'accept' }, STAFF);
  walk.give({ type: 'request-extension', until: '2026-12-04T09:00:00.000Z', reason: 'part' }, STAFF);
  walk.give({ type: 'decide-extension', approve: true }, STREET_DISPATCHER);
  walk.give({ type: 'set-formal-deadline', unit: 'Property company', dueAt: '2026-12-03T09:00:00.000Z', requirements: 'Fix it' }, STREET_DISPATCHER);
  walk.give({ type: 'feedback', result: 'Done', photos: [] }, STAFF);
  walk.give({ type: 'verify', passed: false, note: 'Not done' }, VERIFIER);
  walk.give({ type: 'feedback', result: 'Done now', photos: ['photo://a.jpg'] }, STAFF);
  walk.give({ type: 'answer-reporter', answer: 'Fixed, call us at any time' }, STREET_DISPATCHER);
  walk.give({ type: 'verify', passed: true, note: '' }, VERIFIER);
  walk.give({ type: 'rate', score: 2, comment: 'Broken again, I live at No. 5', fixed: false }, DISTRICT_DISPATCHER);
  walk.give({ type: 'accept' }, STAFF);
  walk.give({ type: 'feedback', result: 'Replaced', photos: [] }, STAFF);
  walk.give({ type: 'verify', passed: true, note: '' }, VERIFIER);
  walk.give({ type: 'rate', score: 5, comment: 'Thanks', fixed: true }, DISTRICT_DISPATCHER);
  return walk;
}

describe('foldEvents', () => {
  it('equals applying the events one by one, at every prefix of the history', () => {
    const walk = longWalk();
    let state: CaseState | undefined;
    for (const [i, event] of walk.events.entries()) {
      state = applyEvent(state, CASE_ID, event);
      expect(foldEvents(CASE_ID, walk.events.slice(0, i + 1))).toEqual(state);
    }
    expect(state).toEqual(walk.state);
    expect(walk.state).toMatchObject({ status: 'closed', reworkCount: 1, reopenCount: 1, tier: 'street', rating: { score: 5 } });
  });

  it('gives the same state however often the history is replayed', () => {
    const events = longWalk().events;
    expect(foldEvents(CASE_ID, events)).toEqual(foldEvents(CASE_ID, JSON.parse(JSON.stringify(events)) as CaseEvent[]));
  });

  it('never changes the state it is given', () => {
    const walk = longWalk();
    let state: CaseState | undefined;
    for (const event of walk.events) {
      const before = state === undefined ? undefined : structuredClone(state);
      const next = applyEvent(state, CASE_ID, event);
      expect(state).toEqual(before);
      state = next;
    }
  });

  it('starts a filed case in the district queue until its dispatch event says otherwise', () => {
    expect(foldEvents(CASE_ID, [filedEvent()])).toMatchObject({
      id: CASE_ID,
      number: CASE_NUMBER,
      status: 'queued',
      tier: 'district',
      queue: { kind: 'district' },
      reportedAt: FILED_AT,
      gridCode: GRID,
      reworkCount: 0,
      reopenCount: 0,
      reportsCount: 1,
      closedAt: null,
    });
  });

  it('counts the reports a case stands for from its me-too events', () => {
    const state = foldEvents(CASE_ID, [filedEvent(), intakeEvent('person'), { type: 'me-too', actor: 'acc-street', at: FILED_AT, data: { added: 2, reportsCount: 3 } }]);
    expect(state.reportsCount).toBe(3);
  });

  it('refuses a history with no events', () => {
    expect(() => foldEvents(CASE_ID, [])).toThrow(CaseHistoryError);
  });

  it('refuses an event before the case was filed', () => {
    expect(() => foldEvents(CASE_ID, [intakeEvent('person'), filedEvent()])).toThrow(CaseHistoryError);
    expect(() => applyEvent(undefined, CASE_ID, intakeEvent('person'))).toThrow(/before it was filed/);
  });

  it('refuses a case filed twice', () => {
    expect(() => foldEvents(CASE_ID, [filedEvent(), intakeEvent('person'), filedEvent()])).toThrow(CaseHistoryError);
    expect(() => foldEvents(CASE_ID, [filedEvent(), filedEvent()])).toThrow(/filed twice/);
  });

  it('refuses a reporter answered without a formal notice', () => {
    expect(() => foldEvents(CASE_ID, [filedEvent(), intakeEvent('person'), { type: 'reporter-answered', actor: 'acc-street', at: FILED_AT, data: { answer: 'a' } }])).toThrow(CaseHistoryError);
  });
});

describe('summaryOf', () => {
  /** What the wall and the lists need of a case (the summary may carry more, but never the reporter's). */
  const DASHBOARD_KEYS = [
    'id', 'number', 'category', 'severity', 'point', 'gridCode', 'communityCode', 'streetCode', 'status', 'tier', 'channel', 'description', 'queue', 'assignee',
    'dispatchReason', 'reportedAt', 'acceptDueAt', 'resolveDueAt', 'acceptedAt', 'closedAt', 'overdueAcceptAt', 'overdueResolveAt', 'escalatedAt', 'reworkCount',
    'extensionPending', 'formalNoticeDueAt', 'reportsCount', 'duplicateOf', 'nearBoundary',
  ];

  it('exposes the dashboard fields and nothing from or about the reporter', () => {
    const walk = longWalk();
    const summary = summaryOf(walk.state, { id: STAFF_ID, name: '张城管', departmentCode: 'CG' });
    expect(Object.keys(summary)).toEqual(expect.arrayContaining(DASHBOARD_KEYS));
    expect(Object.keys(summary).filter((key) => /reporter|phone|contact|address|rating|comment|answer|notice$|handler|reportId/i.test(key))).toEqual([]);
    const text = JSON.stringify(summary);
    // The reporter's words (rating comments, the answer to them) and the report id stay out.
    for (const secret of ['No. 5', 'Thanks', 'call us at any time', 'r-0042', '"rating"', '"formalNotice"', '"handlerId"']) expect(text).not.toContain(secret);
    expect(summary.assignee).toEqual({ id: STAFF_ID, name: '张城管', departmentCode: 'CG' });
  });

  it('reflects overdue marks, escalation, a pending extension and a pending formal notice', () => {
    const walk = CaseWalk.filed('person');
    expect(summaryOf(walk.state, null)).toMatchObject({ overdueAcceptAt: null, overdueResolveAt: null, escalatedAt: null, extensionPending: false, formalNoticeDueAt: null, tier: 'grid' });

    walk.at(ACCEPT_DUE_AT);
    const overdue = walk.give({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR);
    const escalated = walk.give({ type: 'escalate', reason: 'accept-overdue', note: '' }, SYSTEM_ACTOR);
    walk.give({ type: 'accept' }, STAFF);
    walk.at(minutesAfter(walk.state.resolveDueAt!, 0));
    const overdueResolve = walk.give({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR);
    walk.give({ type: 'request-extension', until: '2026-12-10T00:00:00.000Z', reason: 'r' }, STAFF);
    walk.give({ type: 'set-formal-deadline', unit: 'u', dueAt: '2026-12-05T00:00:00.000Z', requirements: 'r' }, DISTRICT_DISPATCHER);
    expect(summaryOf(walk.state, null)).toMatchObject({
      status: 'handling',
      tier: 'street',
      overdueAcceptAt: overdue.at,
      overdueResolveAt: overdueResolve.at,
      escalatedAt: escalated.at,
      extensionPending: true,
      formalNoticeDueAt: '2026-12-05T00:00:00.000Z',
      assignee: null,
    });

    walk.give({ type: 'decide-extension', approve: true }, DISTRICT_DISPATCHER);
    walk.give({ type: 'answer-reporter', answer: 'a' }, DISTRICT_DISPATCHER);
    expect(summaryOf(walk.state, null)).toMatchObject({ extensionPending: false, formalNoticeDueAt: null, overdueResolveAt: null, resolveDueAt: '2026-12-10T00:00:00.000Z' });
  });

  it('shows a linked case\'s original by number and the rework count', () => {
    const linked = CaseWalk.filed('linked');
    expect(summaryOf(linked.state, null)).toMatchObject({ status: 'linked', duplicateOf: 'HD20261127-0000007' });
    const walk = CaseWalk.filed('person');
    walk.give({ type: 'accept' }, STAFF);
    walk.give({ type: 'feedback', result: 'r', photos: [] }, STAFF);
    walk.give({ type: 'verify', passed: false, note: '' }, VERIFIER);
    expect(summaryOf(walk.state, null).reworkCount).toBe(1);
  });
});
