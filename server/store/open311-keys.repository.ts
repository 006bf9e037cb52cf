import type { SqlClient } from './sql-client.ts';

/** An Open311 API key as listed: never its hash. */
export interface Open311ApiKey {
  readonly id: string;
  /** Who holds it ("City app"). */
  readonly name: string;
  readonly createdAt: Date;
  readonly disabled: boolean;
}

export interface NewOpen311ApiKeyRow {
  readonly id: string;
  readonly name: string;
  /** SHA-256 (hex) of the key. */
  readonly keyHash: string;
  readonly createdAt: Date;
}

export interface Open311KeysRepository {
  create(row: NewOpen311ApiKeyRow): Promise<void>;
  /** The key with this hash, disabled or not. */
  byHash(keyHash: string): Promise<Open311ApiKey | undefined>;
  /** Every key, oldest first. */
  list(): Promise<Open311ApiKey[]>;
  /** False when there is no such key. */
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
}

interface KeyRow {
  id: string;
  name: string;
  created_at: Date;
  disabled: boolean;
}

const toKey = (r: KeyRow): Open311ApiKey => ({ id: r.id, name: r.name, createdAt: r.created_at, disabled: r.disabled });

export function createOpen311KeysRepository(sql: SqlClient): Open311KeysRepository {
  return {
    async create(row) {
      const inserted = await sql.query('INSERT INTO open311_api_keys (id, name, key_hash, created_at) VALUES ($1, $2, $3, $4::timestamptz) RETURNING 1', [
        row.id,
        row.name,
        row.keyHash,
        row.createdAt.toISOString(),
      ]);
      if (inserted.length !== 1) throw new Error(`Open311 key ${row.id} was not stored`);
    },

    async byHash(keyHash) {
      const rows = await sql.query<KeyRow>('SELECT id, name, created_at, disabled FROM open311_api_keys WHERE key_hash = $1', [keyHash]);
      return rows[0] ? toKey(rows[0]) : undefined;
    },

    async list() {
      return (await sql.query<KeyRow>('SELECT id, name, created_at, disabled FROM open311_api_keys ORDER BY created_at, id')).map(toKey);
    },

    async setDisabled(id, disabled) {
      return (await sql.query('UPDATE open311_api_keys SET disabled = $2 WHERE id = $1 RETURNING 1', [id, disabled])).length === 1;
    },
  };
}
