import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SqlClient } from '../sql-client.ts';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

const RETURNS_ROWS = /^\s*(SELECT|WITH|VALUES|TABLE)\b|\bRETURNING\b/i;

/** The embedded database failed a query but its error message was lost on the way out. */
export class SwallowedQueryError extends Error {
  override readonly name = 'SwallowedQueryError';
  constructor(sql: string) {
    super(`the embedded database failed this query without reporting why (a PostGIS error lost inside PGlite): ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
}

function wrap(db: Queryable, root: PGlite | undefined, releaseLock?: () => void): SqlClient {
  return {
    driver: 'pglite',
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(text, params as unknown[]);
      // A statement that returns rows always describes its columns, even with no rows. PGlite
      // sometimes loses an error raised inside PostGIS/GEOS and answers with neither columns nor
      // rows (electric-sql/pglite#916): turn that into the error it was, never into "no rows".
      if (result.fields.length === 0 && RETURNS_ROWS.test(text)) throw new SwallowedQueryError(text);
      // PGlite runs queued queries back to back on this thread: let timers, sockets and heartbeats
      // in between, or a backlog of queries freezes the whole server.
      await new Promise((resolve) => setImmediate(resolve));
      return result.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async copyRows(table, columns, lines) {
      if (![table, ...columns].every((id) => /^[a-z_][a-z0-9_]*$/.test(id))) throw new Error(`not plain identifiers: ${[table, ...columns].join(', ')}`);
      // PGlite has no STDIN: COPY reads the rows from a blob handed over with the query.
      const result = await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([lines]) });
      await new Promise((resolve) => setImmediate(resolve));
      return result.affectedRows ?? 0;
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (!root) throw new Error('nested transactions are not supported');
      return root.transaction((tx) => work(wrap(tx, undefined)));
    },
    async close() {
      if (root) {
        await root.close();
        releaseLock?.();
      }
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
  const release = lockDataDir(dataDir);
  try {
    const db = await PGlite.create({ dataDir, extensions: { postgis } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    return wrap(db, db, release);
  } catch (error) {
    release();
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process at a time may open an embedded store: two PGlite instances writing one folder would
 * corrupt it. A lock file holds the owner's pid; a lock left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, 'grid-command.lock');
  let owner = NaN;
  try {
    owner = Number(readFileSync(lockFile, 'utf8'));
  } catch {
    // no lock yet
  }
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    throw new Error(`the embedded store in ${dataDir} is in use by process ${owner} (a running server?); stop it first, or use a PostgreSQL server (DATABASE_URL)`);
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}
