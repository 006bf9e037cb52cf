import type { CaseSummary } from '../../core/cases/case-summary.ts';
import { useStrings } from '../app/i18n.tsx';
import { useNow } from '../state/use-now.ts';
import { type CaseNames, deadlineTextOf, holderOf } from './case-facts.tsx';

/** What hovering a case says: number, category, status, grid, who holds it, and the time left. */
export function CaseTooltip({ summary, names }: { readonly summary: CaseSummary; readonly names: CaseNames }) {
  const strings = useStrings();
  const now = useNow(1_000);
  const deadline = deadlineTextOf(summary, now, strings);
  return (
    <>
      <div className="map-tooltip__name">
        <span className="case-number">{summary.number}</span>
      </div>
      <div className="map-tooltip__category">{names.category(summary.category)}</div>
      <dl className="map-tooltip__facts">
        <dt>{strings.status}</dt>
        <dd>
          {strings.statusName(summary.status)}
          {summary.escalatedAt !== null && ` · ${strings.escalatedTo(strings.tierName(summary.tier))}`}
        </dd>
        <dt>{strings.grid}</dt>
        <dd>{names.grid(summary.gridCode)}</dd>
        <dt>{strings.assignee}</dt>
        <dd>{holderOf(summary, strings)}</dd>
        <dt>{deadline.label}</dt>
        <dd className={deadline.overdue ? 'is-overdue' : undefined} data-testid="tooltip-deadline">
          {deadline.text}
        </dd>
      </dl>
    </>
  );
}
