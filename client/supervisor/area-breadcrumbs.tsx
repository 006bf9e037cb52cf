import { parentCode } from '../../core/geography/area-code.ts';
import { useStrings } from '../app/i18n.tsx';
import type { GeographyData } from '../state/geography-data.ts';

export interface AreaBreadcrumbsProps {
  readonly geography: GeographyData | undefined;
  /** The street or community drilled into, or undefined for the district. */
  readonly area: string | undefined;
  /** A selected grid, shown as the last crumb. */
  readonly gridCode?: string | undefined;
  readonly gridName?: string | undefined;
  /** Go to an area (undefined: the district). */
  readonly onArea: (code: string | undefined) => void;
}

/** District › street/town › community › grid: where the supervisor stands, each step a way back up. */
export function AreaBreadcrumbs({ geography, area, gridCode, gridName, onArea }: AreaBreadcrumbsProps) {
  const strings = useStrings();
  const districtName = geography?.district.features[0]?.properties.name ?? strings.districtFallback;
  // A grid's own street and community come from its code (codes nest: DB11).
  const deepest = gridCode ?? area;
  const community = deepest && deepest.length >= 12 ? deepest.slice(0, 12) : undefined;
  const street = deepest && deepest.length >= 9 ? deepest.slice(0, 9) : undefined;
  const crumbs: { code: string | undefined; name: string; level: string }[] = [{ code: undefined, name: districtName, level: 'district' }];
  if (street) crumbs.push({ code: street, name: geography?.streetNames.get(street) ?? street, level: 'street' });
  if (community && parentCode(community) === street) crumbs.push({ code: community, name: geography?.communityNames.get(community) ?? community, level: 'community' });
  if (gridCode) crumbs.push({ code: gridCode, name: gridName ?? geography?.gridNames.get(gridCode) ?? gridCode, level: 'grid' });
  return (
    <nav className="breadcrumbs" aria-label={strings.breadcrumbsLabel} data-testid="breadcrumbs">
      <ol>
        {crumbs.map((crumb, index) => {
          const last = index === crumbs.length - 1;
          return (
            <li key={crumb.level} data-level={crumb.level} data-code={crumb.code ?? ''}>
              {last ? (
                <span aria-current="page">{crumb.name}</span>
              ) : (
                <button type="button" className="link-button" onClick={() => onArea(crumb.code)}>
                  {crumb.name}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
