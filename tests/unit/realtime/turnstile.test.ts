import { describe, expect, it } from 'vitest';
import { createTurnstile } from '../../../server/realtime/turnstile.ts';

describe('turnstile', () => {
  it('lets `atOnce` through, the rest in arrival order as places free up', async () => {
    const gate = createTurnstile(2);
    const order: number[] = [];
    const leaves: (() => void)[] = [];
    const entries = [1, 2, 3, 4].map((n) =>
      gate.enter().then((leave) => {
        order.push(n);
        leaves[n] = leave;
      }),
    );
    await Promise.all(entries.slice(0, 2));
    expect(order).toEqual([1, 2]);
    expect([gate.inside, gate.waiting]).toEqual([2, 2]);
    leaves[2]!();
    leaves[2]!(); // twice leaves once: 4 must still wait
    await entries[2];
    expect(order).toEqual([1, 2, 3]);
    expect([gate.inside, gate.waiting]).toEqual([2, 1]);
    leaves[1]!();
    await entries[3];
    expect(order).toEqual([1, 2, 3, 4]);
    leaves[3]!();
    leaves[4]!();
    expect([gate.inside, gate.waiting]).toEqual([0, 0]);
  });

  it('refuses a size that lets nobody through', () => {
    expect(() => createTurnstile(0)).toThrow(RangeError);
  });
});
