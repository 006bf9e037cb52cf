import { SYSTEM_ACTOR, type Actor, type Role } from '../../../core/access/actor.ts';
import { BEIJING_OFFICE_HOURS } from '../../../core/calendar/working-calendar.ts';
import { applyEvent, foldEvents } from '../../../core/case-loop/apply-event.ts';
import type { CaseCommand, CaseCommandType } from '../../../core/case-loop/case-command.ts';
import type { CaseEvent, CaseEventData } from '../../../core/case-loop/case-events.ts';
import type { CaseState, CaseStatus } from '../../../core/case-loop/case-state.ts';
import { transition, type Refusal, type TransitionContext, type TransitionResult } from '../../../core/case-loop/transition.ts';
import type { DispatchDecision, Queue } from '../../../core/dispatch/dispatch-decision.ts';

// The geography of these tests: one street with two neighbouring grids, and another street.
export const STREET = '110108011';
export const OTHER_STREET = '110108012';
export const COMMUNITY = '110108011003';
export const GRID = '110108011003007';
export const NEIGHBOUR_GRID = '110108011003008';
export const FAR_GRID = '110108012001001';
export const DEPARTMENT = 'CG';
export const OTHER_DEPARTMENT = 'SW';

// Roster people: grid workers (网格员) and department staff.
export const GRID_WORKER_ID = 'P101';
export const NEIGHBOUR_GRID_WORKER_ID = 'P102';
export const STAFF_ID = 'P201';
export const OTHER_STAFF_ID = 'P202';
/** Someone who is on no actor of these tests: an assignee or handler nobody here is. */
export const NOBODY_ID = 'P999';

export const CASE_ID = 42;
export const CASE_NUMBER = 'HD20261127-0000042';
export const ORIGINAL_CASE_ID = 7;
export const ORIGINAL_CASE_NUMBER = 'HD20261127-0000007';

/** Friday 27 November 2026, 09:00 in Beijing. */
export const FILED_AT = '2026-11-27T01:00:00.000Z';
export const ACCEPT_DUE_AT = '2026-11-27T01:30:00.000Z';
export const FILED_RESOLVE_DUE_AT = '2026-11-27T05:30:00.000Z';

export const CONTEXT: TransitionContext = { calendar: BEIJING_OFFICE_HOURS };

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export function minutesAfter(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE_MS).toISOString();
}

// ---- actors -------------------------------------------------------------------------------------

const ROLE_DEFAULTS: { readonly [R in Role]: Actor } = {
  'district-dispatcher': { accountId: 'acc-district', role: 'district-dispatcher', name: '王调度', personId: null, streetCode: null, departmentCode: null, gridCodes: [] },
  'street-dispatcher': { accountId: 'acc-street', role: 'street-dispatcher', name: '赵调度', personId: null, streetCode: STREET, departmentCode: null, gridCodes: [] },
  'grid-worker': { accountId: 'acc-grid-worker', role: 'grid-worker', name: '李网格', personId: GRID_WORKER_ID, streetCode: null, departmentCode: null, gridCodes: [GRID] },
  'department-staff': { accountId: 'acc-staff', role: 'department-staff', name: '张城管', personId: STAFF_ID, streetCode: null, departmentCode: DEPARTMENT, gridCodes: [GRID] },
  verifier: { accountId: 'acc-verifier', role: 'verifier', name: '孙核查', personId: null, streetCode: null, departmentCode: null, gridCodes: [] },
  analyst: { accountId: 'acc-analyst', role: 'analyst', name: '周分析', personId: null, streetCode: null, departmentCode: null, gridCodes: [] },
  admin: { accountId: 'acc-admin', role: 'admin', name: '吴管理', personId: null, streetCode: null, departmentCode: null, gridCodes: [] },
};

/** An actor of a role, in the scope of the usual case (street STREET, grid GRID, department CG); override anything. */
export function buildActor(role: Role, overrides: Partial<Actor> = {}): Actor {
  return { ...ROLE_DEFAULTS[role], ...overrides };
}

export const DISTRICT_DISPATCHER = buildActor('district-dispatcher');
export const STREET_DISPATCHER = buildActor('street-dispatcher');
export const OTHER_STREET_DISPATCHER = buildActor('street-dispatcher', { accountId: 'acc-street-2', streetCode: OTHER_STREET });
export const GRID_WORKER = buildActor('grid-worker');
export const NEIGHBOUR_GRID_WORKER = buildActor('grid-worker', { accountId: 'acc-grid-worker-2', personId: NEIGHBOUR_GRID_WORKER_ID, gridCodes: [NEIGHBOUR_GRID] });
/** The usual assignee: staff of the case's department serving its grid. */
export const STAFF = buildActor('department-staff');
export const OTHER_STAFF = buildActor('department-staff', { accountId: 'acc-staff-2', personId: OTHER_STAFF_ID, gridCodes: [GRID, NEIGHBOUR_GRID] });
export const VERIFIER = buildActor('verifier');
export const ANALYST = buildActor('analyst');
export const ADMIN = buildActor('admin');
export { SYSTEM_ACTOR };

// ---- events and states --------------------------------------------------------------------------

export function buildFiledData(overrides: Partial<CaseEventData['filed']> = {}): CaseEventData['filed'] {
  return {
    reportId: 'r-0042',
    number: CASE_NUMBER,
    channel: 'hotline',
    crs: 'wgs84',
    description: 'Overflowing bin at the north gate',
    category: 'E0102',
    departmentCode: DEPARTMENT,
    severity: 2,
    resolveMinutes: 240,
    workingTime: true,
    point: [116.3913, 39.9075],
    gridCode: GRID,
    communityCode: COMMUNITY,
    streetCode: STREET,
    nearBoundary: null,
    acceptDueAt: ACCEPT_DUE_AT,
    resolveDueAt: FILED_RESOLVE_DUE_AT,
    ...overrides,
  };
}

export function filedEvent(overrides: Partial<CaseEventData['filed']> = {}, at = FILED_AT): CaseEvent {
  return { type: 'filed', actor: SYSTEM_ACTOR.accountId, at, data: buildFiledData(overrides) };
}

/** Where intake puts a new case: a person of the grid, the street's queue, the district's, or linked to a likely original. */
export type Intake = 'person' | 'street' | 'district' | 'linked';

export function intakeEvent(intake: Intake, at = FILED_AT, personId = STAFF_ID): CaseEvent {
  switch (intake) {
    case 'person':
      return {
        type: 'dispatched',
        actor: SYSTEM_ACTOR.accountId,
        at,
        data: { queue: { kind: 'person', personId }, assigneeId: personId, reason: { code: 'least-loaded', gridCode: GRID, departmentCode: DEPARTMENT, candidates: 2, openCases: 3 } },
      };
    case 'street':
      return {
        type: 'queued',
        actor: SYSTEM_ACTOR.accountId,
        at,
        data: { queue: { kind: 'street', streetCode: STREET }, assigneeId: null, reason: { code: 'nobody-on-duty', gridCode: GRID, departmentCode: DEPARTMENT, offDuty: 2 } },
      };
    case 'district':
      return { type: 'queued', actor: SYSTEM_ACTOR.accountId, at, data: { queue: { kind: 'district' }, assigneeId: null, reason: { code: 'outside-grids', nearestGridCode: GRID, distanceMeters: 40 } } };
    case 'linked':
      return {
        type: 'linked',
        actor: SYSTEM_ACTOR.accountId,
        at,
        data: {
          queue: { kind: 'street', streetCode: STREET },
          assigneeId: null,
          reason: { code: 'likely-duplicate', originalCaseNumber: ORIGINAL_CASE_NUMBER, distanceMeters: 12 },
          duplicateOf: ORIGINAL_CASE_ID,
        },
      };
  }
}

/** The events intake writes for a new case. */
export function intakeEvents(intake: Intake = 'person', filed: Partial<CaseEventData['filed']> = {}): CaseEvent[] {
  return [filedEvent(filed), intakeEvent(intake)];
}

/**
 * A case as intake leaves it (dispatched to STAFF at the grid tier by default), then with any field
 * overridden: for tables that need a case in a given status without walking there.
 */
export function buildCaseState(overrides: Partial<CaseState> = {}, intake: Intake = 'person'): CaseState {
  return { ...foldEvents(CASE_ID, intakeEvents(intake)), ...overrides };
}

// ---- contexts -----------------------------------------------------------------------------------

export function withPerson(id: string, onDuty = true, name = `person ${id}`): TransitionContext {
  return { ...CONTEXT, person: { id, name, departmentCode: DEPARTMENT, onDuty } };
}

export function withMergeTarget(target: Partial<NonNullable<TransitionContext['mergeTarget']>> = {}): TransitionContext {
  return { ...CONTEXT, mergeTarget: { id: ORIGINAL_CASE_ID, number: ORIGINAL_CASE_NUMBER, status: 'dispatched', duplicateOf: null, ...target } };
}

export function personDecision(personId: string, gridCode = NEIGHBOUR_GRID): DispatchDecision {
  return { queue: { kind: 'person', personId }, reason: { code: 'least-loaded', gridCode, departmentCode: DEPARTMENT, candidates: 1, openCases: 0 } };
}

export function streetDecision(gridCode = NEIGHBOUR_GRID, streetCode = STREET): DispatchDecision {
  return { queue: { kind: 'street', streetCode }, reason: { code: 'nobody-assigned', gridCode, departmentCode: DEPARTMENT } };
}

export function withMove(gridCode = NEIGHBOUR_GRID, decision: DispatchDecision = personDecision(OTHER_STAFF_ID, gridCode)): TransitionContext {
  return { ...CONTEXT, move: { gridCode, communityCode: gridCode.slice(0, 12), streetCode: gridCode.slice(0, 9), decision } };
}

// ---- commands -----------------------------------------------------------------------------------

/** One well-formed command of each type, as a client might send it (after parsing). */
export function sampleCommand(type: CaseCommandType, now: Date): CaseCommand {
  switch (type) {
    case 'reject':
      return { type, reason: 'Not a city-management matter' };
    case 'merge':
      return { type, intoCaseNumber: ORIGINAL_CASE_NUMBER };
    case 'unlink':
      return { type };
    case 'dispatch':
      return { type, personId: OTHER_STAFF_ID, note: '' };
    case 'accept':
      return { type };
    case 'return':
      return { type, reason: 'Not our department' };
    case 'request-extension':
      return { type, until: new Date(now.getTime() + 3 * DAY_MS).toISOString(), reason: 'Waiting for a part' };
    case 'decide-extension':
      return { type, approve: true };
    case 'feedback':
      return { type, result: 'Bin emptied', photos: ['photo://after.jpg'] };
    case 'handle-on-spot':
      return { type, result: 'Moved the bin back myself', photos: [] };
    case 'verify':
      return { type, passed: true, note: 'Checked on site' };
    case 'rate':
      return { type, score: 5, comment: 'Quick', fixed: true };
    case 'escalate':
      return { type, reason: 'several-departments', note: 'Needs water and city management' };
    case 'mark-overdue':
      return { type, which: 'accept' };
    case 'set-formal-deadline':
      return { type, unit: 'Property company', dueAt: new Date(now.getTime() + 7 * DAY_MS).toISOString(), requirements: 'Repair the gate' };
    case 'answer-reporter':
      return { type, answer: 'The property company will repair it within a week' };
    case 'move':
      return { type, gridCode: NEIGHBOUR_GRID };
  }
}

// ---- walking a case through the loop -------------------------------------------------------------

/**
 * A case walked through the loop the way the service does it: each command goes through
 * `transition`, and the event it returns is folded in. The clock moves one minute before each
 * command unless set.
 */
export class CaseWalk {
  readonly events: CaseEvent[];
  state: CaseState;
  now: Date;

  constructor(events: readonly CaseEvent[], now = new Date(Date.parse(events[events.length - 1]!.at))) {
    this.events = [...events];
    this.state = foldEvents(CASE_ID, this.events);
    this.now = now;
  }

  static filed(intake: Intake = 'person', filed: Partial<CaseEventData['filed']> = {}): CaseWalk {
    return new CaseWalk(intakeEvents(intake, filed));
  }

  /** Moves the clock to an instant (ISO), or on by some minutes. */
  at(iso: string): this {
    this.now = new Date(iso);
    return this;
  }

  later(minutes: number): this {
    this.now = new Date(this.now.getTime() + minutes * MINUTE_MS);
    return this;
  }

  /** What the command would give, without applying it. */
  attempt(command: CaseCommand, actor: Actor, context: TransitionContext = CONTEXT): TransitionResult {
    return transition(this.state, command, actor, this.now, context);
  }

  /** Gives the command; it must be accepted. Returns the event it caused. */
  give(command: CaseCommand, actor: Actor, context: TransitionContext = CONTEXT): CaseEvent {
    this.later(1);
    const result = this.attempt(command, actor, context);
    if (!result.ok) throw new Error(`${command.type} by ${actor.accountId} refused: ${result.refusal.code} (${result.refusal.message})`);
    this.events.push(result.event);
    this.state = applyEvent(this.state, CASE_ID, result.event);
    return result.event;
  }

  /** Gives the command; it must be refused. Returns the refusal. The case does not change. */
  refused(command: CaseCommand, actor: Actor, context: TransitionContext = CONTEXT): Refusal {
    const result = this.attempt(command, actor, context);
    if (result.ok) throw new Error(`${command.type} by ${actor.accountId} was accepted: ${result.event.type}`);
    return result.refusal;
  }
}

/** The person queue of someone. */
export function personQueue(personId: string): Queue {
  return { kind: 'person', personId };
}

// ---- the policy's status table ----------------------------------------------------------------

/**
 * Where each command applies, from the policy (DESIGN.md, "A case's life"), written out here
 * independently of transition.ts's FROM table so that a change to either is caught by the other.
 *
 * - Before anyone works a case (queued, dispatched, or linked as a likely duplicate) a dispatcher may
 *   reject it, merge it into the case it duplicates, or move it to the right grid.
 * - Only a linked case is unlinked; a linked case is not dispatched until then.
 * - The assignee accepts a dispatched case, returns it before or while working it, asks for time and
 *   reports the result while working it. A grid worker may handle a case on the spot before anyone
 *   has accepted it.
 * - An extension is decided while the case is worked (or its result is waiting to be checked).
 * - Verification follows a reported result; rating follows closure.
 * - Escalation, deadlines and formal notices concern open cases; the reporter may still be answered
 *   once the case is closed.
 */
export const OPEN_STATUSES: readonly CaseStatus[] = ['queued', 'dispatched', 'handling', 'feedback', 'linked'];
export const EXPECTED_FROM: { readonly [T in CaseCommandType]: readonly CaseStatus[] } = {
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
  escalate: OPEN_STATUSES,
  'mark-overdue': OPEN_STATUSES,
  'set-formal-deadline': OPEN_STATUSES,
  'answer-reporter': [...OPEN_STATUSES, 'closed'],
  move: ['queued', 'dispatched', 'linked'],
};

// ---- a seeded PRNG (mulberry32), so a failing random run reproduces from its seed ---------------

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}
