import { useStrings } from '../app/i18n.tsx';
import type { CaseNames } from '../panels/case-facts.tsx';
import type { CatalogueData } from '../state/use-catalogue.ts';
import { QUEUE_STATUSES, type QueueStatus } from '../state/view-url.ts';

export interface QueueFiltersProps {
  readonly catalogue: CatalogueData | undefined;
  readonly names: CaseNames;
  readonly categories: readonly string[];
  readonly statuses: readonly QueueStatus[];
  readonly onCategories: (codes: readonly string[]) => void;
  /** Undefined: the status chips are not shown (the analyst counts every case, open or not). */
  readonly onStatuses?: ((statuses: readonly QueueStatus[]) => void) | undefined;
}

/** Category and status filters, shared by the supervisor's queue and the analyst's figures. */
export function QueueFilters({ catalogue, names, categories, statuses, onCategories, onStatuses }: QueueFiltersProps) {
  const strings = useStrings();
  const available = catalogue ? catalogue.catalogue.categories.filter((c) => !categories.includes(c.code)) : [];
  const toggle = (status: QueueStatus): void => onStatuses?.(statuses.includes(status) ? statuses.filter((s) => s !== status) : [...statuses, status]);
  return (
    <div className="filters" data-testid="filters">
      <div className="filters__row">
        <label className="filters__label" htmlFor="category-filter">
          {strings.category}
        </label>
        <select
          id="category-filter"
          className="filters__select"
          data-testid="category-filter"
          value=""
          onChange={(event) => {
            if (event.target.value) onCategories([...categories, event.target.value]);
          }}
        >
          <option value="">{categories.length === 0 ? strings.allCategories : strings.addCategory}</option>
          {available.map((category) => (
            <option key={category.code} value={category.code}>
              {names.category(category.code)}
            </option>
          ))}
        </select>
      </div>
      {categories.length > 0 && (
        <ul className="chips" aria-label={strings.category}>
          {categories.map((code) => (
            <li key={code}>
              <button type="button" className="chip is-on" data-testid="category-chip" data-code={code} onClick={() => onCategories(categories.filter((c) => c !== code))} title={strings.removeFilter}>
                {names.category(code)} ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {onStatuses && (
        <ul className="chips" aria-label={strings.status}>
          {QUEUE_STATUSES.map((status) => (
            <li key={status}>
              <button type="button" className={`chip ${statuses.includes(status) ? 'is-on' : ''}`} aria-pressed={statuses.includes(status)} data-testid="status-chip" data-status={status} onClick={() => toggle(status)}>
                {strings.statusName(status)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
