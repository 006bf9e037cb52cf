import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Actor, Role } from '../../core/access/actor.ts';
import type { AuthService } from '../services/auth.service.ts';

/** The session cookie: HttpOnly, SameSite=Strict, Path=/. */
export const SESSION_COOKIE = 'gc_session';

/** The cookies of a `Cookie` header (RFC 6265 `name=value; name2=value2`); the first of a repeated name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name === '' || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/** The session token of a request: `Authorization: Bearer …` first, else the `gc_session` cookie. */
export function tokenOf(headers: { readonly authorization?: string | undefined; readonly cookie?: string | undefined }): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer) return bearer[1];
  return parseCookies(headers.cookie).get(SESSION_COOKIE) || undefined;
}

/** `Set-Cookie` for a new session (`Secure` when the request came over HTTPS). */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}${secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}

// Per request: checked once however many guards and handlers ask.
const actors = new WeakMap<FastifyRequest, Promise<Actor | undefined>>();

/** The actor of the request's session (bearer token or cookie), or undefined; looked up once per request. */
export function authenticateRequest(request: FastifyRequest, auth: AuthService): Promise<Actor | undefined> {
  let actor = actors.get(request);
  if (!actor) {
    actor = auth.authenticate(tokenOf(request.headers));
    actors.set(request, actor);
  }
  return actor;
}

/**
 * The actor a `requireRole` guard let through, for the route handler after it. Throws when the
 * route has no guard: a handler that needs an actor must be guarded.
 */
export async function actorOf(request: FastifyRequest): Promise<Actor> {
  const actor = await actors.get(request);
  if (!actor) throw new Error(`${request.method} ${request.routeOptions.url ?? request.url} reads the actor without a requireRole guard`);
  return actor;
}

function refuse(reply: FastifyReply, status: 401 | 403, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

/**
 * A preHandler that lets through a live session of one of `roles` (any role when none is given):
 * 401 `unauthenticated` without one, 403 `forbidden` for another role. The handler then gets the
 * actor with `actorOf(request)`.
 *
 *   app.post('/api/cases/:number/accept', { preHandler: requireRole(auth, 'grid-worker', 'department-staff') }, handler)
 */
export function requireRole(auth: AuthService, ...roles: Role[]): preHandlerAsyncHookHandler {
  return async function guard(request, reply) {
    const actor = await authenticateRequest(request, auth);
    if (!actor) return refuse(reply, 401, 'unauthenticated', 'sign in first (POST /api/session)');
    if (roles.length > 0 && !roles.includes(actor.role)) return refuse(reply, 403, 'forbidden', `a ${actor.role} may not do this`);
  };
}
