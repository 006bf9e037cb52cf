import { createHash, randomBytes } from 'node:crypto';
import { isRole, ROLES, type Actor, type Role } from '../../core/access/actor.ts';
import { systemClock, type Clock } from '../../core/time/clock.ts';
import { createFailureLimiter, type FailureLimiterOptions } from '../auth/failure-limiter.ts';
import { hashPassword, verifyPassword } from '../auth/password-hash.ts';
import type { Account } from '../store/accounts.repository.ts';
import type { Store } from '../store/store.ts';

/** Sessions last this long from sign-in (a shift and a half); signing in again starts a new one. */
export const SESSION_HOURS = 12;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;
/** 2–64 characters: lower-case letters, digits, `. _ @ -`, starting with a letter or a digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const WRONG_CREDENTIALS_MESSAGE = 'wrong username or password';

export type SignInResult = SignedIn | SignInRefusal;

export interface SignedIn {
  readonly ok: true;
  /** 32 random bytes, base64url; only its SHA-256 is stored. */
  readonly token: string;
  readonly actor: Actor;
  readonly expiresAt: Date;
}

export interface SignInRefusal {
  readonly ok: false;
  readonly status: 401 | 429;
  readonly code: 'wrong_credentials' | 'account_disabled' | 'too_many_attempts';
  readonly message: string;
  /** With 429: seconds until another attempt is considered. */
  readonly retryAfterSeconds?: number;
}

export interface NewAccountInput {
  readonly username: string;
  readonly displayName: string;
  /** One of ROLES; anything else is refused. */
  readonly role: string;
  readonly personId?: string | null | undefined;
  readonly streetCode?: string | null | undefined;
  readonly departmentCode?: string | null | undefined;
  readonly password: string;
}

/** An account could not be created or changed; the message says why (never quoting the password). */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: 'invalid_account' | 'duplicate_username' | 'no_such_account',
    message: string,
  ) {
    super(message);
  }
}

export interface AuthService {
  /** Checks the password (and the lock-out), and opens a session. Never throws for bad credentials. */
  signIn(username: string, password: string, clientIp: string): Promise<SignInResult>;
  /** The actor of a live session, or undefined (unknown, expired, signed out, or account disabled). */
  authenticate(token: string | undefined): Promise<Actor | undefined>;
  /** Which of these tokens still have a live session (as authenticate would find), in one read of the store. */
  liveTokens(tokens: readonly string[]): Promise<Set<string>>;
  /** Ends the session of this token (nothing happens for an unknown token). */
  signOut(token: string): Promise<void>;
  createAccount(input: NewAccountInput): Promise<Account>;
  listAccounts(): Promise<Account[]>;
  /** Disabling also ends the account's sessions. */
  setDisabled(username: string, disabled: boolean): Promise<Account>;
  /** Sets a new password and ends the account's sessions. */
  resetPassword(username: string, password: string): Promise<Account>;
}

export interface AuthDependencies {
  readonly store: Pick<Store, 'accounts'>;
  readonly clock?: Clock;
  /** Operational lines (lock-outs); never a password. */
  readonly log?: (message: string) => void;
  readonly limits?: Partial<Omit<FailureLimiterOptions, 'maxKeys'>>;
}

/** A strong random password for a new account or a reset: 18 random bytes, base64url (24 characters). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const isBlank = (value: string | null | undefined): value is null | undefined | '' => value === undefined || value === null || value.trim() === '';

/** Roles that act for the whole district: a street/town would mean nothing. */
const DISTRICT_WIDE: readonly Role[] = ['district-dispatcher', 'verifier', 'analyst', 'admin'];

export function createAuthService(deps: AuthDependencies): AuthService {
  const accounts = deps.store.accounts;
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? (() => {});
  const limiter = createFailureLimiter(deps.limits);
  // An unknown username is checked against this, so that it costs what a wrong password costs.
  let dummyHash: Promise<string> | undefined;
  let lastSweep = 0;

  const actorOf = async (account: Account): Promise<Actor> => ({
    accountId: account.id,
    role: account.role,
    name: account.displayName,
    personId: account.personId,
    streetCode: account.streetCode,
    departmentCode: account.departmentCode,
    gridCodes: account.personId ? await accounts.gridCodesOf(account.personId) : [],
  });

  const checkPassword = (password: unknown): string => {
    if (typeof password !== 'string') throw new AccountError('invalid_account', 'the password must be a string');
    const length = [...password].length;
    if (length < MIN_PASSWORD_LENGTH) throw new AccountError('invalid_account', `the password is too short: at least ${MIN_PASSWORD_LENGTH} characters`);
    if (length > MAX_PASSWORD_LENGTH) throw new AccountError('invalid_account', `the password is too long: at most ${MAX_PASSWORD_LENGTH} characters`);
    return password;
  };

  const existing = async (username: string): Promise<Account & { passwordHash: string }> => {
    const account = await accounts.byUsername(normalizeUsername(username));
    if (!account) throw new AccountError('no_such_account', `no account "${normalizeUsername(username).slice(0, 64)}"`);
    return account;
  };

  const withoutHash = ({ passwordHash: _, ...account }: Account & { passwordHash: string }): Account => account;

  const sweepSessions = async (now: Date): Promise<void> => {
    if (now.getTime() - lastSweep < 3_600_000) return;
    lastSweep = now.getTime();
    try {
      await accounts.deleteExpiredSessions(now);
    } catch (error) {
      log(`removing expired sessions failed: ${(error as Error).message}`);
    }
  };

  return {
    async signIn(username, password, clientIp) {
      const now = clock.now();
      const at = now.getTime();
      const name = normalizeUsername(username).slice(0, 256);
      const userKey = `user:${name}`;
      const ipKey = `ip:${clientIp}`;
      // Everything up to the provisional failures below runs before the first await, so parallel
      // guesses each see the ones before them: a burst cannot outrun the lock.
      const locked = [userKey, ipKey].filter((key) => limiter.retryAfter(key, at) > 0);
      if (locked.length > 0) {
        for (const key of locked) limiter.fail(key, at);
        const retryAfterSeconds = Math.max(...locked.map((key) => limiter.retryAfter(key, at)));
        return {
          ok: false,
          status: 429,
          code: 'too_many_attempts',
          message: `too many failed sign-ins; try again in ${retryAfterSeconds} s`,
          retryAfterSeconds,
        };
      }
      // Counted as failures while the password is checked; taken back if it is right.
      const lockedUser = limiter.fail(userKey, at);
      const lockedIp = limiter.fail(ipKey, at);

      let account: Awaited<ReturnType<typeof accounts.byUsername>>;
      let right: boolean;
      try {
        account = USERNAME_PATTERN.test(name) ? await accounts.byUsername(name) : undefined;
        dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
        right = await verifyPassword(password, account ? account.passwordHash : await dummyHash);
      } catch (error) {
        // The store failed (503), not the user: this attempt is not held against them.
        limiter.undo(userKey, at);
        limiter.undo(ipKey, at);
        throw error;
      }
      if (!account || !right) {
        if (lockedUser) log(`sign-in locked for ${account ? `account "${account.username}"` : 'an unknown username'} after repeated failures (latest from ${clientIp})`);
        if (lockedIp) log(`sign-in locked for client ${clientIp} after repeated failures`);
        return { ok: false, status: 401, code: 'wrong_credentials', message: WRONG_CREDENTIALS_MESSAGE };
      }
      limiter.clear(userKey);
      limiter.undo(ipKey, at);
      if (account.disabled) return { ok: false, status: 401, code: 'account_disabled', message: 'this account is disabled; ask an administrator' };

      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(at + SESSION_HOURS * 3_600_000);
      await accounts.createSession({ tokenHash: sha256(token), accountId: account.id, createdAt: now, expiresAt });
      await sweepSessions(now);
      return { ok: true, token, actor: await actorOf(account), expiresAt };
    },

    async authenticate(token) {
      if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
      const session = await accounts.liveSession(sha256(token), clock.now());
      return session ? actorOf(session.account) : undefined;
    },

    async liveTokens(tokens) {
      const hashOf = new Map(tokens.filter((t) => TOKEN_PATTERN.test(t)).map((t) => [t, sha256(t)]));
      const live = await accounts.liveSessionHashes([...new Set(hashOf.values())], clock.now());
      return new Set([...hashOf].filter(([, hash]) => live.has(hash)).map(([token]) => token));
    },

    async signOut(token) {
      if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return;
      await accounts.deleteSession(sha256(token));
    },

    async createAccount(input) {
      const problem = (message: string): AccountError => new AccountError('invalid_account', message);
      if (typeof input.username !== 'string' || !USERNAME_PATTERN.test(normalizeUsername(input.username))) {
        throw problem('the username must be 2–64 characters: letters, digits, ". _ @ -", starting with a letter or a digit');
      }
      const username = normalizeUsername(input.username);
      const displayName = typeof input.displayName === 'string' ? input.displayName.trim() : '';
      if (displayName.length === 0 || displayName.length > 100) throw problem('the display name must be 1–100 characters');
      if (!isRole(input.role)) throw problem(`unknown role "${String(input.role).slice(0, 40)}": one of ${ROLES.join(', ')}`);
      const role = input.role;
      const password = checkPassword(input.password);

      let personId: string | null = null;
      let streetCode = isBlank(input.streetCode) ? null : input.streetCode.trim();
      let departmentCode = isBlank(input.departmentCode) ? null : input.departmentCode.trim();
      if (!isBlank(input.personId)) {
        const person = await accounts.person(input.personId.trim());
        if (!person) throw problem(`no roster person "${input.personId.trim().slice(0, 40)}"`);
        personId = person.id;
        if (role === 'grid-worker' || role === 'department-staff') {
          // A person's scope is theirs on the roster: given, it must agree; left out, it is taken from there.
          if (streetCode !== null && streetCode !== person.streetCode) throw problem(`person ${person.id} serves street/town ${person.streetCode}, not ${streetCode}`);
          streetCode = person.streetCode;
          if (departmentCode !== null && departmentCode !== person.departmentCode) throw problem(`person ${person.id} is in department ${person.departmentCode}, not ${departmentCode}`);
          if (role === 'department-staff') departmentCode = person.departmentCode;
        }
      }
      if (role === 'street-dispatcher' && streetCode === null) throw problem('a street-dispatcher needs the 9-digit code of their street/town');
      if (DISTRICT_WIDE.includes(role) && streetCode !== null) throw problem(`a ${role} acts for the whole district: no street/town`);
      if (streetCode !== null && (!/^[0-9]{9}$/.test(streetCode) || (await accounts.streetName(streetCode)) === undefined)) {
        throw problem(`"${streetCode.slice(0, 20)}" is not the code of a street/town of this district`);
      }
      if (role === 'department-staff' && departmentCode === null) throw problem('a department-staff account needs a department (or a roster person of one)');
      if (departmentCode !== null && !(await accounts.departmentExists(departmentCode))) throw problem(`unknown department "${departmentCode.slice(0, 40)}"`);

      if (await accounts.byUsername(username)) throw new AccountError('duplicate_username', `the username "${username}" is taken`);
      const row = {
        id: `acc-${randomBytes(9).toString('base64url')}`,
        username,
        displayName,
        role,
        personId,
        streetCode,
        departmentCode,
        passwordHash: await hashPassword(password),
        createdAt: clock.now(),
      };
      if (!(await accounts.create(row))) throw new AccountError('duplicate_username', `the username "${username}" is taken`);
      const { passwordHash: _, ...account } = row;
      return { ...account, disabled: false };
    },

    listAccounts: () => accounts.list(),

    async setDisabled(username, disabled) {
      const account = await existing(username);
      await accounts.setDisabled(account.id, disabled);
      if (disabled) await accounts.deleteSessionsOf(account.id);
      return { ...withoutHash(account), disabled };
    },

    async resetPassword(username, password) {
      const checked = checkPassword(password);
      const account = await existing(username);
      await accounts.setPasswordHash(account.id, await hashPassword(checked));
      await accounts.deleteSessionsOf(account.id);
      limiter.clear(`user:${account.username}`);
      return withoutHash(account);
    },
  };
}
