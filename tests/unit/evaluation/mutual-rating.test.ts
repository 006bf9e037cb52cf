import { describe, expect, it } from 'vitest';
import { isEvaluationPeriod, parseMutualRatingForm, periodOf } from '../../../core/evaluation/mutual-rating.ts';

function buildForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { period: '2026H1', direction: 'area-rates-department', areaCode: '110108011', departmentCode: 'urban-management', rater: 'acct-1', score: 88, ...overrides };
}

describe('periods', () => {
  it('are half years written YYYYH1 or YYYYH2', () => {
    expect(['2026H1', '2026H2', '2000H1'].every(isEvaluationPeriod)).toBe(true);
    expect(['2026H3', '2026h1', '26H1', '2026-H1', '2026H1 ', '1999H2', 2026].some(isEvaluationPeriod)).toBe(false);
  });

  it('are taken in Beijing time', () => {
    expect(periodOf(new Date('2026-06-30T15:59:59Z'))).toBe('2026H1');
    expect(periodOf(new Date('2026-06-30T16:00:00Z'))).toBe('2026H2');
    expect(periodOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027H1');
  });
});

describe('parseMutualRatingForm', () => {
  it('accepts a complete form, the comment defaulting to empty', () => {
    expect(parseMutualRatingForm(buildForm())).toEqual({ ok: true, form: { ...buildForm(), comment: '' } });
    expect(parseMutualRatingForm(buildForm({ direction: 'department-rates-area', areaCode: '110108011001', score: 0, comment: '好' }))).toMatchObject({ ok: true });
  });

  it('names every bad field', () => {
    const parsed = parseMutualRatingForm({ period: '2026H3', direction: 'up', areaCode: '110108011001001', departmentCode: '', rater: 'a b', score: 101, comment: 7, extra: 1 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.field).sort()).toEqual(['areaCode', 'comment', 'departmentCode', 'direction', 'extra', 'period', 'rater', 'score']);
  });

  it('wants whole-point scores from 0 to 100', () => {
    for (const score of [-1, 100.5, '90', null]) expect(parseMutualRatingForm(buildForm({ score })).ok, String(score)).toBe(false);
  });

  it('refuses anything but an object', () => {
    for (const input of [null, [], 'form', 3]) expect(parseMutualRatingForm(input).ok).toBe(false);
  });
});
