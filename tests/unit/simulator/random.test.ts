import { describe, expect, it } from 'vitest';
import { createRng, weightedTable } from '../../../scripts/simulator/random.ts';

describe('createRng', () => {
  it('gives the same sequence for the same seed and label, another for another', () => {
    const draw = (seed: number, label?: string): number[] => {
      const rng = createRng(seed, label);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7, 'a')).not.toEqual(draw(7, 'b'));
  });

  it('forks streams that do not shift when the parent draws', () => {
    const a = createRng(1);
    const b = createRng(1);
    b.next();
    b.next();
    expect(Array.from({ length: 5 }, () => a.fork('x').next())).toEqual(Array.from({ length: 5 }, () => b.fork('x').next()));
  });

  it('draws in range', () => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(2, 5);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
      expect(Number.isInteger(n)).toBe(true);
      const x = rng.between(-1, 1);
      expect(x).toBeGreaterThanOrEqual(-1);
      expect(x).toBeLessThan(1);
    }
  });

  it('draws by weight, never a zero weight', () => {
    const rng = createRng(4);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weighted([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeCloseTo(3, 0);
    const table = weightedTable(['a', 'b', 'c'], [0, 1, 1]);
    const seen = new Set(Array.from({ length: 1000 }, () => table.draw(rng)));
    expect([...seen].sort()).toEqual(['b', 'c']);
  });

  it('has exponential and normal draws with the right means', () => {
    const rng = createRng(5);
    let e = 0;
    let n = 0;
    const N = 50_000;
    for (let i = 0; i < N; i++) {
      e += rng.exponential(2);
      n += rng.normal();
    }
    expect(e / N).toBeCloseTo(2, 1);
    expect(Math.abs(n / N)).toBeLessThan(0.02);
  });
});
