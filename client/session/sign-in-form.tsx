import { type FormEvent, useEffect, useState } from 'react';
import { useStrings } from '../app/i18n.tsx';
import { ApiError, toError } from '../http/api-error.ts';
import { describeSignInError } from './describe-sign-in-error.ts';

export interface SignInFormProps {
  readonly onSignIn: (username: string, password: string) => Promise<void>;
  /** Shown above the form: why the user is asked (their session ended, say). */
  readonly notice?: string | undefined;
  readonly onCancel?: (() => void) | undefined;
  readonly variant?: 'dialog' | 'wall';
}

/**
 * Username and password → POST /api/session. Errors say what to do: a wrong password, a lock-out
 * with a live countdown of the wait the server asked for (429 Retry-After), an unreachable server.
 */
export function SignInForm({ onSignIn, notice, onCancel, variant = 'dialog' }: SignInFormProps) {
  const strings = useStrings();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error>();
  const [lockedUntil, setLockedUntil] = useState<number>();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (lockedUntil === undefined) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= lockedUntil) {
        setLockedUntil(undefined);
        setError(undefined);
      }
    }, 1_000);
    return () => clearInterval(timer);
  }, [lockedUntil]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (sending || lockedUntil !== undefined || username.trim() === '' || password === '') return;
    setSending(true);
    setError(undefined);
    onSignIn(username.trim(), password)
      .catch((failure: unknown) => {
        const e = toError(failure);
        setError(e);
        if (e instanceof ApiError && e.status === 429) {
          const until = Date.now() + (e.retryAfterSeconds ?? 60) * 1_000;
          setNow(Date.now());
          setLockedUntil(until);
        }
        setPassword('');
      })
      .finally(() => setSending(false));
  };

  const message = lockedUntil !== undefined ? strings.tooManyAttempts(Math.max(1, Math.ceil((lockedUntil - now) / 1_000))) : error ? describeSignInError(error, strings) : undefined;

  return (
    <form className={`sign-in sign-in--${variant}`} data-testid="sign-in-form" onSubmit={submit} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title" className="sign-in__title">
        {strings.signInTitle}
      </h2>
      <p className="sign-in__intro">{strings.signInIntro}</p>
      {notice && (
        <p className="sign-in__notice" role="status" data-testid="sign-in-notice">
          {notice}
        </p>
      )}
      <label className="sign-in__field">
        <span>{strings.username}</span>
        <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label className="sign-in__field">
        <span>{strings.password}</span>
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {message && (
        <p className="panel-error sign-in__error" role="alert" data-testid="sign-in-error" data-code={error instanceof ApiError ? (error.code ?? error.reason) : ''}>
          {message}
        </p>
      )}
      <div className="sign-in__actions">
        <button type="submit" className="button" disabled={sending || lockedUntil !== undefined}>
          {sending ? strings.signingIn : strings.signInSubmit}
        </button>
        {onCancel && (
          <button type="button" className="link-button" onClick={onCancel}>
            {strings.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
