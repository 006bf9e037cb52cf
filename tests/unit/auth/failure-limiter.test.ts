import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from '../../../server/auth/failure-limiter.ts';

const MINUTE = 60_000;

describe('failure limiter (sliding window, doubling lock)', () => {
  it('locks a key after 5 failures in 15 minutes, for 30 s from the fifth', () => {
    const limiter = createFailureLimiter();
    for (let i = 0; i < 4; i++) {
      expect(limiter.fail('k', i * 1000)).toBe(false);
      expect(limiter.retryAfter('k', i * 1000)).toBe(0);
    }
    expect(limiter.fail('k', 4000)).toBe(true);
    expect(limiter.retryAfter('k', 4000)).toBe(30);
    expect(limiter.retryAfter('k', 4000 + 29_500)).toBe(1);
    expect(limiter.retryAfter('k', 4000 + 30_000)).toBe(0);
    expect(limiter.retryAfter('other', 4000)).toBe(0);
  });

  it('doubles the lock with each further failure, up to 15 minutes', () => {
    const limiter = createFailureLimiter();
    for (let i = 0; i < 5; i++) limiter.fail('k', 0);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      limiter.fail('k', 1000);
      seen.push(limiter.retryAfter('k', 1000));
    }
    expect(seen).toEqual([60, 120, 240, 480, 900, 900, 900, 900]);
  });

  it('forgets failures older than the window', () => {
    const limiter = createFailureLimiter();
    for (let i = 0; i < 4; i++) limiter.fail('k', 0);
    expect(limiter.count('k', 15 * MINUTE - 1)).toBe(4);
    expect(limiter.count('k', 15 * MINUTE)).toBe(0);
    expect(limiter.fail('k', 15 * MINUTE)).toBe(false);
    expect(limiter.retryAfter('k', 15 * MINUTE)).toBe(0);
  });

  it('counts four old and one new failure within the window as five', () => {
    const limiter = createFailureLimiter();
    for (let i = 0; i < 4; i++) limiter.fail('k', i * MINUTE);
    expect(limiter.fail('k', 14 * MINUTE)).toBe(true);
    expect(limiter.retryAfter('k', 14 * MINUTE)).toBe(30);
  });

  it('clears a key, and takes back a provisional failure', () => {
    const limiter = createFailureLimiter();
    for (let i = 0; i < 5; i++) limiter.fail('k', i);
    expect(limiter.retryAfter('k', 10)).toBeGreaterThan(0);
    limiter.undo('k', 4);
    expect(limiter.retryAfter('k', 10)).toBe(0);
    expect(limiter.count('k', 10)).toBe(4);
    limiter.clear('k');
    expect(limiter.count('k', 10)).toBe(0);
  });

  it('keeps memory bounded under a flood of distinct keys', () => {
    const limiter = createFailureLimiter({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.fail(`k${i}`, i);
    expect(limiter.count('k999', 1000)).toBe(1);
    expect(limiter.count('k0', 1000)).toBe(0);
  });
});
