import { levelOfCode } from '../../core/geography/area-code.ts';
import { useStrings } from '../app/i18n.tsx';
import type { AreaCount, CountLevel } from '../live/area-counts.ts';
import type { CaseRecord } from '../live/case-record.ts';
import type { LiveSession } from '../live/use-live.ts';
import type { CaseNames } from '../panels/case-facts.tsx';
import type { GeographyData } from '../state/geography-data.ts';
import type { CatalogueData } from '../state/use-catalogue.ts';
import { FILL_MEASURES, type FillMeasure, type QueueStatus } from '../state/view-url.ts';
import { AreaBreadcrumbs } from './area-breadcrumbs.tsx';
import { CaseQueueList } from './case-queue-list.tsx';
import { QueueFilters } from './queue-filters.tsx';
import { useAreaCounts, useAreaTotal, useQueue } from './use-live-figures.ts';

/** Rows shown in the queue: a person reads the top; the count says how many more there are. */
const QUEUE_ROWS = 100;

export interface AreaPanelProps {
  readonly geography: GeographyData | undefined;
  readonly live: LiveSession | undefined;
  readonly catalogue: CatalogueData | undefined;
  readonly names: CaseNames;
  /** The street or community drilled into; undefined: the district. */
  readonly area: string | undefined;
  readonly fill: FillMeasure;
  readonly categories: readonly string[];
  readonly statuses: readonly QueueStatus[];
  readonly selectedCaseId: number | undefined;
  readonly onArea: (code: string | undefined) => void;
  readonly onSelectGrid: (gridCode: string) => void;
  readonly onFill: (fill: FillMeasure) => void;
  readonly onCategories: (codes: readonly string[]) => void;
  readonly onStatuses: (statuses: readonly QueueStatus[]) => void;
  readonly onOpenCase: (record: CaseRecord) => void;
}

function childLevelOf(area: string | undefined): CountLevel {
  const level = area ? levelOfCode(area) : 'district';
  return level === 'street' ? 'community' : level === 'community' ? 'grid' : 'street';
}

interface ChildRow {
  readonly code: string;
  readonly name: string;
  readonly count: AreaCount | undefined;
}

/** The areas one level down, with their live figures; busiest first, then by code. */
function childRows(geography: GeographyData | undefined, area: string | undefined, level: CountLevel, counts: ReadonlyMap<string, AreaCount>): ChildRow[] {
  const rows = new Map<string, ChildRow>();
  if (geography) {
    const source = level === 'street' ? geography.streetNames : level === 'community' ? geography.communityNames : geography.gridNames;
    for (const [code, name] of source) if (area === undefined || code.startsWith(area)) rows.set(code, { code, name, count: counts.get(code) });
  }
  // Grids are loaded by viewport: a grid with cases is listed even before its outline has come.
  for (const [code, count] of counts) if (!rows.has(code)) rows.set(code, { code, name: geography?.gridNames.get(code) ?? code, count });
  return [...rows.values()].sort((a, b) => (b.count?.overdue ?? 0) - (a.count?.overdue ?? 0) || (b.count?.open ?? 0) - (a.count?.open ?? 0) || a.code.localeCompare(b.code));
}

/**
 * The supervisor's drill-down when nothing is selected: where they stand (breadcrumbs), the live
 * figures of this area, its child areas with theirs (a click goes one level down; a grid opens its
 * panel), what the map is coloured by, and the area's live queue with its filters.
 */
export function AreaPanel(props: AreaPanelProps) {
  const { geography, live, catalogue, names, area, fill, categories, statuses, selectedCaseId, onArea, onSelectGrid, onFill, onCategories, onStatuses, onOpenCase } = props;
  const strings = useStrings();
  const level = childLevelOf(area);
  const counts = useAreaCounts(live, level, area);
  const total = useAreaTotal(live, area);
  const queue = useQueue(live, { area, categories, statuses }, QUEUE_ROWS);
  const rows = childRows(geography, area, level, counts);
  const areaName = area ? (geography?.streetNames.get(area) ?? geography?.communityNames.get(area) ?? area) : (geography?.district.features[0]?.properties.name ?? strings.districtFallback);

  return (
    <section className="area-panel" data-testid="area-panel" data-area={area ?? ''}>
      <AreaBreadcrumbs geography={geography} area={area} onArea={onArea} />
      <h2 className="area-panel__title">{areaName}</h2>
      {total && (
        <dl className="figures" data-testid="area-figures">
          {(['open', 'overdue', 'dueSoon', 'escalated'] as const).map((measure) => (
            <div key={measure} className={`figure figure--${measure} ${measure !== 'open' && total[measure] > 0 ? 'is-alert' : ''}`} data-measure={measure}>
              <dt>{strings.fillName(measure)}</dt>
              <dd>{strings.count(total[measure])}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="fill-switch" role="radiogroup" aria-label={strings.fillLabel}>
        <span className="fill-switch__label">{strings.fillLabel}</span>
        {FILL_MEASURES.map((measure) => (
          <button key={measure} type="button" role="radio" aria-checked={fill === measure} className={`chip ${fill === measure ? 'is-on' : ''}`} data-testid="fill-option" data-fill={measure} onClick={() => onFill(measure)}>
            {strings.fillName(measure)}
          </button>
        ))}
      </div>

      <h2 className="panel-heading">
        {strings.childAreasHeading(level)}
        <span className="panel-heading__count">{strings.count(rows.length)}</span>
      </h2>
      <div className="child-areas" data-testid="child-areas" data-level={level}>
        <table>
          <thead>
            <tr>
              <th scope="col">{strings.areaLevelName(level)}</th>
              <th scope="col">{strings.fillName('open')}</th>
              <th scope="col">{strings.fillName('overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.code} className={row.count && row.count.overdue > 0 ? 'is-alert' : ''}>
                <td>
                  <button type="button" className="link-button" data-testid="child-area" data-code={row.code} onClick={() => (level === 'grid' ? onSelectGrid(row.code) : onArea(row.code))}>
                    {row.name}
                  </button>
                </td>
                <td>{strings.count(row.count?.open ?? 0)}</td>
                <td>{strings.count(row.count?.overdue ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <QueueFilters catalogue={catalogue} names={names} categories={categories} statuses={statuses} onCategories={onCategories} onStatuses={onStatuses} />
      <CaseQueueList queue={queue} names={names} selectedCaseId={selectedCaseId} onOpenCase={onOpenCase} />
    </section>
  );
}
