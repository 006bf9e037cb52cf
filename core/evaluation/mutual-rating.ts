import { BEIJING_UTC_OFFSET_MINUTES } from './evaluation-window.ts';
import type { Grade } from './grade.ts';

/**
 * Two-way evaluation (上行/下行), each half year: streets and communities rate the departments that
 * serve them, and departments rate the streets and communities. One form per rater, area and
 * department in a period; a second submission replaces the rater's own form.
 */
export const MUTUAL_DIRECTIONS = ['area-rates-department', 'department-rates-area'] as const;
export type MutualDirection = (typeof MUTUAL_DIRECTIONS)[number];

/** How mutual scores are aggregated: per (area, department) pair, per department or per area. */
export const MUTUAL_AGGREGATIONS = ['pair', 'department', 'area'] as const;
export type MutualAggregation = (typeof MUTUAL_AGGREGATIONS)[number];

export const MUTUAL_LIMITS = { raterChars: 100, commentChars: 2000, minScore: 0, maxScore: 100 } as const;
/** Fewer forms than this and an aggregate has no score ("not enough ratings"). */
export const DEFAULT_MIN_RATINGS = 3;

/** A half-year period: `2026H1` (January–June) or `2026H2` (July–December). */
export const PERIOD_PATTERN = /^(\d{4})H([12])$/;
const RATER = /^[A-Za-z0-9._:@-]+$/;

export function isMutualDirection(value: unknown): value is MutualDirection {
  return typeof value === 'string' && (MUTUAL_DIRECTIONS as readonly string[]).includes(value);
}

export function isMutualAggregation(value: unknown): value is MutualAggregation {
  return typeof value === 'string' && (MUTUAL_AGGREGATIONS as readonly string[]).includes(value);
}

export function isEvaluationPeriod(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = PERIOD_PATTERN.exec(value);
  return match !== null && Number(match[1]) >= 2000 && Number(match[1]) <= 2999;
}

/** The half year holding `at`, in local time (Beijing by default). */
export function periodOf(at: Date, utcOffsetMinutes = BEIJING_UTC_OFFSET_MINUTES): string {
  const local = new Date(at.getTime() + utcOffsetMinutes * 60_000);
  return `${local.getUTCFullYear()}H${local.getUTCMonth() < 6 ? 1 : 2}`;
}

/** The form as a rater submits it. */
export interface MutualRatingForm {
  readonly period: string;
  readonly direction: MutualDirection;
  /** A street (9 digits) or community (12 digits) code. */
  readonly areaCode: string;
  readonly departmentCode: string;
  /** The rater's account id. */
  readonly rater: string;
  /** 0–100, whole points. */
  readonly score: number;
  readonly comment: string;
}

/** A stored form. */
export interface MutualRating extends MutualRatingForm {
  /** When it was (last) submitted, ISO. */
  readonly at: string;
}

/** An aggregate of forms: per pair, per department (areaCode null) or per area (departmentCode null). */
export interface MutualScore {
  readonly areaCode: string | null;
  readonly areaName: string | null;
  readonly departmentCode: string | null;
  readonly departmentName: string | null;
  readonly ratings: number;
  /** Mean score to 0.01, and its grade; both null below the minimum number of ratings. */
  readonly meanScore: number | null;
  readonly grade: Grade | null;
}

export interface MutualProblem {
  readonly field: string;
  readonly message: string;
}

export type ParsedMutualRatingForm = { readonly ok: true; readonly form: MutualRatingForm } | { readonly ok: false; readonly problems: readonly MutualProblem[] };

const FIELDS = ['period', 'direction', 'areaCode', 'departmentCode', 'rater', 'score', 'comment'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a form's shape, every field, and says what is wrong with each. Whether the area and the
 * department exist is the store's question, asked when the form is submitted.
 */
export function parseMutualRatingForm(input: unknown): ParsedMutualRatingForm {
  if (!isRecord(input)) return { ok: false, problems: [{ field: '', message: 'a form must be a JSON object' }] };
  const problems: MutualProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  for (const key of Object.keys(input)) if (!FIELDS.includes(key)) problem(key, `unknown field "${key.slice(0, 40)}"; a form has ${FIELDS.join(', ')}`);

  const { period, direction, areaCode, departmentCode, rater, score } = input;
  const comment = input['comment'] ?? '';
  if (!isEvaluationPeriod(period)) problem('period', 'period must be a half year such as 2026H1 or 2026H2');
  if (!isMutualDirection(direction)) problem('direction', `direction must be one of ${MUTUAL_DIRECTIONS.join(', ')}`);
  if (typeof areaCode !== 'string' || !/^(\d{9}|\d{12})$/.test(areaCode)) problem('areaCode', 'areaCode must be a street (9 digits) or community (12 digits) code');
  if (typeof departmentCode !== 'string' || departmentCode.length === 0 || departmentCode.length > 40) problem('departmentCode', 'departmentCode is required (see GET /api/departments)');
  if (typeof rater !== 'string' || rater.length === 0 || rater.length > MUTUAL_LIMITS.raterChars || !RATER.test(rater)) {
    problem('rater', `rater must be the rater's account id: 1–${MUTUAL_LIMITS.raterChars} characters of A–Z a–z 0–9 . _ : @ -`);
  }
  if (typeof score !== 'number' || !Number.isInteger(score) || score < MUTUAL_LIMITS.minScore || score > MUTUAL_LIMITS.maxScore) {
    problem('score', `score must be a whole number from ${MUTUAL_LIMITS.minScore} to ${MUTUAL_LIMITS.maxScore}`);
  }
  // PostgreSQL stores no NUL character in text: refused as bad input rather than failing the write.
  if (typeof comment !== 'string' || comment.length > MUTUAL_LIMITS.commentChars || comment.includes('\u0000')) problem('comment', `comment must be text of at most ${MUTUAL_LIMITS.commentChars} characters, without NUL characters`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    form: {
      period: period as string,
      direction: direction as MutualDirection,
      areaCode: areaCode as string,
      departmentCode: departmentCode as string,
      rater: rater as string,
      score: score as number,
      comment: comment as string,
    },
  };
}
