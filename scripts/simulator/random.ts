/**
 * Seeded randomness for the simulator: one mulberry32 stream per purpose (derived from the run's
 * seed and a label), so that adding a draw in one part does not shift another part's stream.
 */
import { createRandom, deriveSeed } from '../geodata/seeded-random.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An index drawn with probability proportional to its weight (weights ≥ 0, sum > 0). */
  weighted(weights: readonly number[]): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** A new independent stream, derived from this one's seed and a label. */
  fork(label: string): Rng;
}

export function createRng(seed: number, label = 'root'): Rng {
  const base = deriveSeed(seed >>> 0, label);
  const random = createRandom(base);
  const rng: Rng = {
    next: random,
    between: (min, max) => min + (max - min) * random(),
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
    chance: (p) => random() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick: empty list');
      return items[Math.floor(random() * items.length)]!;
    },
    weighted(weights) {
      let total = 0;
      for (const w of weights) total += w;
      if (!(total > 0)) throw new Error('weighted: no positive weight');
      let r = random() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      // Rounding: the last positive weight.
      for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
      return 0;
    },
    normal() {
      const u = 1 - random();
      const v = random();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    exponential: (mean) => -Math.log(1 - random()) * mean,
    fork: (child) => createRng(base, child),
  };
  return rng;
}

/** A cumulative table for drawing many times from one fixed set of weights (binary search). */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  draw(rng: Rng): T;
}

export function weightedTable<T>(items: readonly T[], weights: readonly number[]): WeightedTable<T> {
  if (items.length !== weights.length) throw new Error('weightedTable: items and weights differ in length');
  const cumulative = new Float64Array(items.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += Math.max(0, w);
    cumulative[i] = total;
  });
  if (!(total > 0)) throw new Error('weightedTable: no positive weight');
  return {
    items,
    draw(rng) {
      const r = rng.next() * total;
      let lo = 0;
      let hi = items.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return items[lo]!;
    },
  };
}
