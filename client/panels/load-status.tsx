import { ApiError } from '../http/api-error.ts';
import { useStrings } from '../app/i18n.tsx';
import type { GeographyData } from '../state/geography-data.ts';
import type { Loadable } from '../state/loadable.ts';

export interface LoadStatusProps {
  readonly geography: Loadable<GeographyData>;
  readonly onRetry: () => void;
}

/** Over the map while the geography loads, or why it did not, with a way to try again. */
export function LoadStatus({ geography, onRetry }: LoadStatusProps) {
  const strings = useStrings();
  if (geography.status === 'ready') return null;
  if (geography.status === 'loading') {
    return (
      <div className="load-status" data-testid="loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {strings.loadingGeography}
      </div>
    );
  }
  const unreachable = geography.error instanceof ApiError && geography.error.reason === 'unreachable';
  return (
    <div className="load-status load-status--error" data-testid="load-error" role="alert">
      <p className="load-status__title">{unreachable ? strings.serverUnreachable : strings.loadFailed}</p>
      <p className="load-status__detail">{unreachable ? strings.serverUnreachableHint : strings.requestFailed(geography.error.message)}</p>
      <button type="button" className="button" onClick={onRetry}>
        {strings.retry}
      </button>
    </div>
  );
}
