/**
 * Live figures per area, counted from the open cases the dashboard holds: what colours the streets,
 * communities or grids of the supervisor's map and what the drill-down lists beside each child
 * area. Counting is one pass over the open cases (tens of thousands at most), cheap enough to redo
 * a few times a second; nothing is kept between passes, so a closed case can never linger.
 */
import type { FillMeasure } from '../state/view-url.ts';
import { type CaseRecord, deadlineOf } from './case-record.ts';

export type CountLevel = 'street' | 'community' | 'grid';

/** "Due soon": the deadline a case races falls within this much time. */
export const DUE_SOON_MS = 60 * 60 * 1000;

export interface AreaCount {
  open: number;
  overdue: number;
  dueSoon: number;
  escalated: number;
}

const emptyCount = (): AreaCount => ({ open: 0, overdue: 0, dueSoon: 0, escalated: 0 });

function areaOf(record: CaseRecord, level: CountLevel): string | null {
  const { summary } = record;
  return level === 'street' ? summary.streetCode : level === 'community' ? summary.communityCode : summary.gridCode;
}

/** Adds one case's contribution to `count`. Likely duplicates count through their original. */
export function addCase(count: AreaCount, record: CaseRecord, nowMs: number): void {
  if (record.summary.status === 'linked') return;
  count.open += 1;
  const deadline = deadlineOf(record);
  const left = deadline ? deadline.dueMs - nowMs : Number.NaN;
  if (record.marked || left < 0) count.overdue += 1;
  else if (left <= DUE_SOON_MS) count.dueSoon += 1;
  if (record.escalated) count.escalated += 1;
}

/** Counts per area of `level`, optionally only inside `within` (a street or community code). */
export function countByArea(records: Iterable<CaseRecord>, level: CountLevel, nowMs: number, within?: string): Map<string, AreaCount> {
  const counts = new Map<string, AreaCount>();
  for (const record of records) {
    const code = areaOf(record, level);
    if (code === null) continue;
    if (within !== undefined && !code.startsWith(within)) continue;
    let count = counts.get(code);
    if (!count) {
      count = emptyCount();
      counts.set(code, count);
    }
    addCase(count, record, nowMs);
  }
  return counts;
}

/** The totals over cases in `within` (undefined: all). */
export function totalOf(records: Iterable<CaseRecord>, nowMs: number, within?: string): AreaCount {
  const total = emptyCount();
  for (const record of records) {
    if (within !== undefined) {
      const { streetCode, communityCode, gridCode } = record.summary;
      const code = within.length === 9 ? streetCode : within.length === 12 ? communityCode : within.length === 15 ? gridCode : null;
      if (within.length > 6 && code !== within) continue;
    }
    addCase(total, record, nowMs);
  }
  return total;
}

/** One measure of the counts, as the map's choropleth wants it. */
export function valuesOf(counts: ReadonlyMap<string, AreaCount>, measure: Exclude<FillMeasure, 'none'>): Map<string, number> {
  const values = new Map<string, number>();
  for (const [code, count] of counts) values.set(code, count[measure]);
  return values;
}
