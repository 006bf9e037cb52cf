/**
 * The session API's answers (POST/GET/DELETE /api/session), shared by the server and the client.
 * Types only.
 */
import type { Actor } from '../access/actor.ts';

/** POST /api/session `{username, password}` → 200; the token is also set as the `gc_session` cookie (HttpOnly). */
export interface SignInAnswer {
  /** Send as `Authorization: Bearer <token>` (scripts, socket.io `auth.token`) or rely on the cookie (the browser). */
  readonly token: string;
  readonly actor: Actor;
  /** ISO 8601; sessions last 12 hours from sign-in. */
  readonly expiresAt: string;
}

/**
 * GET /api/session → always 200: the session's account, or `actor: null` when there is no live
 * session (none sent, unknown, expired, signed out or disabled).
 */
export interface SessionAnswer {
  readonly actor: Actor | null;
}

/**
 * Refusal codes: 400 `bad_request` (malformed body), 401 `wrong_credentials` (the same for an
 * unknown username and a wrong password) or `account_disabled`, 429 `too_many_attempts` (with
 * `retryAfterSeconds` and a Retry-After header); elsewhere 401 `unauthenticated` (no session), 403 `forbidden`.
 */
export type SessionErrorCode = 'bad_request' | 'wrong_credentials' | 'account_disabled' | 'too_many_attempts' | 'unauthenticated' | 'forbidden';
