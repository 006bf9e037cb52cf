import { useMemo } from 'react';
import { useStrings } from '../app/i18n.tsx';
import { beijingDayStart, type Kpis } from '../live/live-stats.ts';
import { type LiveSession, useStoreVersion } from '../live/use-live.ts';
import { useNow } from '../state/use-now.ts';

interface Tile {
  readonly id: 'open' | 'new' | 'overdue' | 'escalated' | 'closed' | 'on-time';
  readonly label: string;
  readonly value: string;
  readonly help: string;
  readonly alert?: boolean;
}

/** The figures, live from the feed: recomputed each second (deadlines pass) and as cases change. */
export function useKpis(live: LiveSession | undefined): Kpis | undefined {
  const version = useStoreVersion(live?.store, 500);
  const now = useNow(1_000, live !== undefined);
  return useMemo(() => (live ? live.stats.kpis(live.store, now) : undefined), [live, now, version]);
}

/**
 * The KPI tiles: open now, new in the last hour, overdue, escalated, closed today, on-time rate
 * today. Each tile says how it is counted (hover or focus it). `wall`: large, for the wall display.
 */
export function KpiTiles({ live, variant }: { readonly live: LiveSession | undefined; readonly variant: 'bar' | 'wall' }) {
  const strings = useStrings();
  const kpis = useKpis(live);
  if (!kpis) return null;
  // Started after midnight: today's and the last hour's counts begin when this screen did.
  const partial = kpis.countingSinceMs > beijingDayStart(kpis.countingSinceMs) ? strings.time(kpis.countingSinceMs) : undefined;
  const tiles: Tile[] = [
    { id: 'open', label: strings.kpiOpen, value: strings.count(kpis.open), help: strings.kpiOpenHelp },
    { id: 'new', label: strings.kpiNewLastHour, value: strings.count(kpis.newLastHour), help: strings.kpiNewLastHourHelp(partial) },
    { id: 'overdue', label: strings.kpiOverdue, value: strings.count(kpis.overdue), help: strings.kpiOverdueHelp, alert: kpis.overdue > 0 },
    { id: 'escalated', label: strings.kpiEscalated, value: strings.count(kpis.escalated), help: strings.kpiEscalatedHelp, alert: kpis.escalated > 0 },
    { id: 'closed', label: strings.kpiClosedToday, value: strings.count(kpis.closedToday), help: strings.kpiClosedTodayHelp(partial) },
    { id: 'on-time', label: strings.kpiOnTimeRate, value: kpis.onTimeRate === null ? strings.noValue : strings.percent(kpis.onTimeRate), help: strings.kpiOnTimeRateHelp },
  ];
  return (
    <div className={`kpis kpis--${variant}`} data-testid="kpis">
      {tiles.map((tile) => (
        <div key={tile.id} className={`kpi kpi--${tile.id} ${tile.alert ? 'is-alert' : ''}`} data-testid={`kpi-${tile.id}`} tabIndex={0} title={tile.help} aria-label={`${tile.label}: ${tile.value}. ${tile.help}`}>
          <span className="kpi__label">{tile.label}</span>
          <span className="kpi__value" data-testid={`kpi-${tile.id}-value`}>
            {tile.value}
          </span>
          <span className="kpi__help" role="tooltip">
            {tile.help}
          </span>
        </div>
      ))}
    </div>
  );
}
