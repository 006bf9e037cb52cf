import { useStrings } from '../app/i18n.tsx';
import type { LiveSession } from '../live/use-live.ts';
import { useStoreVersion } from '../live/use-live.ts';
import type { CaseNames } from '../panels/case-facts.tsx';

/** New and escalated cases, newest first (capped: see LiveStats.ticker). */
export function WallTicker({ live, names }: { readonly live: LiveSession | undefined; readonly names: CaseNames }) {
  const strings = useStrings();
  useStoreVersion(live?.store, 500);
  const entries = live?.stats.ticker ?? [];
  return (
    <section className="wall-ticker" aria-labelledby="wall-ticker-title">
      <h2 id="wall-ticker-title" className="wall-section-title">
        {strings.tickerHeading}
      </h2>
      {entries.length === 0 ? (
        <p className="wall-ticker__empty">{strings.tickerEmpty}</p>
      ) : (
        <ol className="wall-ticker__list" data-testid="ticker">
          {entries.map((entry) => (
            <li key={entry.key} className={`wall-ticker__entry wall-ticker__entry--${entry.kind}`} data-testid="ticker-entry" data-kind={entry.kind} data-case-number={entry.number}>
              <time className="wall-ticker__time">{strings.time(entry.atMs)}</time>
              <span className={`wall-ticker__kind wall-ticker__kind--${entry.kind}`}>{strings.tickerKind(entry.kind)}</span>
              <span className="wall-ticker__what">
                <span className="wall-ticker__category">{names.category(entry.category)}</span>
                <span className="wall-ticker__where">
                  {names.street(entry.streetCode)} · {names.grid(entry.gridCode)}
                </span>
              </span>
              <span className="wall-ticker__number">{entry.number}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
