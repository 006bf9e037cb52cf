import type { FastifyInstance } from 'fastify';
import type { EvaluationReport } from '../../core/evaluation/evaluation-figures.ts';
import { EVALUATION_GROUPINGS, isEvaluationGrouping } from '../../core/evaluation/evaluation-figures.ts';
import { monthWindow, parseEvaluationInstant, windowProblem } from '../../core/evaluation/evaluation-window.ts';
import {
  DEFAULT_MIN_RATINGS,
  isEvaluationPeriod,
  isMutualAggregation,
  isMutualDirection,
  MUTUAL_AGGREGATIONS,
  MUTUAL_DIRECTIONS,
  parseMutualRatingForm,
  periodOf,
} from '../../core/evaluation/mutual-rating.ts';
import { levelOfCode, type AreaLevel } from '../../core/geography/area-code.ts';
import type { Clock } from '../../core/time/clock.ts';
import type { AuthService } from '../services/auth.service.ts';
import type { GeographyService } from '../services/geography.service.ts';
import { InvalidMutualRatingError } from '../store/evaluation.repository.ts';
import type { Store } from '../store/store.ts';
import { actorOf, requireRole } from './authenticate.ts';
import { badRequest, HttpError } from './http-error.ts';
import { allowOnly, integer, single, type Query } from './query-params.ts';

const AREA_LEVELS: readonly AreaLevel[] = ['district', 'street', 'community', 'grid'];

/** A user value quoted back in a message, cut short. */
const quote = (value: string): string => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

function instant(query: Query, name: string): Date | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  const value = parseEvaluationInstant(raw);
  if (!value) throw badRequest(`parameter "${name}" must be a date (YYYY-MM-DD, Beijing time) or an ISO date-time with its zone (2026-03-01T08:00:00+08:00), got ${quote(raw)}`);
  return value;
}

/**
 * GET /api/evaluation?groupBy=&within=&department=&from=&to= (KPI rows per area, department or person),
 * POST /api/evaluation/mutual (a two-way evaluation form), GET /api/evaluation/mutual?period=&direction=&by=&minRatings=.
 * Figures are read by the district-wide roles and by street dispatchers within their street; a form
 * is filed by a street dispatcher for an area of their street (area rates department) or by
 * department staff for their department (department rates area), as their own account.
 */
export function registerEvaluationRoutes(app: FastifyInstance, store: Store, geography: GeographyService, clock: Clock, auth: AuthService): void {
  const readers = requireRole(auth, 'district-dispatcher', 'street-dispatcher', 'verifier', 'analyst', 'admin');
  app.get('/api/evaluation', { preHandler: readers }, async (request): Promise<EvaluationReport> => {
    const query = request.query as Query;
    allowOnly(query, ['groupBy', 'within', 'department', 'from', 'to']);
    const groupBy = single(query, 'groupBy') ?? 'street';
    if (!isEvaluationGrouping(groupBy)) throw badRequest(`parameter "groupBy" must be one of ${EVALUATION_GROUPINGS.join(', ')}, got ${quote(groupBy)}`);

    const actor = await actorOf(request);
    const within = single(query, 'within') ?? (actor.role === 'street-dispatcher' ? (actor.streetCode ?? undefined) : undefined);
    if (actor.role === 'street-dispatcher' && (within === undefined || actor.streetCode === null || !within.startsWith(actor.streetCode))) {
      throw new HttpError(403, 'forbidden', 'a street dispatcher reads the figures of their own street (within=their street or an area inside it)');
    }
    if (within !== undefined) {
      const level = levelOfCode(within);
      if (!level || geography.name(within) === undefined) throw badRequest(`parameter "within" must be the code of the district, a street, a community or a grid, got ${quote(within)}`);
      const groupLevel = AREA_LEVELS.indexOf(groupBy as AreaLevel);
      if (groupLevel >= 0 && AREA_LEVELS.indexOf(level) > groupLevel) throw badRequest(`cannot group by ${groupBy} within a ${level}: "within" must be a ${groupBy} or larger`);
    }

    const department = single(query, 'department');
    if (department !== undefined && !(await store.catalogue.departments()).some((d) => d.code === department)) {
      throw badRequest(`parameter "department" must be a department code (see GET /api/departments), got ${quote(department)}`);
    }

    const now = clock.now();
    const month = monthWindow(now);
    const from = instant(query, 'from') ?? month.from;
    const to = instant(query, 'to') ?? month.to;
    const problem = windowProblem({ from, to });
    if (problem) throw badRequest(problem);

    const rows = await store.evaluation.figures({
      groupBy,
      from,
      to,
      now,
      ...(within !== undefined ? { within } : {}),
      ...(department !== undefined ? { departmentCode: department } : {}),
    });
    return { groupBy, within: within ?? null, department: department ?? null, from: from.toISOString(), to: to.toISOString(), now: now.toISOString(), rows };
  });

  app.post('/api/evaluation/mutual', { preHandler: requireRole(auth, 'street-dispatcher', 'department-staff') }, async (request, reply) => {
    allowOnly(request.query as Query, []);
    if (!request.headers['content-type']?.startsWith('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the form as application/json');
    const actor = await actorOf(request);
    const body = request.body as Record<string, unknown> | null;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('send the form as a JSON object');
    if ('rater' in body) throw badRequest('the rater is the signed-in account: leave "rater" out');
    const parsed = parseMutualRatingForm({ ...body, rater: actor.accountId });
    if (parsed.ok) {
      const form = parsed.form;
      const own =
        actor.role === 'street-dispatcher'
          ? form.direction === 'area-rates-department' && actor.streetCode !== null && form.areaCode.startsWith(actor.streetCode)
          : form.direction === 'department-rates-area' && form.departmentCode === actor.departmentCode;
      if (!own) throw new HttpError(403, 'forbidden', actor.role === 'street-dispatcher' ? 'a street dispatcher rates departments for an area of their own street' : 'department staff rate areas for their own department');
    }
    if (!parsed.ok) return reply.code(400).send({ error: { code: 'invalid_form', message: parsed.problems.map((p) => p.message).join('; '), problems: parsed.problems } });
    try {
      const result = await store.evaluation.submitMutualRating(parsed.form, clock.now());
      return reply.code(result.replaced ? 200 : 201).send(result);
    } catch (error) {
      if (error instanceof InvalidMutualRatingError) return reply.code(400).send({ error: { code: 'invalid_form', message: error.problems.map((p) => p.message).join('; '), problems: error.problems } });
      throw error;
    }
  });

  app.get('/api/evaluation/mutual', { preHandler: readers }, async (request) => {
    const query = request.query as Query;
    allowOnly(query, ['period', 'direction', 'by', 'minRatings']);
    const period = single(query, 'period') ?? periodOf(clock.now());
    if (!isEvaluationPeriod(period)) throw badRequest(`parameter "period" must be a half year such as 2026H1 or 2026H2, got ${quote(period)}`);
    const direction = single(query, 'direction');
    if (!isMutualDirection(direction)) throw badRequest(`parameter "direction" is required: one of ${MUTUAL_DIRECTIONS.join(', ')}${direction === undefined ? '' : `, got ${quote(direction)}`}`);
    const by = single(query, 'by') ?? (direction === 'area-rates-department' ? 'department' : 'area');
    if (!isMutualAggregation(by)) throw badRequest(`parameter "by" must be one of ${MUTUAL_AGGREGATIONS.join(', ')}, got ${quote(by)}`);
    const minRatings = integer(query, 'minRatings', DEFAULT_MIN_RATINGS, 1, 1000);
    return { period, direction, by, minRatings, rows: await store.evaluation.mutualScores({ period, direction, by, minRatings }) };
  });
}
