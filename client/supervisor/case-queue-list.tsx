import { useStrings } from '../app/i18n.tsx';
import type { CaseRecord } from '../live/case-record.ts';
import type { Queue } from '../live/case-queue.ts';
import type { CaseNames } from '../panels/case-facts.tsx';

export interface CaseQueueListProps {
  readonly queue: Queue | undefined;
  readonly names: CaseNames;
  readonly selectedCaseId: number | undefined;
  readonly onOpenCase: (record: CaseRecord) => void;
}

/**
 * The live queue, most urgent first: what a dispatcher works down. Each row says what, where, how
 * long is left (or how late it is) and where the case stands; a click opens the case.
 */
export function CaseQueueList({ queue, names, selectedCaseId, onOpenCase }: CaseQueueListProps) {
  const strings = useStrings();
  if (!queue) return <p className="panel-note">{strings.queueNeedsLive}</p>;
  return (
    <section className="queue" data-testid="case-queue" data-total={queue.total}>
      <h2 className="panel-heading">
        {strings.queueHeading}
        <span className="panel-heading__count" data-testid="queue-total">
          {strings.count(queue.total)}
        </span>
        {queue.overdue > 0 && (
          <span className="panel-heading__alert" data-testid="queue-overdue">
            {strings.queueOverdue(queue.overdue)}
          </span>
        )}
      </h2>
      {queue.total === 0 ? (
        <p className="panel-note" data-testid="queue-empty">
          {strings.queueEmpty}
        </p>
      ) : (
        <ol className="queue__rows">
          {queue.rows.map(({ record, leftMs, overdue }) => {
            const due = Number.isFinite(leftMs) ? (leftMs >= 0 ? strings.timeLeft(strings.duration(leftMs)) : strings.overdueBy(strings.duration(-leftMs))) : record.status === 'feedback' ? strings.awaitingVerification : overdue ? strings.markedOverdue : strings.noDeadline;
            return (
              <li key={record.id}>
                <button
                  type="button"
                  className={`queue-row severity-${record.severity} ${overdue ? 'is-overdue' : ''} ${record.id === selectedCaseId ? 'is-selected' : ''}`}
                  data-testid="queue-row"
                  data-case-number={record.number}
                  onClick={() => onOpenCase(record)}
                >
                  <span className="queue-row__what">
                    <span className="queue-row__category">{names.category(record.category)}</span>
                    {record.reportsCount > 1 && <span className="queue-row__reports">{strings.reportsCount(record.reportsCount)}</span>}
                  </span>
                  <span className="queue-row__where">{names.grid(record.gridCode)}</span>
                  <span className="queue-row__due">{due}</span>
                  <span className="queue-row__status">
                    {strings.statusName(record.status)} · {record.number}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {queue.total > queue.rows.length && <p className="panel-note">{strings.queueMore(queue.total - queue.rows.length)}</p>}
    </section>
  );
}
