import type { Socket } from 'socket.io';
import type { Actor } from '../../core/access/actor.ts';
import { tokenOf } from '../http/authenticate.ts';
import type { AuthService } from '../services/auth.service.ts';

type Handshake = Socket['handshake'];

/**
 * The actor of a socket.io connection: the token the client sent as `io(url, { auth: { token } })`,
 * else the `gc_session` cookie the browser sent with the handshake (or an `Authorization: Bearer`
 * header, for clients that can set one). Undefined without a live session.
 *
 *   io.use(async (socket, next) => { socket.data.actor = await actorOfHandshake(socket.handshake, auth); next(); });
 */
export async function actorOfHandshake(handshake: Pick<Handshake, 'auth' | 'headers'>, auth: AuthService): Promise<Actor | undefined> {
  return auth.authenticate(tokenOfHandshake(handshake));
}

/** The session token a connection presented, if any (kept to re-check the session later). */
export function tokenOfHandshake(handshake: Pick<Handshake, 'auth' | 'headers'>): string | undefined {
  const fromAuth = (handshake.auth as Record<string, unknown> | undefined)?.['token'];
  return typeof fromAuth === 'string' && fromAuth !== '' ? fromAuth : tokenOf({ authorization: handshake.headers.authorization, cookie: handshake.headers.cookie });
}
