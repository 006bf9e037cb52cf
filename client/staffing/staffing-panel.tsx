import type { StaffingAnswer, StaffMember } from '../../core/protocol/analytics-api.ts';
import { useLanguage } from '../app/i18n.tsx';
import { describeError } from '../panels/describe-error.ts';
import type { GeographyData } from '../state/geography-data.ts';
import type { Loadable } from '../state/loadable.ts';
import { AreaBreadcrumbs } from '../supervisor/area-breadcrumbs.tsx';
import { gapsOf, peopleByLoad, summaryOf } from './staffing-figures.ts';

export interface StaffingPanelProps {
  readonly geography: GeographyData | undefined;
  readonly area: string | undefined;
  readonly department: string | undefined;
  readonly staffing: Loadable<StaffingAnswer>;
  readonly selectedPersonId: string | undefined;
  readonly onArea: (code: string | undefined) => void;
  readonly onDepartment: (code: string | undefined) => void;
  readonly onSelectGrid: (gridCode: string) => void;
  readonly onSelectPerson: (person: StaffMember | undefined) => void;
  readonly onRetry: () => void;
}

/** Lists are cut here: a district-wide gap list of thousands is read on the map, not in a list. */
const LIST_ROWS = 60;

/**
 * The staffing workspace: for one department or all of them, which grids have their person and which
 * have nobody (the gaps, also coloured on the map), and every person with their load — grids
 * covered, open and overdue cases. Choosing a person draws their grids linked on the map.
 */
export function StaffingPanel({ geography, area, department, staffing, selectedPersonId, onArea, onDepartment, onSelectGrid, onSelectPerson, onRetry }: StaffingPanelProps) {
  const { lang, strings } = useLanguage();
  const departments = geography ? [...geography.departments.values()] : [];
  const answer = staffing.status === 'ready' ? staffing.data : undefined;
  const summary = answer ? summaryOf(answer) : undefined;
  const gaps = answer ? gapsOf(answer) : [];
  const people = answer ? peopleByLoad(answer.people) : [];
  const departmentName = (code: string): string => geography?.departments.get(code)?.[lang] ?? code;

  return (
    <section className="staffing-panel" data-testid="staffing-panel" data-department={department ?? ''}>
      <AreaBreadcrumbs geography={geography} area={area} onArea={onArea} />
      <div className="filters__row">
        <label className="filters__label" htmlFor="department-filter">
          {strings.department}
        </label>
        <select id="department-filter" className="filters__select" data-testid="department-filter" value={department ?? ''} onChange={(event) => onDepartment(event.target.value || undefined)}>
          <option value="">{strings.allDepartments}</option>
          {departments.map((d) => (
            <option key={d.code} value={d.code}>
              {d[lang]}
            </option>
          ))}
        </select>
      </div>
      {staffing.status === 'loading' && <p className="panel-note">{strings.figuresLoading}</p>}
      {staffing.status === 'failed' && (
        <p className="panel-error" role="alert">
          {describeError(staffing.error, strings)}{' '}
          <button type="button" className="link-button" onClick={onRetry}>
            {strings.retry}
          </button>
        </p>
      )}
      {summary && (
        <dl className="figures" data-testid="staffing-summary">
          <div className="figure" data-measure="grids">
            <dt>{strings.gridsLabel}</dt>
            <dd>{strings.count(summary.grids)}</dd>
          </div>
          <div className={`figure ${summary.gaps > 0 ? 'is-alert' : ''}`} data-measure="gaps">
            <dt>{department ? strings.coverageGaps : strings.gridsWithNobody}</dt>
            <dd data-testid="gap-count">{strings.count(summary.gaps)}</dd>
          </div>
          <div className="figure" data-measure="people">
            <dt>{strings.peopleHeading}</dt>
            <dd>{strings.count(summary.people)}</dd>
          </div>
          <div className="figure" data-measure="many">
            <dt>{strings.manyGridPeople}</dt>
            <dd>{strings.count(summary.manyGridPeople)}</dd>
          </div>
        </dl>
      )}
      {answer && (
        <>
          <h2 className="panel-heading">
            {department ? strings.coverageGaps : strings.gridsWithNobody}
            <span className="panel-heading__count">{strings.count(gaps.length)}</span>
          </h2>
          {gaps.length === 0 ? (
            <p className="panel-note">{strings.noGaps}</p>
          ) : (
            <ul className="gap-list" data-testid="gap-list">
              {gaps.slice(0, LIST_ROWS).map((grid) => (
                <li key={grid.gridCode}>
                  <button type="button" className="link-button" data-testid="gap-grid" data-grid-code={grid.gridCode} onClick={() => onSelectGrid(grid.gridCode)}>
                    {geography?.gridNames.get(grid.gridCode) ?? grid.gridCode}
                  </button>
                </li>
              ))}
              {gaps.length > LIST_ROWS && <li className="panel-note">{strings.andMore(gaps.length - LIST_ROWS)}</li>}
            </ul>
          )}
          <h2 className="panel-heading">
            {strings.staffLoadHeading}
            <span className="panel-heading__count">{strings.count(people.length)}</span>
          </h2>
          <div className="figure-table" data-testid="staff-table">
            <table>
              <thead>
                <tr>
                  <th scope="col">{strings.personLabel}</th>
                  <th scope="col">{strings.gridsLabel}</th>
                  <th scope="col">{strings.fillName('open')}</th>
                  <th scope="col">{strings.fillName('overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {people.slice(0, LIST_ROWS * 2).map((person) => (
                  <tr key={person.id} className={`${person.id === selectedPersonId ? 'is-selected' : ''} ${person.onDuty ? '' : 'is-off-duty'}`} data-person-id={person.id}>
                    <th scope="row">
                      <button type="button" className="link-button" data-testid="staff-person" data-person-id={person.id} data-grid-count={person.grids.length} onClick={() => onSelectPerson(person.id === selectedPersonId ? undefined : person)} aria-pressed={person.id === selectedPersonId}>
                        {person.name}
                      </button>
                      <span className="staff__meta">
                        {departmentName(person.departmentCode)}
                        {person.onDuty ? '' : ` · ${strings.offDuty}`} · {person.phone}
                      </span>
                    </th>
                    <td>{strings.count(person.grids.length)}</td>
                    <td>{strings.count(person.openCases)}</td>
                    <td className={person.overdueCases > 0 ? 'is-alert' : ''}>{strings.count(person.overdueCases)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
