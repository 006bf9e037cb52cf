import { dueAfter } from '../dispatch/case-deadlines.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseCommand } from './case-command.ts';
import type { CaseState, Tier } from './case-state.ts';
import { isOpenStatus } from './case-state.ts';

/**
 * One escalation rule, as data: a case of at least `minSeverity`, held at `tier`, whose deadline
 * `on` passed, goes one tier up once `graceMinutes` more have gone by (working minutes on the
 * calendar when `workingTime`), counted from the later of the overdue mark and its last escalation.
 */
export interface EscalationRule {
  readonly on: 'accept-overdue' | 'resolve-overdue';
  readonly tier: Exclude<Tier, 'district'>;
  readonly minSeverity: 1 | 2 | 3 | 4;
  readonly graceMinutes: number;
  readonly workingTime: boolean;
}

/**
 * The defaults: overdue at the grid goes to the street/town at once; a street/town that lets an
 * accepted case run a working day past its deadline (an urgent one, severity 3+, two hours), or
 * leaves one unaccepted for an hour, hands it to the district centre.
 */
export const DEFAULT_ESCALATION_RULES: readonly EscalationRule[] = [
  { on: 'accept-overdue', tier: 'grid', minSeverity: 1, graceMinutes: 0, workingTime: false },
  { on: 'resolve-overdue', tier: 'grid', minSeverity: 1, graceMinutes: 0, workingTime: false },
  { on: 'accept-overdue', tier: 'street', minSeverity: 1, graceMinutes: 60, workingTime: true },
  { on: 'resolve-overdue', tier: 'street', minSeverity: 3, graceMinutes: 120, workingTime: true },
  { on: 'resolve-overdue', tier: 'street', minSeverity: 1, graceMinutes: 480, workingTime: true },
];

/** Rules read from a file: every field checked, so a typo cannot silently switch escalation off. */
export function parseEscalationRules(input: unknown): { ok: true; rules: EscalationRule[] } | { ok: false; message: string } {
  if (!Array.isArray(input) || input.length === 0) return { ok: false, message: 'escalation rules must be a non-empty JSON array' };
  const rules: EscalationRule[] = [];
  for (const [i, r] of input.entries()) {
    const at = `rule ${i + 1}`;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return { ok: false, message: `${at} must be an object` };
    const o = r as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !['on', 'tier', 'minSeverity', 'graceMinutes', 'workingTime'].includes(k));
    if (unknown.length > 0) return { ok: false, message: `${at}: unknown field ${unknown.join(', ')}` };
    if (o['on'] !== 'accept-overdue' && o['on'] !== 'resolve-overdue') return { ok: false, message: `${at}: on must be accept-overdue or resolve-overdue` };
    if (o['tier'] !== 'grid' && o['tier'] !== 'street') return { ok: false, message: `${at}: tier must be grid or street (the district is the top)` };
    if (![1, 2, 3, 4].includes(o['minSeverity'] as number)) return { ok: false, message: `${at}: minSeverity must be 1, 2, 3 or 4` };
    if (typeof o['graceMinutes'] !== 'number' || !Number.isInteger(o['graceMinutes']) || o['graceMinutes'] < 0) return { ok: false, message: `${at}: graceMinutes must be a whole number ≥ 0` };
    if (typeof o['workingTime'] !== 'boolean') return { ok: false, message: `${at}: workingTime must be true or false` };
    rules.push(o as unknown as EscalationRule);
  }
  return { ok: true, rules };
}

/** What the scheduler should do to a case now: mark a passed deadline, or take it a tier up. */
export function dueCommand(state: CaseState, rules: readonly EscalationRule[], now: Date, calendar: WorkingCalendar): CaseCommand | undefined {
  if (!isOpenStatus(state.status) || state.status === 'feedback') return undefined;
  const t = now.getTime();
  if (state.acceptedAt === null && state.overdueAcceptAt === null && state.acceptDueAt !== null && Date.parse(state.acceptDueAt) <= t) return { type: 'mark-overdue', which: 'accept' };
  if (state.overdueResolveAt === null && state.resolveDueAt !== null && Date.parse(state.resolveDueAt) <= t) return { type: 'mark-overdue', which: 'resolve' };
  if (state.tier === 'district') return undefined;
  for (const rule of rules) {
    if (rule.tier !== state.tier || state.severity < rule.minSeverity) continue;
    const marked = rule.on === 'accept-overdue' ? (state.acceptedAt === null ? state.overdueAcceptAt : null) : state.overdueResolveAt;
    if (marked === null) continue;
    const since = new Date(Math.max(Date.parse(marked), state.escalatedAt ? Date.parse(state.escalatedAt) : 0));
    const due = dueAfter(since, rule.graceMinutes, rule, calendar);
    if (due.getTime() <= t) return { type: 'escalate', reason: rule.on, note: `${rule.on} at ${state.tier} tier${rule.graceMinutes > 0 ? `, ${rule.graceMinutes} min grace` : ''}` };
  }
  return undefined;
}
