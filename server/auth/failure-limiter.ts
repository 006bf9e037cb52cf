/**
 * Failed sign-ins per key (a username, a client IP) in a sliding window. With `maxFailures` or more
 * in the window a key is locked until its latest failure plus a delay that starts at
 * `firstLockSeconds` and doubles with each further failure, up to `maxLockSeconds`. An attempt
 * refused while locked is itself a failure, so hammering a locked key only lengthens the lock.
 *
 * In memory, per server process: with several servers behind a load balancer each counts its own
 * (an attacker gets at most `maxFailures` guesses per server per window).
 */
export interface FailureLimiterOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly firstLockSeconds: number;
  readonly maxLockSeconds: number;
  /** Keys kept at most; beyond it the oldest are forgotten (bounded memory under a flood of names). */
  readonly maxKeys: number;
}

export const DEFAULT_FAILURE_LIMITS: FailureLimiterOptions = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  firstLockSeconds: 30,
  maxLockSeconds: 15 * 60,
  maxKeys: 100_000,
};

export interface FailureLimiter {
  /** Seconds until `key` may try again (rounded up), 0 when it is not locked. */
  retryAfter(key: string, nowMs: number): number;
  /** Counts a failure at `nowMs`; true when this failure locked a key that was not locked. */
  fail(key: string, nowMs: number): boolean;
  /** Takes back one failure counted at `atMs` (a provisional one that turned out a success). */
  undo(key: string, atMs: number): void;
  clear(key: string): void;
  /** Failures of `key` in the window. */
  count(key: string, nowMs: number): number;
}

export function createFailureLimiter(options: Partial<FailureLimiterOptions> = {}): FailureLimiter {
  const o = { ...DEFAULT_FAILURE_LIMITS, ...options };
  // Failure times per key, oldest first; a Map iterates in insertion order, so the oldest key is first.
  const failures = new Map<string, number[]>();
  // Enough failures to reach the longest lock: more add nothing but memory.
  const keepPerKey = o.maxFailures + Math.ceil(Math.log2(Math.max(1, o.maxLockSeconds / o.firstLockSeconds))) + 1;

  const recent = (key: string, nowMs: number): number[] => {
    const list = failures.get(key);
    if (!list) return [];
    const from = nowMs - o.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= from) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) failures.delete(key);
    return list;
  };

  const lockDelayMs = (count: number): number =>
    count < o.maxFailures ? 0 : Math.min(o.firstLockSeconds * 2 ** (count - o.maxFailures), o.maxLockSeconds) * 1000;

  const retryAfter = (key: string, nowMs: number): number => {
    const list = recent(key, nowMs);
    if (list.length < o.maxFailures) return 0;
    const until = list[list.length - 1]! + lockDelayMs(list.length);
    return until > nowMs ? Math.ceil((until - nowMs) / 1000) : 0;
  };

  const sweep = (nowMs: number): void => {
    for (const key of [...failures.keys()]) recent(key, nowMs);
    for (const key of failures.keys()) {
      if (failures.size <= o.maxKeys) break;
      failures.delete(key);
    }
  };

  return {
    retryAfter,

    fail(key, nowMs) {
      const wasLocked = retryAfter(key, nowMs) > 0;
      const list = recent(key, nowMs);
      // Re-inserted at the end: the Map stays ordered by latest failure, for the sweep.
      failures.delete(key);
      list.push(nowMs);
      if (list.length > keepPerKey) list.splice(0, list.length - keepPerKey);
      failures.set(key, list);
      if (failures.size > o.maxKeys) sweep(nowMs);
      return !wasLocked && retryAfter(key, nowMs) > 0;
    },

    undo(key, atMs) {
      const list = failures.get(key);
      if (!list) return;
      const i = list.lastIndexOf(atMs);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) failures.delete(key);
    },

    clear(key) {
      failures.delete(key);
    },

    count: (key, nowMs) => recent(key, nowMs).length,
  };
}
