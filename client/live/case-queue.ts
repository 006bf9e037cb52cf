/**
 * The supervisor's live queue: the open cases of an area, narrowed by category and status, most
 * urgent first. Urgency is what a dispatcher acts on: a case past its deadline before one that is
 * not (the longest overdue first), then the least time left, then the more severe, then the older.
 * Cases that race no deadline (awaiting verification) come last. Likely duplicates are left out:
 * their original stands for them ("reported by N").
 */
import { levelOfCode } from '../../core/geography/area-code.ts';
import type { CaseRecord } from './case-record.ts';
import type { CaseAreaLevel, CaseStore } from './case-store.ts';

export interface QueueFilter {
  /** A street, community or grid code; undefined = every case the store holds. */
  readonly area: string | undefined;
  /** Category codes; empty = all. */
  readonly categories: readonly string[];
  /** Statuses; empty = all open ones. */
  readonly statuses: readonly string[];
}

export interface QueueRow {
  readonly record: CaseRecord;
  /** Milliseconds to the deadline the case races now (negative: overdue); NaN: none. */
  readonly leftMs: number;
  readonly overdue: boolean;
}

export interface Queue {
  /** The first `limit` rows, most urgent first. */
  readonly rows: readonly QueueRow[];
  /** How many cases match in all (the rows may be fewer). */
  readonly total: number;
  readonly overdue: number;
}

/** The area level a filter's code names, or undefined for any other code (the district: every case). */
function levelOf(area: string | undefined): CaseAreaLevel | undefined {
  const level = area === undefined ? undefined : levelOfCode(area);
  return level === 'street' || level === 'community' || level === 'grid' ? level : undefined;
}

/** A row of the store, before it is known to make the top (no record made yet). */
interface Candidate {
  readonly row: number;
  readonly leftMs: number;
  readonly overdue: boolean;
  readonly severity: number;
  readonly reportedMs: number;
  readonly id: number;
}

/** Negative when `a` is more urgent than `b`. */
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const aHas = Number.isFinite(a.leftMs);
  const bHas = Number.isFinite(b.leftMs);
  if (aHas !== bHas) return aHas ? -1 : 1;
  if (aHas && a.leftMs !== b.leftMs) return a.leftMs - b.leftMs;
  if (a.severity !== b.severity) return a.severity - b.severity;
  if (a.reportedMs !== b.reportedMs) return a.reportedMs - b.reportedMs;
  return a.id - b.id;
}

/**
 * The queue at `nowMs`. Sorting every open case on each refresh would cost O(n log n) for a list a
 * person reads the top of, so only the `limit` most urgent are kept, in a small sorted buffer, and
 * only they become records.
 */
export function buildQueue(store: CaseStore, filter: QueueFilter, nowMs: number, limit: number): Queue {
  const top: Candidate[] = [];
  let total = 0;
  let overdue = 0;
  const level = levelOf(filter.area);
  const areaKey = level ? store.areaKey(filter.area!, level) : Number.NaN;
  const wantsLinked = filter.statuses.includes('linked');
  if (level && Number.isNaN(areaKey)) return { rows: [], total: 0, overdue: 0 };
  for (let row = 0; row < store.rows; row++) {
    if (!store.open(row)) continue;
    if (store.isLinked(row)) {
      if (!wantsLinked) continue;
    } else if (filter.statuses.length > 0 && !filter.statuses.includes(store.statusAt(row))) {
      continue;
    }
    if (filter.categories.length > 0 && !filter.categories.includes(store.categoryAt(row))) continue;
    if (level && store.areaAt(row, level) !== areaKey) continue;
    const due = store.dueAt(row);
    const leftMs = due - nowMs;
    const candidate: Candidate = { row, leftMs, overdue: store.markedAt(row) || leftMs < 0, severity: store.severityAt(row), reportedMs: store.reportedAt(row), id: store.idAt(row) };
    total += 1;
    if (candidate.overdue) overdue += 1;
    if (top.length === limit && compareCandidates(candidate, top[top.length - 1]!) >= 0) continue;
    // Binary search for the insertion point keeps the buffer sorted.
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareCandidates(top[mid]!, candidate) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, candidate);
    if (top.length > limit) top.pop();
  }
  return { rows: top.map((c) => ({ record: store.record(c.row), leftMs: c.leftMs, overdue: c.overdue })), total, overdue };
}
