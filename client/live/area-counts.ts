/**
 * Live figures per area, counted from the open cases the dashboard holds: what colours the streets,
 * communities or grids of the supervisor's map and what the drill-down lists beside each child
 * area. Counting is one pass over the store's rows (tens of thousands at most), cheap enough to redo
 * a few times a second; nothing is kept between passes, so a closed case can never linger.
 */
import { CODE_LENGTH } from '../../core/geography/area-code.ts';
import type { CaseStore } from './case-store.ts';

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

const MEASURES = ['open', 'overdue', 'dueSoon', 'escalated'] as const satisfies readonly (keyof AreaCount)[];

/** Whether the (not linked) case in `row` counts toward `measure` at `nowMs`: the one definition of each figure. */
function countsToward(store: CaseStore, row: number, measure: keyof AreaCount, nowMs: number): boolean {
  if (measure === 'open') return true;
  if (measure === 'escalated') return store.escalatedAt(row);
  const left = store.dueAt(row) - nowMs;
  const overdue = store.markedAt(row) || left < 0;
  return measure === 'overdue' ? overdue : !overdue && left <= DUE_SOON_MS;
}

/** Adds the case in `row` to `count`. Likely duplicates count through their original. */
function addRow(count: AreaCount, store: CaseStore, row: number, nowMs: number): void {
  if (store.isLinked(row)) return;
  for (const measure of MEASURES) if (countsToward(store, row, measure, nowMs)) count[measure] += 1;
}

/** Whether the area `key` (a code of `level` as the store keeps it) lies in `within` (a code of that level or above). */
function inside(store: CaseStore, key: number, level: CountLevel, within: string, withinKey: number): boolean {
  if (key < 0) return store.areaCode(key, level)!.startsWith(within);
  const below = CODE_LENGTH[level] - within.length;
  return below >= 0 && Math.floor(key / 10 ** below) === withinKey;
}

/** Counts per area of `level`, optionally only inside `within` (a street or community code). */
export function countByArea(store: CaseStore, level: CountLevel, nowMs: number, within?: string): Map<string, AreaCount> {
  const byKey = new Map<number, AreaCount>();
  const withinKey = within === undefined ? Number.NaN : Number(within);
  for (let row = 0; row < store.rows; row++) {
    if (!store.open(row)) continue;
    const key = store.areaAt(row, level);
    if (Number.isNaN(key)) continue;
    if (within !== undefined && !inside(store, key, level, within, withinKey)) continue;
    let count = byKey.get(key);
    if (!count) {
      count = emptyCount();
      byKey.set(key, count);
    }
    addRow(count, store, row, nowMs);
  }
  const counts = new Map<string, AreaCount>();
  for (const [key, count] of byKey) counts.set(store.areaCode(key, level)!, count);
  return counts;
}

/** The totals over cases in `within` (a street, community or grid code; undefined or the district: all). */
export function totalOf(store: CaseStore, nowMs: number, within?: string): AreaCount {
  const total = emptyCount();
  const level: CountLevel | undefined = within?.length === 9 ? 'street' : within?.length === 12 ? 'community' : within?.length === 15 ? 'grid' : undefined;
  if (within !== undefined && within.length > 6 && !level) return total;
  const key = level ? store.areaKey(within!, level) : Number.NaN;
  if (level && Number.isNaN(key)) return total;
  for (let row = 0; row < store.rows; row++) {
    if (!store.open(row)) continue;
    if (level && store.areaAt(row, level) !== key) continue;
    addRow(total, store, row, nowMs);
  }
  return total;
}

/**
 * One measure per area of `level`, as the map's choropleth wants it: areas where it is 0 are left
 * out, and with `areas` (the grids the map has loaded: a fill colours no others) only those are
 * kept. No object per area is made: with unit grids there are tens of thousands.
 */
export function measureByArea(store: CaseStore, level: CountLevel, measure: keyof AreaCount, nowMs: number, areas?: Iterable<string>): Map<string, number> {
  const byKey = new Map<number, number>();
  for (let row = 0; row < store.rows; row++) {
    if (!store.open(row) || store.isLinked(row)) continue;
    const key = store.areaAt(row, level);
    if (Number.isNaN(key)) continue;
    if (countsToward(store, row, measure, nowMs)) byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  const values = new Map<string, number>();
  if (areas) {
    for (const code of areas) {
      const value = byKey.get(store.areaKey(code, level));
      if (value !== undefined) values.set(code, value);
    }
  } else {
    for (const [key, value] of byKey) values.set(store.areaCode(key, level)!, value);
  }
  return values;
}
