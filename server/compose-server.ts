import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { systemClock, type Clock } from '../core/time/clock.ts';
import { createApp } from './app.ts';
import type { Open311Options } from './http/open311/open311.routes.ts';
import { createBroadcaster, type Broadcaster, type RealtimeServer } from './realtime/broadcaster.ts';
import { createRealtimeServer } from './realtime/realtime-server.ts';
import { BEIJING_OFFICE_HOURS, type WorkingCalendar } from '../core/calendar/working-calendar.ts';
import { DEFAULT_ESCALATION_RULES, type EscalationRule } from '../core/case-loop/escalation-rules.ts';
import { createAuthService, type AuthService } from './services/auth.service.ts';
import { createCaseLoopService, type CaseLoopService } from './services/case-loop.service.ts';
import { createDeadlineScheduler, type DeadlineScheduler } from './services/deadline-scheduler.ts';
import { createGeographyService, type GeographyService } from './services/geography.service.ts';
import { createIntakeService, type CommittedBatch, type IntakeOptions, type IntakeService } from './services/intake.service.ts';
import type { Store } from './store/store.ts';

export interface ServerOptions {
  readonly logLevel?: string;
  readonly clientDir?: string;
  /** Share broadcasts with other server processes through Redis. */
  readonly redisUrl?: string;
  readonly redisKeyPrefix?: string;
  readonly clock?: Clock;
  readonly intake?: Partial<IntakeOptions>;
  readonly broadcastTickMs?: number;
  /** Events a reconnecting client may replay before it gets a snapshot instead (default 5,000). */
  readonly catchUpLimit?: number;
  /** Snapshots of more cases than this are answered two at a time (default 2,000). */
  readonly bigSnapshotCases?: number;
  readonly heartbeatMs?: number;
  /** A socket with more than this many bytes waiting to be sent is dropped as too slow (default 16 MB: see broadcaster.ts). */
  readonly maxPendingBytes?: number;
  /** How often signed-in sockets' sessions are checked again (default 60 s). */
  readonly sessionCheckMs?: number;
  /** Working hours for deadlines (default: Beijing office hours). */
  readonly calendar?: WorkingCalendar;
  /** Escalation rules (default: DEFAULT_ESCALATION_RULES). */
  readonly escalationRules?: readonly EscalationRule[];
  /** How often the deadline scheduler sweeps; 0 turns it off (tests drive `scheduler.sweep()` themselves). */
  readonly deadlineSweepMs?: number;
  readonly log?: (message: string, error?: unknown) => void;
  /** Open311 GeoReport v2: API keys besides the store's (OPEN311_API_KEYS), discovery texts. */
  readonly open311?: Open311Options;
}

export interface ComposedServer {
  readonly app: FastifyInstance;
  readonly io: RealtimeServer;
  readonly geography: GeographyService;
  readonly intake: IntakeService;
  /** Sign-in, sessions and accounts (lock-out counters live here, per process). */
  readonly auth: AuthService;
  readonly caseLoop: CaseLoopService;
  readonly scheduler: DeadlineScheduler;
  readonly broadcaster: Broadcaster;
  /** Stops taking work, waits for the intake in flight, closes sockets and HTTP (not the store). */
  close(): Promise<void>;
}

/**
 * Builds the whole server around a store: the router, the intake pipeline, HTTP routes, socket.io
 * with its broadcaster (and the Redis adapter when configured). The composition root (main.ts) and
 * the tests both start servers through here, so they run the same wiring.
 */
export async function composeServer(store: Store, options: ServerOptions = {}): Promise<ComposedServer> {
  const geography = await createGeographyService(store);
  const [catalogue, departments, district] = await Promise.all([
    store.catalogue.catalogue(),
    store.catalogue.departments(),
    store.geography.features('district', { limit: 1, offset: 0 }),
  ]);
  const districtCode = (JSON.parse(district) as { features: { id: string }[] }).features[0]?.id;
  if (!districtCode) throw new Error('the store has no district');

  // The intake publishes after each commit; the broadcaster exists once socket.io is attached.
  const publisher: { broadcaster?: Broadcaster } = {};
  const intake = createIntakeService({
    store,
    geography,
    catalogue,
    departments,
    clock: options.clock ?? systemClock,
    publish: (batch: CommittedBatch) => publisher.broadcaster?.publish(batch),
    // One calendar for every deadline: the intake's and the case loop's.
    options: { ...options.intake, ...(options.calendar ? { calendar: options.calendar } : {}) },
  });
  const auth = createAuthService({ store, clock: options.clock ?? systemClock, ...(options.log ? { log: options.log } : {}) });
  const calendar = options.calendar ?? BEIJING_OFFICE_HOURS;
  const caseLoop = createCaseLoopService({
    store,
    geography,
    clock: options.clock ?? systemClock,
    calendar,
    publish: (batch: CommittedBatch) => publisher.broadcaster?.publish(batch),
  });
  const scheduler = createDeadlineScheduler({
    store,
    caseLoop,
    clock: options.clock ?? systemClock,
    calendar,
    rules: options.escalationRules ?? DEFAULT_ESCALATION_RULES,
    intervalMs: options.deadlineSweepMs ?? 30_000,
    ...(options.log ? { log: options.log } : {}),
  });
  const app = await createApp({
    store,
    geography,
    intake,
    auth,
    caseLoop,
    clock: options.clock ?? systemClock,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.clientDir ? { clientDir: options.clientDir } : {}),
    ...(options.open311 ? { open311: options.open311 } : {}),
  });
  const io = createRealtimeServer(app.server, {
    intake,
    store,
    geography,
    auth,
    caseLoop,
    ...(options.catchUpLimit !== undefined ? { catchUpLimit: options.catchUpLimit } : {}),
    ...(options.bigSnapshotCases !== undefined ? { bigSnapshotCases: options.bigSnapshotCases } : {}),
    ...(options.sessionCheckMs !== undefined ? { sessionCheckMs: options.sessionCheckMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const redisClients: { quit(): Promise<unknown> }[] = [];
  if (options.redisUrl) {
    const pub = createClient({ url: options.redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (error) => options.log?.('redis', error));
    sub.on('error', (error) => options.log?.('redis', error));
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    // The adapter is typed against an older redis client shape; the clients are the same at run time.
    io.adapter(createAdapter(pub as never, sub as never, { key: options.redisKeyPrefix ?? 'grid-command' }));
  }
  const broadcaster = createBroadcaster(io, {
    districtCode,
    tickMs: options.broadcastTickMs ?? 50,
    heartbeatMs: options.heartbeatMs ?? 5_000,
    ...(options.maxPendingBytes !== undefined ? { maxPendingBytes: options.maxPendingBytes } : {}),
    maxSeq: () => store.cases.maxSeq(),
    roomsAreLocal: !options.redisUrl,
  });
  publisher.broadcaster = broadcaster;
  if ((options.deadlineSweepMs ?? 30_000) > 0) scheduler.start();

  return {
    app,
    io,
    geography,
    intake,
    auth,
    caseLoop,
    scheduler,
    broadcaster,
    async close() {
      await scheduler.stop();
      await intake.idle();
      broadcaster.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await app.close();
      await Promise.all(redisClients.map((c) => c.quit().catch(() => {})));
    },
  };
}
