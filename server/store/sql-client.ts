/**
 * The one seam between the store's SQL and a database driver. Both drivers (embedded PGlite and a
 * PostgreSQL server through `pg`) return rows with the same JS types: int8 as number, bytea as
 * Uint8Array, json/jsonb parsed, timestamptz as Date.
 */
export interface SqlClient {
  readonly driver: 'pglite' | 'pg';
  /** One statement (the PostgreSQL driver prepares each text once per connection and reuses its plan). */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements, without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Bulk-loads rows with COPY … FROM in text format (the fastest way into a table: no SQL per row):
   * `lines` is one line per row ending in a line break, fields split by tabs, `\N` for NULL, and
   * backslash, tab and line breaks inside a field escaped (copy-text.ts writes such lines).
   * Returns the number of rows loaded.
   */
  copyRows(table: string, columns: readonly string[], lines: string): Promise<number>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The database could not be reached or refused service: intake answers 503, not 500. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
