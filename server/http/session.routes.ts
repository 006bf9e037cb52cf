import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionAnswer, SignInAnswer } from '../../core/protocol/session-api.ts';
import { MAX_PASSWORD_LENGTH, SESSION_HOURS, type AuthService } from '../services/auth.service.ts';
import { authenticateRequest, clearedSessionCookie, sessionCookie, tokenOf } from './authenticate.ts';
import { badRequest, HttpError } from './http-error.ts';

export const SESSION_BODY_LIMIT_BYTES = 8 * 1024;

/** `{username, password}` and nothing else; messages name the fields, never quote their values. */
function credentials(body: unknown): { username: string; password: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('send {"username": …, "password": …} as a JSON object');
  const unknown = Object.keys(body).filter((k) => k !== 'username' && k !== 'password');
  if (unknown.length > 0) throw badRequest(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')}: only "username" and "password"`);
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== 'string' || username.trim() === '' || username.length > 256) throw badRequest('"username" must be a non-empty string (at most 256 characters)');
  if (typeof password !== 'string' || password === '' || password.length > MAX_PASSWORD_LENGTH * 4) throw badRequest('"password" must be a non-empty string');
  return { username, password };
}

const secure = (request: FastifyRequest): boolean => request.protocol === 'https';

/**
 * POST /api/session `{username, password}` → 200 `{token, actor, expiresAt}` and the session cookie;
 * GET /api/session → 200 `{actor}`, with `actor: null` when there is no live session (none sent, made
 * up, expired, signed out, disabled): asking whether one is signed in is not an error, so an anonymous
 * page load logs no 401; DELETE /api/session → 204 (the session ends, the cookie goes).
 */
export function registerSessionRoutes(app: FastifyInstance, auth: AuthService): void {
  app.post('/api/session', { bodyLimit: SESSION_BODY_LIMIT_BYTES }, async (request, reply) => {
    if (!request.headers['content-type']?.startsWith('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the credentials as application/json');
    const { username, password } = credentials(request.body);
    const result = await auth.signIn(username, password, request.ip);
    if (!result.ok) {
      if (result.retryAfterSeconds !== undefined) reply.header('retry-after', String(result.retryAfterSeconds));
      return reply.code(result.status).send({
        error: { code: result.code, message: result.message, ...(result.retryAfterSeconds !== undefined ? { retryAfterSeconds: result.retryAfterSeconds } : {}) },
      });
    }
    reply.header('set-cookie', sessionCookie(result.token, SESSION_HOURS * 3600, secure(request)));
    reply.header('cache-control', 'no-store');
    return reply.code(200).send({ token: result.token, actor: result.actor, expiresAt: result.expiresAt.toISOString() } satisfies SignInAnswer);
  });

  app.get('/api/session', async (request, reply) => {
    const actor = await authenticateRequest(request, auth);
    reply.header('cache-control', 'no-store');
    return { actor: actor ?? null } satisfies SessionAnswer;
  });

  app.delete('/api/session', async (request, reply) => {
    const token = tokenOf(request.headers);
    if (token) await auth.signOut(token);
    reply.header('set-cookie', clearedSessionCookie(secure(request)));
    return reply.code(204).send();
  });
}
