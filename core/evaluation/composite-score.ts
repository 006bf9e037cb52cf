import type { EvaluationFigures, EvaluationGrouping } from './evaluation-figures.ts';

/** The figures a composite score is computed from. */
export type ScoreInputs = Pick<EvaluationFigures, 'received' | 'closureRate' | 'onTimeClosureRate' | 'reworkRate' | 'meanRating'>;

/**
 * Volume points of a department (reference §3.7: 10 points, fewer cases score higher, ≤ 50 → 10,
 * > 1000 → 0). The bands between are ours, counted over the evaluation window (meant for a month):
 *
 * | cases received | points |
 * |---:|---:|
 * | 0–50 | 10 |
 * | 51–100 | 9 |
 * | 101–200 | 8 |
 * | 201–300 | 7 |
 * | 301–400 | 6 |
 * | 401–500 | 5 |
 * | 501–600 | 4 |
 * | 601–700 | 3 |
 * | 701–800 | 2 |
 * | 801–1000 | 1 |
 * | over 1000 | 0 |
 */
export const VOLUME_BANDS: readonly { readonly maxCases: number; readonly points: number }[] = [
  { maxCases: 50, points: 10 },
  { maxCases: 100, points: 9 },
  { maxCases: 200, points: 8 },
  { maxCases: 300, points: 7 },
  { maxCases: 400, points: 6 },
  { maxCases: 500, points: 5 },
  { maxCases: 600, points: 4 },
  { maxCases: 700, points: 3 },
  { maxCases: 800, points: 2 },
  { maxCases: 1000, points: 1 },
];

export function volumePoints(received: number): number {
  if (!(Number.isInteger(received) && received >= 0)) throw new RangeError(`a case count is a whole number ≥ 0, got ${received}`);
  return VOLUME_BANDS.find((band) => received <= band.maxCases)?.points ?? 0;
}

/** A mean 1–5 rating as satisfaction 0–1: 1 → 0, 3 → 0.5, 5 → 1. */
export function satisfactionOf(meanRating: number): number {
  if (!(meanRating >= 1 && meanRating <= 5)) throw new RangeError(`a mean rating is 1–5, got ${meanRating}`);
  return (meanRating - 1) / 4;
}

const roundToHundredths = (x: number): number => Math.round(x * 100) / 100;

/**
 * Department (部门评价), 0–100:
 *   volumePoints(received) + 30 × closureRate + 30 × onTimeClosureRate + 30 × (1 − reworkRate)
 * (rates as fractions; the reference's "按期处置率" is our on-time closure rate). With nothing
 * closed the on-time and rework terms score 0: a department earns them only by closing cases.
 * Null when nothing was due to close (no closure rate).
 */
export function departmentScore(f: ScoreInputs): number | null {
  if (f.closureRate === null) return null;
  const onTime = f.onTimeClosureRate ?? 0;
  const notReworked = f.reworkRate === null ? 0 : 1 - f.reworkRate;
  return roundToHundredths(volumePoints(f.received) + 30 * f.closureRate + 30 * onTime + 30 * notReworked);
}

/**
 * Areas (区域评价: district, street, community, grid) and people (岗位), 0–100:
 *   40 × closureRate + 40 × onTimeClosureRate + 20 × satisfaction,  satisfaction = (meanRating − 1) / 4
 * With no ratings the satisfaction weight is shared in proportion (40 : 40), so
 *   50 × closureRate + 50 × onTimeClosureRate.
 * With nothing closed the on-time term scores 0. Null when nothing was due to close.
 */
export function areaScore(f: ScoreInputs): number | null {
  if (f.closureRate === null) return null;
  const onTime = f.onTimeClosureRate ?? 0;
  if (f.meanRating === null) return roundToHundredths(50 * f.closureRate + 50 * onTime);
  return roundToHundredths(40 * f.closureRate + 40 * onTime + 20 * satisfactionOf(f.meanRating));
}

/** The composite score for a row of the given grouping, rounded to 0.01. */
export function compositeScore(groupBy: EvaluationGrouping, f: ScoreInputs): number | null {
  return groupBy === 'department' ? departmentScore(f) : areaScore(f);
}
