import { dueAfter } from '../dispatch/case-deadlines.ts';
import { SYSTEM_ACTOR, type Actor } from '../access/actor.ts';
import { canSeeCase, inActorsStreet, servesGrid, type CaseScope } from '../access/case-scope.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { DispatchDecision, Queue } from '../dispatch/dispatch-decision.ts';
import type { CaseCommand, CaseCommandType } from './case-command.ts';
import type { CaseEvent, CaseEventData, CaseEventType } from './case-events.ts';
import { isOpenStatus, tierAbove, type CaseState, type CaseStatus } from './case-state.ts';

/** Why a command was refused: not yours to give (403), not possible now (409), or not sensible (400). */
export interface Refusal {
  readonly kind: 'forbidden' | 'conflict' | 'invalid';
  readonly code: string;
  readonly message: string;
}

export type TransitionResult = { readonly ok: true; readonly event: CaseEvent } | { readonly ok: false; readonly refusal: Refusal };

/** Facts a command needs that live outside the case; the service looks them up. */
export interface TransitionContext {
  readonly calendar: WorkingCalendar;
  /** For `merge`: the case named, as it stands (undefined: no such case). */
  readonly mergeTarget?: Pick<CaseState, 'id' | 'number' | 'status' | 'duplicateOf'>;
  /** For `dispatch`: the person named (undefined: not on the roster). */
  readonly person?: { readonly id: string; readonly name: string; readonly departmentCode: string; readonly onDuty: boolean };
  /** For `move`: where the router and dispatch put the case in the grid named (undefined: no such grid). */
  readonly move?: { readonly gridCode: string; readonly communityCode: string; readonly streetCode: string; readonly decision: DispatchDecision };
}

const MAX_EXTENSION_DAYS = 90;
const DAY_MS = 86_400_000;

/** Who may give each command. `assignee`: the person the case is assigned to; `system`: the scheduler. */
type Giver = 'dispatcher' | 'assignee' | 'grid-worker-of-grid' | 'verifier' | 'system';
const GIVERS: { readonly [T in CaseCommandType]: readonly Giver[] } = {
  reject: ['dispatcher'],
  merge: ['dispatcher'],
  unlink: ['dispatcher'],
  dispatch: ['dispatcher'],
  accept: ['assignee'],
  return: ['assignee'],
  'request-extension': ['assignee'],
  'decide-extension': ['dispatcher'],
  feedback: ['assignee'],
  'handle-on-spot': ['grid-worker-of-grid'],
  // 核查: the supervision centre, the dispatchers, or the grid's own worker (监督员), never the handler.
  verify: ['verifier', 'dispatcher', 'grid-worker-of-grid'],
  // The reporter's rating comes back through the hotline's callback (回访), entered by a dispatcher.
  rate: ['dispatcher'],
  escalate: ['dispatcher', 'system'],
  'mark-overdue': ['system'],
  'set-formal-deadline': ['dispatcher'],
  'answer-reporter': ['dispatcher'],
  move: ['dispatcher'],
};

/** Which states each command applies in. */
const FROM: { readonly [T in CaseCommandType]: readonly CaseStatus[] } = {
  reject: ['queued', 'dispatched', 'linked'],
  merge: ['queued', 'dispatched', 'linked'],
  unlink: ['linked'],
  dispatch: ['queued', 'dispatched'],
  accept: ['dispatched'],
  return: ['dispatched', 'handling'],
  'request-extension': ['handling'],
  'decide-extension': ['handling', 'feedback'],
  feedback: ['handling'],
  'handle-on-spot': ['queued', 'dispatched'],
  verify: ['feedback'],
  rate: ['closed'],
  escalate: ['queued', 'dispatched', 'handling', 'feedback', 'linked'],
  'mark-overdue': ['queued', 'dispatched', 'handling', 'feedback', 'linked'],
  'set-formal-deadline': ['queued', 'dispatched', 'handling', 'feedback', 'linked'],
  'answer-reporter': ['queued', 'dispatched', 'handling', 'feedback', 'linked', 'closed'],
  move: ['queued', 'dispatched', 'linked'],
};

export function scopeOf(state: CaseState): CaseScope {
  return {
    streetCode: state.streetCode,
    gridCode: state.gridCode,
    departmentCode: state.departmentCode,
    assigneeId: state.assigneeId,
    queueStreetCode: state.queue.kind === 'street' ? state.queue.streetCode : null,
  };
}

function isSystem(actor: Actor): boolean {
  return actor.accountId === SYSTEM_ACTOR.accountId;
}

/** What decides who may give a command: as a case's state has it, and as a dashboard's summary does. */
export interface CommandFacts {
  readonly status: CaseStatus;
  readonly tier: CaseState['tier'];
  readonly assigneeId: string | null;
  readonly gridCode: string | null;
  readonly scope: CaseScope;
}

export function factsOfState(state: CaseState): CommandFacts {
  return { status: state.status, tier: state.tier, assigneeId: state.assigneeId, gridCode: state.gridCode, scope: scopeOf(state) };
}

function mayGive(giver: Giver, actor: Actor, facts: CommandFacts): boolean {
  switch (giver) {
    case 'system':
      return isSystem(actor);
    case 'dispatcher':
      if (isSystem(actor)) return false;
      if (actor.role === 'district-dispatcher') return true;
      // Once the district centre holds a case, the street/town sub-centre follows it but no longer decides.
      return actor.role === 'street-dispatcher' && facts.tier !== 'district' && inActorsStreet(actor, facts.scope);
    case 'assignee':
      return (actor.role === 'grid-worker' || actor.role === 'department-staff') && actor.personId !== null && actor.personId === facts.assigneeId;
    case 'grid-worker-of-grid':
      return actor.role === 'grid-worker' && servesGrid(actor, facts.gridCode);
    case 'verifier':
      return actor.role === 'verifier';
  }
}

/**
 * Whether this actor may give this command to a case in this state, by role, scope and step alone
 * (what a dashboard offers as buttons). `transition` checks this and then the command's own rules
 * (a verifier's own work, a pending extension, a deadline not yet passed…).
 */
export function mayGiveCommand(type: CaseCommandType, actor: Actor, facts: CommandFacts): boolean {
  return FROM[type].includes(facts.status) && GIVERS[type].some((g) => mayGive(g, actor, facts));
}

const refuse = (kind: Refusal['kind'], code: string, message: string): TransitionResult => ({ ok: false, refusal: { kind, code, message } });

/** Where a case goes when it leaves a person: its street's queue, or the district's when it has none or is there already. */
function dispatcherQueue(state: CaseState): Queue {
  if (state.tier === 'district' || state.streetCode === null) return { kind: 'district' };
  return { kind: 'street', streetCode: state.streetCode };
}

/**
 * The state machine of the seven steps: the event a command causes, or why it may not. Pure: the
 * caller stores the event (with the hash chain) and folds it into the case with `applyEvent`.
 */
export function transition(state: CaseState, command: CaseCommand, actor: Actor, now: Date, context: TransitionContext): TransitionResult {
  if (!isSystem(actor) && !canSeeCase(actor, scopeOf(state))) return refuse('forbidden', 'out_of_scope', `case ${state.number} is outside your area`);
  if (!GIVERS[command.type].some((g) => mayGive(g, actor, factsOfState(state)))) {
    return refuse('forbidden', 'not_allowed', `a ${actor.role} may not ${command.type} case ${state.number}${command.type === 'accept' || command.type === 'feedback' ? ' (only its assignee may)' : ''}`);
  }
  if (!FROM[command.type].includes(state.status)) {
    return refuse('conflict', 'wrong_state', `case ${state.number} is ${state.status}; ${command.type} applies to a case that is ${FROM[command.type].join(' or ')}`);
  }
  const at = now.toISOString();
  const event = <T extends CaseEventType>(type: T, data: CaseEventData[T]): TransitionResult => ({ ok: true, event: { type, actor: actor.accountId, at, data } as CaseEvent });

  const unansweredNotice = state.formalNotice !== null && state.formalNotice.answeredAt === null;
  switch (command.type) {
    case 'reject':
      if (unansweredNotice) return refuse('conflict', 'reporter_not_answered', `case ${state.number} is under a formal deadline notice: answer the reporter first`);
      return event('rejected', { reason: command.reason });

    case 'merge': {
      if (unansweredNotice) return refuse('conflict', 'reporter_not_answered', `case ${state.number} is under a formal deadline notice: answer the reporter first`);
      const target = context.mergeTarget;
      if (!target) return refuse('invalid', 'unknown_case', `there is no case ${command.intoCaseNumber}`);
      if (target.id === state.id) return refuse('invalid', 'same_case', 'a case cannot be merged into itself');
      if (!isOpenStatus(target.status)) return refuse('conflict', 'target_not_open', `case ${target.number} is ${target.status}; merge into an open case`);
      if (target.duplicateOf !== null || target.status === 'linked') return refuse('conflict', 'target_is_duplicate', `case ${target.number} is itself a duplicate; merge into the case it duplicates`);
      return event('merged', { intoCaseId: target.id, intoCaseNumber: target.number });
    }

    case 'unlink':
      return event('unlinked', { queue: dispatcherQueue(state) });

    case 'dispatch': {
      const person = context.person;
      if (!person) return refuse('invalid', 'unknown_person', `${command.personId} is not on the roster`);
      if (!person.onDuty) return refuse('conflict', 'off_duty', `${person.name} is off duty`);
      if (person.id === state.assigneeId) return refuse('conflict', 'already_assigned', `case ${state.number} is already assigned to ${person.name}`);
      return event('dispatched', {
        queue: { kind: 'person', personId: person.id },
        assigneeId: person.id,
        reason: { code: 'dispatcher', by: actor.accountId, ...(command.note ? { note: command.note } : {}) },
      });
    }

    case 'accept': {
      // The resolve clock runs from the acceptance (the deadline filed assumed acceptance at the last minute).
      const resolveDueAt = dueAfter(now, state.resolveMinutes, state, context.calendar);
      return event('accepted', { resolveDueAt: resolveDueAt.toISOString() });
    }

    case 'return':
      return event('returned', { reason: command.reason, queue: dispatcherQueue(state) });

    case 'request-extension': {
      if (state.extension) return refuse('conflict', 'extension_pending', `an extension to ${state.extension.until} is already waiting for a dispatcher`);
      const until = Date.parse(command.until);
      const floor = Math.max(now.getTime(), state.resolveDueAt ? Date.parse(state.resolveDueAt) : 0);
      if (until <= floor) return refuse('invalid', 'extension_too_short', `ask for a time after the current deadline${state.resolveDueAt ? ` (${state.resolveDueAt})` : ''} and after now`);
      if (until > now.getTime() + MAX_EXTENSION_DAYS * DAY_MS) return refuse('invalid', 'extension_too_long', `an extension may reach at most ${MAX_EXTENSION_DAYS} days ahead; put the case on long-term hold with a dispatcher instead`);
      return event('extension-requested', { until: command.until, reason: command.reason });
    }

    case 'decide-extension':
      if (!state.extension) return refuse('conflict', 'no_extension', `case ${state.number} has no extension request waiting`);
      return event('extension-decided', { approved: command.approve, until: state.extension.until });

    case 'feedback':
      return event('feedback', { result: command.result, photos: command.photos, handlerId: actor.personId ?? actor.accountId });

    case 'handle-on-spot':
      return event('handled-on-spot', { result: command.result, photos: command.photos, handlerId: actor.personId ?? actor.accountId });

    case 'verify':
      if (state.handlerId !== null && (state.handlerId === actor.personId || state.handlerId === actor.accountId)) {
        return refuse('forbidden', 'own_work', 'a case is verified by someone other than whoever handled it');
      }
      if (!command.passed) {
        const worker = state.assigneeId ?? (state.selfHandled ? state.handlerId : null);
        return event('rework', { note: command.note, queue: worker ? { kind: 'person', personId: worker } : dispatcherQueue(state) });
      }
      if (unansweredNotice) {
        return refuse('conflict', 'reporter_not_answered', `case ${state.number} is under a formal deadline notice: answer the reporter before closing it`);
      }
      return event('closed', { note: command.note });

    case 'rate': {
      if (state.rating && state.closedAt && state.rating.at >= state.closedAt) return refuse('conflict', 'already_rated', `case ${state.number} has been rated since it was closed`);
      if (command.fixed) return event('rated', { score: command.score, comment: command.comment });
      const queue: Queue = state.assigneeId ? { kind: 'person', personId: state.assigneeId } : dispatcherQueue(state);
      return event('reopened', { score: command.score, comment: command.comment, queue });
    }

    case 'escalate': {
      const to = tierAbove(state.tier);
      if (!to) return refuse('conflict', 'top_tier', `case ${state.number} is already with the district centre`);
      const automatic = command.reason === 'accept-overdue' || command.reason === 'resolve-overdue';
      if (automatic !== isSystem(actor)) {
        return refuse('forbidden', 'not_allowed', automatic ? 'only the deadline scheduler escalates for a passed deadline' : 'the scheduler escalates only for a passed deadline');
      }
      if (command.reason === 'accept-overdue' && (state.overdueAcceptAt === null || state.acceptedAt !== null)) return refuse('conflict', 'not_overdue', `case ${state.number} is not overdue to accept`);
      if (command.reason === 'resolve-overdue' && state.overdueResolveAt === null) return refuse('conflict', 'not_overdue', `case ${state.number} is not overdue to resolve`);
      return event('escalated', { from: state.tier, to, reason: command.reason, note: command.note });
    }

    case 'mark-overdue': {
      if (command.which === 'accept') {
        if (state.acceptedAt !== null || state.status === 'feedback') return refuse('conflict', 'already_accepted', `case ${state.number} has been accepted`);
        if (state.overdueAcceptAt !== null) return refuse('conflict', 'already_overdue', `case ${state.number} is already marked overdue to accept`);
        if (state.acceptDueAt === null || Date.parse(state.acceptDueAt) > now.getTime()) return refuse('conflict', 'not_due', `case ${state.number} is not yet due to be accepted`);
        return event('overdue', { which: 'accept', dueAt: state.acceptDueAt });
      }
      if (state.status === 'feedback') return refuse('conflict', 'already_resolved', `case ${state.number} has its result reported`);
      if (state.overdueResolveAt !== null) return refuse('conflict', 'already_overdue', `case ${state.number} is already marked overdue to resolve`);
      if (state.resolveDueAt === null || Date.parse(state.resolveDueAt) > now.getTime()) return refuse('conflict', 'not_due', `case ${state.number} is not yet due to be resolved`);
      return event('overdue', { which: 'resolve', dueAt: state.resolveDueAt });
    }

    case 'set-formal-deadline':
      if (state.formalNotice && state.formalNotice.answeredAt === null) return refuse('conflict', 'notice_pending', `case ${state.number} already has a formal deadline notice waiting for its answer`);
      if (Date.parse(command.dueAt) <= now.getTime()) return refuse('invalid', 'due_in_past', 'a formal deadline must be in the future');
      return event('formal-deadline-set', { unit: command.unit, dueAt: command.dueAt, requirements: command.requirements });

    case 'answer-reporter':
      if (!state.formalNotice) return refuse('conflict', 'no_notice', `case ${state.number} has no formal deadline notice`);
      if (state.formalNotice.answeredAt !== null) return refuse('conflict', 'already_answered', `the reporter of case ${state.number} was answered at ${state.formalNotice.answeredAt}`);
      return event('reporter-answered', { answer: command.answer });

    case 'move': {
      const move = context.move;
      if (!move) return refuse('invalid', 'unknown_grid', `there is no grid ${command.gridCode}`);
      if (move.gridCode === state.gridCode) return refuse('conflict', 'same_grid', `case ${state.number} is already in grid ${move.gridCode}`);
      return event('moved', {
        gridCode: move.gridCode,
        communityCode: move.communityCode,
        streetCode: move.streetCode,
        queue: move.decision.queue,
        assigneeId: move.decision.queue.kind === 'person' ? move.decision.queue.personId : null,
        reason: move.decision.reason,
      });
    }
  }
}
