import type { Strings } from '../app/strings.ts';
import { ApiError } from '../http/api-error.ts';

/** What went wrong with a sign-in, in words a user can act on. */
export function describeSignInError(error: Error, strings: Strings): string {
  if (error instanceof ApiError) {
    if (error.reason === 'unreachable') return strings.signInUnreachable;
    if (error.status === 429 || error.code === 'too_many_attempts') return strings.tooManyAttempts(error.retryAfterSeconds ?? 60);
    if (error.code === 'wrong_credentials') return strings.wrongCredentials;
    if (error.code === 'account_disabled') return strings.accountDisabled;
    if (error.status === 503) return strings.signInUnreachable;
  }
  return strings.signInFailed(error.message);
}
