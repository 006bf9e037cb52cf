import type { CaseEventMessage, CaseStatus, CaseSummary } from '../../../core/cases/case-summary.ts';
import type { EventBatch, WatchResult } from '../../../core/protocol/cases-api.ts';
import { liveCaseOfSummary, liveEventOfMessage, type LiveCase } from '../../../core/protocol/live-wire.ts';
import { LiveFeed } from '../../../core/realtime/live-feed.ts';
import { framesOf } from '../../../server/realtime/broadcaster.ts';
import { createRandom, pickOne, type Random } from '../../../scripts/geodata/seeded-random.ts';
import { buildCaseSummary, OTHER, WATCHED } from './live-feed-builders.ts';

/**
 * A seeded model of the live-case channel around one LiveFeed: several servers commit contiguous
 * sequence ranges (one intake batch at a time, so commits follow sequence order); each server sends,
 * per batch, its `case:events` for the watched area (when it has any), another area's events (which
 * the feed must ignore) and then the `case:mark`, in that order; the servers' messages interleave at
 * random. With `marks: 'folded'` (what the broadcaster does) an area's events go in frames of at most
 * two, each complete for its part of the range (framesOf), and the separate mark only when the
 * watched area had none.
 * Messages are lost the ways the transport can lose them: a batch's last message alone (the socket
 * dropped just before it: the mark, or the complete frame), a batch's messages together, or
 * everything in flight on a reconnect.
 * Range requests are answered from the reference log, possibly only in part, possibly twice, in any
 * order. (A `case:events` lost while its later mark arrives cannot be detected by any client: the
 * mark carries no count. The model leaves that loss out.)
 */
export interface SimulationOptions {
  readonly seed: number;
  readonly servers: number;
  readonly batches: number;
  /** Batches committed before the client joins: never delivered live, only in the snapshot. */
  readonly batchesBeforeJoin: number;
  readonly dropMarkRate: number;
  readonly dropBatchRate: number;
  readonly partialAnswerRate: number;
  readonly duplicateAnswerRate: number;
  /** Chance per step of a reconnect (everything in flight lost, then area:watch {since}). */
  readonly reconnectRate: number;
  readonly heartbeatRate: number;
  /** 'separate': every batch's mark is its own message; 'folded': the last events frame is the mark. */
  readonly marks: 'separate' | 'folded';
}

export interface SimulationResult {
  /** Seqs handed to onApply, in order. */
  readonly applied: readonly number[];
  /** The reference log's events of the watched area above the snapshot the feed started from. */
  readonly expected: readonly number[];
  readonly watermark: number;
  readonly lastSeq: number;
  /** The feed's open cases and the reference's, both sorted by id. */
  readonly cases: readonly LiveCase[];
  readonly expectedCases: readonly LiveCase[];
  /** Every range request, with the feed's watermark and the committed seq when it was made. */
  readonly requests: readonly { from: number; to: number; watermark: number; committed: number }[];
  /** Times onApply was called with events not in increasing seq order within or across calls. */
  readonly outOfOrder: number;
}

interface CommittedBatch {
  readonly server: number;
  readonly from: number;
  readonly to: number;
}

type Message = { readonly kind: 'events'; readonly batch: EventBatch } | { readonly kind: 'mark'; readonly from: number; readonly to: number };

const AREAS = [WATCHED, WATCHED, OTHER];
const STATUSES: readonly CaseStatus[] = ['dispatched', 'queued', 'linked', 'closed'];

/** The reference log: one event per seq, 1..last, each for some area, keeping cases consistent. */
function buildReferenceLog(random: Random, lastSeq: number): CaseEventMessage[] {
  const open = new Map<string, Map<number, CaseSummary>>(AREAS.map((a) => [a, new Map()]));
  let nextId = 1;
  const log: CaseEventMessage[] = [];
  for (let seq = 1; seq <= lastSeq; seq++) {
    const area = pickOne(AREAS, random);
    const cases = open.get(area)!;
    const at = new Date(Date.UTC(2026, 10, 27, 1, 0, seq)).toISOString();
    if (cases.size === 0 || random() < 0.45) {
      const summary = buildCaseSummary({ id: nextId++, streetCode: area, status: 'dispatched', reportedAt: at });
      cases.set(summary.id, summary);
      log.push({ seq, kind: 'case:created', type: 'filed', at, case: summary });
    } else {
      const before = pickOne([...cases.values()], random);
      const summary = { ...before, status: pickOne(STATUSES, random), reportsCount: before.reportsCount + 1 };
      if (summary.status === 'closed') cases.delete(summary.id);
      else cases.set(summary.id, summary);
      log.push({ seq, kind: 'case:updated', type: 'me-too', at, case: summary });
    }
  }
  return log;
}

function openCasesAt(log: readonly CaseEventMessage[], area: string, seq: number): CaseSummary[] {
  const cases = new Map<number, CaseSummary>();
  for (const e of log) {
    if (e.seq > seq) break;
    if (e.case.streetCode !== area) continue;
    if (e.case.status === 'closed') cases.delete(e.case.id);
    else cases.set(e.case.id, e.case);
  }
  return [...cases.values()].sort((a, b) => a.id - b.id);
}

function eventsOf(log: readonly CaseEventMessage[], area: string, from: number, to: number): CaseEventMessage[] {
  return log.filter((e) => e.seq >= from && e.seq <= to && e.case.streetCode === area);
}

/** Fisher–Yates with the seeded generator. */
function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export function simulateLiveFeed(options: SimulationOptions): SimulationResult {
  const random = createRandom(options.seed);

  // The committed history: contiguous ranges of 1–4 seqs, each from a random server.
  const batches: CommittedBatch[] = [];
  let seq = 0;
  for (let i = 0; i < options.batches; i++) {
    const size = 1 + Math.floor(random() * 4);
    batches.push({ server: Math.floor(random() * options.servers), from: seq + 1, to: seq + size });
    seq += size;
  }
  const lastSeq = seq;
  const log = buildReferenceLog(random, lastSeq);

  let committed = 0;
  let nextBatch = 0;
  const queues: Message[][] = Array.from({ length: options.servers }, () => []);
  let answers: WatchResult[] = [];
  let reads: { since: number | undefined }[] = [];
  let snapshotSeq: number | undefined;
  const requests: { from: number; to: number; watermark: number; committed: number }[] = [];

  const feed: LiveFeed = new LiveFeed(WATCHED, {
    requestRange(from, to) {
      requests.push({ from, to, watermark: feed.watermark, committed });
      const answerTo = random() < options.partialAnswerRate ? from + Math.floor(random() * (to - from + 1)) : to;
      const answer: WatchResult = { kind: 'events', area: WATCHED, from, to: answerTo, events: eventsOf(log, WATCHED, from, answerTo).map(liveEventOfMessage) };
      answers.push(answer);
      if (random() < options.duplicateAnswerRate) answers.push(answer);
    },
  });
  const applied: number[] = [];
  let outOfOrder = 0;
  feed.onApply((events) => {
    for (const e of events) {
      if (applied.length > 0 && e.seq <= applied[applied.length - 1]!) outOfOrder++;
      applied.push(e.seq);
    }
  });

  const commit = (live: boolean): void => {
    const batch = batches[nextBatch++]!;
    committed = batch.to;
    if (!live) return;
    const roll = random();
    if (roll < options.dropBatchRate) return;
    const messages: Message[] = [];
    const folded = options.marks === 'folded';
    let watchedHadEvents = false;
    for (const area of shuffle([WATCHED, OTHER], random)) {
      const events = eventsOf(log, area, batch.from, batch.to).map(liveEventOfMessage);
      if (events.length === 0) continue;
      if (area === WATCHED) watchedHadEvents = true;
      if (!folded) {
        messages.push({ kind: 'events', batch: { from: batch.from, to: batch.to, area, events } });
        continue;
      }
      for (const part of framesOf(events, batch.from, batch.to, (e) => e.seq, 2)) messages.push({ kind: 'events', batch: { ...part, area, complete: true } });
    }
    if (!folded || !watchedHadEvents) messages.push({ kind: 'mark', from: batch.from, to: batch.to });
    // The batch's last message for the watched area lost alone: its mark, or the frame that completes it.
    if (roll < options.dropBatchRate + options.dropMarkRate) {
      const last = messages.findLastIndex((m) => m.kind === 'mark' || m.batch.area === WATCHED);
      messages.splice(last, 1);
    }
    queues[batch.server]!.push(...messages);
  };

  const deliver = (message: Message): void => {
    if (message.kind === 'events') feed.receiveEvents(message.batch);
    else feed.receiveMark({ from: message.from, to: message.to });
  };

  const deliverAnswer = (index: number): void => {
    const [answer] = answers.splice(index, 1);
    if (answer!.kind === 'snapshot' && feed.watermark === -1) snapshotSeq = answer!.seq;
    feed.receiveWatch(answer!);
  };

  /** area:watch read on the server: a snapshot, or the events since the client's watermark. */
  const read = (index: number): void => {
    const { since } = reads.splice(index, 1)[0]!;
    if (since === undefined) answers.push({ kind: 'snapshot', area: WATCHED, seq: committed, cases: openCasesAt(log, WATCHED, committed).map(liveCaseOfSummary) });
    else answers.push({ kind: 'events', area: WATCHED, from: since + 1, to: committed, events: eventsOf(log, WATCHED, since + 1, committed).map(liveEventOfMessage) });
  };

  const reconnect = (): void => {
    for (const queue of queues) queue.length = 0;
    answers = [];
    reads = [{ since: feed.watermark >= 0 ? feed.watermark : undefined }];
  };

  while (nextBatch < options.batchesBeforeJoin) commit(false);
  reads.push({ since: undefined });

  for (let step = 0; step < 100_000; step++) {
    const busy = queues.filter((q) => q.length > 0);
    const choices: (() => void)[] = [];
    if (nextBatch < batches.length) choices.push(() => commit(true));
    for (const queue of busy) choices.push(() => deliver(queue.shift()!), () => deliver(queue.shift()!), () => deliver(queue.shift()!));
    if (answers.length > 0) choices.push(() => deliverAnswer(Math.floor(random() * answers.length)));
    if (reads.length > 0) choices.push(() => read(Math.floor(random() * reads.length)));
    if (choices.length === 0) break;
    if (random() < options.reconnectRate) reconnect();
    else if (snapshotSeq !== undefined && random() < options.heartbeatRate) feed.receiveWatermark(committed);
    else pickOne(choices, random)();
  }

  // Quiet at last: heartbeats until the feed has caught up (each answer delivered in random order).
  for (let round = 0; round < 1000 && feed.watermark < lastSeq; round++) {
    feed.receiveWatermark(committed);
    while (answers.length > 0) deliverAnswer(Math.floor(random() * answers.length));
  }

  const start = snapshotSeq ?? 0;
  return {
    applied,
    expected: eventsOf(log, WATCHED, start + 1, lastSeq).map((e) => e.seq),
    watermark: feed.watermark,
    lastSeq,
    cases: [...feed.cases.values()].sort((a, b) => a.id - b.id),
    expectedCases: openCasesAt(log, WATCHED, lastSeq).map(liveCaseOfSummary),
    requests,
    outOfOrder,
  };
}
