import { type ReactNode, useState } from 'react';
import type { AreaFigures, HotspotMeasure } from '../../core/protocol/analytics-api.ts';
import { HOTSPOT_MEASURES } from '../../core/protocol/analytics-api.ts';
import { useLanguage } from '../app/i18n.tsx';
import type { AnalyticsClient } from '../http/analytics-client.ts';
import type { CaseNames } from '../panels/case-facts.tsx';
import { describeError } from '../panels/describe-error.ts';
import type { GeographyData } from '../state/geography-data.ts';
import type { Loadable } from '../state/loadable.ts';
import type { CatalogueData } from '../state/use-catalogue.ts';
import { useNow } from '../state/use-now.ts';
import { AreaBreadcrumbs } from '../supervisor/area-breadcrumbs.tsx';
import { QueueFilters } from '../supervisor/queue-filters.tsx';
import { presetOf, presetWindow, WINDOW_PRESETS } from './analyst-window.ts';
import type { AnalystFigures } from './use-analytics.ts';

export interface AnalystPanelProps {
  readonly geography: GeographyData | undefined;
  readonly catalogue: CatalogueData | undefined;
  readonly names: CaseNames;
  readonly client: AnalyticsClient;
  readonly area: string | undefined;
  readonly categories: readonly string[];
  /** The window's first and last day (Beijing, inclusive); undefined: the last 30 days. */
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly figures: AnalystFigures;
  readonly level: 'street' | 'community' | 'grid';
  /** The export's filter (the same as the figures'). */
  readonly exportQuery: Parameters<AnalyticsClient['exportUrl']>[1];
  readonly onArea: (code: string | undefined) => void;
  readonly onSelectGrid: (gridCode: string) => void;
  readonly onCategories: (codes: readonly string[]) => void;
  readonly onWindow: (from: string | undefined, to: string | undefined) => void;
  readonly onRetry: () => void;
}

const COLUMNS = ['received', 'open', 'overdueNow', 'closed', 'onTimeRate', 'repeatReports'] as const satisfies readonly (keyof AreaFigures)[];

function FigureCells({ row }: { readonly row: AreaFigures }) {
  const { strings } = useLanguage();
  return (
    <>
      {COLUMNS.map((column) => {
        const value = row[column];
        return (
          <td key={column} data-column={column} className={column === 'overdueNow' && row.overdueNow > 0 ? 'is-alert' : ''}>
            {column === 'onTimeRate' ? (value === null ? strings.noValue : strings.percent(value)) : strings.count(value ?? 0)}
          </td>
        );
      })}
    </>
  );
}

interface FigureTableRow {
  readonly code: string;
  readonly name: ReactNode;
  readonly figures: AreaFigures;
}

/** Areas or departments with their figures, one row each (the order is the caller's). */
function FigureTable({ testId, heading, rows }: { readonly testId: string; readonly heading: string; readonly rows: readonly FigureTableRow[] }) {
  const { strings } = useLanguage();
  return (
    <div className="figure-table" data-testid={testId}>
      <table>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            {COLUMNS.map((column) => (
              <th key={column} scope="col">
                {strings.figureColumn(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.code} data-code={row.code}>
              <th scope="row">{row.name}</th>
              <FigureCells row={row.figures} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LoadNote<T>({ state, onRetry }: { readonly state: Loadable<T>; readonly onRetry: () => void }) {
  const { strings } = useLanguage();
  if (state.status === 'loading') return <p className="panel-note">{strings.figuresLoading}</p>;
  if (state.status === 'failed')
    return (
      <p className="panel-error" role="alert">
        {describeError(state.error, strings)}{' '}
        <button type="button" className="link-button" onClick={onRetry}>
          {strings.retry}
        </button>
      </p>
    );
  return null;
}

/**
 * The analyst's workspace: a time window and categories; the hotspots (grids with the most cases,
 * the most repeat reports, the most overdue now); per-area and per-department tables; and the
 * filtered cases to download. The map beside it shows the same filter as hexagonal bins.
 */
export function AnalystPanel(props: AnalystPanelProps) {
  const { geography, catalogue, names, client, area, categories, from, to, figures, level, exportQuery, onArea, onSelectGrid, onCategories, onWindow, onRetry } = props;
  const { lang, strings } = useLanguage();
  const now = useNow(60_000);
  const [hotspotBy, setHotspotBy] = useState<HotspotMeasure>('received');
  const preset = presetOf(from, to, now);
  const areaRows = figures.areas.status === 'ready' ? [...figures.areas.data.rows].sort((a, b) => b.received - a.received || a.code.localeCompare(b.code)) : [];
  const departmentRows = figures.departments.status === 'ready' ? [...figures.departments.data.rows].sort((a, b) => b.received - a.received || a.code.localeCompare(b.code)) : [];
  const hotspots = figures.hotspots.status === 'ready' ? figures.hotspots.data[hotspotBy] : undefined;
  const filter = figures.areas.status === 'ready' ? figures.areas.data.filter : undefined;

  return (
    <section className="analyst-panel" data-testid="analyst-panel" data-area={area ?? ''}>
      <AreaBreadcrumbs geography={geography} area={area} onArea={onArea} />
      <div className="filters" data-testid="window-filter">
        <div className="chips" role="radiogroup" aria-label={strings.windowLabel}>
          {WINDOW_PRESETS.map((days) => (
            <button
              key={days}
              type="button"
              role="radio"
              aria-checked={preset === days}
              className={`chip ${preset === days ? 'is-on' : ''}`}
              data-testid="window-preset"
              data-days={days}
              onClick={() => {
                const window = presetWindow(days, now);
                onWindow(days === 30 ? undefined : window.from, days === 30 ? undefined : window.to);
              }}
            >
              {strings.lastDays(days)}
            </button>
          ))}
        </div>
        <div className="filters__row">
          <label className="filters__label">
            {strings.windowFrom}
            <input type="date" data-testid="window-from" value={from ?? ''} max={to} onChange={(event) => onWindow(event.target.value || undefined, to)} />
          </label>
          <label className="filters__label">
            {strings.windowTo}
            <input type="date" data-testid="window-to" value={to ?? ''} min={from} onChange={(event) => onWindow(from, event.target.value || undefined)} />
          </label>
        </div>
      </div>
      <QueueFilters catalogue={catalogue} names={names} categories={categories} statuses={[]} onCategories={onCategories} />
      {filter && (
        <p className="panel-note" data-testid="analyst-window">
          {strings.windowSummary(strings.dateTime(Date.parse(filter.from)), strings.dateTime(Date.parse(filter.to)))}
        </p>
      )}
      <div className="export-links">
        <span>{strings.exportLabel}</span>
        <a className="header-link" data-testid="export-geojson" href={client.exportUrl('geojson', exportQuery)} download>
          GeoJSON
        </a>
        <a className="header-link" data-testid="export-csv" href={client.exportUrl('csv', exportQuery)} download>
          CSV
        </a>
      </div>

      <h2 className="panel-heading">{strings.hotspotsHeading}</h2>
      <div className="chips" role="tablist">
        {HOTSPOT_MEASURES.map((by) => (
          <button key={by} type="button" role="tab" aria-selected={hotspotBy === by} className={`chip ${hotspotBy === by ? 'is-on' : ''}`} data-testid="hotspot-measure" data-by={by} onClick={() => setHotspotBy(by)}>
            {strings.hotspotMeasure(by)}
          </button>
        ))}
      </div>
      <LoadNote state={figures.hotspots} onRetry={onRetry} />
      {hotspots && (
        <ol className="hotspots" data-testid="hotspots" data-by={hotspotBy}>
          {hotspots.rows.length === 0 && <li className="panel-note">{strings.noHotspots}</li>}
          {hotspots.rows.map((row) => (
            <li key={row.gridCode}>
              <button type="button" className="hotspot" data-testid="hotspot" data-grid-code={row.gridCode} onClick={() => onSelectGrid(row.gridCode)}>
                <span className="hotspot__name">{row.gridName}</span>
                <span className="hotspot__where">
                  {row.streetName} · {row.communityName}
                </span>
                <span className="hotspot__value">{strings.count(row[hotspotBy])}</span>
              </button>
            </li>
          ))}
        </ol>
      )}

      <h2 className="panel-heading">{strings.childAreasHeading(level)}</h2>
      <LoadNote state={figures.areas} onRetry={onRetry} />
      {areaRows.length > 0 && (
        <FigureTable
          testId="area-table"
          heading={strings.areaLevelName(level)}
          rows={areaRows.map((row) => ({
            code: row.code,
            figures: row,
            name: (
              <button type="button" className="link-button" onClick={() => (level === 'grid' ? onSelectGrid(row.code) : onArea(row.code))}>
                {row.name}
              </button>
            ),
          }))}
        />
      )}

      <h2 className="panel-heading">{strings.departmentsHeading}</h2>
      <LoadNote state={figures.departments} onRetry={onRetry} />
      {departmentRows.length > 0 && (
        <FigureTable testId="department-table" heading={strings.department} rows={departmentRows.map((row) => ({ code: row.code, figures: row, name: lang === 'zh' ? row.nameZh : row.nameEn }))} />
      )}
    </section>
  );
}
