import type { Server } from 'socket.io';
import type { CaseEventMessage } from '../../core/cases/case-summary.ts';
import { eventRowOf, type EventRow, packedEventsOf } from '../../core/protocol/live-wire.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/protocol/socket-events.ts';
import type { CommittedBatch } from '../services/intake.service.ts';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export interface Broadcaster {
  publish(batch: CommittedBatch): void;
  close(): void;
}

export interface BroadcasterOptions {
  readonly districtCode: string;
  /**
   * Broadcasts go out at most once per tick: a batch committed a tick or more after the last
   * broadcast goes at once, those committed sooner wait for the tick's end and go together.
   */
  readonly tickMs: number;
  readonly heartbeatMs: number;
  /** The highest committed sequence number, for the heartbeat. */
  readonly maxSeq: () => Promise<number>;
  /**
   * A socket with more than this waiting to be sent is too slow to follow: it is disconnected, and
   * catches up (or takes a snapshot) when it reconnects, rather than the server buffering without end.
   */
  readonly maxPendingBytes?: number;
  /**
   * Every watching socket is this process's (no Redis adapter): a room without a socket here is not
   * packed and encoded for nobody. With the Redis adapter other servers' sockets may be in any room.
   */
  readonly roomsAreLocal?: boolean;
}

/**
 * A broadcast is encoded once and every socket's buffer holds the same frames, so dashboards that lag
 * together cost little more than one; dropping one costs its reconnect's snapshot (a district's is
 * ~18 MB of JSON and ~130 MB of transient memory) and a read of every open case. At 4 MB (~7 s
 * behind at 1,750 cases/s) bench:ingest's starved dashboards were dropped by the dozen at saturation.
 */
const DEFAULT_MAX_PENDING_BYTES = 16 * 1024 * 1024;

/**
 * A room's events of one range go out in frames of at most this many. A receiver decodes a frame
 * into one string: past V8's 128 KB regular-object size it lands in the large-object space, and
 * decoding took 2–3.5 µs per case instead of 0.05–0.9 (Buffer → string in a microbenchmark,
 * 600-case frames against 100–200), so a dashboard that fell behind, and so got bigger frames, fell
 * further behind. Packed events in base64 are ASCII (one byte per character) and 260–370 bytes an
 * event, so 256 stay under ~95 KB (bench:live-wire: 384-event frames cost a dashboard 2.1 µs an
 * event, 50-event frames 1.3).
 */
export const MAX_EVENTS_PER_FRAME = 256;

/** Bytes waiting in a socket's engine.io write buffer (packets not yet handed over) and in its WebSocket. */
export function pendingBytes(socket: { conn: unknown }): number {
  const conn = socket.conn as { writeBuffer?: { data?: unknown }[]; transport?: { socket?: { bufferedAmount?: number } } };
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    bytes += typeof data === 'string' ? data.length : data instanceof Uint8Array ? data.byteLength : 64;
  }
  return bytes;
}

/** The rooms a case's events go to: the district, and its street, community and grid. */
export function roomsOf(event: CaseEventMessage, districtCode: string): string[] {
  const c = event.case;
  return [districtCode, c.streetCode, c.communityCode, c.gridCode].filter((code): code is string => code !== null).map(roomOf);
}

/**
 * One event per case per broadcast: the case as it stands at the end of the range (a new case's
 * `filed` and `dispatched` travel as one `case:created`), sent to every room any of its events
 * concerned. Dashboards upsert by case; the store keeps every event for the timeline and catch-up.
 */
export function latestPerCase(events: readonly CaseEventMessage[], districtCode: string): { event: CaseEventMessage; rooms: Set<string> }[] {
  const byCase = new Map<number, { event: CaseEventMessage; rooms: Set<string>; created: boolean }>();
  for (const event of events) {
    const entry = byCase.get(event.case.id);
    const rooms = roomsOf(event, districtCode);
    if (!entry) byCase.set(event.case.id, { event, rooms: new Set(rooms), created: event.kind === 'case:created' });
    else {
      entry.event = event;
      entry.created ||= event.kind === 'case:created';
      for (const room of rooms) entry.rooms.add(room);
    }
  }
  return [...byCase.values()]
    .sort((a, b) => a.event.seq - b.event.seq)
    .map(({ event, rooms, created }) => ({ event: created && event.kind !== 'case:created' ? { ...event, kind: 'case:created' } : event, rooms }));
}

/**
 * A room's events of one range (in sequence order, one per case) as frames of at most `perFrame`,
 * each complete for its part of the range: the parts tile the range, a part ends at its last
 * event's sequence number (the last part at the range's end), and whatever the room has in a part is
 * in its frame. So a receiver applies each frame as it comes (a lost one shows as a gap). When only
 * a range's last frame was complete, receivers held the earlier ones until it came: under
 * bench:ingest's saturation (a batch of 500 cases is ~1,000 events, four frames) the 200 dashboards'
 * process held up to three frames each across young collections and spent ~40 % of its busy time in the
 * collector: 6.1 µs of CPU per delivery, 3.0 with every frame complete.
 */
export function framesOf<E>(events: readonly E[], from: number, to: number, seqOf: (event: E) => number, perFrame = MAX_EVENTS_PER_FRAME): { from: number; to: number; events: E[] }[] {
  const frames: { from: number; to: number; events: E[] }[] = [];
  let start = from;
  for (let at = 0; at < events.length; at += perFrame) {
    const part = events.slice(at, at + perFrame);
    const end = at + perFrame >= events.length ? to : seqOf(part[part.length - 1]!);
    frames.push({ from: start, to: end, events: part });
    start = end + 1;
  }
  return frames;
}

export function roomOf(area: string): string {
  return `area:${area}`;
}

/**
 * Every socket that watches an area, whichever. Marks go here rather than to every socket: a mark
 * promises that the range's events for the receiver's area were sent to it, which holds only once
 * it is in that area's room. A socket that has connected but not yet joined (a dashboard
 * reconnecting with its old watermark, say) would otherwise skip the range it is about to fetch.
 */
export const WATCHING_ROOM = 'watching';

/**
 * Coalesces committed batches and broadcasts them at most once per tick: per room, `case:events` frames
 * with that area's events of a contiguous sequence range, each complete for its part (framesOf); then one
 * `case:mark` for the range to every other watching socket, which tells a watcher of a quiet area
 * that it missed nothing (a socket watches one area, so it is in one area room). The marks of one server
 * arrive in order and after its events (socket.io and the Redis adapter keep one sender's order);
 * clients order the marks of several servers by sequence and fill gaps from the store.
 */
export function createBroadcaster(io: RealtimeServer, options: BroadcasterOptions): Broadcaster {
  let pending: CommittedBatch[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastFlushAt = -Infinity;

  const maxPending = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  const dropLaggards = (): void => {
    for (const socket of io.of('/').sockets.values()) {
      if (pendingBytes(socket) > maxPending) socket.disconnect(true);
    }
  };

  const flush = (): void => {
    timer = undefined;
    lastFlushAt = performance.now();
    dropLaggards();
    const batches = pending.sort((a, b) => a.from - b.from);
    pending = [];
    const runs: CommittedBatch[] = [];
    for (const b of batches) {
      const last = runs[runs.length - 1];
      if (last && b.from === last.to + 1) runs[runs.length - 1] = { from: last.from, to: b.to, events: [...last.events, ...b.events] };
      else runs.push(b);
    }
    // Most grid and community rooms have nobody watching them; each was packed and encoded anyway
    // (socket.io encodes a broadcast before it looks for sockets).
    const localRooms = options.roomsAreLocal ? io.of('/').adapter.rooms : undefined;
    for (const run of runs) {
      const byRoom = new Map<string, EventRow[]>();
      for (const { event, rooms } of latestPerCase(run.events, options.districtCode)) {
        // Made into a row once, whatever the number of rooms (and sockets) it goes to.
        const row = eventRowOf(event);
        for (const room of rooms) {
          if (localRooms && !localRooms.get(room)?.size) continue;
          const list = byRoom.get(room);
          if (list) list.push(row);
          else byRoom.set(room, [row]);
        }
      }
      for (const [room, events] of byRoom) {
        for (const part of framesOf(events, run.from, run.to, (row) => row[0])) {
          io.to(room).emit('case:events', { from: part.from, to: part.to, area: room.slice(5), complete: true, ...packedEventsOf(part.events) });
        }
      }
      // Each message to a socket is a write of its own (a system call: ~30 % of the server's CPU at
      // 1,000 cases/s with 200 dashboards), so the mark goes only to watchers of quiet areas.
      io.to(WATCHING_ROOM).except([...byRoom.keys()]).emit('case:mark', { from: run.from, to: run.to });
    }
  };

  const heartbeat = setInterval(() => {
    if (io.engine.clientsCount === 0) return;
    options
      .maxSeq()
      .then((seq) => io.emit('case:watermark', { seq }))
      .catch(() => {
        // The store is down: no heartbeat, and clients keep what they have until it returns.
      });
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    publish(batch) {
      pending.push(batch);
      // Throttled on the leading edge: a tick's wait before every broadcast (as it was) put ~50 ms
      // on every delivery, and group commit already gathers a burst into few batches.
      timer ??= setTimeout(flush, Math.max(0, lastFlushAt + options.tickMs - performance.now()));
    },
    close() {
      clearInterval(heartbeat);
      if (timer) {
        clearTimeout(timer);
        flush();
      }
    },
  };
}
