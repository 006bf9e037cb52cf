import { SYSTEM_ACTOR } from '../../core/access/actor.ts';
import { dueCommand, type EscalationRule } from '../../core/case-loop/escalation-rules.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import type { Clock } from '../../core/time/clock.ts';
import { StoreUnavailableError } from '../store/sql-client.ts';
import type { Store } from '../store/store.ts';
import type { CaseLoopService } from './case-loop.service.ts';

export interface DeadlineSchedulerDependencies {
  readonly store: Store;
  readonly caseLoop: CaseLoopService;
  readonly clock: Clock;
  readonly calendar: WorkingCalendar;
  readonly rules: readonly EscalationRule[];
  /** How often to sweep; the deadlines are minutes apart, so seconds are plenty. */
  readonly intervalMs: number;
  readonly log?: (message: string, error?: unknown) => void;
}

export interface SweepResult {
  readonly marked: number;
  readonly escalated: number;
}

export interface DeadlineScheduler {
  /** One pass: mark every passed deadline, escalate by the rules. Driven by the clock given. */
  sweep(): Promise<SweepResult>;
  start(): void;
  stop(): Promise<void>;
}

const BATCH = 500;
/** A case takes at most: mark accept, mark resolve, escalate; so three commands settle it for this pass. */
const MAX_STEPS_PER_CASE = 3;

/**
 * Marks overdue cases and escalates them by the rules, as the system actor, through the same
 * state machine and hash chain as every user's command; what it does is broadcast like any change,
 * so the wall display shows an overdue or escalated case at once.
 */
export function createDeadlineScheduler(deps: DeadlineSchedulerDependencies): DeadlineScheduler {
  const minGrace = (tier: 'grid' | 'street'): number | null => {
    const graces = deps.rules.filter((r) => r.tier === tier).map((r) => r.graceMinutes);
    return graces.length > 0 ? Math.min(...graces) : null;
  };
  const graces = { grid: minGrace('grid'), street: minGrace('street') };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  const settle = async (number: string, result: { marked: number; escalated: number }): Promise<void> => {
    for (let step = 0; step < MAX_STEPS_PER_CASE; step++) {
      const now = deps.clock.now();
      const state = await deps.caseLoop.state(number, SYSTEM_ACTOR);
      const command = state && dueCommand(state, deps.rules, now, deps.calendar);
      if (!command) return;
      const outcome = await deps.caseLoop.command(number, command, SYSTEM_ACTOR);
      // Someone acted on the case in between (accepted it, say): the next pass sees the new state.
      if (!outcome.ok) return;
      if (command.type === 'mark-overdue') result.marked++;
      else result.escalated++;
    }
  };

  const sweep = async (): Promise<SweepResult> => {
    const result = { marked: 0, escalated: 0 };
    const now = deps.clock.now();
    const numbers = new Set([...(await deps.store.cases.overdueCandidates(now, BATCH)), ...(await deps.store.cases.escalationCandidates(now, graces, BATCH))]);
    for (const number of numbers) await settle(number, result);
    return result;
  };

  const tick = (): void => {
    running = sweep()
      .catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) deps.log?.('deadline sweep failed', error);
      })
      .finally(() => {
        running = undefined;
        if (timer !== undefined) timer = setTimeout(tick, deps.intervalMs).unref();
      });
  };

  return {
    sweep,
    start() {
      if (timer === undefined) timer = setTimeout(tick, deps.intervalMs).unref();
    },
    async stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
