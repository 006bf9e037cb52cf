import { readdirSync, readFileSync } from 'node:fs';
import type { SqlClient } from './sql-client.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Files named NNN-name.sql, applied in order, each once; never edited after release. */
export function listMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8') }));
}

/**
 * Brings the schema forward. Each migration runs in its own transaction under an advisory lock,
 * so two servers starting together against one database apply it once. A database newer than this
 * code (a version we do not know) is refused rather than guessed at: migrations only go forward.
 */
export async function migrate(sql: SqlClient): Promise<number[]> {
  await sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const migrations = listMigrations();
  const known = new Set(migrations.map((m) => m.version));
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7201508)');
      const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
      const unknown = rows.map((r) => r.version).filter((v) => !known.has(v));
      if (unknown.length > 0) throw new Error(`database schema has migrations ${unknown.join(', ')} that this version does not know; upgrade the server`);
      if (rows.some((r) => r.version === migration.version)) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
