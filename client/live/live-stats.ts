import type { LiveEvent } from '../../core/protocol/live-wire.ts';
import type { CaseRecord } from './case-record.ts';
import type { CaseStore } from './case-store.ts';

/** The wall's figures at one instant (definitions in the tiles' tooltips, strings.ts). */
export interface Kpis {
  /** Open cases in the watched area. */
  readonly open: number;
  /** Cases reported in the last 60 minutes. */
  readonly newLastHour: number;
  /** Open cases past a deadline they race, or marked overdue by the scheduler. */
  readonly overdue: number;
  /** Open cases that went up a tier at least once. */
  readonly escalated: number;
  /** Cases closed since 00:00 Beijing time. */
  readonly closedToday: number;
  /** Of those, closed by their resolve deadline (or without one); null while none closed. */
  readonly onTimeRate: number | null;
  /** From when "today" and "last hour" are complete: the start of the day, or when this screen began counting. */
  readonly countingSinceMs: number;
}

export interface TickerEntry {
  /** Unique per entry (sequence number and kind). */
  readonly key: string;
  readonly kind: 'new' | 'escalated';
  readonly atMs: number;
  readonly caseId: number;
  readonly number: string;
  readonly category: string;
  readonly severity: 1 | 2 | 3 | 4;
  readonly gridCode: string | null;
  readonly streetCode: string | null;
  readonly tier: CaseRecord['tier'];
}

const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;
const DAY_MS = 86_400_000;
/** Beijing is UTC+8 all year (no daylight saving): "today" is the district's day, wherever the screen is. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
export const TICKER_LIMIT = 40;

/** 00:00 Beijing time of the day `nowMs` falls in. */
export function beijingDayStart(nowMs: number): number {
  return Math.floor((nowMs + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

/**
 * Counts that the open cases alone cannot give (closed cases leave the feed): reports per minute for
 * the last hour in 60 fixed buckets, closures today as two counters, and a ticker capped at
 * TICKER_LIMIT entries. Nothing here grows with time, so a wall can run for weeks.
 */
export class LiveStats {
  private readonly minuteCounts = new Uint32Array(HOUR_MINUTES);
  private readonly minuteOf = new Float64Array(HOUR_MINUTES).fill(-1);
  private day: number;
  private closedToday = 0;
  private onTimeToday = 0;
  private readonly startedMs: number;
  /** Newest first. */
  ticker: readonly TickerEntry[] = [];

  constructor(nowMs: number) {
    this.startedMs = nowMs;
    this.day = beijingDayStart(nowMs);
  }

  /** After a snapshot: the last hour's reports as far as the open cases tell (closed ones are gone). */
  reset(store: CaseStore, nowMs: number): void {
    this.minuteCounts.fill(0);
    this.minuteOf.fill(-1);
    for (let row = 0; row < store.rows; row++) if (store.open(row)) this.countReport(store.reportedAt(row), nowMs);
  }

  apply(events: readonly LiveEvent[], nowMs: number): void {
    this.rollDay(nowMs);
    const added: TickerEntry[] = [];
    for (const event of events) {
      const live = event.case;
      if (event.kind === 'case:created') {
        this.countReport(live.reportedMs, nowMs);
        // A historic case loaded in bulk is not news.
        if (event.type !== 'imported') added.push(this.entry(event, 'new'));
      } else if (event.type === 'escalated') {
        added.push(this.entry(event, 'escalated'));
      } else if (event.type === 'closed' && live.closedMs !== null) {
        const closedMs = live.closedMs;
        if (closedMs >= this.day) {
          this.closedToday += 1;
          if (live.resolveDueMs === null || closedMs <= live.resolveDueMs) this.onTimeToday += 1;
        }
      }
    }
    if (added.length > 0) this.ticker = [...added.slice(-TICKER_LIMIT).reverse(), ...this.ticker].slice(0, TICKER_LIMIT);
  }

  kpis(store: CaseStore, nowMs: number): Kpis {
    this.rollDay(nowMs);
    let overdue = 0;
    let escalated = 0;
    for (let row = 0; row < store.rows; row++) {
      if (!store.open(row)) continue;
      if (store.overdueAt(row, nowMs)) overdue += 1;
      if (store.escalatedAt(row)) escalated += 1;
    }
    const nowMinute = Math.floor(nowMs / MINUTE_MS);
    let newLastHour = 0;
    for (let i = 0; i < HOUR_MINUTES; i += 1) if (this.minuteOf[i]! > nowMinute - HOUR_MINUTES) newLastHour += this.minuteCounts[i]!;
    return {
      open: store.size,
      newLastHour,
      overdue,
      escalated,
      closedToday: this.closedToday,
      onTimeRate: this.closedToday === 0 ? null : this.onTimeToday / this.closedToday,
      countingSinceMs: Math.max(this.day, this.startedMs),
    };
  }

  private countReport(reportedMs: number, nowMs: number): void {
    const nowMinute = Math.floor(nowMs / MINUTE_MS);
    // A server clock a little ahead of this screen's must not lose reports "from the future".
    const minute = Math.min(Math.floor(reportedMs / MINUTE_MS), nowMinute);
    if (!Number.isFinite(minute) || minute <= nowMinute - HOUR_MINUTES) return;
    const bucket = minute % HOUR_MINUTES;
    if (this.minuteOf[bucket] !== minute) {
      this.minuteOf[bucket] = minute;
      this.minuteCounts[bucket] = 0;
    }
    this.minuteCounts[bucket] += 1;
  }

  private rollDay(nowMs: number): void {
    const day = beijingDayStart(nowMs);
    if (day === this.day) return;
    this.day = day;
    this.closedToday = 0;
    this.onTimeToday = 0;
  }

  private entry(event: LiveEvent, kind: TickerEntry['kind']): TickerEntry {
    const c = event.case;
    return {
      key: `${event.seq}:${kind}`,
      kind,
      atMs: event.atMs,
      caseId: c.id,
      number: c.number,
      category: c.category,
      severity: c.severity,
      gridCode: c.gridCode,
      streetCode: c.streetCode,
      tier: c.tier,
    };
  }
}
