import { useCallback, useEffect, useRef, useState } from 'react';
import type { Actor } from '../../core/access/actor.ts';
import type { ApiClient } from '../http/api-client.ts';
import { ApiError, isAbortError, toError } from '../http/api-error.ts';

/**
 * The signed-in account. The session itself is the server's HttpOnly cookie (the page never sees
 * the token): `GET /api/session` tells on load whether it is still live, so a reload keeps the user
 * signed in; `POST` signs in, `DELETE` signs out.
 */
export type SessionState =
  | { readonly status: 'checking' }
  /** `ended`: a session there was has ended on the server (expired, signed out elsewhere, disabled). */
  | { readonly status: 'signed-out'; readonly ended?: boolean; readonly checkError?: Error }
  | { readonly status: 'signed-in'; readonly actor: Actor };

export interface SessionControls {
  readonly session: SessionState;
  /** Throws the ApiError to show (wrong password, 429 with its wait, unreachable). */
  readonly signIn: (username: string, password: string) => Promise<void>;
  readonly signOut: () => Promise<void>;
  /** Asks the server whether the session is still live; false (and signed out) if it is not. */
  readonly recheck: () => Promise<boolean>;
}

/**
 * Whether this browser signed in and has not signed out since (localStorage, shared by the tabs of
 * the origin). The cookie is HttpOnly, so the page cannot see it; without this hint every anonymous
 * visit to the public map would ask GET /api/session and be answered 401.
 */
const SIGNED_IN_HINT = 'grid-command.signed-in';

function readHint(): boolean {
  try {
    return window.localStorage.getItem(SIGNED_IN_HINT) === '1';
  } catch {
    return true; // Storage blocked: ask the server.
  }
}

function writeHint(signedIn: boolean): void {
  try {
    if (signedIn) window.localStorage.setItem(SIGNED_IN_HINT, '1');
    else window.localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // Storage blocked: the next load asks the server, which is only a little slower.
  }
}

export function useSession(api: ApiClient): SessionControls {
  const [session, setSession] = useState<SessionState>(() => (readHint() ? { status: 'checking' } : { status: 'signed-out' }));
  const checking = useRef<Promise<boolean> | null>(null);

  useEffect(() => {
    if (!readHint()) return;
    const controller = new AbortController();
    api.session(controller.signal).then(
      (answer) => {
        writeHint(answer !== undefined);
        setSession(answer ? { status: 'signed-in', actor: answer.actor } : { status: 'signed-out' });
      },
      (error: unknown) => {
        if (isAbortError(error) || controller.signal.aborted) return;
        setSession({ status: 'signed-out', checkError: toError(error) });
      },
    );
    return () => controller.abort();
  }, [api]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const answer = await api.signIn(username, password);
      writeHint(true);
      setSession({ status: 'signed-in', actor: answer.actor });
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      // Signed out here whatever the server said: the cookie is HttpOnly, and the server ends the session it knows.
      writeHint(false);
      setSession({ status: 'signed-out' });
    }
  }, [api]);

  const recheck = useCallback((): Promise<boolean> => {
    checking.current ??= api
      .session()
      .then(
        (answer) => {
          if (answer) return true;
          writeHint(false);
          setSession({ status: 'signed-out', ended: true });
          return false;
        },
        // Unreachable or failing: keep the session; the live connection keeps retrying.
        (error: unknown) => !(error instanceof ApiError && error.status === 401),
      )
      .finally(() => {
        checking.current = null;
      });
    return checking.current;
  }, [api]);

  return { session, signIn, signOut, recheck };
}
