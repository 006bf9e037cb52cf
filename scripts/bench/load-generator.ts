/**
 * The intake benchmark's load: reports over socket.io `case:report` from a few sockets, either as
 * fast as the server acknowledges them with a bounded window of unacknowledged reports
 * (saturation), or at a fixed rate paced against the clock (the schedule says how many should
 * have been sent by now; a late timer sends the deficit, so there is no drift).
 *
 * Every report has a distinct reportId, a point inside a grid of the district (drawn uniformly over
 * the district, kept if the in-process router finds a grid), a category from the catalogue, and
 * `bench p=<phase> t=<epoch ms>` in its description so that the dashboards can time its delivery.
 */
import { io, type Socket } from 'socket.io-client';
import type { MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { bboxOf } from '../../core/geo/multipolygon-measures.ts';
import { createGridRouter, type GridRouter } from '../../core/grid/grid-router.ts';
import type { Ack, CaseAck } from '../../core/protocol/cases-api.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/protocol/socket-events.ts';
import { createRandom, type Random } from '../geodata/seeded-random.ts';
import { LatencyHistogram, type Percentiles } from './stats.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const CHANNELS = ['patrol', 'hotline', 'resident-app', 'sensor', 'video'] as const;

export interface PointSource {
  /** A point inside a grid of the district, with that grid's street. */
  next(): { lng: number; lat: number; street: string };
}

export function createPointSource(grids: readonly { code: string; rings: MultiPolygonRings }[], district: MultiPolygonRings, seed: number): PointSource {
  const router: GridRouter = createGridRouter(grids);
  const [minX, minY, maxX, maxY] = bboxOf(district);
  const random: Random = createRandom(seed);
  return {
    next() {
      for (;;) {
        // 7 decimals, as a phone would send; the router decides on the same rounded point.
        const lng = Math.round((minX + random() * (maxX - minX)) * 1e7) / 1e7;
        const lat = Math.round((minY + random() * (maxY - minY)) * 1e7) / 1e7;
        const index = router.locate(lng, lat);
        if (index >= 0) return { lng, lat, street: router.codeAt(index).slice(0, 9) };
      }
    },
  };
}

export interface PhaseLoad {
  readonly phase: string;
  readonly durationMs: number;
  readonly sent: number;
  /** Reports acknowledged as stored (new cases, not replays), in the window and in all. */
  readonly ackedInWindow: number;
  readonly acked: number;
  /** Refused with a reason (invalid, outside, store unavailable): counted, never stored. */
  readonly rejected: number;
  /** Sent but never answered (the connection dropped, or no answer before the deadline). */
  readonly unanswered: number;
  /** Sends the pacer could not make because the window of unanswered reports was full. */
  readonly throttled: number;
  /** send → durable acknowledgement, ms. */
  readonly ackLatency: Percentiles;
  /** Acknowledged case ids (ascending) and each one's street code, for the completeness check. */
  readonly ids: number[];
  readonly streets: (string | null)[];
  /** A few case numbers to look up in the store afterwards. */
  readonly sampleNumbers: string[];
  readonly firstRejection: string | undefined;
  /** Why the phase stopped early (the server died, a socket dropped); its figures cover the time until then. */
  readonly failure: string | undefined;
}

interface Pending {
  readonly sentAt: number;
}

export class LoadGenerator {
  private sockets: ClientSocket[] = [];
  private dropReason: string | undefined;
  private next = 0;
  private serial = 0;
  private readonly categoryRandom: Random;
  private readonly channelRandom: Random;

  constructor(
    private url: string,
    private readonly socketCount: number,
    private readonly points: PointSource,
    private readonly categories: readonly string[],
    private readonly runTag: string,
  ) {
    this.categoryRandom = createRandom(7);
    this.channelRandom = createRandom(11);
  }

  /** Opens the sockets (again: a phase that lost one starts the next on fresh ones). */
  /** A staff session: reports on staff channels need one (the naive baseline ignores it). */
  token: string | undefined;

  async connect(url = this.url): Promise<void> {
    this.close();
    this.url = url;
    this.dropReason = undefined;
    this.sockets = await Promise.all(
      Array.from({ length: this.socketCount }, () => {
        const socket: ClientSocket = io(this.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000, ...(this.token ? { auth: { token: this.token } } : {}) });
        return new Promise<ClientSocket>((resolve, reject) => {
          socket.once('connect', () => {
            socket.once('disconnect', (reason) => (this.dropReason ??= `a load socket was disconnected (${reason})`));
            resolve(socket);
          });
          socket.once('connect_error', reject);
        });
      }),
    );
  }

  /** Undefined while every socket is connected. */
  dropped(): string | undefined {
    return this.dropReason;
  }

  close(): void {
    const sockets = this.sockets;
    this.sockets = [];
    for (const s of sockets) {
      s.removeAllListeners();
      s.disconnect();
    }
  }

  /**
   * Runs one phase. `rate` undefined: saturation, keeping `window` reports unanswered at all times.
   * `rate` given: paced at that many per second, never more than `window` unanswered.
   * `abort` is checked continually (the server under test died). After the window closes, the
   * reports still unanswered get `drainMs` to be answered.
   */
  async run(options: {
    phase: string;
    durationMs: number;
    window: number;
    rate?: number;
    drainMs: number;
    abort: () => string | undefined;
    /** Called when sending stops, before the last answers are awaited. */
    onWindowClosed?: () => void;
  }): Promise<PhaseLoad> {
    const { phase, durationMs, window, rate } = options;
    const ackLatency = new LatencyHistogram(120_000);
    const acked: { id: number; street: string | null; number: string }[] = [];
    const pending = new Map<number, Pending>();
    let sent = 0;
    let ackedInWindow = 0;
    let rejected = 0;
    let throttled = 0;
    let firstRejection: string | undefined;
    const started = Date.now();
    const end = started + durationMs;
    let windowOpen = true;
    let wake: (() => void) | undefined;

    const onAck = (key: number, result: Ack<CaseAck>): void => {
      const p = pending.get(key);
      if (!p) return;
      pending.delete(key);
      const now = Date.now();
      ackLatency.add(now - p.sentAt);
      if (result.ok) {
        if (!result.data.replayed) {
          acked.push({ id: result.data.caseId, street: result.data.street?.code ?? null, number: result.data.caseNumber });
          if (now <= end) ackedInWindow++;
        }
      } else {
        rejected++;
        firstRejection ??= `${result.error.code}: ${result.error.message}`;
      }
      if (windowOpen && rate === undefined) pump();
      if (pending.size === 0) wake?.();
    };

    const sendOne = (): void => {
      const socket = this.sockets[this.next++ % this.sockets.length]!;
      const key = this.serial++;
      const point = this.points.next();
      const now = Date.now();
      const report = {
        reportId: `bench-${this.runTag}-${phase}-${key}`,
        category: this.categories[Math.floor(this.categoryRandom() * this.categories.length)]!,
        lng: point.lng,
        lat: point.lat,
        channel: CHANNELS[Math.floor(this.channelRandom() * CHANNELS.length)]!,
        description: `bench p=${phase} t=${now}`,
      };
      pending.set(key, { sentAt: now });
      sent++;
      socket.emit('case:report', report, (result: Ack<CaseAck>) => onAck(key, result));
    };

    const pump = (): void => {
      while (pending.size < window && Date.now() < end) sendOne();
    };

    const failure = (): string | undefined => options.abort() ?? this.dropReason;

    if (rate === undefined) {
      pump();
      while (Date.now() < end && !failure()) await new Promise((r) => setTimeout(r, 20));
    } else {
      while (Date.now() < end && !failure()) {
        const due = Math.min(Math.floor(((Date.now() - started) * rate) / 1000), Math.floor((durationMs * rate) / 1000));
        while (sent < due) {
          if (pending.size >= window) {
            throttled += due - sent;
            sent = due; // counted as not sent: the schedule moves on instead of bursting later
            break;
          }
          sendOne();
        }
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    windowOpen = false;
    options.onWindowClosed?.();
    const windowMs = Math.min(Date.now(), end) - started;

    // Let the unanswered reports be answered (their acks count in `acked`, not in the window's rate).
    const drainUntil = Date.now() + options.drainMs;
    while (pending.size > 0 && Date.now() < drainUntil && !failure()) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    wake = undefined;

    acked.sort((a, b) => a.id - b.id);
    const sampleEvery = Math.max(1, Math.floor(acked.length / 100));
    return {
      phase,
      durationMs: windowMs,
      sent: sent - throttled,
      ackedInWindow,
      acked: acked.length,
      rejected,
      unanswered: pending.size,
      throttled,
      ackLatency: ackLatency.summary(),
      ids: acked.map((a) => a.id),
      streets: acked.map((a) => a.street),
      sampleNumbers: acked.filter((_, i) => i % sampleEvery === 0).map((a) => a.number),
      firstRejection,
      failure: failure(),
    };
  }
}
