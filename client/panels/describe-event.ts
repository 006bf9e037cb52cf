import type { ManualDispatchReason } from '../../core/case-loop/case-events.ts';
import type { Tier } from '../../core/cases/case-summary.ts';
import type { Channel } from '../../core/cases/report.ts';
import type { DispatchReason } from '../../core/dispatch/dispatch-decision.ts';
import { describeDispatch } from '../../core/dispatch/describe-dispatch.ts';
import type { Lang, Strings } from '../app/strings.ts';
import type { TimelineEvent } from '../http/api-client.ts';

export interface EventContext {
  readonly lang: Lang;
  readonly strings: Strings;
  readonly departmentName: (code: string) => string;
  readonly categoryName: (code: string) => string;
  /** A person's name where the page knows it (the case's current assignee), else undefined. */
  readonly personName: (id: string) => string | undefined;
}

type Data = Readonly<Record<string, unknown>>;

const text = (data: Data, key: string): string | undefined => {
  const value = data[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

function isReason(value: unknown): value is DispatchReason | ManualDispatchReason {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/**
 * The readable lines under one step of a case's timeline: the dispatch reason in the UI language
 * (core/dispatch/describe-dispatch.ts), the reason, result or note someone gave, the deadline set.
 * Unknown shapes give nothing rather than a wrong line.
 */
export function describeEvent(event: TimelineEvent, context: EventContext): string[] {
  const { strings, lang } = context;
  const data = event.data;
  const lines: string[] = [];
  const note = (field: Parameters<Strings['fieldLabel']>[0], key: string = field): void => {
    const value = text(data, key);
    if (value) lines.push(strings.eventNote(strings.fieldLabel(field), value));
  };
  const when = (key: string): string | undefined => {
    const value = text(data, key);
    const ms = value ? Date.parse(value) : Number.NaN;
    return Number.isFinite(ms) ? strings.dateTime(ms) : undefined;
  };
  const dispatch = (): void => {
    if (isReason(data['reason'])) {
      try {
        lines.push(describeDispatch(data['reason'], lang, { department: context.departmentName }));
      } catch {
        // An unknown reason code from a newer server: say nothing rather than something wrong.
      }
    }
    const assignee = text(data, 'assigneeId');
    const name = assignee ? context.personName(assignee) : undefined;
    if (name) lines.push(strings.dispatchedTo(name));
  };

  switch (event.type) {
    case 'filed':
    case 'imported': {
      const channel = text(data, 'channel');
      const category = text(data, 'category');
      lines.push([category ? context.categoryName(category) : undefined, channel ? strings.channelName(channel as Channel) : undefined].filter(Boolean).join(' · '));
      if (event.type === 'imported') dispatch();
      break;
    }
    case 'dispatched':
    case 'queued':
    case 'linked':
      dispatch();
      break;
    case 'moved': {
      const grid = text(data, 'gridCode');
      if (grid) lines.push(strings.eventNote(strings.fieldLabel('gridCode'), grid));
      dispatch();
      break;
    }
    case 'me-too':
      if (typeof data['reportsCount'] === 'number') lines.push(strings.reportsCount(data['reportsCount']));
      break;
    case 'rejected':
    case 'returned':
      note('reason');
      break;
    case 'merged':
      note('intoCaseNumber');
      break;
    case 'accepted': {
      const due = when('resolveDueAt');
      if (due) lines.push(strings.eventNote(strings.deadlineName('resolve'), due));
      break;
    }
    case 'extension-requested': {
      const until = when('until');
      if (until) lines.push(strings.eventNote(strings.fieldLabel('until'), until));
      note('reason');
      break;
    }
    case 'extension-decided': {
      const until = when('until');
      lines.push(`${data['approved'] === true ? strings.approve : strings.deny}${until ? ` · ${until}` : ''}`);
      break;
    }
    case 'feedback':
    case 'handled-on-spot':
      note('result');
      break;
    case 'closed':
    case 'rework':
      note('note');
      break;
    case 'rated':
    case 'reopened':
      if (typeof data['score'] === 'number') lines.push(strings.eventNote(strings.fieldLabel('score'), `${data['score']} / 5`));
      note('comment');
      break;
    case 'escalated': {
      const from = text(data, 'from');
      const to = text(data, 'to');
      if (from && to) lines.push(`${strings.tierName(from as Tier)} → ${strings.tierName(to as Tier)}`);
      const reason = text(data, 'reason');
      if (reason) lines.push(strings.eventNote(strings.fieldLabel('escalateReason'), strings.escalateReason(reason)));
      note('note');
      break;
    }
    case 'overdue': {
      const which = data['which'] === 'accept' ? 'accept' : 'resolve';
      const due = when('dueAt');
      lines.push(`${strings.deadlineName(which)}${due ? ` ${due}` : ''}`);
      break;
    }
    case 'formal-deadline-set': {
      note('unit');
      const due = when('dueAt');
      if (due) lines.push(strings.eventNote(strings.fieldLabel('dueAt'), due));
      note('requirements');
      break;
    }
    case 'reporter-answered':
      note('answer');
      break;
    default:
      break;
  }
  return lines.filter((line) => line !== '');
}
