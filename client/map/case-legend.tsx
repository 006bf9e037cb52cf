import { useStrings } from '../app/i18n.tsx';
import type { CasePalette, Rgba } from '../live/case-style.ts';

const css = ([r, g, b, a]: Rgba): string => `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
const STATUSES = ['queued', 'dispatched', 'handling', 'feedback', 'linked'] as const;

/** What the dots mean: status colours, red for overdue, the heavy ring of an escalated case, size for severity. */
export function CaseLegend({ palette, className = '' }: { readonly palette: CasePalette; readonly className?: string }) {
  const strings = useStrings();
  return (
    <div className={`case-legend ${className}`} data-testid="case-legend" aria-label={strings.legendLabel}>
      <ul>
        {STATUSES.map((status) => (
          <li key={status}>
            <span className="case-legend__dot" style={{ background: css(palette.status[status]) }} />
            {strings.statusName(status)}
          </li>
        ))}
        <li>
          <span className="case-legend__dot" style={{ background: css(palette.overdue) }} />
          {strings.legendOverdue}
        </li>
        <li>
          <span className="case-legend__dot case-legend__dot--ring" style={{ borderColor: css(palette.escalatedRing) }} />
          {strings.legendEscalated}
        </li>
        <li className="case-legend__note">{strings.legendSize}</li>
      </ul>
    </div>
  );
}
