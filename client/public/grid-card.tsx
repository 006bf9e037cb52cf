import type { PublicGridAnswer } from '../../core/protocol/http-api.ts';
import type { PublicLang, PublicStrings } from './public-strings.ts';

export interface GridCardProps {
  readonly answer: PublicGridAnswer;
  readonly lang: PublicLang;
  readonly strings: PublicStrings;
}

/** The grid's disclosure board: street → community → grid, and a table of who serves it. */
export function GridCard({ answer, lang, strings }: GridCardProps) {
  const levels = [
    { level: 'street', label: strings.street, area: answer.street },
    { level: 'community', label: strings.community, area: answer.community },
    { level: 'grid', label: strings.grid, area: answer.grid },
  ] as const;
  return (
    <section className="public-card" data-testid="grid-card" data-grid-code={answer.grid.code}>
      <dl className="public-card__areas">
        {levels.map(({ level, label, area }) => (
          <div key={level} className={`public-card__area public-card__area--${level}`} data-level={level} data-code={area.code}>
            <dt>{label}</dt>
            <dd className="public-card__name">{area.name}</dd>
          </div>
        ))}
      </dl>
      <h2 className="public-heading">
        {strings.peopleHeading}
        <span className="public-heading__count" data-testid="people-count">
          {answer.people.length}
        </span>
      </h2>
      {answer.people.length === 0 ? (
        <p className="panel-note">{strings.noPeople}</p>
      ) : (
        <table className="public-people" data-testid="people">
          <thead>
            <tr>
              <th scope="col">{strings.columnName}</th>
              <th scope="col">{strings.columnDepartment}</th>
              <th scope="col">{strings.columnDuty}</th>
              <th scope="col">{strings.columnPhone}</th>
            </tr>
          </thead>
          <tbody>
            {answer.people.map((person) => (
              <tr key={`${person.department.code}:${person.name}:${person.phone}`} data-testid="person" data-department-code={person.department.code}>
                <td className="public-people__name">{person.name}</td>
                <td className="public-people__department">{lang === 'zh' ? person.department.name : person.department.nameEn}</td>
                <td className="public-people__duty">{lang === 'zh' ? person.duty : person.dutyEn}</td>
                <td>
                  <a className="public-people__phone" href={`tel:${person.phone.replace(/[^\d+]/g, '')}`} aria-label={strings.callPhone(person.name, person.phone)}>
                    {person.phone}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
