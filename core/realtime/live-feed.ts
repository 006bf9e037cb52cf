import { isOpenStatus } from '../cases/case-summary.ts';
import type { LiveCase, LiveEvent } from '../protocol/live-wire.ts';
import type { EventBatch, WatchResult } from '../protocol/cases-api.ts';

export interface LiveFeedRequests {
  /** Ask the server for the watched area's events from..to (socket `case:range`). */
  requestRange(from: number, to: number): void;
}

export interface LiveFeedOptions {
  /**
   * Keep every open case's summary in `cases` (the default). A client that keeps the cases its own
   * way (the web client's columns) turns it off, takes a snapshot from the watch answer before
   * handing it to receiveWatch, and so does not hold every summary twice.
   */
  readonly keepCases?: boolean;
}

/**
 * The client's view of one watched area, kept exact across batches that arrive from several
 * servers in any order, lost messages and reconnects.
 *
 * `watermark` is the sequence number up to which everything for the area has been applied. Events
 * wait in a buffer until a mark (or a catch-up from the store) says their range is complete; a mark
 * that starts beyond the watermark means a range was missed, which is then fetched from the store.
 * Events at or below the watermark are duplicates and ignored, so a range may arrive twice safely.
 */
export class LiveFeed {
  /** -1 until the first snapshot or catch-up. */
  watermark = -1;
  /** The open cases (empty with keepCases: false). */
  readonly cases = new Map<number, LiveCase>();
  private readonly keepCases: boolean;
  private readonly buffered = new Map<number, LiveEvent>();
  private marks: { from: number; to: number }[] = [];
  private requested: { from: number; to: number } | undefined;
  /** The highest sequence a heartbeat has announced as committed. */
  private announced = -1;
  private readonly listeners = new Set<(events: readonly LiveEvent[]) => void>();

  constructor(
    readonly area: string,
    private readonly requests: LiveFeedRequests,
    options: LiveFeedOptions = {},
  ) {
    this.keepCases = options.keepCases ?? true;
  }

  /** Called with the events applied, in sequence order, each time some are. */
  onApply(listener: (events: readonly LiveEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The answer to area:watch or case:range. */
  receiveWatch(result: WatchResult): void {
    if (result.kind === 'snapshot') {
      this.cases.clear();
      if (this.keepCases) for (const c of result.cases) this.cases.set(c.id, c);
      this.watermark = result.seq;
      this.requested = undefined;
      this.drop();
      this.drain();
      return;
    }
    const fresh = result.events.filter((e) => e.seq > this.watermark).sort((a, b) => a.seq - b.seq);
    if (result.from <= this.watermark + 1 || this.watermark === -1) {
      this.apply(fresh);
      this.watermark = Math.max(this.watermark, result.to);
    }
    // Answered (perhaps only in part): drain asks again for whatever is still missing.
    this.requested = undefined;
    this.drop();
    this.drain();
  }

  receiveEvents(batch: EventBatch): void {
    if (batch.area !== this.area) return;
    if (batch.complete && this.nextInOrder(batch)) {
      // The usual frame: the next range, whole, with nothing waiting. Applied as the general path
      // below would (buffer, mark, drain), without the trip through the buffer, which every
      // dashboard otherwise makes for every event of its area.
      const watermark = this.watermark;
      this.apply(batch.events[0] === undefined || batch.events[0].seq > watermark ? batch.events : batch.events.filter((e) => e.seq > watermark));
      this.watermark = batch.to;
      return;
    }
    for (const e of batch.events) if (e.seq > this.watermark) this.buffered.set(e.seq, e);
    if (batch.complete) this.receiveMark({ from: batch.from, to: batch.to });
  }

  /** Whether the batch continues the watermark, nothing is buffered or marked, and its events are in order within its range. */
  private nextInOrder(batch: EventBatch): boolean {
    if (this.watermark === -1 || batch.from > this.watermark + 1 || batch.to <= this.watermark) return false;
    if (this.buffered.size > 0 || this.marks.length > 0) return false;
    let last = -Infinity;
    for (const e of batch.events) {
      if (e.seq <= last || e.seq > batch.to) return false;
      last = e.seq;
    }
    return true;
  }

  receiveMark(mark: { from: number; to: number }): void {
    if (mark.to <= this.watermark) return;
    this.marks.push({ from: mark.from, to: mark.to });
    this.marks.sort((a, b) => a.from - b.from);
    this.drain();
  }

  /** A range request was refused or lost (the store was down, say): the next mark or heartbeat asks again. */
  requestFailed(): void {
    this.requested = undefined;
  }

  /**
   * A heartbeat: everything up to `seq` is committed. Batches that are committed but still on their
   * way (this server's next tick, another server's broadcast) are not missing, so the client asks
   * only for what the previous heartbeat already announced and has still not arrived: a batch
   * whose broadcast was lost is recovered within two heartbeats.
   */
  receiveWatermark(seq: number): void {
    const announced = this.announced;
    this.announced = Math.max(this.announced, seq);
    if (this.watermark === -1 || announced <= this.watermark) return;
    if (this.marks.some((m) => m.from <= this.watermark + 1)) return;
    this.ask(this.watermark + 1, announced);
  }

  private drain(): void {
    if (this.watermark === -1) return;
    for (;;) {
      this.marks = this.marks.filter((m) => m.to > this.watermark);
      const next = this.marks[0];
      if (!next) return;
      if (next.from > this.watermark + 1) {
        this.ask(this.watermark + 1, next.from - 1);
        return;
      }
      const ready = [...this.buffered.values()].filter((e) => e.seq > this.watermark && e.seq <= next.to).sort((a, b) => a.seq - b.seq);
      this.apply(ready);
      this.watermark = next.to;
      this.drop();
    }
  }

  private ask(from: number, to: number): void {
    if (this.requested && this.requested.from <= from && this.requested.to >= to) return;
    this.requested = { from, to };
    this.requests.requestRange(from, to);
  }

  private drop(): void {
    for (const seq of this.buffered.keys()) if (seq <= this.watermark) this.buffered.delete(seq);
  }

  private apply(events: readonly LiveEvent[]): void {
    if (events.length === 0) return;
    if (this.keepCases) {
      for (const e of events) {
        if (isOpenStatus(e.case.status)) this.cases.set(e.case.id, e.case);
        else this.cases.delete(e.case.id);
      }
    }
    for (const listener of this.listeners) listener(events);
  }
}
