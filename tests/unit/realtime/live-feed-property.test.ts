import { describe, expect, it } from 'vitest';
import { simulateLiveFeed, type SimulationOptions } from './live-feed-simulation.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => 1000 + i * 7919);

/** A run of the model: 2–3 servers (by seed), 60 batches, 5 of them before the client joins. */
function buildOptions(seed: number, overrides: Partial<SimulationOptions> = {}): SimulationOptions {
  return {
    seed,
    servers: 2 + (seed % 2),
    batches: 60,
    batchesBeforeJoin: 5,
    dropMarkRate: 0,
    dropBatchRate: 0,
    partialAnswerRate: 0,
    duplicateAnswerRate: 0,
    reconnectRate: 0,
    heartbeatRate: 0.05,
    marks: 'folded',
    ...overrides,
  };
}

/** Servers interleaved at random; nothing lost. */
const LOSSLESS = {};
/** Marks lost alone, batches lost whole, range answers delivered twice. */
const LOSSY = { dropMarkRate: 0.15, dropBatchRate: 0.15, duplicateAnswerRate: 0.3 };
/** All of the above, plus partial range answers and reconnects that lose everything in flight. */
const HOSTILE = { dropMarkRate: 0.2, dropBatchRate: 0.2, partialAnswerRate: 0.4, duplicateAnswerRate: 0.3, reconnectRate: 0.01, heartbeatRate: 0.1 };

/** The naive baseline's protocol, and a mixed deployment's: every range's mark a message of its own. */
const SEPARATE_MARKS = { marks: 'separate' } as const;

describe.each([
  ['lossless', LOSSLESS],
  ['lossy', LOSSY],
  ['hostile', HOSTILE],
  ['hostile, separate marks,', { ...HOSTILE, ...SEPARATE_MARKS }],
] as const)('LiveFeed model: the %s run', (label, overrides) => {
  it.each(SEEDS)(`${label} seed %i: applies every event of the area above the snapshot exactly once, in sequence order`, (seed) => {
    const result = simulateLiveFeed(buildOptions(seed, overrides));
    expect(result.applied).toEqual(result.expected);
  });

  it.each(SEEDS)(`${label} seed %i: never hands listeners an event at or below one already applied`, (seed) => {
    expect(simulateLiveFeed(buildOptions(seed, overrides)).outOfOrder).toBe(0);
  });

  it.each(SEEDS)(`${label} seed %i: ends at the last sequence number with the reference cases`, (seed) => {
    const result = simulateLiveFeed(buildOptions(seed, overrides));
    expect({ watermark: result.watermark, cases: result.cases }).toEqual({ watermark: result.lastSeq, cases: result.expectedCases });
  });

  it.each(SEEDS)(`${label} seed %i: asks only for committed ranges just above its watermark`, (seed) => {
    const bad = simulateLiveFeed(buildOptions(seed, overrides)).requests.filter((r) => r.from !== r.watermark + 1 || r.to < r.from || r.to > r.committed);
    expect(bad).toEqual([]);
  });
});

describe('LiveFeed model: the model itself', () => {
  it('delivers events of the watched area in the lossless run (the property is not vacuous)', () => {
    const result = simulateLiveFeed(buildOptions(SEEDS[0]!));
    expect(result.expected.length).toBeGreaterThan(30);
  });

  it('makes the lossy run fill gaps from the store', () => {
    const total = SEEDS.reduce((sum, seed) => sum + simulateLiveFeed(buildOptions(seed, LOSSY)).requests.length, 0);
    expect(total).toBeGreaterThan(SEEDS.length);
  });

  it('gives the same run for the same seed', () => {
    expect(simulateLiveFeed(buildOptions(SEEDS[3]!, HOSTILE))).toEqual(simulateLiveFeed(buildOptions(SEEDS[3]!, HOSTILE)));
  });
});
