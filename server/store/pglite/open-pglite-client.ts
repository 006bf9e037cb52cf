import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SqlClient } from '../sql-client.ts';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(db: Queryable, root: PGlite | undefined): SqlClient {
  return {
    driver: 'pglite',
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(text, params as unknown[]);
      return result.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (!root) throw new Error('nested transactions are not supported');
      return root.transaction((tx) => work(wrap(tx, undefined)));
    },
    async close() {
      if (root) await root.close();
    },
  };
}

/**
 * Embedded PostgreSQL with PostGIS, persisted in `dataDir`. PGlite runs PostgreSQL compiled to
 * WebAssembly in this process, single-connection; it writes without fsync, so it survives a crash
 * of this process but not a power cut (use a PostgreSQL server for production).
 */
export async function openPgliteClient(dataDir: string): Promise<SqlClient> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { postgis } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  return wrap(db, db);
}
