import type { AreaRef } from '../../core/protocol/http-api.ts';
import { useStrings } from '../app/i18n.tsx';
import type { GeographyData } from '../state/geography-data.ts';
import type { Selection } from '../state/selection.ts';
import { describeError } from './describe-error.ts';
import { PeopleList } from './people-list.tsx';

export interface GridPanelProps {
  readonly selection: Extract<Selection, { kind: 'grid' }>;
  readonly geography: GeographyData | undefined;
}

function AreaRow({ label, area, level }: { label: string; area: AreaRef; level: string }) {
  return (
    <li className={`hierarchy__row hierarchy__row--${level}`} data-level={level} data-code={area.code}>
      <span className="hierarchy__label">{label}</span>
      <span className="hierarchy__name">{area.name}</span>
      <code className="hierarchy__code">{area.code}</code>
    </li>
  );
}

/** A grid's place in the hierarchy (street → community → grid) and the people who serve it. */
export function GridPanel({ selection, geography }: GridPanelProps) {
  const strings = useStrings();
  const { gridCode, route, personnel } = selection;
  const details = personnel.status === 'ready' ? personnel.data.grid : undefined;
  const street = details ? { code: details.streetCode, name: details.streetName } : route?.street;
  const community = details ? { code: details.communityCode, name: details.communityName } : route?.community;
  const grid = details ? { code: details.code, name: details.name } : route?.grid;
  const streetLabel = street && geography?.streetKinds.get(street.code) === 'town' ? strings.town : strings.street;

  return (
    <section className="grid-panel" data-testid="grid-panel" data-grid-code={gridCode} aria-busy={personnel.status === 'loading'}>
      {street && community && grid ? (
        <ol className="hierarchy" aria-label={`${street.name} → ${community.name} → ${grid.name}`}>
          <AreaRow label={streetLabel} area={street} level="street" />
          <AreaRow label={strings.community} area={community} level="community" />
          <AreaRow label={strings.grid} area={grid} level="grid" />
        </ol>
      ) : (
        personnel.status === 'loading' && <p className="panel-note">{strings.peopleLoading}</p>
      )}
      {details && <p className="grid-panel__area">{strings.area(details.areaSquareMeters)}</p>}
      {route?.onBoundary && <p className="panel-note">{strings.onBoundary}</p>}

      {personnel.status === 'failed' && (
        <p className="panel-error" role="alert" data-testid="grid-error">
          {describeError(personnel.error, strings, gridCode)}
        </p>
      )}
      {personnel.status === 'ready' && (
        <>
          <h2 className="panel-heading">
            {strings.peopleHeading}
            <span className="panel-heading__count" data-testid="people-count">
              {personnel.data.people.length}
            </span>
          </h2>
          <PeopleList people={personnel.data.people} departments={geography?.departments ?? new Map()} />
        </>
      )}
      {personnel.status === 'loading' && street && <p className="panel-note">{strings.peopleLoading}</p>}
    </section>
  );
}
