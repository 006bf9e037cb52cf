import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, PGlite, protocol, types, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SqlClient } from '../sql-client.ts';
import { StatementNames } from '../statement-names.ts';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;
type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

const RETURNS_ROWS = /^\s*(SELECT|WITH|VALUES|TABLE)\b|\bRETURNING\b/i;

/** The embedded database failed a query but its error message was lost on the way out. */
export class SwallowedQueryError extends Error {
  override readonly name = 'SwallowedQueryError';
  constructor(sql: string) {
    super(`the embedded database failed this query without reporting why (a PostGIS error lost inside PGlite): ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
}

interface Column {
  readonly name: string;
  readonly dataTypeID: number;
}

/** A statement parsed once on the embedded database's connection: what its calls need again. */
interface PreparedStatement {
  readonly name: string;
  readonly paramTypes: readonly number[];
  /** The columns it returns (from Describe); none for a statement that returns no rows. */
  readonly columns: readonly Column[];
}

interface Answer<Row> {
  readonly rows: Row[];
  readonly fields: readonly Column[];
}

/**
 * PostgreSQL's prepared statements on PGlite's one connection. PGlite's `query` parses, describes
 * and plans every statement afresh (six protocol messages); an intake batch runs about ten, and at
 * 100 reports/s (a batch per one or two reports) the server's one thread was ~1 core busy, four fifths
 * of it in PGlite (a CPU profile of bench:ingest). Here a text is parsed and described once under a
 * name, and each call is Bind, Execute and Sync: PostgreSQL plans it afresh for its first five calls
 * and then keeps a generic plan where that costs no more (its `plan_cache_mode`).
 */
class PreparedStatements {
  private readonly names: StatementNames;
  private readonly prepared = new Map<string, PreparedStatement>();

  /** `limit`: how many texts are prepared at most; 0 prepares none (PgliteClientOptions.planEachQuery). */
  constructor(
    private readonly db: PGlite,
    limit?: number,
  ) {
    this.names = new StatementNames(limit);
  }

  /**
   * Runs `text` on the connection as it is (in a transaction or not); undefined for a statement
   * without parameters and past the names' cap. PostgreSQL gives a statement without parameters
   * its generic plan from the first call and keeps it until something invalidates it, such as an
   * ANALYZE, and PGlite has no autovacuum to analyze a table as it grows: the last event's hash,
   * planned on an empty store, took 0.4 ms a call at 1,000 events and 9 ms at 12,000 (bench:import's
   * naive baseline). Those are planned afresh each time, as PGlite's `query` does.
   */
  async run<Row>(text: string, params: readonly unknown[], inTransaction: boolean): Promise<Answer<Row> | undefined> {
    const name = params.length === 0 ? undefined : this.names.nameOf(text);
    if (name === undefined) return undefined;
    const call = () => this.db.runExclusive(() => this.call<Row>(name, text, params));
    // Outside a transaction wait for any open one to end, as PGlite's own query does.
    const result = inTransaction ? await call() : await this.db._runExclusiveTransaction(call);
    if (!inTransaction) await this.db.syncToFs();
    return result;
  }

  private async call<Row>(name: string, text: string, params: readonly unknown[]): Promise<Answer<Row>> {
    const statement = this.prepared.get(text) ?? (await this.prepare(name, text));
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = this.db.serializers[statement.paramTypes[i]!];
      return serialize ? serialize(value) : String(value);
    });
    const messages: BackendMessage[] = [];
    try {
      messages.push(...(await this.step(protocol.serialize.bind({ statement: statement.name, values }))));
      messages.push(...(await this.step(protocol.serialize.execute({}))));
    } finally {
      messages.push(...(await this.step(protocol.serialize.sync())));
    }
    // A call that ended without CommandComplete (and without an error) lost its error inside
    // PostGIS (electric-sql/pglite#916): the caller gets an error, not "no rows".
    if (!messages.some((message) => message.name === 'commandComplete')) throw new SwallowedQueryError(text);
    return { rows: this.rowsOf<Row>(messages, statement.columns), fields: statement.columns };
  }

  /**
   * The rows of DataRow messages, each value parsed by its column's type. PGlite's parseResults
   * copies its table of type parsers for every call (with all ~330 of them, ~150 µs; 14–19 % of the
   * server's thread at 100 reports/s in CPU profiles: see pruneArrayParsers); this reads the table
   * in place.
   */
  private rowsOf<Row>(messages: readonly BackendMessage[], columns: readonly Column[]): Row[] {
    const rows: Row[] = [];
    for (const message of messages) {
      if (message.name !== 'dataRow') continue;
      const values = (message as unknown as { fields: (string | null)[] }).fields;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) row[columns[i]!.name] = types.parseType(values[i] ?? null, columns[i]!.dataTypeID, this.db.parsers);
      rows.push(row as Row);
    }
    return rows;
  }

  private async prepare(name: string, text: string): Promise<PreparedStatement> {
    try {
      await this.step(protocol.serialize.parse({ name, text }));
      const described = await this.step(protocol.serialize.describe({ type: 'S', name }));
      const description = described.find((message) => message.name === 'rowDescription') as unknown as { fields: Column[] } | undefined;
      const columns = (description?.fields ?? []).map(({ name: column, dataTypeID }) => ({ name: column, dataTypeID }));
      const statement = { name, paramTypes: parse.parseDescribeStatementResults(described), columns };
      this.prepared.set(text, statement);
      return statement;
    } catch (error) {
      // Out of the failed exchange, and the name free for the next attempt (closing a statement
      // that was never made is no error).
      await this.step(protocol.serialize.sync()).catch(() => undefined);
      await this.step(protocol.serialize.close({ type: 'S', name })).catch(() => undefined);
      await this.step(protocol.serialize.sync()).catch(() => undefined);
      throw error;
    }
  }

  private step(message: Uint8Array): Promise<BackendMessage[]> {
    return this.db.execProtocolStream(message, { syncToFs: false });
  }
}

function wrap(db: Queryable, root: PGlite | undefined, statements: PreparedStatements, releaseLock?: () => void): SqlClient {
  return {
    driver: 'pglite',
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = (await statements.run<Row>(text, params, root === undefined)) ?? (await db.query<Row>(text, params as unknown[]));
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
      return root.transaction((tx) => work(wrap(tx, undefined, statements)));
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
 * PGlite copies its table of type parsers for every statement it runs itself (BEGIN and COMMIT,
 * COPY, statements without parameters: `{...parsers}` in its parseResults), and at start it adds a
 * parser for each of PostgreSQL's ~310 array types. With ~330 entries that copy was ~135 µs a call:
 * an empty transaction's BEGIN and COMMIT took 344 µs, 72 µs with 30 entries (3,000 of each on the
 * 2-core VM), and an intake batch runs three such statements. Kept (39 entries): the base types'
 * parsers and those of arrays whose element type has one (text, integers, floats, bool, json and
 * jsonb, dates and times, bytea). An array of any other type (numeric, uuid, geometry…) comes back
 * as PostgreSQL's text of it; the store selects none.
 */
export async function pruneArrayParsers(db: PGlite): Promise<void> {
  const { rows } = await db.query<{ array_type: number; element_type: number }>("SELECT oid::int AS array_type, typelem::int AS element_type FROM pg_type WHERE typcategory = 'A' AND typelem <> 0");
  const elementOf = new Map(rows.map((r) => [r.array_type, r.element_type]));
  const parsers = db.parsers as Record<number, unknown>;
  const keep = (oid: number): boolean => {
    const element = elementOf.get(oid);
    return element === undefined || (parsers[element] !== undefined && !elementOf.has(element));
  };
  db.parsers = Object.fromEntries(Object.entries(parsers).filter(([oid]) => keep(Number(oid)))) as typeof db.parsers;
}

export interface PgliteClientOptions {
  /**
   * Plan every call of a statement afresh (nothing prepared), for command-line tools that fill a
   * table in bulk: a plan kept from when the table was tiny would scan it whole on every call once
   * it is large (see PgClientOptions.planEachQuery).
   */
  readonly planEachQuery?: boolean;
}

/**
 * Embedded PostgreSQL with PostGIS, persisted in `dataDir`. PGlite runs PostgreSQL compiled to
 * WebAssembly in this process, single-connection; it writes without fsync, so it survives a crash
 * of this process but not a power cut (use a PostgreSQL server for production).
 */
export async function openPgliteClient(dataDir: string, options: PgliteClientOptions = {}): Promise<SqlClient> {
  mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  try {
    const db = await PGlite.create({ dataDir, extensions: { postgis } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    await pruneArrayParsers(db);
    return wrap(db, db, new PreparedStatements(db, options.planEachQuery ? 0 : undefined), release);
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
