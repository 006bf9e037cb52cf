import { useCallback, useEffect, useRef, useState } from 'react';
import type { Actor } from '../../core/access/actor.ts';
import type { CaseCommandType } from '../../core/case-loop/case-command.ts';
import { type CaseEventType, type CaseSummary, isOpenStatus } from '../../core/cases/case-summary.ts';
import { useLanguage } from '../app/i18n.tsx';
import type { Strings } from '../app/strings.ts';
import type { ApiClient, CaseTimeline } from '../http/api-client.ts';
import { ApiError, isAbortError, toError } from '../http/api-error.ts';
import { COMMAND_FIELDS, commandsFor, GRAVE_COMMANDS } from '../live/case-commands.ts';
import { recordOf } from '../live/case-record.ts';
import { liveCaseOfSummary } from '../../core/protocol/live-wire.ts';
import type { LiveSession } from '../live/use-live.ts';
import type { GeographyData } from '../state/geography-data.ts';
import type { Loadable } from '../state/loadable.ts';
import { useNow } from '../state/use-now.ts';
import { type CaseNames, deadlineTextOf, holderOf } from './case-facts.tsx';
import { CommandForm } from './command-form.tsx';
import { describeEvent } from './describe-event.ts';

export interface CaseRef {
  readonly number: string;
  /** Known when the case was picked on the map. */
  readonly id?: number;
}

export interface CasePanelProps {
  readonly selected: CaseRef;
  readonly live: LiveSession | undefined;
  readonly api: ApiClient;
  readonly actor: Actor;
  readonly names: CaseNames;
  readonly geography: GeographyData | undefined;
  /** The case's id, once known for a case opened by its number (a link): the map rings it. */
  readonly onIdentified?: (id: number) => void;
}

type Outcome = { readonly kind: 'done' | 'refused'; readonly text: string } | undefined;

const TIMELINE_REFRESH_MS = 400;

function refusalText(error: Error, strings: Strings): string {
  if (error instanceof ApiError && error.reason === 'unreachable') return `${strings.serverUnreachable}。${strings.serverUnreachableHint}`;
  return strings.commandRefused(error.message);
}

/** One deadline with its live countdown. */
function DeadlineRow({ label, dueIso, running, nowMs, strings }: { label: string; dueIso: string | null; running: boolean; nowMs: number; strings: Strings }) {
  if (dueIso === null) return null;
  const due = Date.parse(dueIso);
  const left = due - nowMs;
  return (
    <div className="case-deadline" data-running={running ? 'true' : 'false'}>
      <dt>{label}</dt>
      <dd>
        <span className="case-deadline__at">{strings.dateTime(due)}</span>
        {running && (
          <span className={`case-deadline__left ${left < 0 ? 'is-overdue' : ''}`} data-testid="countdown">
            {left >= 0 ? strings.timeLeft(strings.duration(left)) : strings.overdueBy(strings.duration(-left))}
          </span>
        )}
      </dd>
    </div>
  );
}

/**
 * A case as a dispatcher works it: what and where, who holds it, its deadlines counting down, the
 * timeline (every step, who, when, the dispatch reason), and the commands this account may give.
 * It follows the live feed: an event on the case redraws the panel and reloads the timeline.
 */
export function CasePanel({ selected, live, api, actor, names, geography, onIdentified }: CasePanelProps) {
  const { lang, strings } = useLanguage();
  const now = useNow(1_000);
  const [fetched, setFetched] = useState<Loadable<CaseSummary>>({ status: 'loading' });
  /** The case as a command's answer gave it: newer than `fetched`. */
  const [newest, setNewest] = useState<CaseSummary>();
  /** Bumped with every such change, so that a fetch answered after one does not undo it. */
  const changes = useRef(0);
  const [timeline, setTimeline] = useState<Loadable<CaseTimeline>>({ status: 'loading' });
  const [timelineAttempt, setTimelineAttempt] = useState(0);
  const [form, setForm] = useState<CaseCommandType>();
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const summary = newest ?? (fetched.status === 'ready' ? fetched.data : undefined);
  const number = selected.number;

  // The live feed carries only what the map and the queue need (see live-wire.ts): an event on this
  // case has the panel fetch the case again, whole.
  const [liveChanges, setLiveChanges] = useState(0);
  useEffect(() => {
    if (!live) return;
    return live.onEvents((events) => {
      if (events.some((event) => event.case.number === number)) setLiveChanges((n) => n + 1);
    });
  }, [live, number]);

  // A snapshot replaced the live cases (a long outage): what changed meanwhile came without events.
  const [snapshots, setSnapshots] = useState(live?.store.resets ?? 0);
  useEffect(() => {
    const store = live?.store;
    if (!store) return;
    setSnapshots(store.resets);
    return store.subscribe(() => setSnapshots(store.resets));
  }, [live]);

  useEffect(() => {
    setNewest(undefined);
    setLiveChanges(0);
    setForm(undefined);
    setOutcome(undefined);
    setFetched({ status: 'loading' });
  }, [number]);

  useEffect(() => {
    const controller = new AbortController();
    const before = changes.current;
    api.caseSummary(number, controller.signal).then(
      (data) => {
        setFetched({ status: 'ready', data });
        if (changes.current === before) setNewest(undefined);
      },
      (error: unknown) => {
        if (isAbortError(error) || controller.signal.aborted) return;
        setFetched((current) => (current.status === 'ready' ? current : { status: 'failed', error: toError(error) }));
      },
    );
    return () => controller.abort();
  }, [api, number, snapshots, liveChanges]);

  // The timeline: on opening, and again shortly after each change to the case (a burst reloads once).
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => {
        api.timeline(number, controller.signal).then(
          (data) => setTimeline({ status: 'ready', data }),
          (error: unknown) => {
            if (isAbortError(error) || controller.signal.aborted) return;
            setTimeline((current) => (current.status === 'ready' ? current : { status: 'failed', error: toError(error) }));
          },
        );
      },
      newest === undefined && liveChanges === 0 ? 0 : TIMELINE_REFRESH_MS,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, number, newest, liveChanges, timelineAttempt]);

  useEffect(() => setTimeline({ status: 'loading' }), [number]);

  const identified = selected.id === undefined && fetched.status === 'ready' ? fetched.data.id : undefined;
  useEffect(() => {
    if (identified !== undefined) onIdentified?.(identified);
  }, [identified, onIdentified]);

  const give = useCallback(
    (type: CaseCommandType, command: Record<string, unknown>) => {
      setSending(true);
      setOutcome(undefined);
      api
        .command(number, command)
        .then(
          (answer) => {
            changes.current += 1;
            setNewest(answer.case);
            setForm(undefined);
            setOutcome({ kind: 'done', text: strings.commandDone(strings.commandName(type)) });
            setTimelineAttempt((n) => n + 1);
          },
          (error: unknown) => setOutcome({ kind: 'refused', text: refusalText(toError(error), strings) }),
        )
        .finally(() => setSending(false));
    },
    [api, number, strings],
  );

  if (!summary) {
    return (
      <section className="case-panel" data-testid="case-panel" data-case-number={number} aria-busy={fetched.status === 'loading'}>
        <h2 className="case-panel__number">{number}</h2>
        {fetched.status === 'loading' && <p className="panel-note">{strings.caseLoading}</p>}
        {fetched.status === 'failed' && (
          <p className="panel-error" role="alert" data-testid="case-error">
            {fetched.error instanceof ApiError && fetched.error.status === 404 ? strings.caseNotFound(number) : strings.requestFailed(fetched.error.message)}
          </p>
        )}
      </section>
    );
  }

  const open = isOpenStatus(summary.status);
  const deadline = deadlineTextOf(recordOf(liveCaseOfSummary(summary)), now, strings);
  const commands = commandsFor(actor, summary);
  const acceptRunning = open && summary.acceptedAt === null && summary.status !== 'handling' && summary.status !== 'feedback';
  const resolveRunning = open && !acceptRunning && summary.status !== 'feedback';
  const personName = (id: string): string | undefined => (summary.assignee?.id === id ? summary.assignee.name : undefined);

  return (
    <section className="case-panel" data-testid="case-panel" data-case-number={summary.number} data-status={summary.status}>
      <header className="case-panel__head">
        <h2 className="case-panel__number">{summary.number}</h2>
        <p className="case-panel__category">{names.category(summary.category)}</p>
        <div className="case-panel__badges">
          <span className={`status-badge status-badge--${summary.status}`} data-testid="case-status">
            {strings.statusName(summary.status)}
          </span>
          <span className={`severity-badge severity-badge--${summary.severity}`}>{names.severity(summary.severity)}</span>
          {summary.escalatedAt !== null && <span className="flag-badge flag-badge--escalated">{strings.escalatedTo(strings.tierName(summary.tier))}</span>}
          {deadline.overdue && open && <span className="flag-badge flag-badge--overdue">{strings.legendOverdue}</span>}
        </div>
      </header>
      {!open && <p className="panel-note">{strings.caseClosedNote(strings.statusName(summary.status))}</p>}

      <dl className="case-facts">
        <dt>{strings.grid}</dt>
        <dd>
          {names.grid(summary.gridCode)}
          {summary.streetCode && <span className="case-facts__sub"> · {names.street(summary.streetCode)}</span>}
        </dd>
        <dt>{strings.assignee}</dt>
        <dd>
          {holderOf({ assignee: summary.assignee, queueKind: summary.queue.kind }, strings)}
          {summary.assignee && <span className="case-facts__sub"> · {names.department(summary.assignee.departmentCode)}</span>}
        </dd>
        <dt>{strings.tier}</dt>
        <dd>{strings.tierName(summary.tier)}</dd>
        <dt>{strings.reportedAt}</dt>
        <dd>
          {strings.dateTime(Date.parse(summary.reportedAt))} · {strings.channelName(summary.channel)}
        </dd>
        {summary.description && (
          <>
            <dt>{strings.description}</dt>
            <dd className="case-facts__description">{summary.description}</dd>
          </>
        )}
      </dl>
      {summary.reportsCount > 1 && <p className="panel-note">{strings.reportsCount(summary.reportsCount)}</p>}
      {summary.duplicateOf && <p className="panel-note">{strings.duplicateOf(summary.duplicateOf)}</p>}
      {summary.nearBoundary && <p className="panel-note">{strings.nearBoundary(summary.nearBoundary.gridCode, Math.round(summary.nearBoundary.distanceMeters))}</p>}
      {summary.extensionPending && <p className="panel-note panel-note--flag">{strings.extensionPending}</p>}
      {summary.formalNoticeDueAt && <p className="panel-note panel-note--flag">{strings.formalNotice(strings.dateTime(Date.parse(summary.formalNoticeDueAt)))}</p>}

      <h3 className="panel-heading">{strings.deadlines}</h3>
      <dl className="case-deadlines">
        <DeadlineRow label={strings.deadlineName('accept')} dueIso={summary.acceptDueAt} running={acceptRunning} nowMs={now} strings={strings} />
        <DeadlineRow label={strings.deadlineName('resolve')} dueIso={summary.resolveDueAt} running={resolveRunning} nowMs={now} strings={strings} />
        {summary.acceptedAt && (
          <div className="case-deadline">
            <dt>{strings.acceptedAt}</dt>
            <dd>{strings.dateTime(Date.parse(summary.acceptedAt))}</dd>
          </div>
        )}
      </dl>

      <h3 className="panel-heading">{strings.commandsHeading}</h3>
      {commands.length === 0 ? (
        <p className="panel-note" data-testid="no-commands">
          {strings.noCommands}
        </p>
      ) : (
        <div className="command-bar" data-testid="commands">
          {commands.map((type) => (
            <button
              key={type}
              type="button"
              className={`command-button ${GRAVE_COMMANDS.has(type) ? 'command-button--grave' : ''} ${form === type ? 'is-active' : ''}`}
              data-command={type}
              disabled={sending}
              onClick={() => {
                setOutcome(undefined);
                if (COMMAND_FIELDS[type].length === 0) give(type, { type });
                else setForm(form === type ? undefined : type);
              }}
            >
              {strings.commandName(type)}
            </button>
          ))}
        </div>
      )}
      {form && (
        <CommandForm key={form} type={form} summary={summary} api={api} geography={geography} sending={sending} onSubmit={(command) => give(form, command)} onCancel={() => setForm(undefined)} />
      )}
      {outcome && (
        <p className={outcome.kind === 'done' ? 'panel-ok' : 'panel-error'} role={outcome.kind === 'done' ? 'status' : 'alert'} data-testid={outcome.kind === 'done' ? 'command-done' : 'command-refused'}>
          {outcome.text}
        </p>
      )}

      <h3 className="panel-heading">{strings.timelineHeading}</h3>
      {timeline.status === 'loading' && <p className="panel-note">{strings.timelineLoading}</p>}
      {timeline.status === 'failed' && (
        <p className="panel-error" role="alert">
          {strings.timelineFailed(timeline.error.message)}{' '}
          <button type="button" className="link-button" onClick={() => setTimelineAttempt((n) => n + 1)}>
            {strings.retry}
          </button>
        </p>
      )}
      {timeline.status === 'ready' && (
        <ol className="timeline" data-testid="timeline">
          {timeline.data.events.map((event) => {
            const lines = describeEvent(event, {
              lang,
              strings,
              departmentName: names.department,
              categoryName: names.category,
              personName,
            });
            return (
              <li key={event.seq} className={`timeline__step timeline__step--${event.type}`} data-testid="timeline-step" data-type={event.type}>
                <div className="timeline__head">
                  <span className="timeline__name">{strings.eventName(event.type as CaseEventType) || event.type}</span>
                  <time className="timeline__at" dateTime={event.at}>
                    {strings.dateTime(Date.parse(event.at))}
                  </time>
                </div>
                <div className="timeline__actor">{event.actor.startsWith('system') ? strings.systemActor : event.actorName}</div>
                {lines.map((line, index) => (
                  <p key={index} className="timeline__line">
                    {line}
                  </p>
                ))}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
