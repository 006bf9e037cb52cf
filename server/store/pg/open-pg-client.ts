import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StoreUnavailableError, type SqlClient } from '../sql-client.ts';
import { StatementNames } from '../statement-names.ts';

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;
// int4[]'s parser (parseInt on each element) reads int8[] as numbers too.
const int8ArrayOf = pg.types.getTypeParser(1007 as Parameters<typeof pg.types.getTypeParser>[0]) as (value: string) => number[];
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // Counts and identities fit in a double; both drivers then agree on numbers, in arrays too.
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    if (oid === INT8_ARRAY_OID && format !== 'binary') return int8ArrayOf;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Connection-level failures (refused, reset, shutting down) mean "try again later", not a bug. */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300'].includes(code) || code.startsWith('08')) return true;
  // node-postgres reports a connection lost mid-query, or a pool that cannot connect, by message only.
  return /connection terminated|connection timeout|timeout exceeded when trying to connect|client has encountered a connection error|not queryable/i.test((error as Error).message ?? '');
}

function translate(error: unknown): unknown {
  return isUnavailable(error) ? new StoreUnavailableError(`database unavailable: ${(error as Error).message}`, { cause: error }) : error;
}

/** Runs one statement on a pool or a client, turning connection failures into StoreUnavailableError. */
async function run<Row>(on: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[], names: StatementNames): Promise<Row[]> {
  const name = names.nameOf(text);
  try {
    return (await on.query(name === undefined ? { text, values: params as unknown[] } : { name, text, values: params as unknown[] })).rows as Row[];
  } catch (error) {
    throw translate(error);
  }
}

/** Runs a script of several statements (no parameters, not named: the simple protocol). */
async function runScript(on: pg.Pool | pg.PoolClient, script: string): Promise<void> {
  try {
    await on.query(script);
  } catch (error) {
    throw translate(error);
  }
}

function copyStatement(table: string, columns: readonly string[]): string {
  const name = (id: string): string => {
    if (!/^[a-z_][a-z0-9_]*$/.test(id)) throw new Error(`not a plain identifier: ${id}`);
    return id;
  };
  return `COPY ${name(table)} (${columns.map(name).join(', ')}) FROM STDIN`;
}

async function copyOn(client: pg.PoolClient, table: string, columns: readonly string[], lines: string): Promise<number> {
  const stream = client.query(copyFrom(copyStatement(table, columns)));
  try {
    // In pieces of ~1 MB: one write of a 50 MB string would be copied whole into one buffer.
    await pipeline(Readable.from(chunks(lines, 1 << 20)), stream);
  } catch (error) {
    throw translate(error);
  }
  return stream.rowCount ?? 0;
}

function* chunks(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function wrapClient(client: pg.PoolClient, names: StatementNames): SqlClient {
  return {
    driver: 'pg',
    query: <Row>(text: string, params: readonly unknown[] = []) => run<Row>(client, text, params, names),
    exec: (script: string) => runScript(client, script),
    copyRows: (table, columns, lines) => copyOn(client, table, columns, lines),
    transaction() {
      throw new Error('nested transactions are not supported');
    },
    async close() {},
  };
}

export interface PgClientOptions {
  /**
   * Plan every statement for its parameters and the tables as they are now, never from a plan cached
   * when they were smaller: for bulk tools, whose few big statements run while a table grows from a
   * handful of rows to a million. A plan made when `cases` held one analysed row scans the whole
   * table for every batch's report ids (an import of 200,000 cases into such a store spent 97 s of
   * its first 120 in that one statement). The statements are simply not prepared (unnamed, planned
   * at each call). Not `plan_cache_mode = force_custom_plan` for the session, which did the same
   * but also re-planned PostgreSQL's own foreign-key checks for every row inserted (the embedded
   * store's row-by-row import: 362 → 525 µs per case).
   */
  readonly planEachQuery?: boolean;
}

/** A PostgreSQL server with PostGIS, through a small pool. */
export async function openPgClient(connectionString: string, poolSize = 10, options: PgClientOptions = {}): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString, max: poolSize, types, connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const names = new StatementNames(options.planEachQuery ? 0 : undefined);
  const client: SqlClient = {
    driver: 'pg',
    query: <Row>(text: string, params: readonly unknown[] = []) => run<Row>(pool, text, params, names),
    exec: (script: string) => runScript(pool, script),
    // Outside a transaction a COPY gets one of its own: the same connection handling, and all or nothing.
    copyRows: (table, columns, lines) => client.transaction((tx) => tx.copyRows(table, columns, lines)),
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      let connection: pg.PoolClient;
      try {
        connection = await pool.connect();
      } catch (error) {
        throw translate(error);
      }
      // A connection lost between two of the transaction's queries is reported as an 'error' event on
      // the checked-out client (the pool listens only to idle ones): without a listener it would crash
      // the process. The next query fails, the transaction throws, and the broken client is discarded.
      let lost: Error | undefined;
      const onError = (error: Error): void => {
        lost = error;
      };
      connection.on('error', onError);
      try {
        await connection.query('BEGIN');
        const result = await work(wrapClient(connection, names));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        throw translate(error);
      } finally {
        connection.off('error', onError);
        connection.release(lost);
      }
    },
    async close() {
      await pool.end();
    },
  };
  const [{ installed } = { installed: false }] = await client.query<{ installed: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') AS installed",
  );
  if (!installed) {
    try {
      await client.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    } catch (error) {
      await client.close();
      throw new Error(`PostGIS is not installed in this database and could not be created (${(error as Error).message}); run CREATE EXTENSION postgis as a superuser`, { cause: error });
    }
  }
  return client;
}
