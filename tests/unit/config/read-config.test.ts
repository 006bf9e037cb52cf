import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../server/config.ts';

describe('readConfig: HEAP_GROWING_PERCENT', () => {
  it('defaults to 100 (the heap may grow to twice what a full collection left live)', () => {
    expect(readConfig({}).heapGrowingPercent).toBe(100);
  });

  it('takes an integer 1–400, and 0 leaves the sizing to V8', () => {
    expect(readConfig({ HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent).toBe(50);
    expect(readConfig({ HEAP_GROWING_PERCENT: ' 400 ' }).heapGrowingPercent).toBe(400);
    expect(readConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBeUndefined();
  });

  it('refuses anything else with a clear message', () => {
    for (const bad of ['-1', '401', '1.5', 'lots']) {
      expect(() => readConfig({ HEAP_GROWING_PERCENT: bad })).toThrow(ConfigError);
      expect(() => readConfig({ HEAP_GROWING_PERCENT: bad })).toThrow(/HEAP_GROWING_PERCENT must be an integer 0–400/);
    }
  });
});
