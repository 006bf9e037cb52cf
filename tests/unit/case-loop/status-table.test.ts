import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/access/actor.ts';
import { CASE_COMMAND_TYPES, type CaseCommand, type CaseCommandType } from '../../../core/case-loop/case-command.ts';
import { CASE_STATUSES, type CaseState, type CaseStatus } from '../../../core/case-loop/case-state.ts';
import { transition, type TransitionContext } from '../../../core/case-loop/transition.ts';
import {
  ACCEPT_DUE_AT,
  EXPECTED_FROM,
  buildCaseState,
  CONTEXT,
  DISTRICT_DISPATCHER,
  FILED_RESOLVE_DUE_AT,
  GRID_WORKER,
  minutesAfter,
  NOBODY_ID,
  OTHER_STAFF_ID,
  sampleCommand,
  STAFF,
  STAFF_ID,
  SYSTEM_ACTOR,
  VERIFIER,
  withMergeTarget,
  withMove,
  withPerson,
} from './case-builders.ts';


/**
 * Listed as applying but refused there whatever the case: mark-overdue in `feedback` (the result is
 * in: it can be neither overdue to accept nor to resolve). Each with the refusal it always gets.
 */
const LISTED_BUT_ALWAYS_REFUSED: Partial<Record<CaseCommandType, Partial<Record<CaseStatus, string>>>> = {
  'mark-overdue': { feedback: 'already_accepted' },
};

const NOW = new Date('2026-11-27T03:00:00.000Z');

/** For each command, someone allowed to give it and a case (in any status) where it would succeed. */
function setupFor(type: CaseCommandType, status: CaseStatus): { state: CaseState; actor: Actor; command: CaseCommand; context: TransitionContext } {
  const base: Partial<CaseState> = { status, assigneeId: STAFF_ID, handlerId: NOBODY_ID, closedAt: status === 'closed' || status === 'rejected' || status === 'merged' ? '2026-11-27T02:00:00.000Z' : null };
  const command = sampleCommand(type, NOW);
  const dispatcher = { actor: DISTRICT_DISPATCHER, command, context: CONTEXT };
  switch (type) {
    case 'reject':
    case 'unlink':
    case 'rate':
    case 'escalate':
    case 'set-formal-deadline':
      return { ...dispatcher, state: buildCaseState(base) };
    case 'merge':
      return { ...dispatcher, state: buildCaseState(base), context: withMergeTarget() };
    case 'dispatch':
      return { ...dispatcher, state: buildCaseState(base), context: withPerson(OTHER_STAFF_ID) };
    case 'move':
      return { ...dispatcher, state: buildCaseState(base), context: withMove() };
    case 'decide-extension':
      return { ...dispatcher, state: buildCaseState({ ...base, extension: { until: '2026-12-04T00:00:00.000Z', reason: 'r', requestedBy: STAFF.accountId, requestedAt: '2026-11-27T02:00:00.000Z' } }) };
    case 'answer-reporter':
      return {
        ...dispatcher,
        state: buildCaseState({ ...base, formalNotice: { unit: 'u', dueAt: '2026-12-04T00:00:00.000Z', requirements: 'r', setBy: 'acc-street', setAt: '2026-11-27T02:00:00.000Z', answeredAt: null, answer: null } }),
      };
    case 'accept':
    case 'return':
    case 'feedback':
      return { actor: STAFF, command, context: CONTEXT, state: buildCaseState(base) };
    case 'request-extension':
      return { actor: STAFF, command, context: CONTEXT, state: buildCaseState({ ...base, resolveDueAt: FILED_RESOLVE_DUE_AT }) };
    case 'handle-on-spot':
      return { actor: GRID_WORKER, command, context: CONTEXT, state: buildCaseState(base) };
    case 'verify':
      return { actor: VERIFIER, command, context: CONTEXT, state: buildCaseState(base) };
    case 'mark-overdue':
      return { actor: SYSTEM_ACTOR, command, context: CONTEXT, state: buildCaseState({ ...base, acceptedAt: null, acceptDueAt: ACCEPT_DUE_AT, overdueAcceptAt: null }) };
  }
}

describe('the status table: each command applies exactly where the policy says', () => {
  it('covers every command type and every status', () => {
    expect(Object.keys(EXPECTED_FROM).sort()).toEqual([...CASE_COMMAND_TYPES].sort());
    for (const statuses of Object.values(EXPECTED_FROM)) for (const s of statuses) expect(CASE_STATUSES).toContain(s);
  });

  const cells = CASE_COMMAND_TYPES.flatMap((type) => CASE_STATUSES.map((status) => [type, status, EXPECTED_FROM[type].includes(status)] as const));

  it.each(cells)('%s in a %s case: applies = %s', (type, status, applies) => {
    const { state, actor, command, context } = setupFor(type, status);
    const result = transition(state, command, actor, NOW, context);
    if (!applies) {
      expect(result).toMatchObject({ ok: false, refusal: { kind: 'conflict', code: 'wrong_state' } });
      if (!result.ok) expect(result.refusal.message).toContain(`is ${status};`);
      return;
    }
    const alwaysRefused = LISTED_BUT_ALWAYS_REFUSED[type]?.[status];
    if (alwaysRefused) expect(result).toMatchObject({ ok: false, refusal: { code: alwaysRefused } });
    else expect(result.ok ? result.ok : result.refusal).toBe(true);
  });

  it('never lets a rejected or merged case take any command', () => {
    for (const status of ['rejected', 'merged'] as const) {
      for (const type of CASE_COMMAND_TYPES) expect(EXPECTED_FROM[type]).not.toContain(status);
    }
  });

  it('refuses mark-overdue in feedback for both deadlines', () => {
    const { state } = setupFor('mark-overdue', 'feedback');
    expect(transition(state, { type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR, NOW, CONTEXT)).toMatchObject({ ok: false, refusal: { code: 'already_accepted' } });
    expect(transition({ ...state, resolveDueAt: minutesAfter(NOW.toISOString(), -1) }, { type: 'mark-overdue', which: 'resolve' }, SYSTEM_ACTOR, NOW, CONTEXT)).toMatchObject({ ok: false, refusal: { code: 'already_resolved' } });
  });
});
