import { useStrings } from '../app/i18n.tsx';
import type { CaseRecord } from '../live/case-record.ts';
import { useNow } from '../state/use-now.ts';
import { type CaseNames, deadlineTextOf, holderOf } from './case-facts.tsx';

/** What hovering a case says: number, category, status, grid, who holds it, and the time left. */
export function CaseTooltip({ record, names }: { readonly record: CaseRecord; readonly names: CaseNames }) {
  const strings = useStrings();
  const now = useNow(1_000);
  const deadline = deadlineTextOf(record, now, strings);
  return (
    <>
      <div className="map-tooltip__name">
        <span className="case-number">{record.number}</span>
      </div>
      <div className="map-tooltip__category">{names.category(record.category)}</div>
      <dl className="map-tooltip__facts">
        <dt>{strings.status}</dt>
        <dd>
          {strings.statusName(record.status)}
          {record.escalated && ` · ${strings.escalatedTo(strings.tierName(record.tier))}`}
        </dd>
        <dt>{strings.grid}</dt>
        <dd>{names.grid(record.gridCode)}</dd>
        <dt>{strings.assignee}</dt>
        <dd>{holderOf(record, strings)}</dd>
        <dt>{deadline.label}</dt>
        <dd className={deadline.overdue ? 'is-overdue' : undefined} data-testid="tooltip-deadline">
          {deadline.text}
        </dd>
      </dl>
    </>
  );
}
