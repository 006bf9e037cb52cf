import { useEffect, useState } from 'react';
import type { StaffingAnswer } from '../../core/protocol/analytics-api.ts';
import type { AnalyticsClient } from '../http/analytics-client.ts';
import { isAbortError, toError } from '../http/api-error.ts';
import type { Loadable } from '../state/loadable.ts';

/** Who covers which grid, for a department (or all) inside an area; loaded again on `attempt`. */
export function useStaffing(client: AnalyticsClient | undefined, department: string | undefined, within: string | undefined, attempt: number): Loadable<StaffingAnswer> {
  const [state, setState] = useState<Loadable<StaffingAnswer>>({ status: 'loading' });
  useEffect(() => {
    if (!client) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    client.staffing(department, within, controller.signal).then(
      (data) => setState({ status: 'ready', data }),
      (error: unknown) => {
        if (!isAbortError(error) && !controller.signal.aborted) setState({ status: 'failed', error: toError(error) });
      },
    );
    return () => controller.abort();
  }, [client, department, within, attempt]);
  return state;
}
