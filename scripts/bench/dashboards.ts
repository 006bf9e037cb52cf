/**
 * The dashboards of the intake benchmark, as their own process: N socket.io clients (websocket
 * transport), each watching one area through core/realtime/live-feed.ts exactly as the web client
 * does (case:range to fill gaps, reconnect with `since` after a drop). Driven by the benchmark over
 * IPC (see protocol.ts); it measures intake → dashboard latency when a `case:created` is applied
 * and records which cases each client has.
 *
 * Two liberties, both for the benchmark's sake and stated in its header: clients watch from the
 * current sequence (area:watch {since}) rather than taking a first snapshot, so the benchmark can
 * run against a database that already holds earlier runs' cases; and each client keeps no case
 * objects once they are counted (LiveFeed's keepCases: false, as the web client, which keeps its own
 * columns; 200 in-process copies of 100,000 open cases would not fit in memory). The feed's
 * ordering, gap filling and dedup run unchanged.
 *
 * Not "keep, then clear after counting", as this did before: a Map emptied after every frame keeps
 * its discarded table, entries and all, in the old generation, which held every frame's cases
 * through the young collections (in a throwaway script of 180 such feeds, about half the CPU went
 * to the garbage collector).
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, WatchResult, WatchResultWire } from '../../core/protocol/cases-api.ts';
import { eventBatchOf, LIVE_PROTOCOL, type LiveEvent, watchResultOf } from '../../core/protocol/live-wire.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/protocol/socket-events.ts';
import { LiveFeed } from '../../core/realtime/live-feed.ts';
import type { AwaitRequest, AwaitResult, ChildMessage, DashboardsStart, DashboardsStats, ParentMessage, PhaseDeliveries, StartResult } from './protocol.ts';
import { LatencyHistogram } from './stats.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The load generator writes `bench p=<phase> t=<epoch ms>` into every report's description (short enough to come whole in the live brief). */
const STAMP = /^bench p=(\S+) t=(\d+)/;
const CONNECT_CONCURRENCY = 20;
/** Long: a dashboard that gives up and asks again only adds to the work of a server that is behind. */
const WATCH_TIMEOUT_MS = 120_000;
const RECONNECT_ATTEMPTS = 3;

/** Which case ids a client has: 32,768 ids per chunk, chunks made as ids arrive. */
class IdSet {
  private readonly chunks = new Map<number, Uint32Array>();

  has(id: number): boolean {
    const chunk = this.chunks.get(id >>> 15);
    return chunk !== undefined && (chunk[(id >>> 5) & 1023]! & (1 << (id & 31))) !== 0;
  }

  add(id: number): boolean {
    let chunk = this.chunks.get(id >>> 15);
    if (!chunk) this.chunks.set(id >>> 15, (chunk = new Uint32Array(1024)));
    const word = (id >>> 5) & 1023;
    const bit = 1 << (id & 31);
    if ((chunk[word]! & bit) !== 0) return false;
    chunk[word]! |= bit;
    return true;
  }
}

interface PhaseRecord {
  readonly district: LatencyHistogram;
  readonly street: LatencyHistogram;
  readonly districtUntilBatch: LatencyHistogram;
  readonly districtAfterBatch: LatencyHistogram;
}

const phases = new Map<string, PhaseRecord>();
const errors: string[] = [];
const counters = { rangeRequests: 0, rangeSnapshots: 0, rangeEvents: 0, rangeRedundant: 0, pushedAfterFill: 0, rangeMaxSpan: 0, rangeOverLimit: 0, disconnects: 0, reconnects: 0, reconnectFailures: 0, bytes: 0, messages: 0 };
let closing = false;

function phaseRecord(phase: string): PhaseRecord {
  let record = phases.get(phase);
  if (!record) phases.set(phase, (record = { district: new LatencyHistogram(), street: new LatencyHistogram(), districtUntilBatch: new LatencyHistogram(), districtAfterBatch: new LatencyHistogram() }));
  return record;
}

function noteError(message: string): void {
  if (errors.length < 20) errors.push(message);
}

class Dashboard {
  readonly seen = new IdSet();
  /** Distinct cases of each phase this client has. */
  readonly perPhase = new Map<string, number>();
  readonly feed: LiveFeed;
  socket: ClientSocket | undefined;
  connected = false;

  constructor(
    private readonly url: string,
    readonly area: string,
    readonly kind: 'district' | 'street',
    private readonly since: number | undefined,
    private readonly sample: boolean,
    private readonly token: string | undefined,
  ) {
    this.feed = new LiveFeed(area, {
      requestRange: (from, to) => {
        counters.rangeRequests++;
        counters.rangeMaxSpan = Math.max(counters.rangeMaxSpan, to - from + 1);
        // The server answers a range of more than its catch-up limit (5,000 events by default) with a full snapshot.
        if (to - from + 1 > 5_000) counters.rangeOverLimit++;
        this.socket?.emit('case:range', { from, to }, (result: Ack<WatchResultWire>) => {
          if (!result.ok) {
            noteError(`case:range ${from}..${to}: ${result.error.message}`);
            return;
          }
          const before = this.feed.watermark;
          const data = watchResultOf(result.data);
          if (data.kind === 'events') counters.rangeEvents += data.events.length;
          this.receiveWatch(data);
          // Answered after the pushed events had already covered the range: the request was not needed.
          if (this.feed.watermark === before && data.kind === 'events') counters.rangeRedundant++;
        });
      },
    }, { keepCases: false });
    this.feed.onApply((events) => this.applied(events));
  }

  private applied(events: readonly LiveEvent[]): void {
    const now = Date.now();
    for (const e of events) {
      if (e.kind !== 'case:created' || !this.seen.add(e.case.id)) continue;
      const stamp = STAMP.exec(e.case.brief);
      if (!stamp) continue;
      const phase = stamp[1]!;
      this.perPhase.set(phase, (this.perPhase.get(phase) ?? 0) + 1);
      const record = phaseRecord(phase);
      record[this.kind].add(now - Number(stamp[2]));
      if (this.kind === 'district') {
        record.districtUntilBatch.add(e.atMs - Number(stamp[2]));
        record.districtAfterBatch.add(now - e.atMs);
      }
    }
  }

  private receiveWatch(result: WatchResult): void {
    if (result.kind === 'snapshot') {
      counters.rangeSnapshots++;
      // A snapshot delivers its cases without a latency sample: record that the client has them.
      for (const c of result.cases) {
        if (!this.seen.add(c.id)) continue;
        const stamp = STAMP.exec(c.brief);
        if (stamp) this.perPhase.set(stamp[1]!, (this.perPhase.get(stamp[1]!) ?? 0) + 1);
      }
    }
    this.feed.receiveWatch(result);
  }

  async open(): Promise<void> {
    const socket: ClientSocket = io(this.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000, ...(this.token ? { auth: { token: this.token } } : {}) });
    this.socket = socket;
    socket.on('case:events', (wire) => {
      const batch = eventBatchOf(wire);
      // Pushed events the feed already has: a gap fill fetched them from the store while they were on their way.
      if (batch.area === this.area) for (const e of batch.events) if (e.seq <= this.feed.watermark) counters.pushedAfterFill++;
      this.feed.receiveEvents(batch);
    });
    socket.on('case:mark', (mark) => this.feed.receiveMark(mark));
    socket.on('case:watermark', (mark) => this.feed.receiveWatermark(mark.seq));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    if (this.sample) {
      socket.io.engine.on('data', (data) => {
        counters.messages++;
        counters.bytes += typeof data === 'string' ? Buffer.byteLength(data) : (data as ArrayBuffer).byteLength;
      });
    }
    socket.on('disconnect', (reason) => {
      this.connected = false;
      if (closing || socket !== this.socket) return;
      counters.disconnects++;
      noteError(`client ${this.area} disconnected: ${reason}`);
      void this.reopen();
    });
    const since = this.feed.watermark >= 0 ? this.feed.watermark : this.since;
    const result = await socket.timeout(WATCH_TIMEOUT_MS).emitWithAck('area:watch', { area: this.area, protocol: LIVE_PROTOCOL, ...(since !== undefined ? { since } : {}) });
    if (!result.ok) throw new Error(`area:watch ${this.area}: ${result.error.message}`);
    this.receiveWatch(watchResultOf(result.data));
    this.connected = true;
  }

  /** A dropped dashboard comes back and catches up from the last sequence it applied. */
  private async reopen(): Promise<void> {
    for (let attempt = 1; attempt <= RECONNECT_ATTEMPTS && !closing; attempt++) {
      // socket.io's own reconnection delay: 1 s, doubling, ±50 % jitter, so that 200 do not come back at once.
      await new Promise((r) => setTimeout(r, 1000 * 2 ** (attempt - 1) * (0.5 + Math.random())));
      try {
        this.socket?.removeAllListeners();
        this.socket?.disconnect();
        await this.open();
        counters.reconnects++;
        return;
      } catch (error) {
        noteError(`reconnect ${this.area}: ${(error as Error).message}`);
      }
    }
    counters.reconnectFailures++;
  }

  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
  }
}

let clients: Dashboard[] = [];

async function start(options: DashboardsStart): Promise<StartResult> {
  const started = Date.now();
  clients = options.areas.map((a, i) => new Dashboard(options.url, a.area, a.kind, options.since, i === 0, options.token));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < clients.length) await clients[next++]!.open();
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return { connected: clients.filter((c) => c.connected).length, connectMs: Date.now() - started, snapshots: counters.rangeSnapshots };
}

function stats(): DashboardsStats {
  const byPhase: Record<string, PhaseDeliveries> = {};
  for (const [phase, record] of phases) {
    const counts = clients.filter((c) => c.kind === 'district').map((c) => c.perPhase.get(phase) ?? 0);
    byPhase[phase] = {
      district: record.district.summary(),
      street: record.street.summary(),
      districtUntilBatch: record.districtUntilBatch.summary(),
      districtAfterBatch: record.districtAfterBatch.summary(),
      perDistrictClient: { min: counts.length ? Math.min(...counts) : 0, max: counts.length ? Math.max(...counts) : 0 },
    };
  }
  const cpu = process.cpuUsage();
  return {
    clients: clients.length,
    connected: clients.filter((c) => c.connected).length,
    phases: byPhase,
    rangeRequests: counters.rangeRequests,
    rangeSnapshots: counters.rangeSnapshots,
    rangeEvents: counters.rangeEvents,
    rangeRedundant: counters.rangeRedundant,
    pushedAfterFill: counters.pushedAfterFill,
    rangeMaxSpan: counters.rangeMaxSpan,
    rangeOverLimit: counters.rangeOverLimit,
    disconnects: counters.disconnects,
    reconnects: counters.reconnects,
    reconnectFailures: counters.reconnectFailures,
    sampleClientBytes: counters.bytes,
    sampleClientMessages: counters.messages,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMb: process.memoryUsage.rss() / 1048576,
    errors,
  };
}

/** Waits until every watcher has every acknowledged case it should have (or the timeout), then counts what is missing. */
async function awaitCases(request: AwaitRequest): Promise<AwaitResult> {
  const started = Date.now();
  const { ids, streets } = request;
  const wanted = clients.map((c) => (c.kind === 'district' ? ids.map((_, i) => i) : ids.flatMap((_, i) => (streets[i] === c.area ? [i] : []))));
  const progress = clients.map(() => 0);
  const advance = (): boolean => {
    let done = true;
    clients.forEach((c, k) => {
      const list = wanted[k]!;
      let p = progress[k]!;
      while (p < list.length && c.seen.has(ids[list[p]!]!)) p++;
      progress[k] = p;
      if (p < list.length) done = false;
    });
    return done;
  };
  let complete = advance();
  while (!complete && Date.now() - started < request.timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
    complete = advance();
  }
  const missing = new Set<number>();
  let missingDeliveries = 0;
  let streetMissingDeliveries = 0;
  let districtWatchersIncomplete = 0;
  clients.forEach((c, k) => {
    const list = wanted[k]!;
    let misses = 0;
    for (let p = progress[k]!; p < list.length; p++) {
      const id = ids[list[p]!]!;
      if (c.seen.has(id)) continue;
      misses++;
      if (c.kind === 'district') missing.add(id);
    }
    if (c.kind === 'district') {
      missingDeliveries += misses;
      if (misses > 0) districtWatchersIncomplete++;
    } else streetMissingDeliveries += misses;
  });
  return {
    complete,
    waitedMs: Date.now() - started,
    missingCases: missing.size,
    missingDeliveries,
    streetMissingDeliveries,
    districtWatchersIncomplete,
    examples: [...missing].slice(0, 10),
  };
}

function reply(message: ChildMessage): void {
  process.send?.(message);
}

process.on('message', (raw) => {
  const message = raw as ParentMessage;
  const answer = async (): Promise<unknown> => {
    switch (message.type) {
      case 'start':
        return start(message.start);
      case 'stats':
        return stats();
      case 'await':
        return awaitCases(message.request);
      case 'close':
        closing = true;
        for (const c of clients) c.close();
        setTimeout(() => process.exit(0), 50);
        return { closed: clients.length };
    }
  };
  answer().then(
    (result) => reply({ id: message.id, ok: true, result }),
    (error: unknown) => reply({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) }),
  );
});

// The benchmark went away (finished, crashed or was interrupted): so do the dashboards.
process.on('disconnect', () => process.exit(0));
