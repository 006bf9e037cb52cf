import { describe, expect, it } from 'vitest';
import { ANALYTICS_MAX_WINDOW_DAYS, analyticsWindowProblem, defaultAnalyticsWindow } from '../../../core/analytics/analytics-window.ts';

const DAY = 86_400_000;

describe('the analytics window', () => {
  it('defaults to the 30 days up to now', () => {
    const now = new Date('2026-04-10T00:00:00Z');
    expect(defaultAnalyticsWindow(now)).toEqual({ from: new Date('2026-03-11T00:00:00Z'), to: now });
  });

  it('may span three years (1,096 days) but not a millisecond more, and must not be empty or reversed', () => {
    const from = new Date('2023-01-01T00:00:00Z');
    expect(ANALYTICS_MAX_WINDOW_DAYS).toBe(1096);
    expect(analyticsWindowProblem({ from, to: new Date(from.getTime() + 1096 * DAY) })).toBeUndefined();
    expect(analyticsWindowProblem({ from, to: new Date(from.getTime() + 1096 * DAY + 1) })).toBe('the window is 1097 days; at most 1096 (three years)');
    expect(analyticsWindowProblem({ from, to: from })).toContain('must be before');
    expect(analyticsWindowProblem({ from, to: new Date(from.getTime() - 1) })).toContain('must be before');
  });
});
