import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/access/actor.ts';
import { analyticsWindowProblem, defaultAnalyticsWindow, ANALYTICS_DEFAULT_DAYS } from '../../core/analytics/analytics-window.ts';
import { binCasePoints } from '../../core/analytics/hex-bins.ts';
import { parseEvaluationInstant } from '../../core/evaluation/evaluation-window.ts';
import { levelOfCode, type AreaLevel } from '../../core/geography/area-code.ts';
import {
  HOTSPOT_MEASURES,
  MAX_BINS,
  type AnalyticsFilter,
  type AreaFiguresAnswer,
  type DepartmentFiguresAnswer,
  type HexBinsAnswer,
  type HotspotMeasure,
  type HotspotsAnswer,
  type StaffingAnswer,
} from '../../core/protocol/analytics-api.ts';
import type { Clock } from '../../core/time/clock.ts';
import type { AuthService } from '../services/auth.service.ts';
import type { GeographyService } from '../services/geography.service.ts';
import type { AnalyticsCaseFilter, FiguresLevel } from '../store/analytics.repository.ts';
import type { Store } from '../store/store.ts';
import { actorOf, requireRole } from './authenticate.ts';
import { badRequest, HttpError } from './http-error.ts';
import { allowOnly, bbox, integer, single, type Query } from './query-params.ts';

const AREA_LEVELS: readonly AreaLevel[] = ['district', 'street', 'community', 'grid'];
const FIGURES_LEVELS: readonly FiguresLevel[] = ['street', 'community', 'grid'];
/** Parameters every analytics route takes. */
const FILTER_PARAMETERS = ['within', 'from', 'to', 'category'] as const;
/** The hex-bin cell when none is asked for, and the range a client may ask for. */
const DEFAULT_CELL_METERS = 500;
const MIN_CELL_METERS = 50;
const MAX_CELL_METERS = 5000;
const DEFAULT_HOTSPOTS = 10;
const MAX_HOTSPOTS = 100;
/** More category values than the catalogue could ever hold is a malformed request, not a filter. */
const MAX_CATEGORY_VALUES = 200;
const DAY_MS = 86_400_000;

/** A user value quoted back in a message, cut short. */
const quote = (value: string): string => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

function instant(query: Query, name: string): Date | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  const value = parseEvaluationInstant(raw);
  if (!value) throw badRequest(`parameter "${name}" must be a date (YYYY-MM-DD, Beijing time) or an ISO date-time with its zone (2026-03-01T08:00:00+08:00), got ${quote(raw)}`);
  return value;
}

/** `category` given any number of times, each a code or a comma-separated list of codes. */
function categoryValues(query: Query): string[] {
  const raw = query['category'];
  if (raw === undefined) return [];
  const given = Array.isArray(raw) ? raw : [raw];
  const values = given.flatMap((v) => (typeof v === 'string' ? v.split(',') : [String(v)])).map((v) => v.trim());
  if (values.length > MAX_CATEGORY_VALUES) throw badRequest(`parameter "category" lists ${values.length} codes; at most ${MAX_CATEGORY_VALUES}`);
  if (values.some((v) => v === '')) throw badRequest('parameter "category" must be category codes (see GET /api/categories), separated by commas or repeated; got an empty one');
  return [...new Set(values)].sort();
}

/** A `within` code that names an area of the stored geography, or a 400 that says what is wrong. */
function knownArea(geography: GeographyService, within: string): AreaLevel {
  const level = levelOfCode(within);
  if (!level || geography.name(within) === undefined) throw badRequest(`parameter "within" must be the code of the district, a street, a community or a grid, got ${quote(within)}`);
  return level;
}

/** The street a street-scoped account may read: a street dispatcher's, a grid worker's (their roster street, else their grids'). */
function streetOf(actor: Actor): string | null {
  return actor.streetCode ?? actor.gridCodes[0]?.slice(0, 9) ?? null;
}

/**
 * The area an answer is limited to, for this actor: what they asked for, or their street by
 * default when their scope is a street; 403 for an area outside that street.
 */
function scopedWithin(query: Query, actor: Actor, geography: GeographyService, streetScoped: boolean): { within: string | undefined; level: AreaLevel | undefined } {
  const asked = single(query, 'within');
  const level = asked === undefined ? undefined : knownArea(geography, asked);
  if (!streetScoped) return { within: asked, level };
  const street = streetOf(actor);
  const within = asked ?? street ?? undefined;
  if (street === null || within === undefined || !within.startsWith(street)) {
    throw new HttpError(403, 'forbidden', `a ${actor.role} reads their own street only (within=${street ?? 'their street'} or an area inside it)`);
  }
  return { within, level: level ?? levelOfCode(within) };
}

/**
 * GET /api/analytics/areas?level=street|community|grid&within=&from=&to=&category=
 * GET /api/analytics/departments?within=&from=&to=&category=
 * GET /api/analytics/hotspots?by=received|repeatReports|overdueNow&limit=1–100 (10)&within=&from=&to=&category=
 * GET /api/analytics/bins?bbox=minLng,minLat,maxLng,maxLat&cell=50–5000 (500)&within=&from=&to=&category=
 * GET /api/staffing?department=&within=
 *
 * The analytics filter: `from`/`to` are Beijing dates or ISO date-times with their zone, the window
 * [from, to) defaulting to the 30 days up to now (only `from`: up to now; only `to`: the 30 days
 * before it), at most three years; `category` repeated or comma-separated, each a catalogue code;
 * `within` a district, street, community or grid code. `level` defaults to the level below
 * `within` (streets without one) and must be finer than it. `bbox` limits the bins to the cases
 * inside it (edges included; without it, every case of the filter).
 *
 * Analytics readers: the district-wide roles (district dispatcher, verifier, analyst, admin), and a
 * street dispatcher within their street (by default their street; anything else 403).
 * Staffing readers: every staff role. District-wide roles read any area and department; a street
 * dispatcher or grid worker reads their street (by default; anything outside it 403), every
 * department; department staff read the whole district for their own department only (by default
 * theirs; another department 403): they plan their own department's cover across the district, and
 * the other departments' people are the streets' to oversee.
 */
export function registerAnalyticsRoutes(app: FastifyInstance, store: Store, geography: GeographyService, clock: Clock, auth: AuthService): void {
  const readers = requireRole(auth, 'district-dispatcher', 'street-dispatcher', 'verifier', 'analyst', 'admin');

  /** The resolved filter of an analytics request (after its own parameters are allowed), and the level of `within`. */
  async function filterOf(request: FastifyRequest, ownParameters: readonly string[]): Promise<{ filter: AnalyticsFilter; cases: AnalyticsCaseFilter; withinLevel: AreaLevel | undefined }> {
    const query = request.query as Query;
    allowOnly(query, [...ownParameters, ...FILTER_PARAMETERS]);
    const actor = await actorOf(request);
    const { within, level } = scopedWithin(query, actor, geography, actor.role === 'street-dispatcher');

    const categories = categoryValues(query);
    if (categories.length > 0) {
      const known = new Set((await store.catalogue.catalogue()).categories.map((c) => c.code));
      const unknown = categories.filter((c) => !known.has(c));
      if (unknown.length > 0) {
        throw badRequest(`parameter "category": unknown code${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map(quote).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} (see GET /api/categories)`);
      }
    }

    const now = clock.now();
    const from = instant(query, 'from');
    const to = instant(query, 'to');
    const window =
      from === undefined && to === undefined
        ? defaultAnalyticsWindow(now)
        : { from: from ?? new Date((to ?? now).getTime() - ANALYTICS_DEFAULT_DAYS * DAY_MS), to: to ?? now };
    const problem = analyticsWindowProblem(window);
    if (problem) throw badRequest(problem);

    return {
      filter: { from: window.from.toISOString(), to: window.to.toISOString(), categories, within: within ?? null, now: now.toISOString() },
      cases: { from: window.from, to: window.to, now, categories, ...(within !== undefined ? { within } : {}) },
      withinLevel: level,
    };
  }

  app.get('/api/analytics/areas', { preHandler: readers }, async (request): Promise<AreaFiguresAnswer> => {
    const { filter, cases, withinLevel } = await filterOf(request, ['level']);
    const asked = single(request.query as Query, 'level');
    const finer = withinLevel === undefined ? 'street' : AREA_LEVELS[AREA_LEVELS.indexOf(withinLevel) + 1];
    const level = asked ?? finer;
    if (level === undefined) throw badRequest('a grid has no smaller areas: give "within" a street, community or the district');
    if (!(FIGURES_LEVELS as readonly string[]).includes(level)) throw badRequest(`parameter "level" must be one of ${FIGURES_LEVELS.join(', ')}, got ${quote(level)}`);
    const figuresLevel = level as FiguresLevel;
    if (withinLevel !== undefined && AREA_LEVELS.indexOf(withinLevel) >= AREA_LEVELS.indexOf(figuresLevel)) {
      throw badRequest(`cannot list ${figuresLevel} areas within a ${withinLevel}: "level" must be finer than "within" (within a ${withinLevel}: ${AREA_LEVELS.slice(AREA_LEVELS.indexOf(withinLevel) + 1).join(', ') || 'none'})`);
    }
    return { level: figuresLevel, filter, rows: await store.analytics.areaFigures(figuresLevel, cases) };
  });

  app.get('/api/analytics/departments', { preHandler: readers }, async (request): Promise<DepartmentFiguresAnswer> => {
    const { filter, cases } = await filterOf(request, []);
    return { filter, rows: await store.analytics.departmentFigures(cases) };
  });

  app.get('/api/analytics/hotspots', { preHandler: readers }, async (request): Promise<HotspotsAnswer> => {
    const { filter, cases } = await filterOf(request, ['by', 'limit']);
    const query = request.query as Query;
    const by = single(query, 'by') ?? 'received';
    if (!(HOTSPOT_MEASURES as readonly string[]).includes(by)) throw badRequest(`parameter "by" must be one of ${HOTSPOT_MEASURES.join(', ')}, got ${quote(by)}`);
    const limit = integer(query, 'limit', DEFAULT_HOTSPOTS, 1, MAX_HOTSPOTS);
    return { by: by as HotspotMeasure, filter, rows: await store.analytics.hotspots(by as HotspotMeasure, limit, cases) };
  });

  app.get('/api/analytics/bins', { preHandler: readers }, async (request): Promise<HexBinsAnswer> => {
    const { filter, cases } = await filterOf(request, ['bbox', 'cell']);
    const query = request.query as Query;
    const box = bbox(query);
    const cell = integer(query, 'cell', DEFAULT_CELL_METERS, MIN_CELL_METERS, MAX_CELL_METERS);
    const { origin, points } = await store.analytics.casePoints(cases, box);
    const binned = binCasePoints(points, { origin, cellMeters: cell, maxBins: MAX_BINS });
    return { filter, cellMeters: binned.cellMeters, maxCount: binned.maxCount, bins: binned.bins };
  });

  // Every role is a staff role: any session may read, within its scope.
  app.get('/api/staffing', { preHandler: requireRole(auth) }, async (request): Promise<StaffingAnswer> => {
    const query = request.query as Query;
    allowOnly(query, ['department', 'within']);
    const actor = await actorOf(request);
    const streetScoped = actor.role === 'street-dispatcher' || actor.role === 'grid-worker';
    const { within } = scopedWithin(query, actor, geography, streetScoped);

    const asked = single(query, 'department');
    if (asked !== undefined && !(await store.catalogue.departments()).some((d) => d.code === asked)) {
      throw badRequest(`parameter "department" must be a department code (see GET /api/departments), got ${quote(asked)}`);
    }
    let department = asked;
    if (actor.role === 'department-staff') {
      if (asked !== undefined && asked !== actor.departmentCode) throw new HttpError(403, 'forbidden', 'department staff read the staffing of their own department');
      department = actor.departmentCode ?? undefined;
      if (department === undefined) throw new HttpError(403, 'forbidden', 'this department-staff account has no department');
    }

    const now = clock.now();
    const staffing = await store.staffing.staffing({ now, ...(department !== undefined ? { departmentCode: department } : {}), ...(within !== undefined ? { within } : {}) });
    return { department: department ?? null, within: within ?? null, now: now.toISOString(), grids: staffing.grids, people: staffing.people };
  });
}
