import { useEffect, useState } from 'react';
import type { AreaFiguresRow } from '../../core/protocol/analytics-api.ts';
import { useStrings } from '../app/i18n.tsx';
import type { AnalyticsClient } from '../http/analytics-client.ts';
import { isAbortError } from '../http/api-error.ts';
import type { CaseRecord } from '../live/case-record.ts';
import type { LiveSession } from '../live/use-live.ts';
import type { CaseNames } from '../panels/case-facts.tsx';
import { CaseQueueList } from './case-queue-list.tsx';
import { useAreaTotal, useQueue } from './use-live-figures.ts';

export interface GridCasesProps {
  readonly gridCode: string;
  readonly live: LiveSession | undefined;
  readonly names: CaseNames;
  /** Undefined where the account may not read the figures (they are for dispatchers and analysts). */
  readonly analytics: AnalyticsClient | undefined;
  readonly selectedCaseId: number | undefined;
  readonly onOpenCase: (record: CaseRecord) => void;
}

const NO_FILTER: readonly string[] = [];

/** A grid's figures (live now, and the last 30 days from the store) and its open cases, most urgent first. */
export function GridCases({ gridCode, live, names, analytics, selectedCaseId, onOpenCase }: GridCasesProps) {
  const strings = useStrings();
  const total = useAreaTotal(live, gridCode);
  const queue = useQueue(live, { area: gridCode, categories: NO_FILTER, statuses: NO_FILTER }, 50);
  const [month, setMonth] = useState<AreaFiguresRow | 'failed'>();
  useEffect(() => {
    if (!analytics) return;
    const controller = new AbortController();
    setMonth(undefined);
    // The figures are per area of a level inside another: this grid's row among its community's grids.
    analytics.areas('grid', { within: gridCode.slice(0, 12) }, controller.signal).then(
      (answer) => setMonth(answer.rows.find((row) => row.code === gridCode) ?? 'failed'),
      (error: unknown) => {
        if (!isAbortError(error) && !controller.signal.aborted) setMonth('failed');
      },
    );
    return () => controller.abort();
  }, [analytics, gridCode]);

  return (
    <div className="grid-cases" data-testid="grid-cases">
      <h2 className="panel-heading">{strings.gridFiguresHeading}</h2>
      <dl className="figures" data-testid="grid-figures">
        {total &&
          (['open', 'overdue', 'escalated'] as const).map((measure) => (
            <div key={measure} className={`figure ${measure !== 'open' && total[measure] > 0 ? 'is-alert' : ''}`} data-measure={measure}>
              <dt>{strings.fillName(measure)}</dt>
              <dd>{strings.count(total[measure])}</dd>
            </div>
          ))}
        {month && month !== 'failed' && (
          <>
            <div className="figure" data-measure="received30">
              <dt>{strings.received30Days}</dt>
              <dd>{strings.count(month.received)}</dd>
            </div>
            <div className="figure" data-measure="onTime30">
              <dt>{strings.onTime30Days}</dt>
              <dd>{month.onTimeRate === null ? strings.noValue : strings.percent(month.onTimeRate)}</dd>
            </div>
            <div className="figure" data-measure="repeat30">
              <dt>{strings.repeatReports}</dt>
              <dd>{strings.count(month.repeatReports)}</dd>
            </div>
          </>
        )}
      </dl>
      {month === 'failed' && <p className="panel-note">{strings.figuresUnavailable}</p>}
      <CaseQueueList queue={queue} names={names} selectedCaseId={selectedCaseId} onOpenCase={onOpenCase} />
    </div>
  );
}
