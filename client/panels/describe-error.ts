import { ApiError } from '../http/api-error.ts';
import type { Strings } from '../app/strings.ts';

/** One line a user can act on, for a failed request. */
export function describeError(error: Error, strings: Strings, gridCode?: string): string {
  if (error instanceof ApiError) {
    if (error.reason === 'unreachable') return `${strings.serverUnreachable}。${strings.serverUnreachableHint}`;
    if (gridCode !== undefined && error.status === 404) return strings.gridNotFound(gridCode);
    if (gridCode !== undefined && error.status === 400) return strings.notAGridCode(gridCode);
  }
  return strings.requestFailed(error.message);
}
