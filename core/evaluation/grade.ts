/**
 * The five evaluation grades of the CJ/T 292-style scorecards (reference §3.7): A ≥ 90, B 75–90,
 * C 60–75, D 40–60, E < 40, on a 0–100 score. A bound belongs to the higher grade (75 is B).
 */
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

/** The lowest score of each grade, best first; E takes everything below 40. */
export const GRADE_FLOORS: readonly { readonly grade: Grade; readonly minScore: number }[] = [
  { grade: 'A', minScore: 90 },
  { grade: 'B', minScore: 75 },
  { grade: 'C', minScore: 60 },
  { grade: 'D', minScore: 40 },
  { grade: 'E', minScore: 0 },
];

/** The grade of a 0–100 score; anything else (negative, over 100, NaN) is a programming error. */
export function gradeOf(score: number): Grade {
  if (!(score >= 0 && score <= 100)) throw new RangeError(`a score is 0–100, got ${score}`);
  for (const floor of GRADE_FLOORS) if (score >= floor.minScore) return floor.grade;
  return 'E';
}
