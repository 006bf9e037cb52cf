import { describe, expect, it } from 'vitest';
import { areaScore, compositeScore, departmentScore, satisfactionOf, volumePoints, type ScoreInputs } from '../../../core/evaluation/composite-score.ts';

function buildInputs(overrides: Partial<ScoreInputs> = {}): ScoreInputs {
  return { received: 10, closureRate: 1, onTimeClosureRate: 1, reworkRate: 0, meanRating: 5, ...overrides };
}

describe('volumePoints', () => {
  it('gives 10 points up to 50 cases and 0 over 1,000, falling by band in between', () => {
    const cases = [0, 50, 51, 100, 101, 200, 201, 300, 301, 400, 401, 500, 501, 600, 601, 700, 701, 800, 801, 1000, 1001, 50_000];
    expect(cases.map(volumePoints)).toEqual([10, 10, 9, 9, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0]);
  });

  it('refuses counts that are not whole numbers ≥ 0', () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => volumePoints(bad)).toThrow(RangeError);
  });
});

describe('satisfactionOf', () => {
  it('maps a mean rating 1 → 0, 3 → 0.5, 5 → 1', () => {
    expect([1, 2, 3, 4, 5].map(satisfactionOf)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('refuses a mean outside 1–5', () => {
    expect(() => satisfactionOf(0.5)).toThrow(RangeError);
    expect(() => satisfactionOf(5.5)).toThrow(RangeError);
  });
});

describe('departmentScore', () => {
  it('is 100 for few cases, all closed, all on time, none reworked', () => {
    expect(departmentScore(buildInputs())).toBe(100);
  });

  it('adds volume points + 30 × closure + 30 × on time + 30 × (1 − rework)', () => {
    // 9 + 30 × 0.9 + 30 × 0.5 + 30 × (1 − 0.2) = 9 + 27 + 15 + 24 = 75
    expect(departmentScore(buildInputs({ received: 60, closureRate: 0.9, onTimeClosureRate: 0.5, reworkRate: 0.2 }))).toBe(75);
  });

  it('ignores ratings', () => {
    expect(departmentScore(buildInputs({ meanRating: 1 }))).toBe(departmentScore(buildInputs({ meanRating: null })));
  });

  it('scores only volume when nothing was closed (no on-time or rework rate)', () => {
    expect(departmentScore(buildInputs({ received: 120, closureRate: 0, onTimeClosureRate: null, reworkRate: null }))).toBe(8);
  });

  it('is null when nothing was due to close', () => {
    expect(departmentScore(buildInputs({ closureRate: null, onTimeClosureRate: null, reworkRate: null }))).toBeNull();
  });

  it('rounds to hundredths', () => {
    // 10 + 30 × 2/3 + 30 × 1/3 + 30 × 1 = 70 (not 69.99999999999999)
    expect(departmentScore(buildInputs({ closureRate: 2 / 3, onTimeClosureRate: 1 / 3, reworkRate: 0 }))).toBe(70);
    // 10 + 30 × 1/7 + 0 + 0 = 14.285714… → 14.29
    expect(departmentScore(buildInputs({ closureRate: 1 / 7, onTimeClosureRate: 0, reworkRate: 1 }))).toBe(14.29);
  });
});

describe('areaScore', () => {
  it('is 40 × closure + 40 × on time + 20 × satisfaction', () => {
    // 40 × 0.75 + 40 × 0.5 + 20 × (4 − 1) / 4 = 30 + 20 + 15 = 65
    expect(areaScore(buildInputs({ closureRate: 0.75, onTimeClosureRate: 0.5, meanRating: 4 }))).toBe(65);
  });

  it('shares the satisfaction weight 50 : 50 when nothing was rated', () => {
    // 50 × 0.75 + 50 × 0.5 = 62.5
    expect(areaScore(buildInputs({ closureRate: 0.75, onTimeClosureRate: 0.5, meanRating: null }))).toBe(62.5);
  });

  it('ignores volume and rework', () => {
    expect(areaScore(buildInputs({ received: 5000, reworkRate: 1 }))).toBe(100);
  });

  it('scores the on-time term 0 when nothing was closed, and is null when nothing was due', () => {
    expect(areaScore(buildInputs({ closureRate: 0, onTimeClosureRate: null, meanRating: null }))).toBe(0);
    expect(areaScore(buildInputs({ closureRate: null, onTimeClosureRate: null }))).toBeNull();
  });
});

describe('compositeScore', () => {
  it('uses the department formula for departments and the area formula for areas and people', () => {
    const f = buildInputs({ received: 60, closureRate: 0.5, onTimeClosureRate: 0.5, reworkRate: 0.5, meanRating: 3 });
    expect(compositeScore('department', f)).toBe(9 + 15 + 15 + 15);
    for (const groupBy of ['district', 'street', 'community', 'grid', 'person'] as const) expect(compositeScore(groupBy, f)).toBe(20 + 20 + 10);
  });
});
