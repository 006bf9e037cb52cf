import { ApiError } from '../http/api-error.ts';
import { OutsideDistrictError } from './public-api.ts';
import type { PublicStrings } from './public-strings.ts';

/**
 * One line a resident can act on, for a failed request: outside the district (with the nearest
 * grid), the server unreachable or its store down, or the server's own words for what was wrong.
 */
export function describePublicError(error: Error, strings: PublicStrings, context: 'lookup' | 'report' = 'lookup'): string {
  if (error instanceof OutsideDistrictError) {
    if (context === 'report') return strings.reportOutside(error.message);
    return error.nearest ? strings.outsideNearest(error.nearest.grid.name, Math.round(error.nearest.distanceMeters)) : strings.outsideNoNearest;
  }
  if (error instanceof ApiError) {
    if (error.reason === 'unreachable') return strings.serverUnreachable;
    if (error.status === 503) return strings.storeUnavailable;
    if (error.status === 400) return context === 'report' ? strings.reportInvalid(error.message) : strings.invalidInput(error.message);
  }
  return strings.requestFailed(error.message);
}
