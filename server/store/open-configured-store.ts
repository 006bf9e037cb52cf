import type { Config } from '../config.ts';
import { readReferenceData } from '../reference/read-reference-data.ts';
import { ensureReferenceData } from '../services/reference-data.service.ts';
import { createStore } from './create-store.ts';
import { openPgClient } from './pg/open-pg-client.ts';
import { openPgliteClient } from './pglite/open-pglite-client.ts';
import type { SqlClient } from './sql-client.ts';
import type { Store } from './store.ts';

/** The connection under a command-line tool's store (see openConfiguredStore). */
export async function openToolSqlClient(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<SqlClient> {
  return config.databaseUrl ? openPgClient(config.databaseUrl, 3, { planEachQuery: true }) : openPgliteClient(config.dataDir, { planEachQuery: true });
}

/**
 * The store the configuration names, for a command-line tool: the PostgreSQL server at
 * DATABASE_URL (a small pool: three connections, so that an import writes two batches at once and
 * still reads), else the embedded store in DATA_DIR (refused while a server holds it); on either,
 * each statement is planned afresh (see PgClientOptions.planEachQuery). With `referenceData`, an
 * empty store is first loaded with the reference geography, catalogue and roster, as the server does
 * on its first start.
 */
export async function openConfiguredStore(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'geodataDir'>, options: { referenceData?: (line: string) => void } = {}): Promise<Store> {
  const store = await createStore(await openToolSqlClient(config));
  if (options.referenceData) {
    try {
      await ensureReferenceData(store, () => readReferenceData(config.geodataDir), options.referenceData);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
