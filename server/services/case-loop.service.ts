import { createHash } from 'node:crypto';
import type { Actor } from '../../core/access/actor.ts';
import { canSeeCase } from '../../core/access/case-scope.ts';
import { eventHashInput } from '../../core/audit/canonical-json.ts';
import { applyEvent, foldEvents } from '../../core/case-loop/apply-event.ts';
import { parseCaseCommand, type CaseCommand } from '../../core/case-loop/case-command.ts';
import type { CaseEvent } from '../../core/case-loop/case-events.ts';
import type { CaseState } from '../../core/case-loop/case-state.ts';
import { scopeOf, transition, type Refusal, type TransitionContext } from '../../core/case-loop/transition.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import type { CaseEventMessage, CaseSummary } from '../../core/cases/case-summary.ts';
import { decideDispatch } from '../../core/dispatch/decide-dispatch.ts';
import type { Clock } from '../../core/time/clock.ts';
import type { CaseBatch, NewEventRow, Store, StoredCaseEvent } from '../store/store.ts';
import type { GeographyService } from './geography.service.ts';
import type { CommittedBatch } from './intake.service.ts';

export interface CaseLoopDependencies {
  readonly store: Store;
  readonly geography: GeographyService;
  readonly clock: Clock;
  readonly calendar: WorkingCalendar;
  readonly publish: (batch: CommittedBatch) => void;
}

export type CommandResult =
  | { readonly ok: true; readonly case: CaseSummary; readonly event: { readonly seq: number; readonly type: CaseEvent['type']; readonly at: string } }
  | {
      readonly ok: false;
      readonly status: 400 | 403 | 404 | 409;
      readonly error: { readonly code: string; readonly message: string };
      /** The case exists but is outside the actor's scope: answered as not found, and worth logging. */
      readonly outOfScope?: boolean;
    };

export interface CaseLoopService {
  /** One command on one case by one actor: parsed, checked, stored with the hash chain, broadcast. */
  command(caseNumber: string, input: unknown, actor: Actor): Promise<CommandResult>;
  /** A case's state as folded from its events, if the actor may see it. */
  state(caseNumber: string, actor: Actor): Promise<CaseState | undefined>;
  /** The case's events in order, if the actor may see it ('out-of-scope' if it exists but they may not). */
  timeline(caseNumber: string, actor: Actor): Promise<{ state: CaseState; events: StoredCaseEvent[] } | 'out-of-scope' | undefined>;
}

const STATUS_OF_REFUSAL: Record<Refusal['kind'], 400 | 403 | 409> = { invalid: 400, forbidden: 403, conflict: 409 };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Cases out of an actor's scope answer as if they did not exist: their numbers are not a way to probe. */
const NOT_FOUND = (number: string): CommandResult => ({ ok: false, status: 404, error: { code: 'not_found', message: `no case ${number}` } });
/** What a case number looks like (as the HTTP routes check it); a socket's caseNumber arrives unchecked. */
const CASE_NUMBER = /^[A-Z]{1,8}\d{8}-\d{7,}$/;

export function createCaseLoopService(deps: CaseLoopDependencies): CaseLoopService {
  /** The facts a command needs from outside the case. */
  const contextFor = async (batch: CaseBatch, state: CaseState, command: CaseCommand): Promise<TransitionContext & { mergeState?: CaseState }> => {
    const base = { calendar: deps.calendar };
    switch (command.type) {
      case 'merge': {
        const id = await batch.lockCase(command.intoCaseNumber);
        if (id === undefined) return base;
        const target = foldEvents(id, await batch.eventsOf(id));
        return { ...base, mergeTarget: target, mergeState: target };
      }
      case 'dispatch': {
        const person = await batch.person(command.personId);
        return person ? { ...base, person } : base;
      }
      case 'move': {
        if (deps.geography.name(command.gridCode) === undefined || state.departmentCode === null) return base;
        const candidates = await batch.candidates([{ gridCode: command.gridCode, departmentCode: state.departmentCode }]);
        const decision = decideDispatch({
          routed: true,
          gridCode: command.gridCode,
          streetCode: command.gridCode.slice(0, 9),
          departmentCode: state.departmentCode,
          candidates: candidates.map((c) => ({ personId: c.personId, onDuty: c.onDuty, openCases: c.openCases })),
        });
        return { ...base, move: { gridCode: command.gridCode, communityCode: command.gridCode.slice(0, 12), streetCode: command.gridCode.slice(0, 9), decision } };
      }
      default:
        return base;
    }
  };

  return {
    async command(caseNumber, input, actor) {
      if (!CASE_NUMBER.test(caseNumber)) return NOT_FOUND(caseNumber.slice(0, 40));
      const parsed = parseCaseCommand(input);
      if (!parsed.ok) return { ok: false, status: 400, error: { code: 'invalid_command', message: parsed.message } };
      const command = parsed.command;
      const now = deps.clock.now();
      const result = await deps.store.cases.batch(async (batch): Promise<{ result: CommandResult; committed?: CommittedBatch }> => {
        const id = await batch.lockCase(caseNumber);
        if (id === undefined) return { result: NOT_FOUND(caseNumber) };
        const state = foldEvents(id, await batch.eventsOf(id));
        if (!canSeeCase(actor, scopeOf(state)) && actor.accountId !== 'system') return { result: { ...NOT_FOUND(caseNumber), outOfScope: true } as CommandResult };
        const context = await contextFor(batch, state, command);
        const outcome = transition(state, command, actor, now, context);
        if (!outcome.ok) {
          return { result: { ok: false, status: STATUS_OF_REFUSAL[outcome.refusal.kind], error: { code: outcome.refusal.code, message: outcome.refusal.message } } };
        }
        // The event, and for a merge the "me too" it gives the case it joins.
        const changes: { state: CaseState; event: CaseEvent }[] = [{ state: applyEvent(state, id, outcome.event), event: outcome.event }];
        if (outcome.event.type === 'merged' && context.mergeState) {
          const target = context.mergeState;
          // A likely duplicate linked to this very case was counted on it when intake linked it.
          const added = state.duplicateOf === target.id ? state.reportsCount - 1 : state.reportsCount;
          if (added > 0) {
            const meToo: CaseEvent = { type: 'me-too', actor: actor.accountId, at: now.toISOString(), data: { added, reportsCount: target.reportsCount + added } };
            changes.push({ state: applyEvent(target, target.id, meToo), event: meToo });
          }
        }
        const { seqs, lastEventHash } = await batch.drawForBatch(0, changes.length);
        let prevHash = lastEventHash;
        const rows: NewEventRow[] = [];
        for (const [k, change] of changes.entries()) {
          await batch.updateProjection(change.state);
          const payload = (await batch.summaries([change.state.id])).get(change.state.id)!;
          const seq = seqs[k]!;
          const { type, actor: by, at, data } = change.event;
          const hash = sha256(eventHashInput({ prevHash, seq, caseId: change.state.id, type, actor: by, at, data }));
          rows.push({ seq, caseId: change.state.id, type, kind: 'case:updated', actor: by, at: new Date(at), data: data as unknown as Record<string, unknown>, payload, prevHash, hash });
          prevHash = hash;
        }
        await batch.insertEvents(rows);
        const first = rows[0]!;
        const events: CaseEventMessage[] = rows.map((r) => ({ seq: r.seq, kind: r.kind, type: r.type, at: r.at.toISOString(), case: r.payload }));
        return {
          result: { ok: true, case: first.payload, event: { seq: first.seq, type: first.type, at: first.at.toISOString() } },
          committed: { from: rows[0]!.seq, to: rows[rows.length - 1]!.seq, events },
        };
      });
      if (result.committed) deps.publish(result.committed);
      return result.result;
    },

    async state(caseNumber, actor) {
      const found = await this.timeline(caseNumber, actor);
      return found === 'out-of-scope' ? undefined : found?.state;
    },

    async timeline(caseNumber, actor) {
      const summary = await deps.store.cases.byNumber(caseNumber);
      if (!summary) return undefined;
      const events = await deps.store.cases.timeline(summary.id);
      const state = foldEvents(summary.id, events.map((e) => e.event));
      if (!canSeeCase(actor, scopeOf(state))) return 'out-of-scope';
      return { state, events };
    },
  };
}
