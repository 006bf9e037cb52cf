import type { Actor } from '../../core/access/actor.ts';
import type { CaseCommandType } from '../../core/case-loop/case-command.ts';
import { mayGiveCommand } from '../../core/case-loop/transition.ts';
import { scopeOfSummary, type CaseSummary } from '../../core/cases/case-summary.ts';
import type { CommandField } from '../app/strings.ts';

/**
 * The commands to offer as buttons, in the order a user looks for them. Who may give each, and
 * from which steps, is the case loop's own rule (`mayGiveCommand`); this only decides what to show:
 * the server decides again, and its refusal is shown as it says it. `mark-overdue` and deadline
 * escalations are the scheduler's and never offered.
 */
const OFFERED: readonly CaseCommandType[] = [
  'accept', 'feedback', 'handle-on-spot', 'verify', 'dispatch', 'unlink', 'merge', 'move', 'escalate',
  'request-extension', 'decide-extension', 'return', 'reject', 'set-formal-deadline', 'answer-reporter', 'rate',
];

/** The commands to offer this account on this case as it stands. */
export function commandsFor(actor: Actor, summary: CaseSummary): CaseCommandType[] {
  const facts = { status: summary.status, tier: summary.tier, assigneeId: summary.assignee?.id ?? null, gridCode: summary.gridCode, scope: scopeOfSummary(summary) };
  return OFFERED.filter((type) => mayGiveCommand(type, actor, facts))
    .filter((type) => type !== 'decide-extension' || summary.extensionPending)
    .filter((type) => type !== 'escalate' || summary.tier !== 'district')
    .filter((type) => type !== 'answer-reporter' || summary.formalNoticeDueAt !== null);
}

/** The fields each command's form asks for (nothing: the button gives it at once). */
export const COMMAND_FIELDS: { readonly [T in CaseCommandType]: readonly CommandField[] } = {
  accept: [],
  unlink: [],
  feedback: ['result'],
  'handle-on-spot': ['result'],
  verify: ['passed', 'note'],
  dispatch: ['personId', 'note'],
  merge: ['intoCaseNumber'],
  move: ['gridCode'],
  escalate: ['escalateReason', 'note'],
  'request-extension': ['until', 'reason'],
  'decide-extension': ['approve'],
  return: ['reason'],
  reject: ['reason'],
  'set-formal-deadline': ['unit', 'dueAt', 'requirements'],
  'answer-reporter': ['answer'],
  rate: ['score', 'fixed', 'comment'],
  'mark-overdue': [],
};

/** Commands that change a case for good or send it away: the button looks like it. */
export const GRAVE_COMMANDS: ReadonlySet<CaseCommandType> = new Set(['reject', 'merge', 'return', 'escalate']);
