import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../../server/services/group-commit.ts';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function createDeferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A flush the test drives by hand: it records each batch and waits until the test completes or
 * fails it. `inFlight` counts flushes running at once.
 */
function createManualFlush<I, R>() {
  const calls: { items: I[]; done: Deferred<R[]> }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const flush = (items: I[]): Promise<R[]> => {
    const done = createDeferred<R[]>();
    calls.push({ items: [...items], done });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return done.promise.finally(() => {
      inFlight--;
    });
  };
  return {
    flush,
    calls,
    batches: (): I[][] => calls.map((c) => c.items),
    complete(index: number, results: R[]): void {
      calls[index]!.done.resolve(results);
    },
    fail(index: number, error: unknown): void {
      calls[index]!.done.reject(error);
    },
    maxInFlight: (): number => maxInFlight,
  };
}

/** Lets pending promise callbacks run (several rounds: flush → finally → next flush). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A flush that answers at once, each item times ten. */
function timesTen(items: number[]): Promise<number[]> {
  return Promise.resolve(items.map((x) => x * 10));
}

function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe('createGroupCommit: a lone item', () => {
  it('flushes a lone item at once, before submit returns', () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('a');
    expect(manual.batches()).toEqual([['a']]);
  });

  it('resolves a lone item with its result', async () => {
    const commit = createGroupCommit(timesTen, 10);
    await expect(commit.submit(4)).resolves.toBe(40);
  });

  it('flushes a later lone item at once after the first finished', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    const first = commit.submit('a');
    manual.complete(0, [1]);
    await first;
    await commit.idle();
    void commit.submit('b');
    expect(manual.batches()).toEqual([['a'], ['b']]);
  });
});

describe('createGroupCommit: batching', () => {
  it('holds items submitted during a flush and sends them together in the next flush', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('a');
    void commit.submit('b');
    void commit.submit('c');
    expect(manual.batches()).toEqual([['a']]);
    manual.complete(0, [1]);
    await settle();
    expect(manual.batches()).toEqual([['a'], ['b', 'c']]);
  });

  it('runs one flush at a time', async () => {
    const manual = createManualFlush<number, number>();
    const commit = createGroupCommit(manual.flush, 2);
    const all = Promise.all([1, 2, 3, 4, 5, 6].map((x) => commit.submit(x)));
    for (let i = 0; i < 4; i++) {
      await settle();
      if (manual.calls[i]) manual.complete(i, manual.calls[i]!.items);
    }
    await all;
    expect(manual.maxInFlight()).toBe(1);
  });

  it('never puts more than maxBatch items in one flush', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 2);
    for (const item of ['a', 'b', 'c', 'd', 'e', 'f']) void commit.submit(item);
    manual.complete(0, [0]);
    await settle();
    manual.complete(1, [0, 0]);
    await settle();
    manual.complete(2, [0, 0]);
    await settle();
    expect(manual.batches()).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  });

  it('flushes the waiting items in the order they were submitted', async () => {
    const flushed: number[][] = [];
    const commit = createGroupCommit((items: number[]) => {
      flushed.push(items);
      return timesTen(items);
    }, 3);
    await Promise.all([5, 3, 9, 1, 7].map((x) => commit.submit(x)));
    expect(flushed.flat()).toEqual([5, 3, 9, 1, 7]);
  });

  it('gives each caller the result at its own position in the batch', async () => {
    const manual = createManualFlush<string, string>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('first');
    const b = commit.submit('b');
    const c = commit.submit('c');
    const d = commit.submit('d');
    manual.complete(0, ['FIRST']);
    await settle();
    manual.complete(1, ['B', 'C', 'D']);
    await expect(Promise.all([b, c, d])).resolves.toEqual(['B', 'C', 'D']);
  });

  it('matches results to callers across many batches', async () => {
    const commit = createGroupCommit(timesTen, 4);
    const items = Array.from({ length: 23 }, (_, i) => i);
    await expect(Promise.all(items.map((x) => commit.submit(x)))).resolves.toEqual(items.map((x) => x * 10));
  });

  it('sends a burst in few flushes: one for the first item, then full batches', async () => {
    const sizes: number[] = [];
    const commit = createGroupCommit((items: number[]) => {
      sizes.push(items.length);
      return timesTen(items);
    }, 5);
    await Promise.all(Array.from({ length: 11 }, (_, i) => commit.submit(i)));
    expect(sizes).toEqual([1, 5, 5]);
  });
});

describe('createGroupCommit: submissions from result callbacks', () => {
  it('flushes an item submitted from the result callback of the last item of a run', async () => {
    const commit = createGroupCommit(timesTen, 10);
    const second = commit.submit(1).then(() => commit.submit(2));
    await expect(second).resolves.toBe(20);
  });

  it('sends an item submitted from a result callback in a flush of its own', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('a').then(() => commit.submit('b'));
    manual.complete(0, [1]);
    await settle();
    expect(manual.batches()).toEqual([['a'], ['b']]);
  });
});

describe('createGroupCommit: failures', () => {
  it('rejects every item of a failed batch with the flush error', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('a');
    const b = outcome(commit.submit('b'));
    const c = outcome(commit.submit('c'));
    manual.complete(0, [1]);
    await settle();
    const error = new Error('deadlock detected');
    manual.fail(1, error);
    expect(await Promise.all([b, c])).toEqual([
      { ok: false, error },
      { ok: false, error },
    ]);
  });

  it('resolves the items of the batches before and after a failed one', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 1);
    const a = outcome(commit.submit('a'));
    const b = outcome(commit.submit('b'));
    const c = outcome(commit.submit('c'));
    manual.complete(0, [1]);
    await settle();
    manual.fail(1, new Error('serialization failure'));
    await settle();
    manual.complete(2, [3]);
    expect((await Promise.all([a, b, c])).map((o) => o.ok)).toEqual([true, false, true]);
  });

  it('keeps working for items submitted after a failed flush', async () => {
    let calls = 0;
    const commit = createGroupCommit((items: number[]) => (++calls === 1 ? Promise.reject(new Error('store down')) : timesTen(items)), 10);
    await expect(commit.submit(1)).rejects.toThrow('store down');
    await expect(commit.submit(2)).resolves.toBe(20);
  });

  it('rejects the batch of a flush that throws before returning a promise', async () => {
    const commit = createGroupCommit((): Promise<number[]> => {
      throw new Error('bad batch');
    }, 10);
    await expect(commit.submit(1)).rejects.toThrow('bad batch');
  });

  it('flushes items that were waiting behind a failed batch', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    const a = outcome(commit.submit('a'));
    const b = outcome(commit.submit('b'));
    manual.fail(0, new Error('timeout'));
    await settle();
    expect(manual.batches()).toEqual([['a'], ['b']]);
    manual.complete(1, [2]);
    expect(await Promise.all([a, b])).toMatchObject([{ ok: false }, { ok: true, value: 2 }]);
  });
});

describe('createGroupCommit: idle', () => {
  it('resolves at once when nothing was ever submitted', async () => {
    const commit = createGroupCommit(timesTen, 10);
    await expect(commit.idle()).resolves.toBeUndefined();
  });

  it('waits for the flush in progress', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('a');
    let idle = false;
    void commit.idle().then(() => {
      idle = true;
    });
    await settle();
    expect(idle).toBe(false);
    manual.complete(0, [1]);
    await settle();
    expect(idle).toBe(true);
  });

  it('waits for items queued behind the flush in progress as well', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('a');
    void commit.submit('b');
    let idle = false;
    void commit.idle().then(() => {
      idle = true;
    });
    manual.complete(0, [1]);
    await settle();
    expect(idle).toBe(false);
    manual.complete(1, [2]);
    await settle();
    expect(idle).toBe(true);
  });

  it('waits for a flush started by a submission from a result callback', async () => {
    const manual = createManualFlush<string, number>();
    const commit = createGroupCommit(manual.flush, 10);
    void commit.submit('a').then(() => commit.submit('b'));
    let idle = false;
    void commit.idle().then(() => {
      idle = true;
    });
    manual.complete(0, [1]);
    await settle();
    expect([manual.calls.length, idle]).toEqual([2, false]);
    manual.complete(1, [2]);
    await settle();
    expect(idle).toBe(true);
  });

  it('resolves after a failed flush', async () => {
    const commit = createGroupCommit((): Promise<number[]> => Promise.reject(new Error('store down')), 10);
    const submitted = outcome(commit.submit(1));
    await expect(commit.idle()).resolves.toBeUndefined();
    expect(await submitted).toMatchObject({ ok: false });
  });

  it('leaves every submitted item settled once it resolves', async () => {
    const commit = createGroupCommit(timesTen, 3);
    const settled: number[] = [];
    for (let i = 0; i < 8; i++) void commit.submit(i).then((r) => settled.push(r));
    await commit.idle();
    expect(settled.sort((x, y) => x - y)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });
});
