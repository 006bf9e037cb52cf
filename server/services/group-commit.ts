export interface GroupCommit<I, R> {
  /** Resolves with the item's result once the batch it rode in has been flushed (committed). */
  submit(item: I): Promise<R>;
  /** Resolves when nothing is queued or being flushed. */
  idle(): Promise<void>;
}

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while a flush is running wait and go together in the next one, so a
 * burst is written in a few large transactions instead of one round trip per item, and a lone item
 * is written at once (no timer, no added latency when idle). One flush runs at a time.
 */
export function createGroupCommit<I, R>(flush: (items: I[]) => Promise<R[]>, maxBatch: number): GroupCommit<I, R> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  let queue: Waiting<I, R>[] = [];
  let running: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await flush(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  };

  const start = (): void => {
    if (running) return;
    running = run().finally(() => {
      running = undefined;
      if (queue.length > 0) start();
    });
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        start();
      });
    },
    async idle() {
      while (running) await running;
    },
  };
}
