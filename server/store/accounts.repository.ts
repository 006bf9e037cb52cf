import type { Role } from '../../core/access/actor.ts';
import type { SqlClient } from './sql-client.ts';

/** An account as listed: never its password hash. */
export interface Account {
  readonly id: string;
  /** Lower-cased. */
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly personId: string | null;
  readonly streetCode: string | null;
  readonly departmentCode: string | null;
  readonly disabled: boolean;
  readonly createdAt: Date;
}

/** An account with its password hash, for checking a sign-in; never leaves the auth service. */
export interface AccountWithPassword extends Account {
  readonly passwordHash: string;
}

export interface NewAccountRow {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly personId: string | null;
  readonly streetCode: string | null;
  readonly departmentCode: string | null;
  readonly passwordHash: string;
  readonly createdAt: Date;
}

export interface NewSessionRow {
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  readonly accountId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface LiveSession {
  readonly tokenHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly account: Account;
}

/** A roster person, as an account refers to one. */
export interface RosterPersonRef {
  readonly id: string;
  readonly name: string;
  readonly departmentCode: string;
  readonly streetCode: string;
}

export interface AccountsRepository {
  /** Stores a new account; false when the username is taken (nothing stored). */
  create(row: NewAccountRow): Promise<boolean>;
  /** `username` as stored (lower-cased). */
  byUsername(username: string): Promise<AccountWithPassword | undefined>;
  byId(id: string): Promise<AccountWithPassword | undefined>;
  /** Every account, by username. */
  list(): Promise<Account[]>;
  /** False when there is no such account. */
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  createSession(row: NewSessionRow): Promise<void>;
  /** The session of a token hash with its account, if it has not expired at `now` and the account is not disabled. */
  liveSession(tokenHash: string, now: Date): Promise<LiveSession | undefined>;
  /** Which of these token hashes are of live sessions at `now` (as liveSession), in one query. */
  liveSessionHashes(tokenHashes: readonly string[], now: Date): Promise<Set<string>>;
  /** False when there was no such session. */
  deleteSession(tokenHash: string): Promise<boolean>;
  /** Ends every session of an account (after a password reset or when it is disabled); how many. */
  deleteSessionsOf(accountId: string): Promise<number>;
  /** Removes sessions that expired before `now`; how many. */
  deleteExpiredSessions(now: Date): Promise<number>;
  /** The grids a roster person serves, from the roster's assignments, by code. */
  gridCodesOf(personId: string): Promise<string[]>;
  /** For validating an account's scope: a roster person, a street/town's name, a department. */
  person(id: string): Promise<RosterPersonRef | undefined>;
  streetName(code: string): Promise<string | undefined>;
  departmentExists(code: string): Promise<boolean>;
  /** The first roster person (by id) of a street (null: any), of a department if given, who serves at least one grid. */
  firstPersonOf(streetCode: string | null, departmentCode?: string): Promise<RosterPersonRef | undefined>;
}

const ACCOUNT_COLUMNS = 'a.id, a.username, a.display_name, a.role, a.person_id, a.street_code, a.department_code, a.disabled, a.created_at';

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  person_id: string | null;
  street_code: string | null;
  department_code: string | null;
  disabled: boolean;
  created_at: Date;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    personId: r.person_id,
    streetCode: r.street_code,
    departmentCode: r.department_code,
    disabled: r.disabled,
    createdAt: r.created_at,
  };
}

export function createAccountsRepository(sql: SqlClient): AccountsRepository {
  const withPassword = async (where: string, value: string): Promise<AccountWithPassword | undefined> => {
    const rows = await sql.query<AccountRow & { password_hash: string }>(`SELECT ${ACCOUNT_COLUMNS}, a.password_hash FROM accounts a WHERE ${where} = $1`, [value]);
    const r = rows[0];
    return r ? { ...toAccount(r), passwordHash: r.password_hash } : undefined;
  };

  return {
    async create(row) {
      const inserted = await sql.query(
        `INSERT INTO accounts (id, username, display_name, role, person_id, street_code, department_code, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)
         ON CONFLICT (username) DO NOTHING RETURNING 1`,
        [row.id, row.username, row.displayName, row.role, row.personId, row.streetCode, row.departmentCode, row.passwordHash, row.createdAt.toISOString()],
      );
      if (inserted.length === 1) return true;
      // Nothing written: the username is taken, or (embedded store) an error was lost on the way.
      const [taken] = await sql.query('SELECT 1 FROM accounts WHERE username = $1', [row.username]);
      if (taken) return false;
      throw new Error(`account ${row.username} was not stored`);
    },

    byUsername: (username) => withPassword('a.username', username),

    byId: (id) => withPassword('a.id', id),

    async list() {
      return (await sql.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.username`)).map(toAccount);
    },

    async setDisabled(id, disabled) {
      return (await sql.query('UPDATE accounts SET disabled = $2 WHERE id = $1 RETURNING 1', [id, disabled])).length === 1;
    },

    async setPasswordHash(id, passwordHash) {
      return (await sql.query('UPDATE accounts SET password_hash = $2 WHERE id = $1 RETURNING 1', [id, passwordHash])).length === 1;
    },

    async createSession(row) {
      const inserted = await sql.query(
        'INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3::timestamptz, $4::timestamptz) RETURNING 1',
        [row.tokenHash, row.accountId, row.createdAt.toISOString(), row.expiresAt.toISOString()],
      );
      if (inserted.length !== 1) throw new Error('session was not stored');
    },

    async liveSession(tokenHash, now) {
      const rows = await sql.query<AccountRow & { token_hash: string; session_created_at: Date; expires_at: Date }>(
        `SELECT s.token_hash, s.created_at AS session_created_at, s.expires_at, ${ACCOUNT_COLUMNS}
         FROM sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.token_hash = $1 AND s.expires_at > $2::timestamptz AND NOT a.disabled`,
        [tokenHash, now.toISOString()],
      );
      const r = rows[0];
      return r ? { tokenHash: r.token_hash, createdAt: r.session_created_at, expiresAt: r.expires_at, account: toAccount(r) } : undefined;
    },

    async liveSessionHashes(tokenHashes, now) {
      if (tokenHashes.length === 0) return new Set();
      const rows = await sql.query<{ token_hash: string }>(
        `SELECT s.token_hash FROM sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.token_hash = ANY($1::text[]) AND s.expires_at > $2::timestamptz AND NOT a.disabled`,
        [tokenHashes, now.toISOString()],
      );
      return new Set(rows.map((r) => r.token_hash));
    },

    async deleteSession(tokenHash) {
      return (await sql.query('DELETE FROM sessions WHERE token_hash = $1 RETURNING 1', [tokenHash])).length === 1;
    },

    async deleteSessionsOf(accountId) {
      return (await sql.query('DELETE FROM sessions WHERE account_id = $1 RETURNING 1', [accountId])).length;
    },

    async deleteExpiredSessions(now) {
      return (await sql.query('DELETE FROM sessions WHERE expires_at <= $1::timestamptz RETURNING 1', [now.toISOString()])).length;
    },

    async gridCodesOf(personId) {
      return (await sql.query<{ grid_code: string }>('SELECT grid_code FROM assignments WHERE person_id = $1 ORDER BY grid_code', [personId])).map((r) => r.grid_code);
    },

    async person(id) {
      const rows = await sql.query<{ id: string; name: string; department_code: string; street_code: string }>(
        'SELECT id, name, department_code, street_code FROM personnel WHERE id = $1 AND on_roster',
        [id],
      );
      const r = rows[0];
      return r ? { id: r.id, name: r.name, departmentCode: r.department_code, streetCode: r.street_code } : undefined;
    },

    async streetName(code) {
      return (await sql.query<{ name: string }>('SELECT name FROM streets WHERE code = $1', [code]))[0]?.name;
    },

    async departmentExists(code) {
      return (await sql.query('SELECT 1 FROM departments WHERE code = $1', [code])).length === 1;
    },

    async firstPersonOf(streetCode, departmentCode) {
      const rows = await sql.query<{ id: string; name: string; department_code: string; street_code: string }>(
        `SELECT p.id, p.name, p.department_code, p.street_code FROM personnel p
         WHERE ($1::text IS NULL OR p.street_code = $1) AND ($2::text IS NULL OR p.department_code = $2)
           AND EXISTS (SELECT 1 FROM assignments x WHERE x.person_id = p.id)
         ORDER BY p.id LIMIT 1`,
        [streetCode, departmentCode ?? null],
      );
      const r = rows[0];
      return r ? { id: r.id, name: r.name, departmentCode: r.department_code, streetCode: r.street_code } : undefined;
    },
  };
}
