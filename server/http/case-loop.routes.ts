import type { FastifyInstance } from 'fastify';
import { COMMAND_TEXT_LIMIT } from '../../core/case-loop/case-command.ts';
import type { CaseLoopService } from '../services/case-loop.service.ts';
import type { AuthService } from '../services/auth.service.ts';
import { actorOf, requireRole } from './authenticate.ts';
import { HttpError, notFound } from './http-error.ts';
import { allowOnly, type Query } from './query-params.ts';
import type { Store } from '../store/store.ts';

const CASE_NUMBER = /^[A-Z]{1,8}\d{8}-\d{7,}$/;
/** A command is a few fields of text; the photos are references, not images. */
export const COMMAND_BODY_LIMIT_BYTES = 8 * COMMAND_TEXT_LIMIT + 32 * 1024;

/**
 * The case loop over HTTP: POST /api/cases/:number/commands ({type, …}: the state machine decides,
 * by role, scope and state) and GET /api/cases/:number/timeline (every event, with its hash).
 * Out-of-scope cases answer 404, as if they did not exist.
 */
export function registerCaseLoopRoutes(app: FastifyInstance, caseLoop: CaseLoopService, auth: AuthService, store: Store): void {
  app.post('/api/cases/:number/commands', { preHandler: requireRole(auth), bodyLimit: COMMAND_BODY_LIMIT_BYTES }, async (request, reply) => {
    if (!request.headers['content-type']?.startsWith('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the command as application/json');
    allowOnly(request.query as Query, []);
    const { number } = request.params as { number: string };
    if (!CASE_NUMBER.test(number)) throw notFound(`no case ${number.slice(0, 40)}`);
    const actor = await actorOf(request);
    const result = await caseLoop.command(number, request.body, actor);
    if (!result.ok) {
      if (result.status === 403 || result.outOfScope) request.log.warn({ actor: actor.accountId, role: actor.role, case: number, code: result.outOfScope ? 'out_of_scope' : result.error.code }, 'case command refused');
      return reply.code(result.status).send({ error: result.error });
    }
    return reply.code(200).send({ case: result.case, event: result.event });
  });

  app.get('/api/cases/:number/timeline', { preHandler: requireRole(auth) }, async (request) => {
    allowOnly(request.query as Query, []);
    const { number } = request.params as { number: string };
    const actor = await actorOf(request);
    const found = CASE_NUMBER.test(number) ? await caseLoop.timeline(number, actor) : undefined;
    if (found === 'out-of-scope') request.log.warn({ actor: actor.accountId, role: actor.role, case: number }, 'case read refused: out of scope');
    if (!found || found === 'out-of-scope') throw notFound(`no case ${number.slice(0, 40)}`);
    // Who acted, by name: the intake and the scheduler are the system; people are their accounts.
    const names = new Map<string, string>();
    for (const actor of new Set(found.events.map((e) => e.event.actor))) {
      if (actor.startsWith('system')) names.set(actor, 'Grid Command');
      else names.set(actor, (await store.accounts.byId(actor))?.displayName ?? actor);
    }
    return {
      number,
      status: found.state.status,
      tier: found.state.tier,
      events: found.events.map((e) => ({ seq: e.seq, type: e.event.type, actor: e.event.actor, actorName: names.get(e.event.actor) ?? e.event.actor, at: e.event.at, data: e.event.data, prevHash: e.prevHash, hash: e.hash })),
    };
  });
}
