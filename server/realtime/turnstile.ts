/**
 * Lets at most `atOnce` holders through at a time; the rest wait in arrival order. `enter` resolves
 * with the function that leaves (calling it twice leaves once), which hands the place to the next.
 */
export interface Turnstile {
  enter(): Promise<() => void>;
  /** Holders inside now, and waiting. */
  readonly inside: number;
  readonly waiting: number;
}

export function createTurnstile(atOnce: number): Turnstile {
  if (!Number.isInteger(atOnce) || atOnce < 1) throw new RangeError(`atOnce must be a positive integer, got ${atOnce}`);
  let inside = 0;
  const queue: (() => void)[] = [];
  const leaver = (): (() => void) => {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = queue.shift();
      // The place passes straight to the next in line, so nobody can slip in between.
      if (next) next();
      else inside--;
    };
  };
  return {
    async enter() {
      if (inside < atOnce) inside++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      return leaver();
    },
    get inside() {
      return inside;
    },
    get waiting() {
      return queue.length;
    },
  };
}
