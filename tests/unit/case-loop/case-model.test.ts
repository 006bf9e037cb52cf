import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/access/actor.ts';
import { inActorsStreet, servesGrid } from '../../../core/access/case-scope.ts';
import { applyEvent, foldEvents } from '../../../core/case-loop/apply-event.ts';
import { CASE_COMMAND_TYPES, type CaseCommand, type CaseCommandType } from '../../../core/case-loop/case-command.ts';
import { ESCALATION_REASONS, type CaseEvent, type CaseEventType } from '../../../core/case-loop/case-events.ts';
import { isOpenStatus, tierOfQueue, TIERS, type CaseState } from '../../../core/case-loop/case-state.ts';
import { scopeOf, transition, type TransitionContext } from '../../../core/case-loop/transition.ts';
import {
  ADMIN,
  ANALYST,
  buildActor,
  buildCaseState,
  CASE_ID,
  CASE_NUMBER,
  CONTEXT,
  DAY_MS,
  DISTRICT_DISPATCHER,
  EXPECTED_FROM,
  FAR_GRID,
  GRID,
  GRID_WORKER,
  GRID_WORKER_ID,
  intakeEvents,
  MINUTE_MS,
  NEIGHBOUR_GRID,
  NEIGHBOUR_GRID_WORKER,
  NEIGHBOUR_GRID_WORKER_ID,
  ORIGINAL_CASE_NUMBER,
  OTHER_DEPARTMENT,
  OTHER_STAFF,
  OTHER_STAFF_ID,
  OTHER_STREET_DISPATCHER,
  personDecision,
  seededRandom,
  STAFF,
  STAFF_ID,
  STREET_DISPATCHER,
  streetDecision,
  SYSTEM_ACTOR,
  VERIFIER,
  withMergeTarget,
  withMove,
  withPerson,
  type Intake,
  type Random,
} from './case-builders.ts';

const SEED = 20_261_127;
const SEQUENCES = 2_000;
const MAX_STEPS = 60;

const ACTORS: readonly Actor[] = [
  DISTRICT_DISPATCHER,
  STREET_DISPATCHER,
  OTHER_STREET_DISPATCHER,
  GRID_WORKER,
  NEIGHBOUR_GRID_WORKER,
  buildActor('grid-worker', { accountId: 'acc-temp', personId: null, gridCodes: [GRID, NEIGHBOUR_GRID] }),
  STAFF,
  OTHER_STAFF,
  buildActor('department-staff', { accountId: 'acc-sw', personId: 'P301', departmentCode: OTHER_DEPARTMENT, gridCodes: [GRID, NEIGHBOUR_GRID] }),
  VERIFIER,
  ANALYST,
  ADMIN,
  SYSTEM_ACTOR,
];
const ROSTER = [GRID_WORKER_ID, NEIGHBOUR_GRID_WORKER_ID, STAFF_ID, OTHER_STAFF_ID, 'P404'];
const DISPATCHER_COMMANDS: readonly CaseCommandType[] = ['reject', 'merge', 'unlink', 'dispatch', 'decide-extension', 'rate', 'set-formal-deadline', 'answer-reporter', 'move'];
const ASSIGNEE_COMMANDS: readonly CaseCommandType[] = ['accept', 'return', 'request-extension', 'feedback'];
const TIER_RANK = Object.fromEntries(TIERS.map((t, i) => [t, i])) as Record<CaseState['tier'], number>;

/** The event each command may cause. */
const EVENTS_OF: { readonly [T in CaseCommandType]: readonly CaseEventType[] } = {
  reject: ['rejected'],
  merge: ['merged'],
  unlink: ['unlinked'],
  dispatch: ['dispatched'],
  accept: ['accepted'],
  return: ['returned'],
  'request-extension': ['extension-requested'],
  'decide-extension': ['extension-decided'],
  feedback: ['feedback'],
  'handle-on-spot': ['handled-on-spot'],
  verify: ['closed', 'rework'],
  rate: ['rated', 'reopened'],
  escalate: ['escalated'],
  'mark-overdue': ['overdue'],
  'set-formal-deadline': ['formal-deadline-set'],
  'answer-reporter': ['reporter-answered'],
  move: ['moved'],
};

function randomCommand(rng: Random, now: Date): { command: CaseCommand; context: TransitionContext } {
  // Rejecting and merging end a case: drawn less often, so that runs get deep into the loop.
  let type = rng.pick(CASE_COMMAND_TYPES);
  if ((type === 'reject' || type === 'merge') && rng.chance(0.85)) type = rng.pick(CASE_COMMAND_TYPES);
  const minutesFromNow = (min: number, max: number): string => new Date(now.getTime() + rng.int(min, max) * MINUTE_MS).toISOString();
  switch (type) {
    case 'reject':
      return { command: { type, reason: 'r' }, context: CONTEXT };
    case 'merge': {
      const targets: TransitionContext[] = [
        CONTEXT,
        withMergeTarget({ id: CASE_ID, number: CASE_NUMBER }),
        withMergeTarget(),
        withMergeTarget({ status: 'closed' }),
        withMergeTarget({ status: 'linked', duplicateOf: 3 }),
        withMergeTarget({ status: 'queued', duplicateOf: 3 }),
      ];
      return { command: { type, intoCaseNumber: ORIGINAL_CASE_NUMBER }, context: rng.pick(targets) };
    }
    case 'unlink':
    case 'accept':
      return { command: { type }, context: CONTEXT };
    case 'dispatch': {
      const personId = rng.pick(ROSTER);
      return { command: { type, personId, note: rng.chance(0.5) ? 'n' : '' }, context: personId === 'P404' ? CONTEXT : withPerson(personId, rng.chance(0.85)) };
    }
    case 'return':
      return { command: { type, reason: 'r' }, context: CONTEXT };
    case 'request-extension':
      return { command: { type, until: minutesFromNow(-2 * 1440, 100 * 1440), reason: 'r' }, context: CONTEXT };
    case 'decide-extension':
      return { command: { type, approve: rng.chance(0.5) }, context: CONTEXT };
    case 'feedback':
    case 'handle-on-spot':
      return { command: { type, result: 'r', photos: [] }, context: CONTEXT };
    case 'verify':
      return { command: { type, passed: rng.chance(0.6), note: '' }, context: CONTEXT };
    case 'rate':
      return { command: { type, score: rng.pick([1, 2, 3, 4, 5] as const), comment: '', fixed: rng.chance(0.6) }, context: CONTEXT };
    case 'escalate':
      return { command: { type, reason: rng.pick(ESCALATION_REASONS), note: '' }, context: CONTEXT };
    case 'mark-overdue':
      return { command: { type, which: rng.pick(['accept', 'resolve'] as const) }, context: CONTEXT };
    case 'set-formal-deadline':
      return { command: { type, unit: 'u', dueAt: minutesFromNow(-1440, 30 * 1440), requirements: 'r' }, context: CONTEXT };
    case 'answer-reporter':
      return { command: { type, answer: 'a' }, context: CONTEXT };
    case 'move': {
      const gridCode = rng.pick([GRID, NEIGHBOUR_GRID, FAR_GRID]);
      const decision = rng.pick([personDecision(OTHER_STAFF_ID, gridCode), personDecision(NEIGHBOUR_GRID_WORKER_ID, gridCode), streetDecision(gridCode, gridCode.slice(0, 9))]);
      return { command: { type, gridCode }, context: rng.chance(0.9) ? withMove(gridCode, decision) : CONTEXT };
    }
  }
}

/** Mostly someone likely to be allowed (so runs get deep into the loop), else anyone. */
function randomActor(rng: Random, type: CaseCommandType, state: CaseState): Actor {
  if (rng.chance(0.35)) return rng.pick(ACTORS);
  if (ASSIGNEE_COMMANDS.includes(type)) return ACTORS.find((a) => a.personId !== null && a.personId === state.assigneeId) ?? rng.pick(ACTORS);
  if (type === 'handle-on-spot') return rng.pick([GRID_WORKER, NEIGHBOUR_GRID_WORKER]);
  if (type === 'verify') return rng.pick([VERIFIER, STREET_DISPATCHER, GRID_WORKER, DISTRICT_DISPATCHER]);
  if (type === 'mark-overdue' || type === 'escalate') return rng.pick([SYSTEM_ACTOR, DISTRICT_DISPATCHER, STREET_DISPATCHER]);
  return rng.pick([DISTRICT_DISPATCHER, STREET_DISPATCHER]);
}

/** Every broken invariant, as a line saying where (seed, sequence, step) and what. */
function checkStep(prev: CaseState, next: CaseState, command: CaseCommand, actor: Actor, event: CaseEvent, now: Date): string[] {
  const problems: string[] = [];
  const fail = (what: string): void => void problems.push(`${command.type} by ${actor.accountId} (${prev.status} → ${next.status}): ${what}`);

  // The event: the command's, by the actor, now.
  if (!EVENTS_OF[command.type].includes(event.type)) fail(`caused a ${event.type} event`);
  if (event.actor !== actor.accountId || event.at !== now.toISOString()) fail('event not stamped with the actor and the time');

  // Where and by whom it applied, against the policy's tables.
  if (!EXPECTED_FROM[command.type].includes(prev.status)) fail('applied in a status the policy does not list');
  if (actor.role === 'analyst' || actor.role === 'admin') fail('an analyst or admin gave a command');
  const isSystem = actor.accountId === SYSTEM_ACTOR.accountId;
  if (command.type === 'mark-overdue' && !isSystem) fail('marked overdue by someone other than the system');
  if (command.type === 'escalate' && (command.reason === 'accept-overdue' || command.reason === 'resolve-overdue') !== isSystem) fail(`escalated for ${command.reason} by ${actor.accountId}`);
  if (DISPATCHER_COMMANDS.includes(command.type) && (isSystem || !(actor.role === 'district-dispatcher' || (actor.role === 'street-dispatcher' && inActorsStreet(actor, scopeOf(prev)))))) fail('a dispatcher command by a non-dispatcher');
  if (ASSIGNEE_COMMANDS.includes(command.type) && (actor.personId === null || actor.personId !== prev.assigneeId)) fail('an assignee command by someone not assigned');
  if (command.type === 'handle-on-spot' && !(actor.role === 'grid-worker' && servesGrid(actor, prev.gridCode))) fail('handled on the spot by someone not serving the grid');
  if (command.type === 'verify' && (prev.handlerId === actor.personId || prev.handlerId === actor.accountId)) fail('verified by its handler');
  if (event.type === 'overdue' && Date.parse(event.data.dueAt) > now.getTime()) fail('marked overdue before the deadline');

  // The state.
  if (isOpenStatus(next.status) !== (next.closedAt === null)) fail(`status ${next.status} with closedAt ${next.closedAt}`);
  if (prev.escalatedAt !== null && (TIER_RANK[next.tier] < TIER_RANK[prev.tier] || next.escalatedAt === null)) fail(`escalated case went from ${prev.tier} down to ${next.tier}`);
  if (event.type === 'escalated' && TIER_RANK[next.tier] !== TIER_RANK[prev.tier] + 1) fail('escalation skipped a tier');
  if (next.escalatedAt === null && next.tier !== tierOfQueue(next.queue)) fail(`unescalated case at tier ${next.tier} in a ${next.queue.kind} queue`);
  if (next.reworkCount !== prev.reworkCount + (event.type === 'rework' ? 1 : 0)) fail(`reworkCount ${prev.reworkCount} → ${next.reworkCount}`);
  if (next.reopenCount !== prev.reopenCount + (event.type === 'reopened' ? 1 : 0)) fail(`reopenCount ${prev.reopenCount} → ${next.reopenCount}`);
  if (next.status === 'closed' && next.formalNotice !== null && next.formalNotice.answeredAt === null) fail('closed under an unanswered formal notice');
  if (next.extension !== null && next.status !== 'handling') fail(`extension pending in ${next.status}`);
  if (next.status === 'handling' && next.acceptedAt === null) fail('handling without an acceptance time');
  if (next.status === 'feedback' && (next.feedbackAt === null || next.handlerId === null)) fail('result reported without a time or handler');
  if (next.status === 'dispatched' && (next.queue.kind !== 'person' || next.assigneeId !== next.queue.personId)) fail('dispatched but not to the assignee\'s queue');
  if (next.status === 'queued' && (next.queue.kind === 'person' || next.assigneeId !== null)) fail('queued with a person');
  if (next.status === 'closed' && prev.status === 'feedback' && event.type !== 'closed') fail('closed by something other than verification');
  return problems;
}

interface ModelRun {
  readonly violations: string[];
  readonly eventCounts: Map<string, number>;
  readonly refusalCodes: Map<string, number>;
  readonly steps: number;
}

function runModel(seed: number): ModelRun {
  const rng = seededRandom(seed);
  const violations: string[] = [];
  const eventCounts = new Map<string, number>();
  const refusalCodes = new Map<string, number>();
  let steps = 0;
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const events = intakeEvents(rng.pick<Intake>(['person', 'street', 'district', 'linked']));
    let state = foldEvents(CASE_ID, events);
    let now = new Date(Date.parse(events[0]!.at));
    const length = rng.int(1, MAX_STEPS);
    for (let step = 0; step < length; step++, steps++) {
      now = new Date(now.getTime() + rng.int(0, 240) * MINUTE_MS);
      if (rng.chance(0.02)) now = new Date(now.getTime() + rng.int(1, 20) * DAY_MS);
      const { command, context } = randomCommand(rng, now);
      const actor = randomActor(rng, command.type, state);
      const before = structuredClone(state);
      let result;
      try {
        result = transition(state, command, actor, now, context);
      } catch (error) {
        violations.push(`seed ${seed} sequence ${sequence} step ${step}: ${command.type} by ${actor.accountId} threw ${String(error)}`);
        break;
      }
      if (JSON.stringify(before) !== JSON.stringify(state)) violations.push(`seed ${seed} sequence ${sequence} step ${step}: transition changed the state it was given`);
      if (!result.ok) {
        refusalCodes.set(result.refusal.code, (refusalCodes.get(result.refusal.code) ?? 0) + 1);
        if (isTerminal(state) && result.refusal.code !== 'wrong_state' && result.refusal.kind !== 'forbidden') violations.push(`seed ${seed} sequence ${sequence} step ${step}: ${state.status} case refused ${command.type} with ${result.refusal.code}`);
        continue;
      }
      const next = applyEvent(state, CASE_ID, result.event);
      for (const problem of checkStep(state, next, command, actor, result.event, now)) violations.push(`seed ${seed} sequence ${sequence} step ${step}: ${problem}`);
      events.push(result.event);
      eventCounts.set(result.event.type, (eventCounts.get(result.event.type) ?? 0) + 1);
      state = next;
    }
    if (JSON.stringify(foldEvents(CASE_ID, events)) !== JSON.stringify(state)) violations.push(`seed ${seed} sequence ${sequence}: replaying the history gives another state`);
  }
  return { violations, eventCounts, refusalCodes, steps };
}

/** A rejected or merged case takes no command at all. */
function isTerminal(state: CaseState): boolean {
  return state.status === 'rejected' || state.status === 'merged';
}

describe(`the case model: ${SEQUENCES} random sequences of up to ${MAX_STEPS} commands by random actors (seed ${SEED})`, () => {
  const run = runModel(SEED);

  it('breaks no invariant', () => {
    expect(run.violations.slice(0, 20)).toEqual([]);
  });

  it('reaches every event a command can cause (the property is not vacuous)', () => {
    const reached = [...new Set(Object.values(EVENTS_OF).flat())].filter((type) => (run.eventCounts.get(type) ?? 0) < 20);
    expect(reached).toEqual([]);
    expect(run.steps).toBeGreaterThan(SEQUENCES * 10);
  });

  it('sees the refusals that guard the rules', () => {
    for (const code of ['wrong_state', 'out_of_scope', 'not_allowed', 'own_work', 'reporter_not_answered', 'top_tier', 'already_overdue', 'not_due', 'extension_pending']) {
      expect(run.refusalCodes.get(code) ?? 0, code).toBeGreaterThan(0);
    }
  });

  it('flags a broken rule when there is one (the checker is not vacuous)', () => {
    const feedback = buildCaseState({ status: 'feedback', handlerId: STAFF_ID, feedbackAt: '2026-11-27T02:00:00.000Z', acceptedAt: '2026-11-27T01:10:00.000Z', formalNotice: { unit: 'u', dueAt: '2026-12-04T00:00:00.000Z', requirements: 'r', setBy: 'acc-street', setAt: '2026-11-27T01:20:00.000Z', answeredAt: null, answer: null } });
    const now = new Date('2026-11-27T03:00:00.000Z');
    const closedByHandler: CaseEvent = { type: 'closed', actor: STAFF.accountId, at: now.toISOString(), data: { note: '' } };
    const problems = checkStep(feedback, applyEvent(feedback, CASE_ID, closedByHandler), { type: 'verify', passed: true, note: '' }, STAFF, closedByHandler, now);
    expect(problems.join('\n')).toMatch(/verified by its handler/);
    expect(problems.join('\n')).toMatch(/closed under an unanswered formal notice/);
  });

  it('gives the same run for the same seed', () => {
    const again = runModel(SEED);
    expect({ steps: again.steps, events: [...again.eventCounts] }).toEqual({ steps: run.steps, events: [...run.eventCounts] });
  });
});
