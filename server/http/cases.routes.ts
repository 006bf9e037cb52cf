import type { FastifyInstance, FastifyReply } from 'fastify';
import { levelOfCode } from '../../core/geography/area-code.ts';
import type { BulkResult } from '../../core/protocol/cases-api.ts';
import { canSeeCase, canWatchArea } from '../../core/access/case-scope.ts';
import { scopeOfSummary } from '../../core/cases/case-summary.ts';
import type { AuthService } from '../services/auth.service.ts';
import type { GeographyService } from '../services/geography.service.ts';
import type { IntakeResult, IntakeService } from '../services/intake.service.ts';
import type { Store } from '../store/store.ts';
import { badRequest, HttpError, notFound } from './http-error.ts';
import { channelRefusal, FILING_ROLES, needsStaff } from '../../core/access/report-channels.ts';
import { actorOf, authenticateRequest, requireRole } from './authenticate.ts';
import { allowOnly, single, type Query } from './query-params.ts';

export const REPORT_BODY_LIMIT_BYTES = 64 * 1024;
export const BULK_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
export const BULK_MAX_REPORTS = 10_000;

function send(reply: FastifyReply, result: IntakeResult): FastifyReply {
  if (result.ok) return reply.code(result.ack.replayed ? 200 : 201).send(result.ack);
  if (result.status === 503) reply.header('retry-after', String(result.error.retryAfterSeconds ?? 5));
  return reply.code(result.status).send({ error: result.error });
}

/** NDJSON: one report per line; blank lines are skipped; a bad line is an error naming it. */
function parseNdjson(text: string): unknown[] {
  const reports: unknown[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      reports.push(JSON.parse(line));
    } catch (error) {
      throw badRequest(`line ${i + 1} is not JSON: ${(error as Error).message}`);
    }
  });
  return reports;
}

/**
 * POST /api/cases (one report, JSON), POST /api/cases/bulk (NDJSON or a JSON array, ≤ 10,000),
 * GET /api/cases/:number, GET /api/cases?area=CODE (open cases of an area).
 */
export function registerCaseRoutes(app: FastifyInstance, intake: IntakeService, store: Store, geography: GeographyService, auth: AuthService): void {
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  app.post('/api/cases', { bodyLimit: REPORT_BODY_LIMIT_BYTES }, async (request, reply) => {
    if (!request.headers['content-type']?.startsWith('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the report as application/json');
    const channel = request.body !== null && typeof request.body === 'object' ? (request.body as { channel?: unknown }).channel : undefined;
    // Only a staff channel needs the session looked up: a resident's report costs no query for it.
    const refusal = channelRefusal(channel, needsStaff(channel) ? await authenticateRequest(request, auth) : undefined);
    if (refusal) throw new HttpError(refusal.status, refusal.code, refusal.message);
    return send(reply, await intake.report(request.body));
  });

  // Bulk is for the hotline's and sensors' systems: staff accounts only.
  app.post('/api/cases/bulk', { bodyLimit: BULK_BODY_LIMIT_BYTES, preHandler: requireRole(auth, ...FILING_ROLES) }, async (request, reply) => {
    const type = request.headers['content-type'] ?? '';
    let reports: unknown[];
    if (type.startsWith('application/x-ndjson')) reports = parseNdjson(request.body as string);
    else if (type.startsWith('application/json')) {
      if (!Array.isArray(request.body)) throw badRequest('a JSON bulk body must be an array of reports');
      reports = request.body;
    } else throw new HttpError(415, 'unsupported_media_type', 'send application/x-ndjson (one report per line) or a JSON array');
    if (reports.length === 0) throw badRequest('no reports in the body');
    if (reports.length > BULK_MAX_REPORTS) throw new HttpError(413, 'too_many_reports', `${reports.length} reports; at most ${BULK_MAX_REPORTS} per request`);
    const actor = await actorOf(request);
    reports.forEach((r, i) => {
      const refusal = channelRefusal(r !== null && typeof r === 'object' ? (r as { channel?: unknown }).channel : undefined, actor);
      if (refusal) throw new HttpError(refusal.status, refusal.code, `report ${i + 1}: ${refusal.message}`);
    });
    const results = await intake.reportMany(reports, 'hotline');
    const accepted = results.filter((r) => r.ok).length;
    const body: BulkResult = {
      accepted,
      rejected: results.length - accepted,
      results: results.map((r) => (r.ok ? { ok: true, data: r.ack } : { ok: false, error: r.error })),
    };
    if (accepted === 0 && results.every((r) => !r.ok && r.status === 503)) return reply.code(503).header('retry-after', '5').send(body);
    return reply.code(200).send(body);
  });

  // Reading cases needs a session, and answers only within the account's scope (404 outside it).
  app.get('/api/cases/:number', { preHandler: requireRole(auth) }, async (request) => {
    allowOnly(request.query as Query, []);
    const { number } = request.params as { number: string };
    const found = /^[A-Z]{1,8}\d{8}-\d{7,}$/.test(number) ? await store.cases.byNumber(number) : undefined;
    const actor = await actorOf(request);
    if (found && !canSeeCase(actor, scopeOfSummary(found))) {
      request.log.warn({ actor: actor.accountId, role: actor.role, case: number }, 'case read refused: out of scope');
      throw notFound(`no case ${number.slice(0, 40)}`);
    }
    if (!found) throw notFound(`no case ${number.slice(0, 40)}`);
    return found;
  });

  app.get('/api/cases', { preHandler: requireRole(auth) }, async (request) => {
    const query = request.query as Query;
    allowOnly(query, ['area']);
    const area = single(query, 'area');
    if (area === undefined || !levelOfCode(area) || geography.name(area) === undefined) throw badRequest('parameter "area" must be the code of the district, a street, a community or a grid');
    const actor = await actorOf(request);
    if (!canWatchArea(actor, area)) {
      request.log.warn({ actor: actor.accountId, role: actor.role, area }, 'area read refused: out of scope');
      throw new HttpError(403, 'forbidden', `a ${actor.role} may not list the cases of ${area}`);
    }
    return store.cases.snapshot(area);
  });
}
