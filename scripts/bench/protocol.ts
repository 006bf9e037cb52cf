/**
 * Messages between the benchmark (parent) and the dashboards process (child), over Node's IPC
 * channel. Every request carries an id; the child answers with the same id.
 */
import type { Percentiles } from './stats.ts';

export interface DashboardsStart {
  readonly url: string;
  /** Areas to watch, one per client: the district for most, a street for some. */
  readonly areas: readonly { readonly area: string; readonly kind: 'district' | 'street' }[];
  /** Watch from this sequence number (area:watch {since}) instead of taking a snapshot. */
  readonly since: number | undefined;
  /** A district dispatcher's session: dashboards must sign in (the naive baseline ignores it). */
  readonly token: string | undefined;
}

export interface AwaitRequest {
  readonly phase: string;
  /** Case ids the load generator had acknowledged in the phase, ascending, with each case's street (or null). */
  readonly ids: readonly number[];
  readonly streets: readonly (string | null)[];
  readonly timeoutMs: number;
}

export type ParentMessage =
  | { readonly id: number; readonly type: 'start'; readonly start: DashboardsStart }
  | { readonly id: number; readonly type: 'stats' }
  | { readonly id: number; readonly type: 'await'; readonly request: AwaitRequest }
  | { readonly id: number; readonly type: 'close' };

export interface StartResult {
  readonly connected: number;
  readonly connectMs: number;
  readonly snapshots: number;
}

export interface PhaseDeliveries {
  /** intake → dashboard latency over every case:created applied by a district watcher. */
  readonly district: Percentiles;
  readonly street: Percentiles;
  /**
   * The district watchers' latency split at the server's time of the case's events (the product: its
   * intake batch's start; the naive baseline: when it began on the report): reported → batch began
   * (waiting in the group commit), batch began → shown (writing, committing, broadcasting, delivering).
   */
  readonly districtUntilBatch: Percentiles;
  readonly districtAfterBatch: Percentiles;
  /** Distinct cases of the phase seen per district watcher: fewest and most. */
  readonly perDistrictClient: { readonly min: number; readonly max: number };
}

export interface DashboardsStats {
  readonly clients: number;
  readonly connected: number;
  readonly phases: Readonly<Record<string, PhaseDeliveries>>;
  /** case:range requests LiveFeed made to fill gaps, and how many answers were snapshots. */
  readonly rangeRequests: number;
  readonly rangeSnapshots: number;
  /** Events that came in case:range answers, and answers that advanced the feed not at all (redundant). */
  readonly rangeEvents: number;
  readonly rangeRedundant: number;
  /** Pushed events that arrived after a gap fill had already applied them. */
  readonly pushedAfterFill: number;
  /** The widest range asked for, and how many asked for more than 5,000 events (answered with a snapshot). */
  readonly rangeMaxSpan: number;
  readonly rangeOverLimit: number;
  readonly disconnects: number;
  readonly reconnects: number;
  readonly reconnectFailures: number;
  /** Bytes one district watcher received over its websocket, and messages. */
  readonly sampleClientBytes: number;
  readonly sampleClientMessages: number;
  readonly cpuSeconds: number;
  readonly rssMb: number;
  readonly errors: readonly string[];
}

export interface AwaitResult {
  /** Every watcher had every case it should have before the timeout. */
  readonly complete: boolean;
  readonly waitedMs: number;
  /** Acknowledged cases missing from at least one district watcher. */
  readonly missingCases: number;
  /** Sum over district watchers of the cases each misses. */
  readonly missingDeliveries: number;
  /** Sum over street watchers of the cases of their street each misses. */
  readonly streetMissingDeliveries: number;
  readonly districtWatchersIncomplete: number;
  readonly examples: readonly number[];
}

export type ChildMessage =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
