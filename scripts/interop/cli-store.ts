/**
 * The store a bulk command-line tool works on (server/store/open-configured-store.ts): the
 * PostgreSQL server at DATABASE_URL, else the embedded store in DATA_DIR (stop a server using it
 * first: one process per data folder); an empty store first gets the reference data, as the server's
 * first start would, since the tools route and categorise against it.
 */
import { readConfig, type Config } from '../../server/config.ts';
import { openConfiguredStore } from '../../server/store/open-configured-store.ts';
import type { Store } from '../../server/store/store.ts';

export async function openCliStore(): Promise<{ config: Config; store: Store }> {
  const config = readConfig();
  const store = await openConfiguredStore(config, { referenceData: (line) => console.error(line) });
  return { config, store };
}

/** A duration for people: 0.4 s, 12.3 s, 2 min 05 s. */
export function seconds(s: number): string {
  return s < 120 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}
