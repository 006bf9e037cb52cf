import type { EvaluationWindow } from '../evaluation/evaluation-window.ts';

/**
 * The report-time window [from, to) the analytics answers count cases in. Unlike an evaluation
 * (a month, at most 400 days), analysts look at trends: the default is the last 30 days up to now,
 * and a window may span up to three years (1,096 days, so three calendar years with a leap day fit).
 */
export const ANALYTICS_DEFAULT_DAYS = 30;
export const ANALYTICS_MAX_WINDOW_DAYS = 1096;

const DAY_MS = 86_400_000;

/** The last `ANALYTICS_DEFAULT_DAYS` days up to `now`. */
export function defaultAnalyticsWindow(now: Date): EvaluationWindow {
  return { from: new Date(now.getTime() - ANALYTICS_DEFAULT_DAYS * DAY_MS), to: now };
}

/** Why a window cannot be analysed, or undefined when it can: empty, reversed or over the maximum. */
export function analyticsWindowProblem(window: EvaluationWindow): string | undefined {
  if (window.from.getTime() >= window.to.getTime()) return `"from" (${window.from.toISOString()}) must be before "to" (${window.to.toISOString()})`;
  const days = (window.to.getTime() - window.from.getTime()) / DAY_MS;
  if (days > ANALYTICS_MAX_WINDOW_DAYS) return `the window is ${Math.ceil(days)} days; at most ${ANALYTICS_MAX_WINDOW_DAYS} (three years)`;
  return undefined;
}
