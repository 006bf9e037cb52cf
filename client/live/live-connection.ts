import { io, type Socket } from 'socket.io-client';
import type { Ack, WatchResult, WatchResultWire } from '../../core/protocol/cases-api.ts';
import { eventBatchOf, LIVE_PROTOCOL, type LiveCase, type LiveEvent, watchResultOf } from '../../core/protocol/live-wire.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/protocol/socket-events.ts';
import { LiveFeed } from '../../core/realtime/live-feed.ts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Where the live connection stands, as the header badge and the wall show it:
 * - `connecting`: the first connection and snapshot are on their way;
 * - `live`: watching, every event applied as it arrives;
 * - `reconnecting`: the connection dropped at `lostAt`; socket.io retries by itself (the badge says
 *   "offline since HH:MM" once that has lasted a while or the browser itself is offline);
 * - `catching-up`: connected again, fetching what was missed since the last sequence seen;
 * - `refused`: the server will not serve this watch (signed out, out of scope): retrying is no use.
 */
export type ConnectionState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live' }
  | { readonly kind: 'reconnecting'; readonly lostAt: number; readonly attempt: number }
  | { readonly kind: 'catching-up'; readonly lostAt: number | undefined }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };

export interface LiveHandlers {
  onState(state: ConnectionState): void;
  /** A snapshot replaced everything (first watch, or a gap too large to replay). */
  onReset(cases: Iterable<LiveCase>): void;
  /** Events applied, in sequence order: live ones and, after a reconnect, the ones missed. */
  onEvents(events: readonly LiveEvent[]): void;
  /** The server says this session is over (the watch was refused as unauthenticated, or the server dropped the socket). */
  onSessionEnded(): void;
  /** The server speaks another version of the live wire (`protocol_mismatch`): this page's code is older or newer than the server's. */
  onProtocolChanged(): void;
}

export interface LiveConnectionOptions {
  /** The server's origin; the page's own by default. */
  readonly url?: string;
  readonly area: string;
  readonly handlers: LiveHandlers;
  /** For tests: how the socket is made. */
  readonly connect?: (url: string) => LiveSocket;
}

const WATCH_TIMEOUT_MS = 30_000;
const RANGE_TIMEOUT_MS = 30_000;
const WATCH_RETRY_MS = 3_000;

/** The browser's socket: WebSocket only (no sticky sessions needed), the session cookie authenticates the handshake, retries forever. */
export function connectSocket(url: string): LiveSocket {
  return io(url, {
    transports: ['websocket'],
    withCredentials: true,
    reconnection: true,
    reconnectionAttempts: Number.POSITIVE_INFINITY,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 5_000,
    randomizationFactor: 0.3,
    timeout: 10_000,
  });
}

/**
 * One watched area over socket.io, kept exact by the shared LiveFeed: `area:watch` on every
 * (re)connection, with `since` = the last sequence applied once there is one, so a server restart
 * or a network cut costs the missed events only, fetched from the store; `case:range` fills gaps;
 * marks and heartbeats feed the watermark. Every timer it starts is cleared by `close`.
 */
export class LiveConnection {
  readonly feed: LiveFeed;
  private readonly socket: LiveSocket;
  private state: ConnectionState = { kind: 'connecting' };
  private lostAt: number | undefined;
  private attempt = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;
  /** Incremented per connection: answers that arrive for an older connection are ignored. */
  private generation = 0;

  constructor(private readonly options: LiveConnectionOptions) {
    // The page's store keeps the cases (as columns): the feed need not keep every summary as well.
    this.feed = new LiveFeed(options.area, { requestRange: (from, to) => this.requestRange(from, to) }, { keepCases: false });
    this.feed.onApply((events) => options.handlers.onEvents(events));
    performance.mark('grid-command:socket-opening');
    this.socket = (options.connect ?? connectSocket)(options.url ?? window.location.origin);
    this.bind();
  }

  get current(): ConnectionState {
    return this.state;
  }

  /**
   * Connect afresh soon (the session was confirmed live after the server dropped or refused this
   * socket): a new handshake carries the current cookie. Delayed, so a server that keeps refusing
   * is not hammered.
   */
  resume(delayMs = 1_000): void {
    this.later(delayMs, () => {
      if (this.socket.connected) this.socket.disconnect();
      this.socket.connect();
    });
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
    this.socket.disconnect();
  }

  private setState(state: ConnectionState): void {
    if (this.closed) return;
    this.state = state;
    this.options.handlers.onState(state);
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) run();
    }, ms);
    this.timers.add(timer);
  }

  private bind(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.generation += 1;
      this.attempt = 0;
      this.watch(this.generation);
    });
    socket.on('disconnect', (reason) => {
      this.generation += 1;
      this.lostAt ??= Date.now();
      this.setState({ kind: 'reconnecting', lostAt: this.lostAt, attempt: this.attempt });
      // The server dropped this socket on purpose: its session ended (socket.io will not retry by itself).
      if (reason === 'io server disconnect') this.options.handlers.onSessionEnded();
    });
    socket.on('connect_error', () => {
      if (this.state.kind === 'connecting' || this.state.kind === 'catching-up') {
        this.lostAt ??= Date.now();
        this.setState({ kind: 'reconnecting', lostAt: this.lostAt, attempt: this.attempt });
      }
    });
    socket.io.on('reconnect_attempt', (attempt) => {
      this.attempt = attempt;
      if (this.lostAt !== undefined) this.setState({ kind: 'reconnecting', lostAt: this.lostAt, attempt });
    });
    socket.on('case:events', (batch) => this.feed.receiveEvents(eventBatchOf(batch)));
    socket.on('case:mark', (mark) => this.feed.receiveMark(mark));
    socket.on('case:watermark', (mark) => this.feed.receiveWatermark(mark.seq));
  }

  private watch(generation: number): void {
    if (this.closed || generation !== this.generation) return;
    const resuming = this.feed.watermark >= 0;
    this.setState(resuming ? { kind: 'catching-up', lostAt: this.lostAt } : { kind: 'connecting' });
    const request = { area: this.options.area, protocol: LIVE_PROTOCOL, ...(resuming ? { since: this.feed.watermark } : {}) };
    // User Timing marks: where a (re)connection's time goes shows in any profiler, and in bench:client.
    performance.mark('grid-command:watch-sent');
    this.socket.timeout(WATCH_TIMEOUT_MS).emit('area:watch', request, (error: Error | null, result: Ack<WatchResultWire>) => {
      performance.mark('grid-command:watch-answered');
      if (this.closed || generation !== this.generation) return;
      if (error) {
        this.later(WATCH_RETRY_MS, () => this.watch(generation));
        return;
      }
      if (!result.ok) {
        const { code, message, retryAfterSeconds } = result.error;
        if (code === 'unauthenticated') {
          this.setState({ kind: 'refused', code, message });
          this.options.handlers.onSessionEnded();
        } else if (code === 'protocol_mismatch') {
          this.setState({ kind: 'refused', code, message });
          this.options.handlers.onProtocolChanged();
        } else if (code === 'store_unavailable') {
          this.later((retryAfterSeconds ?? 5) * 1_000, () => this.watch(generation));
        } else {
          this.setState({ kind: 'refused', code, message });
        }
        return;
      }
      this.receive(watchResultOf(result.data));
      this.lostAt = undefined;
      this.setState({ kind: 'live' });
    });
  }

  private receive(result: WatchResult): void {
    // A snapshot replaces the cases first: the feed applies the events buffered beyond it as it takes it.
    if (result.kind === 'snapshot') this.options.handlers.onReset(result.cases);
    this.feed.receiveWatch(result);
  }

  private requestRange(from: number, to: number): void {
    if (this.closed || !this.socket.connected) {
      // Asked again by the next mark or heartbeat, or by the watch after the reconnect.
      queueMicrotask(() => this.feed.requestFailed());
      return;
    }
    const generation = this.generation;
    this.socket.timeout(RANGE_TIMEOUT_MS).emit('case:range', { from, to }, (error: Error | null, result: Ack<WatchResultWire>) => {
      if (this.closed || generation !== this.generation) return;
      if (error || !result.ok) this.feed.requestFailed();
      else this.receive(watchResultOf(result.data));
    });
  }
}
