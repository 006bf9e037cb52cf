import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Ack, WatchResultWire } from '../../core/protocol/cases-api.ts';
import { eventRowOf, LIVE_PROTOCOL, packedEventsOf } from '../../core/protocol/live-wire.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/protocol/socket-events.ts';
import type { Actor } from '../../core/access/actor.ts';
import { canWatchArea } from '../../core/access/case-scope.ts';
import { channelRefusal } from '../../core/access/report-channels.ts';
import type { AuthService } from '../services/auth.service.ts';
import type { CaseLoopService } from '../services/case-loop.service.ts';
import type { GeographyService } from '../services/geography.service.ts';
import type { IntakeService } from '../services/intake.service.ts';
import { StoreUnavailableError } from '../store/sql-client.ts';
import type { Store } from '../store/store.ts';
import { pendingBytes, roomOf, WATCHING_ROOM, type RealtimeServer } from './broadcaster.ts';
import { createSnapshotCoalescer } from './snapshot-coalescer.ts';
import { actorOfHandshake, tokenOfHandshake } from './socket-auth.ts';
import { createTurnstile } from './turnstile.ts';

interface SocketData {
  area?: string;
  /** The signed-in account of the handshake; none for a public reporter. */
  actor?: Actor;
}

type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeDependencies {
  readonly intake: IntakeService;
  readonly store: Store;
  readonly geography: GeographyService;
  readonly auth: AuthService;
  readonly caseLoop: CaseLoopService;
  /** How often watching sockets' sessions are checked again (signed out or expired → disconnected). */
  readonly sessionCheckMs?: number;
  /** More events than this since a client's last sequence, and it gets a fresh snapshot instead. */
  readonly catchUpLimit?: number;
  /** A snapshot of more cases than this is a big answer: at most BIG_ANSWERS_AT_ONCE are on their way at a time. */
  readonly bigSnapshotCases?: number;
  readonly log?: (message: string, error?: unknown) => void;
}

const DEFAULT_CATCH_UP_LIMIT = 5_000;
const DEFAULT_BIG_SNAPSHOT_CASES = 2_000;
/**
 * Each answer is encoded for its own socket: a district snapshot of 50,000 open cases is ~18 MB of
 * JSON, held as a string and again in the socket's buffer until the client has read it. When a wall
 * of dashboards reconnects after falling behind (bench:ingest saw 17 at once), answering all of them
 * at once took the server from ~230 to 821 MB. So big answers go two at a time, each waiting until
 * its socket has taken it (or left, or BIG_ANSWER_DRAIN_MS passed) before the next is encoded. The
 * read waits its turn too where the area's last snapshot was big: 33 dashboards dropped over a
 * saturation run, each holding its own read of ~54,000 rows while it queued, took it to 1,361 MB.
 */
const BIG_ANSWERS_AT_ONCE = 2;
const BIG_ANSWER_DRAINED_BYTES = 256 * 1024;
const BIG_ANSWER_DRAIN_MS = 30_000;

/** A command's place among the big answers, once it has taken one (before its read, or after). */
interface Turn {
  leave?: () => void;
  /** Its socket has disconnected: nobody will take the answer. */
  readonly gone: () => boolean;
}

function failure<T>(code: string, message: string): Ack<T> {
  return { ok: false, error: { code, message } };
}

function isSequence(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * socket.io on the HTTP server: `case:report` into the intake pipeline (acknowledged once stored),
 * `area:watch` (snapshot, or exactly what was missed since a sequence number) and `case:range`
 * (fill a gap from the store). Broadcasting is the broadcaster's job.
 */
export function createRealtimeServer(httpServer: HttpServer, deps: RealtimeDependencies): RealtimeServer {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 256 * 1024,
  });
  const limit = deps.catchUpLimit ?? DEFAULT_CATCH_UP_LIMIT;
  const log = deps.log ?? (() => {});

  const bigSnapshotCases = deps.bigSnapshotCases ?? DEFAULT_BIG_SNAPSHOT_CASES;
  const bigAnswers = createTurnstile(BIG_ANSWERS_AT_ONCE);
  /** Areas whose last snapshot was big: the next one is read only once it is its turn to go out. */
  const bigAreas = new Set<string>();

  // In rows (see live-wire.ts), made by the database once per read and sent as its bytes (SnapshotWire):
  // the dashboards that share a read share those bytes too.
  const snapshotOf = createSnapshotCoalescer(async (area): Promise<WatchResultWire> => {
    const snapshot = await deps.store.cases.liveSnapshot(area);
    if (snapshot.count > bigSnapshotCases) bigAreas.add(area);
    else bigAreas.delete(area);
    return { kind: 'snapshot', area, seq: snapshot.seq, count: snapshot.count, rows: Buffer.from(snapshot.json) };
  });
  const snapshotAnswer = async (area: string, turn: Turn): Promise<WatchResultWire> => {
    if (bigAreas.has(area)) {
      turn.leave ??= await bigAnswers.enter();
      // A dashboard that dropped while it queued (a reconnect storm) is not worth a read; this answer is never sent.
      if (turn.gone()) return { kind: 'snapshot', area, seq: 0, count: 0, rows: Buffer.from('[]') };
    }
    return snapshotOf(area);
  };

  const watchResult = async (area: string, since: number | undefined, turn: Turn): Promise<WatchResultWire> => {
    if (since !== undefined) {
      const max = await deps.store.cases.maxSeq();
      if (since <= max) {
        const events = await deps.store.cases.events(area, since + 1, max, limit);
        if (events) return { kind: 'events', area, from: since + 1, to: max, ...packedEventsOf(events.map(eventRowOf)) };
      }
    }
    return snapshotAnswer(area, turn);
  };
  const isBig = (result: Ack<unknown>): boolean => {
    const data = result.ok ? (result.data as Partial<WatchResultWire> | undefined) : undefined;
    return data?.kind === 'snapshot' && typeof data.count === 'number' && data.count > bigSnapshotCases;
  };
  const drained = async (socket: RealtimeSocket): Promise<void> => {
    const until = Date.now() + BIG_ANSWER_DRAIN_MS;
    while (socket.connected && pendingBytes(socket) > BIG_ANSWER_DRAINED_BYTES && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const guard = async <T>(ack: unknown, work: (turn: Turn) => Promise<Ack<T>>, socket?: RealtimeSocket): Promise<void> => {
    const reply = typeof ack === 'function' ? (ack as (result: Ack<T>) => void) : undefined;
    const turn: Turn = { gone: () => socket?.disconnected === true };
    try {
      const result = await work(turn);
      if (socket && reply && isBig(result)) {
        turn.leave ??= await bigAnswers.enter();
        if (socket.connected) reply(result);
        await drained(socket);
      } else reply?.(result);
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        reply?.({ ok: false, error: { code: 'store_unavailable', message: 'the database is unavailable; retry shortly', retryAfterSeconds: 5 } });
      } else {
        log('socket command failed', error);
        reply?.(failure('internal', 'internal error'));
      }
    } finally {
      turn.leave?.();
    }
  };

  // Who is on the other end, once per connection; a reporter need not sign in, a dashboard must.
  io.use((socket, next) => {
    actorOfHandshake(socket.handshake, deps.auth)
      .then((actor) => {
        if (actor) socket.data.actor = actor;
        next();
      })
      .catch((error: unknown) => next(error instanceof Error ? error : new Error('sign-in check failed')));
  });

  io.on('connection', (socket: RealtimeSocket) => {
    socket.on('case:report', (report, ack) => {
      void guard(ack, async () => {
        const refusal = channelRefusal(report !== null && typeof report === 'object' ? (report as { channel?: unknown }).channel : undefined, socket.data.actor);
        if (refusal) return failure(refusal.code, refusal.message);
        const result = await deps.intake.report(report);
        return result.ok ? { ok: true, data: result.ack } : { ok: false, error: result.error };
      });
    });

    socket.on('area:watch', (request, ack) => {
      void guard<WatchResultWire>(ack, async (turn) => {
        const area = (request as { area?: unknown } | undefined)?.area;
        const since = (request as { since?: unknown } | undefined)?.since;
        // A client from before the version was sent speaks version 1 (events as JSON rows).
        const protocol = (request as { protocol?: unknown } | undefined)?.protocol ?? 1;
        if (protocol !== LIVE_PROTOCOL) return failure('protocol_mismatch', `this server sends live events in protocol ${LIVE_PROTOCOL}, the client reads ${JSON.stringify(protocol)}: load the page again`);
        if (typeof area !== 'string' || deps.geography.name(area) === undefined) return failure('bad_request', `area must be the code of the district, a street, a community or a grid; got ${JSON.stringify(area)}`);
        if (since !== undefined && !isSequence(since)) return failure('bad_request', 'since must be a sequence number (a non-negative integer)');
        const actor = socket.data.actor;
        if (!actor) return failure('unauthenticated', 'sign in first: connect with auth.token (POST /api/session)');
        if (!canWatchArea(actor, area)) {
          log(`refused: ${actor.role} ${actor.accountId} asked to watch ${area}`);
          return failure('forbidden', `a ${actor.role} may not watch ${area}`);
        }
        // Join first, then read: whatever commits in between arrives both ways, and the client drops the repeat.
        // Leave and join in one synchronous step, so that no broadcast tick sees the socket between areas.
        const previous = socket.data.area;
        socket.data.area = area;
        const left = previous !== undefined && previous !== area ? socket.leave(roomOf(previous)) : undefined;
        const joined = socket.join([roomOf(area), WATCHING_ROOM]);
        await Promise.all([left, joined]);
        return { ok: true, data: await watchResult(area, since, turn) };
      }, socket);
    });

    socket.on('case:range', (request, ack) => {
      void guard<WatchResultWire>(ack, async (turn) => {
        const area = socket.data.area;
        if (area === undefined || !socket.data.actor) return failure('bad_request', 'watch an area first (area:watch)');
        const from = (request as { from?: unknown } | undefined)?.from;
        const to = (request as { to?: unknown } | undefined)?.to;
        if (!isSequence(from) || !isSequence(to) || from > to) return failure('bad_request', 'from and to must be sequence numbers with from ≤ to');
        const events = await deps.store.cases.events(area, from, to, limit);
        if (events) return { ok: true, data: { kind: 'events', area, from, to, ...packedEventsOf(events.map(eventRowOf)) } };
        return { ok: true, data: await snapshotAnswer(area, turn) };
      }, socket);
    });

    socket.on('case:command', (request, ack) => {
      void guard(ack, async () => {
        const actor = socket.data.actor;
        if (!actor) return failure('unauthenticated', 'sign in first: connect with auth.token (POST /api/session)');
        const caseNumber = (request as { caseNumber?: unknown } | undefined)?.caseNumber;
        if (typeof caseNumber !== 'string' || caseNumber.length > 64) return failure('bad_request', 'caseNumber must be a case number');
        const result = await deps.caseLoop.command(caseNumber, (request as { command?: unknown }).command, actor);
        if (result.ok) return { ok: true, data: { case: result.case, event: result.event } };
        if (result.status === 403 || result.outOfScope) log(`refused: ${actor.role} ${actor.accountId} ${result.outOfScope ? 'out_of_scope' : result.error.code} on ${caseNumber}`);
        return failure(result.error.code, result.error.message);
      });
    });
  });
  // A session can end while its socket stays open (signed out, expired, account disabled): signed-in
  // sockets are checked again now and then, and those whose session ended are disconnected; they
  // reconnect as nobody and are refused the watch. One read for all of them: a query per socket
  // (200 dashboards) queued ahead of intake's transactions in the pool once a minute, and under
  // bench:ingest's 1,000 cases/s each such round held intake up for ~0.2 s.
  let checking = false;
  const sessionCheck = setInterval(() => {
    if (checking) return;
    const signedIn = [...io.of('/').sockets.values()].filter((socket) => socket.data.actor);
    if (signedIn.length === 0) return;
    const tokenOf = new Map(signedIn.map((socket) => [socket, tokenOfHandshake(socket.handshake)]));
    checking = true;
    deps.auth
      .liveTokens([...new Set([...tokenOf.values()].filter((t): t is string => t !== undefined))])
      .then((live) => {
        for (const [socket, token] of tokenOf) {
          if (token !== undefined && live.has(token)) continue;
          log(`session ended: disconnecting ${socket.data.actor?.accountId ?? 'a socket'}`);
          socket.disconnect(true);
        }
      })
      .catch(() => {
        // The store is down: keep the sockets; the next check decides.
      })
      .finally(() => (checking = false));
  }, deps.sessionCheckMs ?? 60_000);
  sessionCheck.unref();
  return io;
}
