import { describe, expect, it } from 'vitest';
import { ROLES, type Actor } from '../../../core/access/actor.ts';
import { CASE_COMMAND_TYPES, type CaseCommand } from '../../../core/case-loop/case-command.ts';
import { ESCALATION_REASONS } from '../../../core/case-loop/case-events.ts';
import { CASE_STATUSES, type CaseState, type CaseStatus } from '../../../core/case-loop/case-state.ts';
import { transition, type TransitionContext } from '../../../core/case-loop/transition.ts';
import {
  ACCEPT_DUE_AT,
  ADMIN,
  ANALYST,
  buildActor,
  buildCaseState,
  CaseWalk,
  CONTEXT,
  DISTRICT_DISPATCHER,
  FILED_RESOLVE_DUE_AT,
  GRID,
  GRID_WORKER,
  GRID_WORKER_ID,
  NEIGHBOUR_GRID,
  NOBODY_ID,
  OTHER_DEPARTMENT,
  OTHER_STAFF_ID,
  OTHER_STREET,
  OTHER_STREET_DISPATCHER,
  sampleCommand,
  STAFF,
  STREET,
  STREET_DISPATCHER,
  SYSTEM_ACTOR,
  VERIFIER,
  withMergeTarget,
  withMove,
  withPerson,
} from './case-builders.ts';

const NOW = new Date('2026-11-27T03:00:00.000Z');

/** Who acts, and whether the case is assigned to them. The case lies in GRID of STREET, department CG. */
interface Profile {
  readonly actor: Actor;
  readonly assigned: boolean;
  /** May see the case at all (else every command is refused as out of scope). */
  readonly inScope: boolean;
}

const PROFILES = {
  DD: { actor: DISTRICT_DISPATCHER, assigned: false, inScope: true },
  SS: { actor: STREET_DISPATCHER, assigned: false, inScope: true },
  SO: { actor: OTHER_STREET_DISPATCHER, assigned: false, inScope: false },
  GW: { actor: GRID_WORKER, assigned: false, inScope: true },
  GA: { actor: GRID_WORKER, assigned: true, inScope: true },
  GX: { actor: buildActor('grid-worker', { accountId: 'acc-gx', personId: 'P103', gridCodes: [NEIGHBOUR_GRID] }), assigned: true, inScope: true },
  GO: { actor: buildActor('grid-worker', { accountId: 'acc-go', personId: 'P104', gridCodes: [NEIGHBOUR_GRID] }), assigned: false, inScope: false },
  DA: { actor: STAFF, assigned: true, inScope: true },
  DS: { actor: buildActor('department-staff', { accountId: 'acc-ds', personId: OTHER_STAFF_ID }), assigned: false, inScope: true },
  DO: { actor: buildActor('department-staff', { accountId: 'acc-do', personId: 'P205', departmentCode: OTHER_DEPARTMENT }), assigned: false, inScope: false },
  DG: { actor: buildActor('department-staff', { accountId: 'acc-dg', personId: 'P206', gridCodes: [NEIGHBOUR_GRID] }), assigned: false, inScope: false },
  VE: { actor: VERIFIER, assigned: false, inScope: true },
  AN: { actor: ANALYST, assigned: false, inScope: true },
  AD: { actor: ADMIN, assigned: false, inScope: true },
  SY: { actor: SYSTEM_ACTOR, assigned: false, inScope: true },
} as const satisfies Record<string, Profile>;
type ProfileKey = keyof typeof PROFILES;
const COLUMNS = Object.keys(PROFILES) as ProfileKey[];

// DD district dispatcher · SS street dispatcher of the case's street · SO of another street
// GW grid worker of the case's grid · GA the same, assigned the case · GX assigned the case, serving another grid · GO of another grid
// DA department staff assigned the case · DS of its department on its grid · DO of another department on its grid · DG of its department on another grid
// VE verifier · AN analyst · AD admin · SY the system (scheduler)
//
// From the policy: dispatchers direct (file, dispatch, decide, rate on the callback, escalate, set
// formal notices, move); the assignee works the case; a grid worker of the grid may handle it on the
// spot and verify (监督员); verification is never by the handler; deadlines are the scheduler's.
const MATRIX = {
  //                         DD SS SO GW GA GX GO DA DS DO DG VE AN AD SY
  reject: /*              */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  merge: /*               */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  unlink: /*              */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  dispatch: /*            */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  accept: /*              */ '.  .  .  .  Y  Y  .  Y  .  .  .  .  .  .  .',
  return: /*              */ '.  .  .  .  Y  Y  .  Y  .  .  .  .  .  .  .',
  'request-extension': /* */ '.  .  .  .  Y  Y  .  Y  .  .  .  .  .  .  .',
  'decide-extension': /*  */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  feedback: /*            */ '.  .  .  .  Y  Y  .  Y  .  .  .  .  .  .  .',
  'handle-on-spot': /*    */ '.  .  .  Y  Y  .  .  .  .  .  .  .  .  .  .',
  verify: /*              */ 'Y  Y  .  Y  Y  .  .  .  .  .  .  Y  .  .  .',
  rate: /*                */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  'escalate (manual)': /* */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  'escalate (overdue)': /**/ '.  .  .  .  .  .  .  .  .  .  .  .  .  .  Y',
  'mark-overdue': /*      */ '.  .  .  .  .  .  .  .  .  .  .  .  .  .  Y',
  'set-formal-deadline': /**/'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  'answer-reporter': /*   */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
  move: /*                */ 'Y  Y  .  .  .  .  .  .  .  .  .  .  .  .  .',
} as const;
type Row = keyof typeof MATRIX;

/** For each row: the status the command applies in, the command, and the facts that let it succeed. */
function rowSetup(row: Row): { status: CaseStatus; command: CaseCommand; context: TransitionContext; state?: Partial<CaseState> } {
  switch (row) {
    case 'reject':
    case 'dispatch':
    case 'handle-on-spot':
      return { status: 'dispatched', command: sampleCommand(row, NOW), context: row === 'dispatch' ? withPerson(OTHER_STAFF_ID) : CONTEXT };
    case 'merge':
      return { status: 'linked', command: sampleCommand(row, NOW), context: withMergeTarget() };
    case 'unlink':
      return { status: 'linked', command: sampleCommand(row, NOW), context: CONTEXT };
    case 'move':
      return { status: 'queued', command: sampleCommand(row, NOW), context: withMove() };
    case 'accept':
    case 'return':
      return { status: 'dispatched', command: sampleCommand(row, NOW), context: CONTEXT };
    case 'request-extension':
    case 'feedback':
      return { status: 'handling', command: sampleCommand(row, NOW), context: CONTEXT, state: { resolveDueAt: FILED_RESOLVE_DUE_AT } };
    case 'decide-extension':
      return { status: 'handling', command: sampleCommand(row, NOW), context: CONTEXT, state: { extension: { until: '2026-12-04T00:00:00.000Z', reason: 'r', requestedBy: 'acc-x', requestedAt: '2026-11-27T02:00:00.000Z' } } };
    case 'verify':
      return { status: 'feedback', command: sampleCommand(row, NOW), context: CONTEXT };
    case 'rate':
      return { status: 'closed', command: sampleCommand(row, NOW), context: CONTEXT, state: { closedAt: '2026-11-27T02:00:00.000Z' } };
    case 'escalate (manual)':
      return { status: 'handling', command: { type: 'escalate', reason: 'several-departments', note: '' }, context: CONTEXT };
    case 'escalate (overdue)':
      return { status: 'dispatched', command: { type: 'escalate', reason: 'accept-overdue', note: '' }, context: CONTEXT, state: { overdueAcceptAt: '2026-11-27T01:31:00.000Z' } };
    case 'mark-overdue':
      return { status: 'dispatched', command: { type: 'mark-overdue', which: 'accept' }, context: CONTEXT, state: { acceptDueAt: ACCEPT_DUE_AT } };
    case 'set-formal-deadline':
      return { status: 'handling', command: sampleCommand(row, NOW), context: CONTEXT };
    case 'answer-reporter':
      return {
        status: 'handling',
        command: sampleCommand(row, NOW),
        context: CONTEXT,
        state: { formalNotice: { unit: 'u', dueAt: '2026-12-04T00:00:00.000Z', requirements: 'r', setBy: 'acc-street', setAt: '2026-11-27T02:00:00.000Z', answeredAt: null, answer: null } },
      };
  }
}

function run(row: Row, key: ProfileKey) {
  const profile: Profile = PROFILES[key];
  const setup = rowSetup(row);
  // The handler of any reported result is someone who is none of the actors here.
  const state = buildCaseState({ status: setup.status, assigneeId: profile.assigned ? profile.actor.personId : NOBODY_ID, handlerId: NOBODY_ID, ...setup.state });
  return transition(state, setup.command, profile.actor, NOW, setup.context);
}

describe('the role × command matrix', () => {
  it('has a row for every command type and a column for every role and the system', () => {
    const types = new Set((Object.keys(MATRIX) as Row[]).map((row) => rowSetup(row).command.type));
    expect([...types].sort()).toEqual([...CASE_COMMAND_TYPES].sort());
    expect(new Set(COLUMNS.map((k) => PROFILES[k].actor.role))).toEqual(new Set(ROLES));
    for (const marks of Object.values(MATRIX)) expect(marks.split(/\s+/)).toHaveLength(COLUMNS.length);
  });

  const cells = (Object.keys(MATRIX) as Row[]).flatMap((row) => {
    const marks = MATRIX[row].split(/\s+/);
    return COLUMNS.map((key, i) => [row, key, marks[i] === 'Y'] as const);
  });

  it.each(cells)('%s by %s: allowed = %s', (row, key, allowed) => {
    const result = run(row, key);
    if (allowed) {
      expect(result.ok ? result.ok : result.refusal).toBe(true);
      return;
    }
    expect(result).toMatchObject({ ok: false, refusal: { kind: 'forbidden' } });
    if (!PROFILES[key].inScope && !result.ok) expect(result.refusal.code).toBe('out_of_scope');
  });
});

describe('special rules of who may act', () => {
  it('never lets the handler verify their own work, whoever else they are', () => {
    const walk = CaseWalk.filed('street');
    walk.give({ type: 'handle-on-spot', result: 'Done', photos: [] }, GRID_WORKER);
    expect(walk.state.handlerId).toBe(GRID_WORKER_ID);
    for (const passed of [true, false]) {
      expect(walk.refused({ type: 'verify', passed, note: '' }, GRID_WORKER)).toMatchObject({ kind: 'forbidden', code: 'own_work' });
      // Another account of the same roster person is the same handler.
      expect(walk.refused({ type: 'verify', passed, note: '' }, { ...GRID_WORKER, accountId: 'acc-second-login' })).toMatchObject({ kind: 'forbidden', code: 'own_work' });
    }
    expect(walk.attempt({ type: 'verify', passed: true, note: '' }, buildActor('grid-worker', { accountId: 'acc-gw2', personId: 'P105' })).ok).toBe(true);
  });

  it.each(ESCALATION_REASONS)('escalates for %s only by the right giver', (reason) => {
    const automatic = reason === 'accept-overdue' || reason === 'resolve-overdue';
    const state = buildCaseState({ status: 'handling', overdueAcceptAt: '2026-11-27T01:31:00.000Z', overdueResolveAt: '2026-11-27T02:31:00.000Z' });
    const by = (actor: Actor) => transition(state, { type: 'escalate', reason, note: '' }, actor, NOW, CONTEXT);
    for (const dispatcher of [DISTRICT_DISPATCHER, STREET_DISPATCHER]) {
      expect(by(dispatcher).ok).toBe(!automatic);
      if (automatic) expect(by(dispatcher)).toMatchObject({ ok: false, refusal: { kind: 'forbidden', code: 'not_allowed' } });
    }
    expect(by(SYSTEM_ACTOR).ok).toBe(automatic);
    if (!automatic) expect(by(SYSTEM_ACTOR)).toMatchObject({ ok: false, refusal: { kind: 'forbidden', code: 'not_allowed' } });
  });

  it.each([ANALYST, ADMIN])('lets a $role give no command in any status', (actor) => {
    for (const status of CASE_STATUSES) {
      for (const type of CASE_COMMAND_TYPES) {
        const state = buildCaseState({ status });
        expect(transition(state, sampleCommand(type, NOW), actor, NOW, { ...withMergeTarget(), ...withPerson(OTHER_STAFF_ID), ...withMove() })).toMatchObject({ ok: false, refusal: { kind: 'forbidden', code: 'not_allowed' } });
      }
    }
  });

  it('lets the system act on a case in any street, without an area of its own', () => {
    const state = buildCaseState({ streetCode: OTHER_STREET, gridCode: '110108012001001', queue: { kind: 'street', streetCode: OTHER_STREET }, acceptDueAt: ACCEPT_DUE_AT });
    expect(transition(state, { type: 'mark-overdue', which: 'accept' }, SYSTEM_ACTOR, NOW, CONTEXT).ok).toBe(true);
  });

  it('lets a street dispatcher act on a case waiting in their street\'s queue though it lies elsewhere', () => {
    const state = buildCaseState({ status: 'queued', streetCode: null, gridCode: null, assigneeId: null, queue: { kind: 'street', streetCode: STREET } });
    expect(transition(state, { type: 'dispatch', personId: OTHER_STAFF_ID, note: '' }, STREET_DISPATCHER, NOW, withPerson(OTHER_STAFF_ID)).ok).toBe(true);
    expect(transition(state, { type: 'dispatch', personId: OTHER_STAFF_ID, note: '' }, OTHER_STREET_DISPATCHER, NOW, withPerson(OTHER_STAFF_ID))).toMatchObject({ ok: false, refusal: { code: 'out_of_scope' } });
  });

  it('says only the assignee may accept or report', () => {
    const state = buildCaseState({ status: 'dispatched' });
    const refusal = transition(state, { type: 'accept' }, DISTRICT_DISPATCHER, NOW, CONTEXT);
    expect(refusal).toMatchObject({ ok: false, refusal: { kind: 'forbidden', code: 'not_allowed' } });
    if (!refusal.ok) expect(refusal.refusal.message).toContain('only its assignee may');
  });

  it('does not take a grid worker without a roster entry for the assignee of an unassigned case', () => {
    const worker = buildActor('grid-worker', { accountId: 'acc-temp', personId: null, gridCodes: [GRID] });
    const state = buildCaseState({ status: 'dispatched', assigneeId: null });
    expect(transition(state, { type: 'accept' }, worker, NOW, CONTEXT)).toMatchObject({ ok: false, refusal: { kind: 'forbidden' } });
  });
});
