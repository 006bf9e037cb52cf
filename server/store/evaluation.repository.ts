import { compositeScore } from '../../core/evaluation/composite-score.ts';
import type { EvaluationFigures, EvaluationGrouping } from '../../core/evaluation/evaluation-figures.ts';
import { gradeOf } from '../../core/evaluation/grade.ts';
import {
  DEFAULT_MIN_RATINGS,
  parseMutualRatingForm,
  periodOf,
  type MutualAggregation,
  type MutualDirection,
  type MutualProblem,
  type MutualRating,
  type MutualRatingForm,
  type MutualScore,
} from '../../core/evaluation/mutual-rating.ts';
import { levelOfCode, type AreaLevel } from '../../core/geography/area-code.ts';
import type { SqlClient } from './sql-client.ts';

export interface EvaluationQuery {
  readonly groupBy: EvaluationGrouping;
  /** Only cases in this district, street, community or grid; no finer than `groupBy` for an area grouping. */
  readonly within?: string;
  /** Only cases of this department. */
  readonly departmentCode?: string;
  /** The window [from, to) cases are counted by their report time in. */
  readonly from: Date;
  readonly to: Date;
  /** The instant closures and acceptances are counted up to, and "overdue now" is measured at. */
  readonly now: Date;
}

export interface MutualScoresQuery {
  readonly period: string;
  readonly direction: MutualDirection;
  /** Default: the rated party (the department for area-rates-department, the area the other way). */
  readonly by?: MutualAggregation;
  /** Fewer forms than this and an aggregate's score and grade are null (default 3). */
  readonly minRatings?: number;
}

export interface SubmittedMutualRating {
  readonly rating: MutualRating;
  /** True when the rater had a form for this period, direction, area and department: it was replaced. */
  readonly replaced: boolean;
}

/** A mutual-rating form the store refuses, with what is wrong with each field. */
export class InvalidMutualRatingError extends Error {
  override readonly name = 'InvalidMutualRatingError';
  constructor(readonly problems: readonly MutualProblem[]) {
    super(`invalid mutual rating: ${problems.map((p) => p.message).join('; ')}`);
  }
}

export interface EvaluationRepository {
  /** One KPI row per evaluated object with any case received in the window or overdue now, ordered by key. */
  figures(query: EvaluationQuery): Promise<EvaluationFigures[]>;
  /** Stores a rater's form, replacing their earlier one for the same period, direction, area and department. */
  submitMutualRating(form: MutualRatingForm, at: Date): Promise<SubmittedMutualRating>;
  mutualScores(query: MutualScoresQuery): Promise<MutualScore[]>;
}

const AREA_LEVELS: readonly AreaLevel[] = ['district', 'street', 'community', 'grid'];

/**
 * The key each grouping counts a case under, and where its name comes from. Fixed SQL chosen from a
 * closed set: no user value is ever part of the text. Unrouted cases (no street) belong to the
 * district centre's queue, so the district grouping counts them under the (first) district.
 */
const GROUPINGS: Readonly<Record<EvaluationGrouping, { key: string; join: string; name: string }>> = {
  district: { key: 'coalesce(left(c.street_code, 6), (SELECT min(code) FROM districts))', join: 'districts n ON n.code = a.k', name: 'n.name' },
  street: { key: 'c.street_code', join: 'streets n ON n.code = a.k', name: 'n.name' },
  community: { key: 'c.community_code', join: 'communities n ON n.code = a.k', name: 'n.name' },
  grid: { key: 'c.grid_code', join: 'grids n ON n.code = a.k', name: 'n.name' },
  department: { key: 'c.department_code', join: 'departments n ON n.code = a.k', name: 'n.name_zh' },
  // The person who handled it: whoever it was assigned to, or the worker who handled it on the spot.
  person: { key: 'CASE WHEN c.self_handled AND c.handler_id IS NOT NULL THEN c.handler_id ELSE c.assignee_id END', join: 'personnel n ON n.id = a.k', name: 'n.name' },
};

/** The filter on $5 (the `within` code, or null for everywhere); the column follows the code's level. */
const WITHIN: Readonly<Record<AreaLevel, string>> = {
  // Unrouted cases are the district centre's.
  district: '(c.street_code IS NULL OR left(c.street_code, 6) = $5::text)',
  street: 'c.street_code = $5::text',
  community: 'c.community_code = $5::text',
  grid: 'c.grid_code = $5::text',
};

/** Statuses of a case still being worked on (linked is open too, but a duplicate, never counted). */
const OPEN_STATUSES = "'queued', 'dispatched', 'handling', 'feedback'";

function figuresSql(groupBy: EvaluationGrouping, withinLevel: AreaLevel | undefined): string {
  const grouping = GROUPINGS[groupBy];
  const within = withinLevel ? WITHIN[withinLevel] : '$5::text IS NULL';
  // $1 from, $2 to, $3 now, $4 department (or null), $5 within (or null).
  return `
    WITH scoped AS (
      SELECT ${grouping.key} AS k, c.status, c.reported_at, c.accepted_at, c.closed_at, c.resolve_due_at, c.rework_count, c.rating,
             (c.reported_at >= $1::timestamptz AND c.reported_at < $2::timestamptz AND c.reported_at <= $3::timestamptz) AS in_window
      FROM cases c
      WHERE c.duplicate_of IS NULL AND c.status NOT IN ('linked', 'merged')
        AND ($4::text IS NULL OR c.department_code = $4::text)
        AND ${within}
    ), flagged AS (
      SELECT k, in_window,
             (in_window AND status <> 'rejected') AS due,
             coalesce(in_window AND status = 'closed' AND closed_at <= $3::timestamptz, false) AS is_closed,
             coalesce(resolve_due_at IS NULL OR closed_at <= resolve_due_at, false) AS on_time,
             rework_count > 0 AS reworked,
             CASE WHEN in_window AND accepted_at <= $3::timestamptz THEN EXTRACT(EPOCH FROM accepted_at - reported_at)::float8 / 60 END AS accept_minutes,
             CASE WHEN in_window AND status = 'closed' AND closed_at <= $3::timestamptz THEN EXTRACT(EPOCH FROM closed_at - reported_at)::float8 / 60 END AS close_minutes,
             CASE WHEN in_window AND status = 'closed' AND closed_at <= $3::timestamptz THEN rating::float8 END AS rating,
             coalesce(reported_at <= $3::timestamptz AND resolve_due_at < $3::timestamptz
                      AND (status IN (${OPEN_STATUSES}) OR (status IN ('closed', 'rejected') AND closed_at > $3::timestamptz)), false) AS overdue_now
      FROM scoped
    ), agg AS (
      SELECT k,
             count(*) FILTER (WHERE in_window)::int AS received,
             count(*) FILTER (WHERE due)::int AS due_to_close,
             count(*) FILTER (WHERE is_closed)::int AS closed,
             count(*) FILTER (WHERE is_closed AND on_time)::int AS on_time_closed,
             count(*) FILTER (WHERE is_closed AND reworked)::int AS reworked,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY accept_minutes) AS accept_median,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY accept_minutes) AS accept_p90,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY close_minutes) AS close_median,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY close_minutes) AS close_p90,
             count(*) FILTER (WHERE overdue_now)::int AS overdue_now,
             avg(rating) AS mean_rating,
             count(rating)::int AS ratings
      FROM flagged
      WHERE k IS NOT NULL AND (in_window OR overdue_now)
      GROUP BY k
    )
    SELECT a.k AS key, ${grouping.name} AS name, a.received, a.due_to_close, a.closed, a.on_time_closed, a.reworked, a.overdue_now, a.ratings,
           a.closed::float8 / NULLIF(a.due_to_close, 0) AS closure_rate,
           a.on_time_closed::float8 / NULLIF(a.closed, 0) AS on_time_closure_rate,
           a.reworked::float8 / NULLIF(a.closed, 0) AS rework_rate,
           round(a.accept_median::numeric, 2)::float8 AS accept_median,
           round(a.accept_p90::numeric, 2)::float8 AS accept_p90,
           round(a.close_median::numeric, 2)::float8 AS close_median,
           round(a.close_p90::numeric, 2)::float8 AS close_p90,
           a.mean_rating
    FROM agg a LEFT JOIN ${grouping.join}
    ORDER BY a.k COLLATE "C"`;
}

interface FiguresRow {
  key: string;
  name: string | null;
  received: number;
  due_to_close: number;
  closed: number;
  on_time_closed: number;
  reworked: number;
  overdue_now: number;
  ratings: number;
  closure_rate: number | null;
  on_time_closure_rate: number | null;
  rework_rate: number | null;
  accept_median: number | null;
  accept_p90: number | null;
  close_median: number | null;
  close_p90: number | null;
  mean_rating: number | null;
}

function toFigures(groupBy: EvaluationGrouping, r: FiguresRow): EvaluationFigures {
  const base = {
    key: r.key,
    name: r.name,
    received: r.received,
    dueToClose: r.due_to_close,
    closed: r.closed,
    closureRate: r.closure_rate,
    onTimeClosed: r.on_time_closed,
    onTimeClosureRate: r.on_time_closure_rate,
    reworked: r.reworked,
    reworkRate: r.rework_rate,
    acceptMinutesMedian: r.accept_median,
    acceptMinutesP90: r.accept_p90,
    closeMinutesMedian: r.close_median,
    closeMinutesP90: r.close_p90,
    overdueNow: r.overdue_now,
    meanRating: r.mean_rating,
    ratings: r.ratings,
  };
  const score = compositeScore(groupBy, base);
  return { ...base, score, grade: score === null ? null : gradeOf(score) };
}

/** The level of a `within` code, checked against the grouping: an area grouping may not be finer-filtered than itself. */
function withinLevelOf(query: EvaluationQuery): AreaLevel | undefined {
  if (query.within === undefined) return undefined;
  const level = levelOfCode(query.within);
  if (!level) throw new RangeError(`"${query.within.slice(0, 40)}" is not an area code`);
  const groupLevel = AREA_LEVELS.indexOf(query.groupBy as AreaLevel);
  if (groupLevel >= 0 && AREA_LEVELS.indexOf(level) > groupLevel) throw new RangeError(`cannot group by ${query.groupBy} within a ${level}`);
  return level;
}

const MUTUAL_GROUP: Readonly<Record<MutualAggregation, { select: string; groupBy: string }>> = {
  pair: { select: 'r.area_code, r.department_code', groupBy: 'r.area_code, r.department_code' },
  department: { select: 'NULL::text AS area_code, r.department_code', groupBy: 'r.department_code' },
  area: { select: 'r.area_code, NULL::text AS department_code', groupBy: 'r.area_code' },
};

interface MutualRow {
  period: string;
  direction: MutualDirection;
  area_code: string;
  department_code: string;
  rater: string;
  score: number;
  comment: string;
  at: Date;
}

export function createEvaluationRepository(sql: SqlClient): EvaluationRepository {
  return {
    async figures(query) {
      const withinLevel = withinLevelOf(query);
      const rows = await sql.query<FiguresRow>(figuresSql(query.groupBy, withinLevel), [
        query.from.toISOString(),
        query.to.toISOString(),
        query.now.toISOString(),
        query.departmentCode ?? null,
        query.within ?? null,
      ]);
      return rows.map((r) => toFigures(query.groupBy, r));
    },

    async submitMutualRating(form, at) {
      const parsed = parseMutualRatingForm(form);
      if (!parsed.ok) throw new InvalidMutualRatingError(parsed.problems);
      const f = parsed.form;
      if (f.period > periodOf(at)) throw new InvalidMutualRatingError([{ field: 'period', message: `period ${f.period} has not begun (it is ${periodOf(at)})` }]);
      return sql.transaction(async (tx) => {
        const [known] = await tx.query<{ area: boolean; department: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM streets WHERE code = $1) OR EXISTS (SELECT 1 FROM communities WHERE code = $1) AS area,
                  EXISTS (SELECT 1 FROM departments WHERE code = $2) AS department`,
          [f.areaCode, f.departmentCode],
        );
        const problems: MutualProblem[] = [];
        if (!known?.area) problems.push({ field: 'areaCode', message: `no street or community ${f.areaCode}` });
        if (!known?.department) problems.push({ field: 'departmentCode', message: `no department "${f.departmentCode.slice(0, 40)}"; see GET /api/departments` });
        if (problems.length > 0) throw new InvalidMutualRatingError(problems);
        const rows = await tx.query<MutualRow & { replaced: boolean }>(
          `WITH earlier AS (
             SELECT 1 FROM mutual_ratings WHERE period = $1 AND direction = $2 AND area_code = $3 AND department_code = $4 AND rater = $5
           )
           INSERT INTO mutual_ratings (period, direction, area_code, department_code, rater, score, comment, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)
           ON CONFLICT (period, direction, area_code, department_code, rater)
             DO UPDATE SET score = excluded.score, comment = excluded.comment, at = excluded.at
           RETURNING period, direction, area_code, department_code, rater, score, comment, at, EXISTS (SELECT 1 FROM earlier) AS replaced`,
          [f.period, f.direction, f.areaCode, f.departmentCode, f.rater, f.score, f.comment, at.toISOString()],
        );
        const row = rows[0];
        // Counted: the embedded store can lose an error and write nothing (see open-pglite-client.ts).
        if (rows.length !== 1 || !row) throw new Error(`stored ${rows.length} of 1 mutual ratings`);
        return {
          rating: {
            period: row.period,
            direction: row.direction,
            areaCode: row.area_code,
            departmentCode: row.department_code,
            rater: row.rater,
            score: row.score,
            comment: row.comment,
            at: row.at.toISOString(),
          },
          replaced: row.replaced,
        };
      });
    },

    async mutualScores(query) {
      const by = query.by ?? (query.direction === 'area-rates-department' ? 'department' : 'area');
      const minRatings = query.minRatings ?? DEFAULT_MIN_RATINGS;
      if (!(Number.isInteger(minRatings) && minRatings >= 1)) throw new RangeError(`minRatings is a whole number ≥ 1, got ${minRatings}`);
      const group = MUTUAL_GROUP[by];
      const rows = await sql.query<{ area_code: string | null; area_name: string | null; department_code: string | null; department_name: string | null; ratings: number; mean: number }>(
        `SELECT g.area_code, coalesce(s.name, c.name) AS area_name, g.department_code, d.name_zh AS department_name, g.ratings, g.mean
         FROM (SELECT ${group.select}, count(*)::int AS ratings, avg(r.score::float8) AS mean
               FROM mutual_ratings r WHERE r.period = $1 AND r.direction = $2 GROUP BY ${group.groupBy}) g
         LEFT JOIN streets s ON s.code = g.area_code
         LEFT JOIN communities c ON c.code = g.area_code
         LEFT JOIN departments d ON d.code = g.department_code
         ORDER BY g.area_code COLLATE "C" NULLS FIRST, g.department_code COLLATE "C" NULLS FIRST`,
        [query.period, query.direction],
      );
      return rows.map((r): MutualScore => {
        const enough = r.ratings >= minRatings;
        const meanScore = enough ? Math.round(r.mean * 100) / 100 : null;
        return {
          areaCode: r.area_code,
          areaName: r.area_name,
          departmentCode: r.department_code,
          departmentName: r.department_name,
          ratings: r.ratings,
          meanScore,
          grade: meanScore === null ? null : gradeOf(meanScore),
        };
      });
    },
  };
}
