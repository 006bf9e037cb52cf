import { useCallback, useEffect, useRef, useState } from 'react';
import type { Actor } from '../../core/access/actor.ts';
import type { ApiClient } from '../http/api-client.ts';
import { isAbortError, toError } from '../http/api-error.ts';

/**
 * The signed-in account. The session itself is the server's HttpOnly cookie (the page never sees
 * the token): `GET /api/session` tells on load whether it is still live (`actor`, or `null` when signed
 * out: always a 200, so an anonymous visit logs nothing), so a reload keeps the user signed in; `POST`
 * signs in, `DELETE` signs out.
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

export function useSession(api: ApiClient): SessionControls {
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
  const checking = useRef<Promise<boolean> | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.session(controller.signal).then(
      ({ actor }) => setSession(actor ? { status: 'signed-in', actor } : { status: 'signed-out' }),
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
      setSession({ status: 'signed-in', actor: answer.actor });
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      // Signed out here whatever the server said: the cookie is HttpOnly, and the server ends the session it knows.
      setSession({ status: 'signed-out' });
    }
  }, [api]);

  const recheck = useCallback((): Promise<boolean> => {
    checking.current ??= api
      .session()
      .then(
        ({ actor }) => {
          if (actor) return true;
          setSession({ status: 'signed-out', ended: true });
          return false;
        },
        // Unreachable or failing: keep the session; the live connection keeps retrying.
        () => true,
      )
      .finally(() => {
        checking.current = null;
      });
    return checking.current;
  }, [api]);

  return { session, signIn, signOut, recheck };
}
