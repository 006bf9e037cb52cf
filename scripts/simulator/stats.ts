/**
 * What the simulator counts: every report sent and what the server answered, against what the
 * stream expected; ack latencies in a log-scale histogram (constant memory for runs of days).
 * Pure: the runner feeds it and prints what it formats.
 */
import type { Ack, CaseAck } from '../../core/protocol/cases-api.ts';
import type { Expectation, PlannedReport } from './generator.ts';

/** Latencies in buckets 5 % wide from 0.1 ms up: percentiles within 5 %. */
export class LatencyHistogram {
  private static readonly MIN = 0.1;
  private static readonly RATIO = 1.05;
  private readonly buckets = new Map<number, number>();
  count = 0;
  sum = 0;
  max = 0;

  add(ms: number): void {
    const v = Math.max(ms, LatencyHistogram.MIN);
    const b = Math.floor(Math.log(v / LatencyHistogram.MIN) / Math.log(LatencyHistogram.RATIO));
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  mean(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  /** The q-quantile (0..1): the upper edge of the bucket holding it, capped at the maximum seen. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (const b of [...this.buckets.keys()].sort((x, y) => x - y)) {
      seen += this.buckets.get(b)!;
      if (seen >= rank) return Math.min(this.max, LatencyHistogram.MIN * LatencyHistogram.RATIO ** (b + 1));
    }
    return this.max;
  }
}

export type Outcome = 'stored' | 'replayed' | 'refused' | 'error';

export interface Counters {
  /** Reports handed to the socket (a planned report counts once, however often it is re-sent). */
  sent: number;
  /** Re-sends after store_unavailable or a lost acknowledgement. */
  resent: number;
  storeUnavailable: number;
  timeouts: number;
  /** New cases (replayed: false). */
  stored: number;
  replayed: number;
  /** New cases linked to an open one as likely duplicates (planned or by chance). */
  linked: number;
  /** New cases outside every grid (district queue). */
  unrouted: number;
  refused: number;
  /** Reports answered otherwise than expected (see `unexpected`), and failures. */
  errors: number;
  planned: { duplicates: number; duplicatesLinked: number; retries: number; retriesReplayed: number; bad: number; badRefused: number; unrouted: number; unroutedStored: number };
}

export interface Unexpected {
  readonly reportId: string;
  readonly origin: string;
  readonly expected: string;
  readonly got: string;
}

function describeExpectation(e: Expectation): string {
  return e.outcome === 'refused' ? `refused ${e.code}` : e.outcome === 'stored' ? (e.routed ? 'stored' : 'stored unrouted') : e.outcome;
}

export class SimStats {
  readonly counters: Counters = {
    sent: 0,
    resent: 0,
    storeUnavailable: 0,
    timeouts: 0,
    stored: 0,
    replayed: 0,
    linked: 0,
    unrouted: 0,
    refused: 0,
    errors: 0,
    planned: { duplicates: 0, duplicatesLinked: 0, retries: 0, retriesReplayed: 0, bad: 0, badRefused: 0, unrouted: 0, unroutedStored: 0 },
  };
  readonly refusedByCode: Record<string, number> = {};
  readonly errorsByCode: Record<string, number> = {};
  readonly byChannel: Record<string, number> = {};
  readonly byOrigin: Record<string, number> = {};
  readonly byHotspotKind: Record<string, number> = {};
  readonly byCategory: Record<string, number> = {};
  readonly latency = new LatencyHistogram();
  /** Since the last status line. */
  interval = new LatencyHistogram();
  /** The first few surprises, kept for the summary. */
  readonly unexpected: Unexpected[] = [];
  /** Retries: the case number each reportId got, to check that both sends got the same case. */
  private readonly caseOfRetried = new Map<string, string>();
  /** Same reportId answered with two different cases. */
  replayMismatches = 0;
  /** New cases routed to another grid than the simulator's own copy of the routing rule says. */
  gridMismatches = 0;

  sent(p: PlannedReport): void {
    const c = this.counters;
    c.sent++;
    bump(this.byChannel, p.report.channel);
    bump(this.byOrigin, p.origin.kind);
    if (p.origin.kind === 'hotspot') bump(this.byHotspotKind, p.origin.hotspotKind);
    if (p.origin.kind === 'burst') bump(this.byHotspotKind, p.origin.burstKind);
    if (p.origin.kind !== 'bad') bump(this.byCategory, p.report.category);
    if (p.origin.kind === 'duplicate') c.planned.duplicates++;
    if (p.origin.kind === 'retry') c.planned.retries++;
    if (p.origin.kind === 'bad') c.planned.bad++;
    if (p.origin.kind === 'unrouted') c.planned.unrouted++;
  }

  /**
   * The final answer to one planned report, with the latency of the exchange that got it. After a
   * re-send (lost ack, store unavailable) "replayed" is as good as "stored": an earlier send may have
   * been stored.
   */
  answered(p: PlannedReport, result: Ack<CaseAck> | { readonly ok: false; readonly error: { readonly code: string } }, latencyMs: number, afterResend = false): Outcome {
    const c = this.counters;
    this.latency.add(latencyMs);
    this.interval.add(latencyMs);
    let outcome: Outcome;
    let got: string;
    if (result.ok) {
      const ack = result.data;
      if (ack.replayed) {
        c.replayed++;
        outcome = 'replayed';
        got = 'replayed';
      } else {
        c.stored++;
        outcome = 'stored';
        got = ack.duplicateOf ? 'linked' : ack.grid ? 'stored' : 'stored unrouted';
        if (ack.duplicateOf) c.linked++;
        if (p.gridCode !== undefined && ack.grid && ack.grid.code !== p.gridCode) this.gridMismatches++;
        if (!ack.grid) c.unrouted++;
      }
      if (p.origin.kind === 'retry' || p.repeated) {
        // Both sends of a retried reportId must name the same case.
        const earlier = this.caseOfRetried.get(p.report.reportId);
        if (earlier === undefined) this.caseOfRetried.set(p.report.reportId, ack.caseNumber);
        else {
          this.caseOfRetried.delete(p.report.reportId);
          if (earlier !== ack.caseNumber) this.replayMismatches++;
        }
      }
    } else if (result.error.code === 'invalid_report' || result.error.code === 'outside_district') {
      c.refused++;
      bump(this.refusedByCode, result.error.code);
      outcome = 'refused';
      got = `refused ${result.error.code}`;
    } else {
      c.errors++;
      bump(this.errorsByCode, result.error.code);
      outcome = 'error';
      got = `error ${result.error.code}`;
    }

    const e = p.expect;
    const met =
      (e.outcome === 'refused' && got === `refused ${e.code}`) ||
      (e.outcome === 'stored' && outcome === 'stored' && (e.routed ? got !== 'stored unrouted' : got === 'stored unrouted')) ||
      (e.outcome === 'linked' && got === 'linked') ||
      (e.outcome === 'replayed' && outcome === 'replayed');
    if (p.origin.kind === 'duplicate' && got === 'linked') c.planned.duplicatesLinked++;
    if (p.origin.kind === 'retry' && outcome === 'replayed') c.planned.retriesReplayed++;
    if (p.origin.kind === 'bad' && outcome === 'refused') c.planned.badRefused++;
    if (p.origin.kind === 'unrouted' && got === 'stored unrouted') c.planned.unroutedStored++;
    // Not surprises: a duplicate the server did not link (its original was itself linked, further
    // away), a report linked by chance to a nearby open case of the same category, a retry whose
    // first send was answered after it (then the first is the replay).
    const benign =
      (e.outcome === 'linked' && outcome === 'stored') ||
      (e.outcome === 'stored' && e.routed && got === 'linked') ||
      ((p.repeated === true || afterResend) && outcome === 'replayed') ||
      (e.outcome === 'replayed' && outcome === 'stored');
    if (!met && !benign && outcome !== 'error') {
      c.errors++;
      if (this.unexpected.length < 20) this.unexpected.push({ reportId: p.report.reportId, origin: p.origin.kind, expected: describeExpectation(e), got });
    }
    return outcome;
  }

  /** Takes the latencies since the last call (for per-interval status lines). */
  takeInterval(): LatencyHistogram {
    const h = this.interval;
    this.interval = new LatencyHistogram();
    return h;
  }
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** Shares of a count record, largest first, as percentages with one decimal. */
export function shares(record: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(record).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(record).sort((a, b) => b[1] - a[1])) out[k] = total > 0 ? Math.round((v / total) * 1000) / 10 : 0;
  return out;
}

export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}
