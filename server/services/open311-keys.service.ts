import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/time/clock.ts';
import type { Open311ApiKey } from '../store/open311-keys.repository.ts';
import type { Store } from '../store/store.ts';

/** Who a valid key belongs to; `id` goes into the report ids of what it files. */
export interface Open311KeyHolder {
  readonly id: string;
  readonly name: string;
}

export interface Open311KeyService {
  /** The holder of a key, or undefined when it is unknown or disabled. */
  verify(key: string): Promise<Open311KeyHolder | undefined>;
  /** A new key: its text is returned once and only its hash is stored. */
  create(name: string): Promise<{ readonly key: string; readonly apiKey: Open311ApiKey }>;
  list(): Promise<Open311ApiKey[]>;
  /** False when there is no such key (keys from OPEN311_API_KEYS are not in the store). */
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
}

export class Open311KeyError extends Error {
  override readonly name = 'Open311KeyError';
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A key from the environment has no row: its id is derived from its hash ("env-" and 12 hex digits). */
export function environmentKeyId(key: string): string {
  return `env-${hashApiKey(key).slice(0, 12)}`;
}

export const MIN_KEY_CHARS = 16;

/**
 * Open311 API keys: the store's (made with `npm run open311-keys`) and those of OPEN311_API_KEYS.
 * A key is compared by its SHA-256 only, so the text of a stored key exists nowhere on the server.
 */
export function createOpen311KeyService(deps: { readonly store: Store; readonly environmentKeys?: readonly string[]; readonly clock?: Clock }): Open311KeyService {
  const fromEnvironment = new Map((deps.environmentKeys ?? []).map((k) => [hashApiKey(k), { id: environmentKeyId(k), name: 'OPEN311_API_KEYS' }]));
  return {
    async verify(key) {
      if (key.length < MIN_KEY_CHARS || key.length > 200) return undefined;
      const hash = hashApiKey(key);
      const env = fromEnvironment.get(hash);
      if (env) return env;
      const stored = await deps.store.open311Keys.byHash(hash);
      return stored && !stored.disabled ? { id: stored.id, name: stored.name } : undefined;
    },

    async create(name) {
      const trimmed = name.trim();
      if (trimmed.length < 1 || trimmed.length > 100) throw new Open311KeyError('a key needs a name of 1–100 characters (who holds it: "City app")');
      const key = `o311_${randomBytes(24).toString('base64url')}`;
      const row = { id: `key-${randomBytes(6).toString('hex')}`, name: trimmed, keyHash: hashApiKey(key), createdAt: deps.clock?.now() ?? new Date() };
      await deps.store.open311Keys.create(row);
      return { key, apiKey: { id: row.id, name: row.name, createdAt: row.createdAt, disabled: false } };
    },

    list: () => deps.store.open311Keys.list(),

    setDisabled: (id, disabled) => deps.store.open311Keys.setDisabled(id, disabled),
  };
}
