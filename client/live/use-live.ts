import { useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '../../core/protocol/live-wire.ts';
import { CaseStore } from './case-store.ts';
import type { CasePalette } from './case-style.ts';
import { type ConnectionState, LiveConnection } from './live-connection.ts';
import { LiveStats } from './live-stats.ts';

export type EventsListener = (events: readonly LiveEvent[]) => void;

/** One watched area while the page shows it: the cases, the counters, and how the connection stands. */
export interface LiveSession {
  readonly area: string;
  readonly store: CaseStore;
  readonly stats: LiveStats;
  /** Called after the store and the counters took the events in. */
  readonly onEvents: (listener: EventsListener) => () => void;
}

const PROTOCOL_RELOAD_KEY = 'grid-command:protocol-reload';
/** At most one reload a minute: a page that still gets the old code (a cache in between) stays, saying why, instead of reloading in a loop. */
const PROTOCOL_RELOAD_EVERY_MS = 60_000;

/**
 * The server was upgraded under this page (a wall display runs for weeks): load the page again to
 * get the code that reads the server's live wire.
 */
function reloadForNewProtocol(): void {
  const last = Number(window.sessionStorage.getItem(PROTOCOL_RELOAD_KEY) ?? 0);
  if (Date.now() - last < PROTOCOL_RELOAD_EVERY_MS) return;
  window.sessionStorage.setItem(PROTOCOL_RELOAD_KEY, String(Date.now()));
  window.location.reload();
}

/**
 * Opens the live connection for `area` (none while it is undefined) and closes it when the area,
 * the palette or the component goes. `onSessionEnded` asks the server whether the session is still
 * live: if it is, the connection starts afresh; if not, the app signs out and this area goes away.
 */
export function useLiveSession(
  area: string | undefined,
  palette: CasePalette,
  onSessionEnded: () => Promise<boolean>,
): { live: LiveSession | undefined; connection: ConnectionState | undefined } {
  const [live, setLive] = useState<LiveSession>();
  const [connection, setConnection] = useState<ConnectionState>();
  const ended = useRef(onSessionEnded);
  useEffect(() => {
    ended.current = onSessionEnded;
  });

  useEffect(() => {
    if (area === undefined) {
      setLive(undefined);
      setConnection(undefined);
      return;
    }
    const store = new CaseStore(palette);
    const stats = new LiveStats(Date.now());
    const listeners = new Set<EventsListener>();
    const link: LiveConnection = new LiveConnection({
      area,
      handlers: {
        onState: setConnection,
        onReset(cases) {
          store.reset(cases);
          stats.reset(store, Date.now());
        },
        onEvents(events) {
          const now = Date.now();
          store.apply(events, true, now);
          stats.apply(events, now);
          for (const listener of listeners) listener(events);
        },
        onSessionEnded() {
          void ended.current().then((stillLive) => {
            if (stillLive) link.resume();
          });
        },
        onProtocolChanged: reloadForNewProtocol,
      },
    });
    setLive({
      area,
      store,
      stats,
      onEvents(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    setConnection(link.current);
    window.__gridCommandLive = { store, stats, feed: link.feed };
    return () => {
      link.close();
      listeners.clear();
      if (window.__gridCommandLive?.store === store) delete window.__gridCommandLive;
    };
  }, [area, palette]);

  return { live, connection };
}

declare global {
  interface Window {
    /** The live cases, for end-to-end tests and the console. */
    __gridCommandLive?: { readonly store: CaseStore; readonly stats: LiveStats; readonly feed: LiveConnection['feed'] };
  }
}

/** The store's version, at most every `intervalMs`: what React needs to redraw tiles and panels. */
export function useStoreVersion(store: CaseStore | undefined, intervalMs: number): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!store) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const flush = (): void => {
      timer = undefined;
      last = Date.now();
      setVersion(store.version);
    };
    const unsubscribe = store.subscribe(() => {
      if (timer !== undefined) return;
      timer = setTimeout(flush, Math.max(0, last + intervalMs - Date.now()));
    });
    flush();
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [store, intervalMs]);
  return version;
}
