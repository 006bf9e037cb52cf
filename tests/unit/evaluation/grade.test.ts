import { describe, expect, it } from 'vitest';
import { GRADES, gradeOf } from '../../../core/evaluation/grade.ts';

describe('gradeOf', () => {
  it('grades A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E', () => {
    expect([100, 95, 90, 89.99, 80, 75, 74.99, 60, 59.99, 40, 39.99, 0].map(gradeOf)).toEqual(['A', 'A', 'A', 'B', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E']);
  });

  it('gives each bound to the higher grade', () => {
    expect([90, 75, 60, 40].map(gradeOf)).toEqual(GRADES.slice(0, 4));
  });

  it('refuses scores outside 0–100 and NaN', () => {
    for (const bad of [-0.01, 100.01, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => gradeOf(bad)).toThrow(RangeError);
  });
});
