import { useEffect, useState } from 'react';
import { useStrings } from '../app/i18n.tsx';
import type { ConnectionState } from '../live/live-connection.ts';
import { useNow } from '../state/use-now.ts';

/** After this long without a connection (or at once when the browser says it is offline), "reconnecting" becomes "offline since". */
export const OFFLINE_AFTER_MS = 8_000;

export type ConnectionDisplay = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'catching-up' | 'refused';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = (): void => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** How a connection state reads on screen, and what it says. */
export function useConnectionDisplay(state: ConnectionState | undefined): { display: ConnectionDisplay; text: string } | undefined {
  const strings = useStrings();
  const online = useOnline();
  const now = useNow(1_000, state?.kind === 'reconnecting');
  if (!state) return undefined;
  switch (state.kind) {
    case 'connecting':
      return { display: 'connecting', text: strings.connConnecting };
    case 'live':
      return { display: 'live', text: strings.connLive };
    case 'catching-up':
      return { display: 'catching-up', text: strings.connCatchingUp };
    case 'refused':
      return { display: 'refused', text: strings.connRefused(state.message) };
    case 'reconnecting':
      return !online || now - state.lostAt >= OFFLINE_AFTER_MS
        ? { display: 'offline', text: strings.connOfflineSince(strings.time(state.lostAt)) }
        : { display: 'reconnecting', text: strings.connReconnecting(state.attempt) };
  }
}

/** The live connection's state, always visible: connected, reconnecting, catching up, offline since HH:MM. */
export function ConnectionBadge({ state, className = '' }: { readonly state: ConnectionState | undefined; readonly className?: string }) {
  const strings = useStrings();
  const shown = useConnectionDisplay(state);
  if (!shown) return null;
  return (
    <div className={`connection connection--${shown.display} ${className}`} data-testid="connection" data-state={shown.display} role="status" aria-live="polite" aria-label={`${strings.connectionLabel}: ${shown.text}`}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__text">{shown.text}</span>
    </div>
  );
}
