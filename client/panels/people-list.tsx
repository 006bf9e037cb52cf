import type { Department } from '../../core/catalogue/catalogue.ts';
import type { GridServant } from '../../core/people/person.ts';
import { useLanguage } from '../app/i18n.tsx';

export interface PeopleListProps {
  readonly people: readonly GridServant[];
  readonly departments: ReadonlyMap<string, Department>;
}

/** Who serves a grid, one card per person: the public disclosure board (实名制公示) of the grid. */
export function PeopleList({ people, departments }: PeopleListProps) {
  const { lang, strings } = useLanguage();
  return (
    <ul className="people" data-testid="people">
      {people.map((person) => (
        <li key={person.id} className="person" data-testid="person" data-person-id={person.id}>
          <div className="person__head">
            <span className="person__name">{person.name}</span>
            <span className={`person__duty-state ${person.onDuty ? 'is-on' : 'is-off'}`} data-on-duty={person.onDuty ? 'true' : 'false'}>
              {person.onDuty ? strings.onDuty : strings.offDuty}
            </span>
          </div>
          <div className="person__department">{departments.get(person.departmentCode)?.[lang] ?? strings.unknownDepartment(person.departmentCode)}</div>
          <div className="person__duty">{lang === 'zh' ? person.duty : person.dutyEn}</div>
          <div className="person__meta">
            <a className="person__phone" href={`tel:${person.phone.replace(/[^\d+]/g, '')}`} aria-label={`${strings.phone} ${person.phone}`}>
              {person.phone}
            </a>
            <span className="person__grids" data-grid-count={person.gridCount}>
              {strings.servesGrids(person.gridCount)}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
