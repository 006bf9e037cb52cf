import { describe, expect, it } from 'vitest';
import { createSnapshotCoalescer } from '../../../server/realtime/snapshot-coalescer.ts';

/** What a read gives here: which read it was. */
interface AreaSnapshot {
  readonly seq: number;
  readonly cases: readonly unknown[];
}

/** A read that takes `ms` and says which read it was, so a test sees who shared what. */
function countingRead(ms: number): { read: (area: string) => Promise<AreaSnapshot>; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (area) => {
      reads.push(area);
      const seq = reads.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { seq, cases: [] };
    },
  };
}

describe('snapshot coalescer', () => {
  it('serves every request for an area within the window from one read', async () => {
    const { read, reads } = countingRead(5);
    const snapshot = createSnapshotCoalescer(read, 20);
    const answers = await Promise.all(Array.from({ length: 50 }, () => snapshot('110108')));
    expect(reads).toEqual(['110108']);
    expect(new Set(answers).size).toBe(1);
  });

  it('reads each area on its own', async () => {
    const { read, reads } = countingRead(5);
    const snapshot = createSnapshotCoalescer(read, 10);
    const [a, b] = await Promise.all([snapshot('110108'), snapshot('110108011'), snapshot('110108')]);
    expect(reads.sort()).toEqual(['110108', '110108011']);
    expect(a!.seq).not.toBe(b!.seq);
  });

  it('never hands a request a read that started before it asked', async () => {
    const { read, reads } = countingRead(50);
    const snapshot = createSnapshotCoalescer(read, 5);
    const first = snapshot('110108');
    // The first group's read is under way (window over, read takes 50 ms): a new request waits for the next read.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = snapshot('110108');
    expect((await first).seq).toBe(1);
    expect((await second).seq).toBe(2);
    expect(reads).toEqual(['110108', '110108']);
  });

  it('passes a failed read to everyone who waited for it, and reads again next time', async () => {
    let calls = 0;
    const snapshot = createSnapshotCoalescer(async () => {
      calls++;
      if (calls === 1) throw new Error('database unavailable');
      return { seq: 7, cases: [] };
    }, 5);
    const results = await Promise.allSettled([snapshot('110108'), snapshot('110108')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await snapshot('110108')).seq).toBe(7);
  });
});
