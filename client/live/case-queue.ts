/**
 * The supervisor's live queue: the open cases of an area, narrowed by category and status, most
 * urgent first. Urgency is what a dispatcher acts on: a case past its deadline before one that is
 * not (the longest overdue first), then the least time left, then the more severe, then the older.
 * Cases that race no deadline (awaiting verification) come last. Likely duplicates are left out:
 * their original stands for them ("reported by N").
 */
import { levelOfCode } from '../../core/geography/area-code.ts';
import { type CaseRecord, deadlineOf } from './case-record.ts';

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

export function inArea(record: CaseRecord, area: string | undefined): boolean {
  if (area === undefined) return true;
  const { summary } = record;
  switch (levelOfCode(area)) {
    case 'street':
      return summary.streetCode === area;
    case 'community':
      return summary.communityCode === area;
    case 'grid':
      return summary.gridCode === area;
    default:
      return true;
  }
}

export function matchesFilter(record: CaseRecord, filter: QueueFilter): boolean {
  const { summary } = record;
  if (summary.status === 'linked') {
    if (filter.statuses.length === 0 || !filter.statuses.includes('linked')) return false;
  } else if (filter.statuses.length > 0 && !filter.statuses.includes(summary.status)) {
    return false;
  }
  if (filter.categories.length > 0 && !filter.categories.includes(summary.category)) return false;
  return inArea(record, filter.area);
}

function rowOf(record: CaseRecord, nowMs: number): QueueRow {
  const deadline = deadlineOf(record);
  const leftMs = deadline ? deadline.dueMs - nowMs : Number.NaN;
  return { record, leftMs, overdue: record.marked || leftMs < 0 };
}

/** Negative when `a` is more urgent than `b`. */
export function compareUrgency(a: QueueRow, b: QueueRow): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const aHas = Number.isFinite(a.leftMs);
  const bHas = Number.isFinite(b.leftMs);
  if (aHas !== bHas) return aHas ? -1 : 1;
  if (aHas && a.leftMs !== b.leftMs) return a.leftMs - b.leftMs;
  if (a.record.summary.severity !== b.record.summary.severity) return a.record.summary.severity - b.record.summary.severity;
  if (a.record.reportedMs !== b.record.reportedMs) return a.record.reportedMs - b.record.reportedMs;
  return a.record.summary.id - b.record.summary.id;
}

/**
 * The queue at `nowMs`. Sorting every open case on each refresh would cost O(n log n) for a list a
 * person reads the top of, so only the `limit` most urgent are kept, in a small sorted buffer.
 */
export function buildQueue(records: Iterable<CaseRecord>, filter: QueueFilter, nowMs: number, limit: number): Queue {
  const top: QueueRow[] = [];
  let total = 0;
  let overdue = 0;
  for (const record of records) {
    if (!matchesFilter(record, filter)) continue;
    const row = rowOf(record, nowMs);
    total += 1;
    if (row.overdue) overdue += 1;
    if (top.length === limit && compareUrgency(row, top[top.length - 1]!) >= 0) continue;
    // Binary search for the insertion point keeps the buffer sorted.
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUrgency(top[mid]!, row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, row);
    if (top.length > limit) top.pop();
  }
  return { rows: top, total, overdue };
}
