import type { Grade } from './grade.ts';

/** What evaluation figures can be grouped by: the four area levels, the department, the person. */
export const EVALUATION_GROUPINGS = ['district', 'street', 'community', 'grid', 'department', 'person'] as const;
export type EvaluationGrouping = (typeof EVALUATION_GROUPINGS)[number];

export function isEvaluationGrouping(value: unknown): value is EvaluationGrouping {
  return typeof value === 'string' && (EVALUATION_GROUPINGS as readonly string[]).includes(value);
}

/**
 * One evaluated object's KPI row over a window [from, to), as seen at an instant `now` (DESIGN.md
 * "Evaluation", reference §3.7). Duplicates (linked/merged, or pointing at an original) are never
 * counted. Everything is as known at `now`: a case closed after it is still open. Rates are
 * fractions 0–1, null when their denominator is 0. Durations are minutes.
 */
export interface EvaluationFigures {
  /** Area code, department code or person id. */
  readonly key: string;
  /** Its name from the geography, the departments (Chinese name) or the roster; null when unknown. */
  readonly name: string | null;
  /** Cases reported in the window, and by `now` (立案数), rejected ones included. */
  readonly received: number;
  /** Received and not rejected (应结案数). */
  readonly dueToClose: number;
  /** Received and closed by `now` (结案数). */
  readonly closed: number;
  /** closed / dueToClose (结案率). */
  readonly closureRate: number | null;
  /** Closed no later than the resolve deadline; a case without a deadline is on time (按期结案数). */
  readonly onTimeClosed: number;
  /** onTimeClosed / closed (按期结案率). */
  readonly onTimeClosureRate: number | null;
  /** Closed cases that were sent back for rework at least once (返工数). */
  readonly reworked: number;
  /** reworked / closed (返工率). */
  readonly reworkRate: number | null;
  /** Reported → accepted, over the received cases accepted by `now`: median and 90th percentile (interpolated), to 0.01 min. */
  readonly acceptMinutesMedian: number | null;
  readonly acceptMinutesP90: number | null;
  /** Reported → closed, over the closed cases: median and 90th percentile (interpolated), to 0.01 min. */
  readonly closeMinutesMedian: number | null;
  readonly closeMinutesP90: number | null;
  /** Cases open at `now` past their resolve deadline, whenever they were reported. */
  readonly overdueNow: number;
  /** Mean reporter rating (1–5) of the closed cases, and how many were rated. */
  readonly meanRating: number | null;
  readonly ratings: number;
  /** Composite score 0–100 (see composite-score.ts), to 0.01; null when nothing was due to close. */
  readonly score: number | null;
  readonly grade: Grade | null;
}

/** GET /api/evaluation: the rows and the window they cover. */
export interface EvaluationReport {
  readonly groupBy: EvaluationGrouping;
  readonly within: string | null;
  readonly department: string | null;
  /** ISO instants: the window [from, to) and the instant "overdue now" is measured at. */
  readonly from: string;
  readonly to: string;
  readonly now: string;
  readonly rows: readonly EvaluationFigures[];
}
