import { describe, expect, it } from 'vitest';
import { canSeeCase } from '../../../core/access/case-scope.ts';
import { foldEvents } from '../../../core/case-loop/apply-event.ts';
import { isOpenStatus } from '../../../core/case-loop/case-state.ts';
import { summaryOf } from '../../../core/case-loop/summary-of.ts';
import { scopeOf } from '../../../core/case-loop/transition.ts';
import {
  ACCEPT_DUE_AT,
  buildActor,
  CASE_ID,
  CaseWalk,
  CONTEXT,
  DAY_MS,
  DEPARTMENT,
  DISTRICT_DISPATCHER,
  FAR_GRID,
  FILED_AT,
  FILED_RESOLVE_DUE_AT,
  GRID,
  GRID_WORKER,
  GRID_WORKER_ID,
  minutesAfter,
  NEIGHBOUR_GRID,
  NEIGHBOUR_GRID_WORKER,
  ORIGINAL_CASE_ID,
  ORIGINAL_CASE_NUMBER,
  OTHER_STAFF,
  OTHER_STAFF_ID,
  personDecision,
  STAFF,
  STAFF_ID,
  STREET,
  STREET_DISPATCHER,
  streetDecision,
  SYSTEM_ACTOR,
  VERIFIER,
  withMergeTarget,
  withMove,
  withPerson,
} from './case-builders.ts';

/** A case dispatched to STAFF, accepted by them at 09:10 Beijing on Friday 27 November 2026. */
function acceptedCase(filed: Parameters<typeof CaseWalk.filed>[1] = {}): CaseWalk {
  const walk = CaseWalk.filed('person', filed).at('2026-11-27T01:09:00.000Z');
  walk.give({ type: 'accept' }, STAFF);
  return walk;
}

/** A case whose assignee has reported the result. */
function reportedCase(): CaseWalk {
  const walk = acceptedCase();
  walk.give({ type: 'feedback', result: 'Bin emptied', photos: ['photo://after.jpg'] }, STAFF);
  return walk;
}

/** A case verified and closed. */
function closedCase(): CaseWalk {
  const walk = reportedCase();
  walk.give({ type: 'verify', passed: true, note: 'Checked' }, VERIFIER);
  return walk;
}

describe('the whole loop: filed → dispatched → accepted → feedback → closed → rated', () => {
  it('walks every step, each event folding into the state the next command sees', () => {
    const walk = CaseWalk.filed('person');
    expect(walk.state).toMatchObject({ status: 'dispatched', tier: 'grid', assigneeId: STAFF_ID, queue: { kind: 'person', personId: STAFF_ID }, reportedAt: FILED_AT, acceptDueAt: ACCEPT_DUE_AT });

    walk.at('2026-11-27T01:09:00.000Z');
    const accepted = walk.give({ type: 'accept' }, STAFF);
    // 09:10 Beijing + 240 working minutes: 170 before lunch, 70 after 13:00 → 14:10 Beijing.
    expect(accepted).toEqual({ type: 'accepted', actor: STAFF.accountId, at: '2026-11-27T01:10:00.000Z', data: { resolveDueAt: '2026-11-27T06:10:00.000Z' } });
    expect(walk.state).toMatchObject({ status: 'handling', acceptedAt: '2026-11-27T01:10:00.000Z', resolveDueAt: '2026-11-27T06:10:00.000Z' });

    const feedback = walk.give({ type: 'feedback', result: 'Bin emptied', photos: ['photo://after.jpg'] }, STAFF);
    expect(feedback).toMatchObject({ type: 'feedback', actor: STAFF.accountId, data: { result: 'Bin emptied', photos: ['photo://after.jpg'], handlerId: STAFF_ID } });
    expect(walk.state).toMatchObject({ status: 'feedback', feedbackAt: feedback.at, handlerId: STAFF_ID, selfHandled: false });

    const closed = walk.give({ type: 'verify', passed: true, note: 'Checked on site' }, GRID_WORKER);
    expect(closed).toMatchObject({ type: 'closed', actor: GRID_WORKER.accountId, data: { note: 'Checked on site' } });
    expect(walk.state).toMatchObject({ status: 'closed', closedAt: closed.at, reworkCount: 0 });
    expect(isOpenStatus(walk.state.status)).toBe(false);

    const rated = walk.give({ type: 'rate', score: 5, comment: 'Quick', fixed: true }, STREET_DISPATCHER);
    expect(rated).toMatchObject({ type: 'rated', data: { score: 5, comment: 'Quick' } });
    expect(walk.state).toMatchObject({ status: 'closed', closedAt: closed.at, rating: { score: 5, comment: 'Quick', at: rated.at }, reopenCount: 0 });

    expect(walk.events.map((e) => e.type)).toEqual(['filed', 'dispatched', 'accepted', 'feedback', 'closed', 'rated']);
    expect(foldEvents(CASE_ID, walk.events)).toEqual(walk.state);
  });

  it('counts the resolve clock in plain minutes for a category that does not count working time', () => {
    const walk = acceptedCase({ workingTime: false, resolveMinutes: 600 });
    expect(walk.state.resolveDueAt).toBe('2026-11-27T11:10:00.000Z');
  });

  it('runs the working-time resolve clock over the weekend', () => {
    // Accepted Friday 17:00 Beijing: 30 minutes on Friday, the other 210 from Monday 08:30 → Monday 12:00.
    const walk = CaseWalk.filed('person').at('2026-11-27T08:59:00.000Z');
    walk.give({ type: 'accept' }, STAFF);
    expect(walk.state.resolveDueAt).toBe('2026-11-30T04:00:00.000Z');
  });

  it('refuses a second rating once the case has been rated since it closed', () => {
    const walk = closedCase();
    walk.give({ type: 'rate', score: 4, comment: '', fixed: true }, DISTRICT_DISPATCHER);
    expect(walk.refused({ type: 'rate', score: 1, comment: 'changed my mind', fixed: false }, DISTRICT_DISPATCHER)).toMatchObject({ kind: 'conflict', code: 'already_rated' });
  });
});

describe('reject at filing', () => {
  it('lets a street dispatcher reject a case in their queue: it closes as rejected', () => {
    const walk = CaseWalk.filed('street');
    const event = walk.give({ type: 'reject', reason: 'Private property' }, STREET_DISPATCHER);
    expect(event).toMatchObject({ type: 'rejected', data: { reason: 'Private property' } });
    expect(walk.state).toMatchObject({ status: 'rejected', closedAt: event.at, extension: null });
  });

  it('lets the district reject a case outside every grid, or one already dispatched', () => {
    const outside = CaseWalk.filed('district');
    outside.give({ type: 'reject', reason: 'Outside the district' }, DISTRICT_DISPATCHER);
    expect(outside.state.status).toBe('rejected');
    const dispatched = CaseWalk.filed('person');
    dispatched.give({ type: 'reject', reason: 'Duplicate of a phone call' }, DISTRICT_DISPATCHER);
    expect(dispatched.state.status).toBe('rejected');
  });

  it('accepts no further command on a rejected case', () => {
    const walk = CaseWalk.filed('street');
    walk.give({ type: 'reject', reason: 'Private property' }, STREET_DISPATCHER);
    expect(walk.refused({ type: 'dispatch', personId: STAFF_ID, note: '' }, STREET_DISPATCHER, withPerson(STAFF_ID))).toMatchObject({ kind: 'conflict', code: 'wrong_state' });
    expect(walk.refused({ type: 'rate', score: 1, comment: '', fixed: false }, STREET_DISPATCHER)).toMatchObject({ kind: 'conflict', code: 'wrong_state' });
  });
});

describe('merge into another case', () => {
  it('merges a linked case into the open case it duplicates', () => {
    const walk = CaseWalk.filed('linked');
    expect(walk.state).toMatchObject({ status: 'linked', duplicateOf: ORIGINAL_CASE_ID, duplicateOfNumber: ORIGINAL_CASE_NUMBER });
    const event = walk.give({ type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER }, STREET_DISPATCHER, withMergeTarget());
    expect(event).toMatchObject({ type: 'merged', data: { intoCaseId: ORIGINAL_CASE_ID, intoCaseNumber: ORIGINAL_CASE_NUMBER } });
    expect(walk.state).toMatchObject({ status: 'merged', closedAt: event.at, duplicateOf: ORIGINAL_CASE_ID, duplicateOfNumber: ORIGINAL_CASE_NUMBER });
  });

  it('merges a queued or dispatched case too', () => {
    for (const intake of ['street', 'person'] as const) {
      const walk = CaseWalk.filed(intake);
      walk.give({ type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER }, DISTRICT_DISPATCHER, withMergeTarget({ status: 'handling' }));
      expect(walk.state.status).toBe('merged');
    }
  });

  it('refuses a target that does not exist', () => {
    const walk = CaseWalk.filed('linked');
    expect(walk.refused({ type: 'merge', intoCaseNumber: 'HD20261127-9999999' }, STREET_DISPATCHER, CONTEXT)).toMatchObject({ kind: 'invalid', code: 'unknown_case' });
  });

  it('refuses to merge a case into itself', () => {
    const walk = CaseWalk.filed('linked');
    expect(walk.refused({ type: 'merge', intoCaseNumber: walk.state.number }, STREET_DISPATCHER, withMergeTarget({ id: CASE_ID, number: walk.state.number, status: 'linked', duplicateOf: ORIGINAL_CASE_ID }))).toMatchObject({
      kind: 'invalid',
      code: 'same_case',
    });
  });

  it.each(['closed', 'rejected', 'merged'] as const)('refuses a %s target', (status) => {
    const walk = CaseWalk.filed('linked');
    expect(walk.refused({ type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER }, STREET_DISPATCHER, withMergeTarget({ status }))).toMatchObject({ kind: 'conflict', code: 'target_not_open' });
  });

  it('refuses a target that is itself a likely duplicate, or was kept as one', () => {
    const walk = CaseWalk.filed('linked');
    expect(walk.refused({ type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER }, STREET_DISPATCHER, withMergeTarget({ status: 'linked', duplicateOf: 3 }))).toMatchObject({ kind: 'conflict', code: 'target_is_duplicate' });
    expect(walk.refused({ type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER }, STREET_DISPATCHER, withMergeTarget({ status: 'queued', duplicateOf: 3 }))).toMatchObject({ kind: 'conflict', code: 'target_is_duplicate' });
  });

  it('leaves the case as it was after a refusal', () => {
    const walk = CaseWalk.filed('linked');
    const before = walk.state;
    walk.refused({ type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER }, STREET_DISPATCHER, withMergeTarget({ status: 'closed' }));
    expect(walk.state).toBe(before);
  });
});

describe('linked → unlink → dispatch', () => {
  it('keeps a likely duplicate as its own case: back in the street queue, then to a person', () => {
    const walk = CaseWalk.filed('linked');
    const unlinked = walk.give({ type: 'unlink' }, STREET_DISPATCHER);
    expect(unlinked).toMatchObject({ type: 'unlinked', data: { queue: { kind: 'street', streetCode: STREET } } });
    expect(walk.state).toMatchObject({ status: 'queued', queue: { kind: 'street', streetCode: STREET }, assigneeId: null, duplicateOf: null, duplicateOfNumber: null, tier: 'street' });

    const dispatched = walk.give({ type: 'dispatch', personId: STAFF_ID, note: 'Nearest on duty' }, STREET_DISPATCHER, withPerson(STAFF_ID));
    expect(dispatched).toMatchObject({
      type: 'dispatched',
      data: { queue: { kind: 'person', personId: STAFF_ID }, assigneeId: STAFF_ID, reason: { code: 'dispatcher', by: STREET_DISPATCHER.accountId, note: 'Nearest on duty' } },
    });
    expect(walk.state).toMatchObject({ status: 'dispatched', assigneeId: STAFF_ID, tier: 'grid', dispatchReason: { code: 'dispatcher', by: STREET_DISPATCHER.accountId } });
  });

  it('records no note when the dispatcher gave none', () => {
    const walk = CaseWalk.filed('street');
    const event = walk.give({ type: 'dispatch', personId: STAFF_ID, note: '' }, STREET_DISPATCHER, withPerson(STAFF_ID));
    expect(event.data).toEqual({ queue: { kind: 'person', personId: STAFF_ID }, assigneeId: STAFF_ID, reason: { code: 'dispatcher', by: STREET_DISPATCHER.accountId } });
  });

  it('refuses a person not on the roster, one off duty, and the one already assigned', () => {
    const walk = CaseWalk.filed('person');
    expect(walk.refused({ type: 'dispatch', personId: 'P404', note: '' }, DISTRICT_DISPATCHER, CONTEXT)).toMatchObject({ kind: 'invalid', code: 'unknown_person' });
    expect(walk.refused({ type: 'dispatch', personId: OTHER_STAFF_ID, note: '' }, DISTRICT_DISPATCHER, withPerson(OTHER_STAFF_ID, false))).toMatchObject({ kind: 'conflict', code: 'off_duty' });
    expect(walk.refused({ type: 'dispatch', personId: STAFF_ID, note: '' }, DISTRICT_DISPATCHER, withPerson(STAFF_ID))).toMatchObject({ kind: 'conflict', code: 'already_assigned' });
  });

  it('re-dispatches a dispatched case to someone else before it is accepted', () => {
    const walk = CaseWalk.filed('person');
    walk.give({ type: 'dispatch', personId: OTHER_STAFF_ID, note: '' }, DISTRICT_DISPATCHER, withPerson(OTHER_STAFF_ID));
    expect(walk.state).toMatchObject({ status: 'dispatched', assigneeId: OTHER_STAFF_ID });
    expect(walk.refused({ type: 'accept' }, STAFF)).toMatchObject({ kind: 'forbidden' });
    walk.give({ type: 'accept' }, OTHER_STAFF);
  });
});

describe('return (wrong department) → re-dispatch', () => {
  it('sends an accepted case back to the street queue, then a dispatcher gives it to someone else', () => {
    const walk = acceptedCase();
    const returned = walk.give({ type: 'return', reason: 'Water supply, not city management' }, STAFF);
    expect(returned).toMatchObject({ type: 'returned', data: { reason: 'Water supply, not city management', queue: { kind: 'street', streetCode: STREET } } });
    expect(walk.state).toMatchObject({ status: 'queued', assigneeId: null, acceptedAt: null, extension: null, tier: 'street', queue: { kind: 'street', streetCode: STREET } });
    // Once returned it is no longer theirs: a department staff member off their department sees it no more.
    expect(canSeeCase(buildActor('department-staff', { departmentCode: 'SW' }), scopeOf(walk.state))).toBe(false);

    walk.give({ type: 'dispatch', personId: OTHER_STAFF_ID, note: 'Try the other team' }, STREET_DISPATCHER, withPerson(OTHER_STAFF_ID));
    expect(walk.state).toMatchObject({ status: 'dispatched', assigneeId: OTHER_STAFF_ID, tier: 'grid' });
    walk.give({ type: 'accept' }, OTHER_STAFF);
    expect(walk.state.status).toBe('handling');
  });

  it('returns a case not yet accepted too', () => {
    const walk = CaseWalk.filed('person');
    walk.give({ type: 'return', reason: 'Not mine' }, STAFF);
    expect(walk.state).toMatchObject({ status: 'queued', assigneeId: null });
  });

  it('returns a case escalated to the district to the district queue, keeping its tier', () => {
    const walk = acceptedCase();
    walk.give({ type: 'escalate', reason: 'dispatcher', note: '' }, DISTRICT_DISPATCHER);
    walk.give({ type: 'escalate', reason: 'dispatcher', note: '' }, DISTRICT_DISPATCHER);
    walk.give({ type: 'return', reason: 'Not mine' }, STAFF);
    expect(walk.state).toMatchObject({ status: 'queued', queue: { kind: 'district' }, tier: 'district' });
  });
});

describe('extension request → approve or deny', () => {
  it('approves: the resolve deadline moves to the date asked for and the overdue mark clears', () => {
    const walk = acceptedCase();
    const due = walk.state.resolveDueAt!;
    walk.at(minutesAfter(due, 5));
    walk.give({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR);
    expect(walk.state.overdueResolveAt).not.toBeNull();

    const until = '2026-12-04T09:00:00.000Z';
    const requested = walk.give({ type: 'request-extension', until, reason: 'Waiting for a part' }, STAFF);
    expect(walk.state.extension).toEqual({ until, reason: 'Waiting for a part', requestedBy: STAFF.accountId, requestedAt: requested.at });
    expect(summaryOf(walk.state, null).extensionPending).toBe(true);

    const decided = walk.give({ type: 'decide-extension', approve: true }, STREET_DISPATCHER);
    expect(decided).toMatchObject({ type: 'extension-decided', data: { approved: true, until } });
    expect(walk.state).toMatchObject({ status: 'handling', extension: null, resolveDueAt: until, overdueResolveAt: null });
    expect(summaryOf(walk.state, null).extensionPending).toBe(false);
  });

  it('denies: the deadline and any overdue mark stay', () => {
    const walk = acceptedCase();
    const due = walk.state.resolveDueAt;
    walk.give({ type: 'request-extension', until: '2026-12-04T09:00:00.000Z', reason: 'Busy' }, STAFF);
    walk.give({ type: 'decide-extension', approve: false }, DISTRICT_DISPATCHER);
    expect(walk.state).toMatchObject({ extension: null, resolveDueAt: due });
  });

  it('refuses a second request while one waits, and a decision when none waits', () => {
    const walk = acceptedCase();
    expect(walk.refused({ type: 'decide-extension', approve: true }, DISTRICT_DISPATCHER)).toMatchObject({ kind: 'conflict', code: 'no_extension' });
    walk.give({ type: 'request-extension', until: '2026-12-04T09:00:00.000Z', reason: 'Busy' }, STAFF);
    expect(walk.refused({ type: 'request-extension', until: '2026-12-05T09:00:00.000Z', reason: 'Busier' }, STAFF)).toMatchObject({ kind: 'conflict', code: 'extension_pending' });
  });

  it('refuses a date before the current deadline or before now, and one over 90 days ahead', () => {
    const walk = acceptedCase();
    const due = walk.state.resolveDueAt!;
    expect(walk.refused({ type: 'request-extension', until: due, reason: 'x' }, STAFF)).toMatchObject({ kind: 'invalid', code: 'extension_too_short' });
    expect(walk.refused({ type: 'request-extension', until: minutesAfter(due, -60), reason: 'x' }, STAFF)).toMatchObject({ kind: 'invalid', code: 'extension_too_short' });
    const ninetyDays = new Date(walk.now.getTime() + 90 * DAY_MS).toISOString();
    expect(walk.attempt({ type: 'request-extension', until: ninetyDays, reason: 'x' }, STAFF).ok).toBe(true);
    expect(walk.refused({ type: 'request-extension', until: minutesAfter(ninetyDays, 1), reason: 'x' }, STAFF)).toMatchObject({ kind: 'invalid', code: 'extension_too_long' });
    // Past the deadline already: the floor is now, not the deadline.
    walk.at(minutesAfter(due, 600));
    expect(walk.refused({ type: 'request-extension', until: minutesAfter(due, 300), reason: 'x' }, STAFF)).toMatchObject({ kind: 'invalid', code: 'extension_too_short' });
  });

  it('drops a pending request when the result is reported', () => {
    const walk = acceptedCase();
    walk.give({ type: 'request-extension', until: '2026-12-04T09:00:00.000Z', reason: 'Busy' }, STAFF);
    walk.give({ type: 'feedback', result: 'Done after all', photos: [] }, STAFF);
    expect(walk.state.extension).toBeNull();
  });
});

describe('on-the-spot handling by a grid worker of the grid', () => {
  it('reports the result straight from the queue; someone else verifies and closes it', () => {
    const walk = CaseWalk.filed('street');
    const event = walk.give({ type: 'handle-on-spot', result: 'Moved the bin back', photos: ['photo://1.jpg'] }, GRID_WORKER);
    expect(event).toMatchObject({ type: 'handled-on-spot', actor: GRID_WORKER.accountId, data: { handlerId: GRID_WORKER_ID } });
    expect(walk.state).toMatchObject({ status: 'feedback', selfHandled: true, handlerId: GRID_WORKER_ID, acceptedAt: event.at, feedbackAt: event.at });

    expect(walk.refused({ type: 'verify', passed: true, note: '' }, GRID_WORKER)).toMatchObject({ kind: 'forbidden', code: 'own_work' });
    walk.give({ type: 'verify', passed: true, note: 'Seen on camera' }, STREET_DISPATCHER);
    expect(walk.state.status).toBe('closed');
  });

  it('handles a case dispatched to someone else, keeping the earlier acceptance time if any', () => {
    const walk = CaseWalk.filed('person');
    walk.give({ type: 'handle-on-spot', result: 'Done', photos: [] }, GRID_WORKER);
    expect(walk.state).toMatchObject({ status: 'feedback', assigneeId: STAFF_ID, handlerId: GRID_WORKER_ID });
    // The assignee did not handle it, so they may... not verify: department staff never verify.
    expect(walk.refused({ type: 'verify', passed: true, note: '' }, STAFF)).toMatchObject({ kind: 'forbidden', code: 'not_allowed' });
    walk.give({ type: 'verify', passed: true, note: '' }, VERIFIER);
  });

  it('refuses a grid worker of another grid, and department staff', () => {
    const walk = CaseWalk.filed('street');
    expect(walk.refused({ type: 'handle-on-spot', result: 'x', photos: [] }, NEIGHBOUR_GRID_WORKER)).toMatchObject({ kind: 'forbidden' });
    expect(walk.refused({ type: 'handle-on-spot', result: 'x', photos: [] }, STAFF)).toMatchObject({ kind: 'forbidden' });
  });

  it('refuses a handler without a roster entry verifying their own work, by account', () => {
    const worker = buildActor('grid-worker', { accountId: 'acc-temp', personId: null });
    const walk = CaseWalk.filed('street');
    walk.give({ type: 'handle-on-spot', result: 'Done', photos: [] }, worker);
    expect(walk.state.handlerId).toBe('acc-temp');
    expect(walk.refused({ type: 'verify', passed: true, note: '' }, worker)).toMatchObject({ kind: 'forbidden', code: 'own_work' });
  });

  it('a case handled on the spot from the queue that fails verification goes back to the grid worker who handled it', () => {
    // handle-on-spot from the queue leaves no assignee; the rework goes to whoever did the work.
    const walk = CaseWalk.filed('street');
    walk.give({ type: 'handle-on-spot', result: 'Done', photos: [] }, GRID_WORKER);
    walk.give({ type: 'verify', passed: false, note: 'Still overflowing' }, VERIFIER);
    expect(walk.state).toMatchObject({ status: 'handling', assigneeId: GRID_WORKER.personId, reworkCount: 1 });
    walk.give({ type: 'feedback', result: 'Done properly', photos: [] }, GRID_WORKER);
    expect(walk.state.status).toBe('feedback');
  });
});

describe('rework when verification fails', () => {
  it('sends the case back to handling and counts each rework', () => {
    const walk = reportedCase();
    const event = walk.give({ type: 'verify', passed: false, note: 'Still overflowing' }, VERIFIER);
    expect(event).toMatchObject({ type: 'rework', data: { note: 'Still overflowing' } });
    expect(walk.state).toMatchObject({ status: 'handling', feedbackAt: null, reworkCount: 1, assigneeId: STAFF_ID, closedAt: null });

    walk.give({ type: 'feedback', result: 'Emptied again', photos: [] }, STAFF);
    walk.give({ type: 'verify', passed: false, note: 'Still not' }, GRID_WORKER);
    expect(walk.state.reworkCount).toBe(2);
    walk.give({ type: 'feedback', result: 'Replaced the bin', photos: [] }, STAFF);
    walk.give({ type: 'verify', passed: true, note: '' }, VERIFIER);
    expect(walk.state).toMatchObject({ status: 'closed', reworkCount: 2 });
  });

  it('refuses the handler verifying their own result, passed or failed', () => {
    const walk = reportedCase();
    const handler = buildActor('grid-worker', { accountId: 'acc-other', personId: STAFF_ID, gridCodes: [GRID] });
    expect(walk.refused({ type: 'verify', passed: true, note: '' }, handler)).toMatchObject({ kind: 'forbidden', code: 'own_work' });
    expect(walk.refused({ type: 'verify', passed: false, note: '' }, handler)).toMatchObject({ kind: 'forbidden', code: 'own_work' });
  });
});

describe('reopen when the rating says not fixed', () => {
  it('sends the case back to its assignee, clears the closure and counts the reopening', () => {
    const walk = closedCase();
    const event = walk.give({ type: 'rate', score: 2, comment: 'Full again the next morning', fixed: false }, STREET_DISPATCHER);
    expect(event).toMatchObject({ type: 'reopened', data: { score: 2, comment: 'Full again the next morning', queue: { kind: 'person', personId: STAFF_ID } } });
    expect(walk.state).toMatchObject({
      status: 'dispatched',
      assigneeId: STAFF_ID,
      queue: { kind: 'person', personId: STAFF_ID },
      closedAt: null,
      acceptedAt: null,
      feedbackAt: null,
      reopenCount: 1,
      rating: { score: 2, comment: 'Full again the next morning', at: event.at },
    });

    walk.give({ type: 'accept' }, STAFF);
    walk.give({ type: 'feedback', result: 'Bigger bin', photos: [] }, STAFF);
    walk.give({ type: 'verify', passed: true, note: '' }, VERIFIER);
    // Rated again after the second closure: the reopening's rating does not count against it.
    const rated = walk.give({ type: 'rate', score: 4, comment: 'Better', fixed: true }, STREET_DISPATCHER);
    expect(walk.state).toMatchObject({ status: 'closed', reopenCount: 1, rating: { score: 4, at: rated.at } });
  });

  it('sends a case with no assignee (handled on the spot from the queue) to the street queue', () => {
    const walk = CaseWalk.filed('street');
    walk.give({ type: 'handle-on-spot', result: 'Done', photos: [] }, GRID_WORKER);
    walk.give({ type: 'verify', passed: true, note: '' }, VERIFIER);
    walk.give({ type: 'rate', score: 1, comment: 'Nothing done', fixed: false }, DISTRICT_DISPATCHER);
    expect(walk.state).toMatchObject({ status: 'queued', queue: { kind: 'street', streetCode: STREET }, assigneeId: null, reopenCount: 1 });
  });
});

describe('escalation grid → street → district', () => {
  it('goes up one tier at a time and is refused beyond the district', () => {
    const walk = acceptedCase();
    expect(walk.state.tier).toBe('grid');
    const first = walk.give({ type: 'escalate', reason: 'several-departments', note: 'Water and city management' }, STREET_DISPATCHER);
    expect(first).toMatchObject({ type: 'escalated', data: { from: 'grid', to: 'street', reason: 'several-departments' } });
    expect(walk.state).toMatchObject({ tier: 'street', escalatedAt: first.at, status: 'handling', assigneeId: STAFF_ID });
    const second = walk.give({ type: 'escalate', reason: 'dispatcher', note: '' }, DISTRICT_DISPATCHER);
    expect(second).toMatchObject({ data: { from: 'street', to: 'district' } });
    expect(walk.state).toMatchObject({ tier: 'district', escalatedAt: second.at });
    expect(walk.refused({ type: 'escalate', reason: 'dispatcher', note: '' }, DISTRICT_DISPATCHER)).toMatchObject({ kind: 'conflict', code: 'top_tier' });
    expect(summaryOf(walk.state, null)).toMatchObject({ tier: 'district', escalatedAt: second.at });
  });

  it('keeps an escalated tier through a return and a fresh dispatch to a person', () => {
    const walk = CaseWalk.filed('person');
    walk.give({ type: 'escalate', reason: 'dispatcher', note: '' }, STREET_DISPATCHER);
    walk.give({ type: 'return', reason: 'Not mine' }, STAFF);
    expect(walk.state).toMatchObject({ tier: 'street', queue: { kind: 'street', streetCode: STREET } });
    walk.give({ type: 'dispatch', personId: OTHER_STAFF_ID, note: '' }, STREET_DISPATCHER, withPerson(OTHER_STAFF_ID));
    expect(walk.state).toMatchObject({ tier: 'street', status: 'dispatched' });
  });

  it('escalates for a passed deadline only by the scheduler, and only once the case is marked overdue', () => {
    const walk = CaseWalk.filed('person');
    expect(walk.refused({ type: 'escalate', reason: 'accept-overdue', note: '' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'not_overdue' });
    expect(walk.refused({ type: 'escalate', reason: 'resolve-overdue', note: '' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'not_overdue' });
    walk.at(minutesAfter(ACCEPT_DUE_AT, 1));
    walk.give({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR);
    expect(walk.refused({ type: 'escalate', reason: 'accept-overdue', note: '' }, DISTRICT_DISPATCHER)).toMatchObject({ kind: 'forbidden', code: 'not_allowed' });
    walk.give({ type: 'escalate', reason: 'accept-overdue', note: '' }, SYSTEM_ACTOR);
    expect(walk.state.tier).toBe('street');
    expect(walk.refused({ type: 'escalate', reason: 'several-departments', note: '' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'forbidden', code: 'not_allowed' });
  });
});

describe('formal deadline notice (限期受理)', () => {
  it('refuses closing until the reporter is answered, then allows it', () => {
    const walk = acceptedCase();
    const dueAt = '2026-12-04T09:00:00.000Z';
    const set = walk.give({ type: 'set-formal-deadline', unit: 'Property company', dueAt, requirements: 'Repair the gate' }, STREET_DISPATCHER);
    expect(walk.state.formalNotice).toEqual({ unit: 'Property company', dueAt, requirements: 'Repair the gate', setBy: STREET_DISPATCHER.accountId, setAt: set.at, answeredAt: null, answer: null });
    expect(summaryOf(walk.state, null).formalNoticeDueAt).toBe(dueAt);
    expect(walk.refused({ type: 'set-formal-deadline', unit: 'Other', dueAt, requirements: 'x' }, STREET_DISPATCHER)).toMatchObject({ kind: 'conflict', code: 'notice_pending' });

    walk.give({ type: 'feedback', result: 'Gate repaired', photos: [] }, STAFF);
    expect(walk.refused({ type: 'verify', passed: true, note: '' }, VERIFIER)).toMatchObject({ kind: 'conflict', code: 'reporter_not_answered' });
    // Rework does not close, so it needs no answer.
    walk.give({ type: 'verify', passed: false, note: 'Hinge still loose' }, VERIFIER);
    walk.give({ type: 'feedback', result: 'Hinge replaced', photos: [] }, STAFF);

    const answered = walk.give({ type: 'answer-reporter', answer: 'The gate is repaired' }, STREET_DISPATCHER);
    expect(walk.state.formalNotice).toMatchObject({ answeredAt: answered.at, answer: 'The gate is repaired' });
    expect(summaryOf(walk.state, null).formalNoticeDueAt).toBeNull();
    expect(walk.refused({ type: 'answer-reporter', answer: 'again' }, STREET_DISPATCHER)).toMatchObject({ kind: 'conflict', code: 'already_answered' });

    walk.give({ type: 'verify', passed: true, note: '' }, VERIFIER);
    expect(walk.state.status).toBe('closed');
  });

  it('refuses a deadline not in the future, and an answer with no notice', () => {
    const walk = acceptedCase();
    expect(walk.refused({ type: 'set-formal-deadline', unit: 'u', dueAt: walk.now.toISOString(), requirements: 'r' }, STREET_DISPATCHER)).toMatchObject({ kind: 'invalid', code: 'due_in_past' });
    expect(walk.refused({ type: 'answer-reporter', answer: 'hello' }, STREET_DISPATCHER)).toMatchObject({ kind: 'conflict', code: 'no_notice' });
  });

  it('allows a new notice once the last one is answered', () => {
    const walk = acceptedCase();
    walk.give({ type: 'set-formal-deadline', unit: 'u', dueAt: '2026-12-04T09:00:00.000Z', requirements: 'r' }, STREET_DISPATCHER);
    walk.give({ type: 'answer-reporter', answer: 'a' }, STREET_DISPATCHER);
    walk.give({ type: 'set-formal-deadline', unit: 'u2', dueAt: '2026-12-11T09:00:00.000Z', requirements: 'r2' }, DISTRICT_DISPATCHER);
    expect(walk.state.formalNotice).toMatchObject({ unit: 'u2', answeredAt: null });
  });
});

describe('move to another grid (near-boundary fix)', () => {
  it('moves a near-boundary case into the neighbouring grid and dispatches it there', () => {
    const walk = CaseWalk.filed('person', { nearBoundary: { gridCode: NEIGHBOUR_GRID, distanceMeters: 8 } });
    expect(summaryOf(walk.state, null).nearBoundary).toEqual({ gridCode: NEIGHBOUR_GRID, distanceMeters: 8 });
    const event = walk.give({ type: 'move', gridCode: NEIGHBOUR_GRID }, STREET_DISPATCHER, withMove(NEIGHBOUR_GRID, personDecision(OTHER_STAFF_ID)));
    expect(event).toMatchObject({ type: 'moved', data: { gridCode: NEIGHBOUR_GRID, communityCode: NEIGHBOUR_GRID.slice(0, 12), streetCode: STREET, assigneeId: OTHER_STAFF_ID } });
    expect(walk.state).toMatchObject({ gridCode: NEIGHBOUR_GRID, status: 'dispatched', assigneeId: OTHER_STAFF_ID, nearBoundary: null, tier: 'grid', dispatchReason: { code: 'least-loaded', gridCode: NEIGHBOUR_GRID } });
  });

  it('queues the moved case when nobody on the new grid can take it', () => {
    const walk = CaseWalk.filed('person');
    walk.give({ type: 'move', gridCode: FAR_GRID }, DISTRICT_DISPATCHER, withMove(FAR_GRID, streetDecision(FAR_GRID, FAR_GRID.slice(0, 9))));
    expect(walk.state).toMatchObject({ status: 'queued', assigneeId: null, streetCode: FAR_GRID.slice(0, 9), tier: 'street' });
  });

  it('refuses an unknown grid and the grid the case is in', () => {
    const walk = CaseWalk.filed('person');
    expect(walk.refused({ type: 'move', gridCode: '110108011999999' }, STREET_DISPATCHER, CONTEXT)).toMatchObject({ kind: 'invalid', code: 'unknown_grid' });
    expect(walk.refused({ type: 'move', gridCode: GRID }, STREET_DISPATCHER, withMove(GRID))).toMatchObject({ kind: 'conflict', code: 'same_grid' });
  });

  it("moving a linked case makes it a case of its own: no dangling duplicate link", () => {
    // `move` applies to a linked case and takes it out of `linked`, but `moved` keeps duplicateOf:
    // a queued/dispatched case that still says it duplicates another (refused as a merge target,
    // shown as a duplicate on the wall) with no dispatcher ever deciding so.
    const walk = CaseWalk.filed('linked');
    walk.give({ type: 'move', gridCode: NEIGHBOUR_GRID }, STREET_DISPATCHER, withMove(NEIGHBOUR_GRID, streetDecision()));
    expect(walk.state.status).toBe('queued');
    expect({ duplicateOf: walk.state.duplicateOf, summary: summaryOf(walk.state, null).duplicateOf }).toEqual({ duplicateOf: null, summary: null });
  });
});

describe('mark-overdue accept/resolve', () => {
  it('marks overdue to accept only once the deadline has passed, only once, only by the system', () => {
    const walk = CaseWalk.filed('person');
    walk.at(minutesAfter(ACCEPT_DUE_AT, -2));
    expect(walk.refused({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'not_due' });
    walk.at(ACCEPT_DUE_AT);
    expect(walk.refused({ type: 'mark-overdue', which: 'accept' }, DISTRICT_DISPATCHER)).toMatchObject({ kind: 'forbidden', code: 'not_allowed' });
    const event = walk.give({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR);
    expect(event).toEqual({ type: 'overdue', actor: SYSTEM_ACTOR.accountId, at: minutesAfter(ACCEPT_DUE_AT, 1), data: { which: 'accept', dueAt: ACCEPT_DUE_AT } });
    expect(walk.state.overdueAcceptAt).toBe(event.at);
    expect(summaryOf(walk.state, null).overdueAcceptAt).toBe(event.at);
    expect(walk.refused({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'already_overdue' });
  });

  it('does not mark an accepted case overdue to accept', () => {
    const walk = acceptedCase();
    walk.at(minutesAfter(ACCEPT_DUE_AT, 60));
    expect(walk.refused({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'already_accepted' });
  });

  it('does not mark a case without an accept deadline', () => {
    const walk = CaseWalk.filed('district', { acceptDueAt: null, resolveDueAt: null });
    walk.later(10_000);
    expect(walk.refused({ type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'not_due' });
    expect(walk.refused({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'not_due' });
  });

  it('marks overdue to resolve once the resolve deadline passes, once, and not after the result is reported', () => {
    const walk = acceptedCase();
    const due = walk.state.resolveDueAt!;
    walk.at(minutesAfter(due, -2));
    expect(walk.refused({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'not_due' });
    walk.at(due);
    const event = walk.give({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR);
    expect(event.data).toEqual({ which: 'resolve', dueAt: due });
    expect(walk.state.overdueResolveAt).toBe(event.at);
    expect(walk.refused({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'already_overdue' });

    const late = acceptedCase();
    late.give({ type: 'feedback', result: 'Done', photos: [] }, STAFF);
    late.at(minutesAfter(due, 60));
    expect(late.refused({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR)).toMatchObject({ kind: 'conflict', code: 'already_resolved' });
  });

  it('marks a case never accepted overdue to resolve against the deadline set at filing', () => {
    const walk = CaseWalk.filed('street').at(FILED_RESOLVE_DUE_AT);
    walk.give({ type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR);
    expect(walk.state.overdueResolveAt).not.toBeNull();
  });
});

describe('the department of the case', () => {
  it('is the one at filing, whatever the dispatcher does', () => {
    const walk = CaseWalk.filed('street');
    walk.give({ type: 'dispatch', personId: OTHER_STAFF_ID, note: '' }, STREET_DISPATCHER, withPerson(OTHER_STAFF_ID));
    expect(walk.state.departmentCode).toBe(DEPARTMENT);
  });
});
