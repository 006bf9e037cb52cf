import { describe, expect, it } from 'vitest';
import type { LiveCase, LiveEvent } from '../../../core/protocol/live-wire.ts';
import { LiveFeed } from '../../../core/realtime/live-feed.ts';
import { deadlineOf, isOverdue, recordOf } from '../../../client/live/case-record.ts';
import { hoursFromNow, liveCase, liveStore, NOW_MS } from './live-summaries.ts';

let seq = 0;
const event = (c: LiveCase, kind: LiveEvent['kind'] = 'case:updated'): LiveEvent => ({ seq: ++seq, kind, type: kind === 'case:created' ? 'filed' : 'accepted', atMs: NOW_MS, case: c });

describe('the live store', () => {
  it('gives back every field a record has, as the summary said it', () => {
    const cases = [
      liveCase(1, { number: 'HD20261127-0001234', assignee: { id: 'p1', name: '王芳', departmentCode: 'D01' }, acceptedAt: hoursFromNow(-0.5), status: 'handling' }),
      liveCase(2, { number: 'X-0007', escalatedAt: hoursFromNow(-1), tier: 'street', queue: { kind: 'street', streetCode: '110108001' }, reportsCount: 3 }),
      liveCase(3, { number: 'NO-DIGITS', overdueResolveAt: hoursFromNow(-2), acceptDueAt: null, gridCode: null, communityCode: 'C-odd', streetCode: '110108002', point: [116.312345678, 39.987654321] }),
      liveCase(4, { number: '000123', status: 'feedback', severity: 1, category: 'illegal-parking' }),
    ];
    const store = liveStore(cases);
    expect(store.size).toBe(4);
    for (const c of cases) expect(store.get(c.id)).toEqual(recordOf(c));
    expect(store.areaKey('C-odd', 'community')).toBeLessThan(0);
    expect(store.areaKey('110108999', 'street')).toBe(110108999);
  });

  it('answers the deadline and overdue questions as the records do, row by row', () => {
    const cases = [
      liveCase(1),
      liveCase(2, { acceptDueAt: hoursFromNow(-1) }),
      liveCase(3, { acceptedAt: hoursFromNow(-1), resolveDueAt: hoursFromNow(-0.5) }),
      liveCase(4, { status: 'handling', acceptDueAt: hoursFromNow(-3) }),
      liveCase(5, { status: 'feedback' }),
      liveCase(6, { overdueAcceptAt: hoursFromNow(-1) }),
      liveCase(7, { acceptDueAt: null, resolveDueAt: null }),
    ];
    const store = liveStore(cases);
    for (let row = 0; row < store.rows; row++) {
      const record = store.record(row);
      expect(store.dueAt(row)).toEqual(deadlineOf(record)?.dueMs ?? Number.NaN);
      expect(store.overdueAt(row, NOW_MS)).toBe(isOverdue(record, NOW_MS));
    }
  });

  it('keeps the rows a frame drew until the next sync, then closes the gaps (a case reopened meanwhile stays)', () => {
    const store = liveStore([liveCase(1), liveCase(2), liveCase(3), liveCase(4)]);
    store.sync(NOW_MS);
    expect(store.columns().length).toBe(4);
    const rowOf2 = [0, 1, 2, 3].find((row) => store.atRow(row)?.id === 2)!;
    store.apply([event(liveCase(2, { status: 'closed' })), event(liveCase(4, { status: 'closed' })), event(liveCase(3, { status: 'closed' })), event(liveCase(3))], false, NOW_MS);
    // Closed: gone from the records at once, but the rows drawn are not reused before the next frame.
    expect(store.size).toBe(2);
    expect(store.get(2)).toBeUndefined();
    expect(store.atRow(rowOf2)).toBeUndefined();
    store.apply([event(liveCase(5), 'case:created')], true, NOW_MS);
    expect(store.columns().length).toBe(4);
    expect(store.sync(NOW_MS)).toBe('rows');
    const drawn = store.columns();
    expect(drawn.length).toBe(3);
    expect(new Set([0, 1, 2].map((row) => store.atRow(row)?.id))).toEqual(new Set([1, 3, 5]));
    // Each row's position is its case's.
    for (let row = 0; row < drawn.length; row++) expect(drawn.positions[row * 2]).toBe(Math.fround(store.atRow(row)!.point[0]));
    expect(store.pulseFrame(NOW_MS + 100).length).toBe(1);
  });

  it('styles a row afresh when its case changes, and reports only a restyle when nothing moved', () => {
    const store = liveStore([liveCase(1), liveCase(2)]);
    store.sync(NOW_MS);
    const row = [0, 1].find((r) => store.atRow(r)?.id === 2)!;
    const before = Array.from(store.columns().fillColors.subarray(row * 4, row * 4 + 4));
    store.apply([event(liveCase(2, { overdueAcceptAt: hoursFromNow(-0.1) }))], false, NOW_MS);
    expect(store.sync(NOW_MS)).toBe('styles');
    expect(Array.from(store.columns().fillColors.subarray(row * 4, row * 4 + 4))).not.toEqual(before);
    expect(store.sync(NOW_MS)).toBe('none');
  });
});

describe('the live store under churn', () => {
  it('finds every open case and none of the closed ones, through growth, closures, reopenings and syncs', () => {
    const store = liveStore([]);
    const open = new Set<number>();
    let state = 12345;
    const random = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    for (let step = 0; step < 400; step++) {
      const events: LiveEvent[] = [];
      for (let k = 0; k < 25; k++) {
        // Ids spread like a store's: mostly new, some far apart, some again.
        const id = random(4) === 0 ? 1 + random(3_000) : 10_000 + random(40_000) * 7;
        if (random(3) === 0) {
          events.push(event(liveCase(id, { status: 'closed' })));
          open.delete(id);
        } else {
          events.push(event(liveCase(id)));
          open.add(id);
        }
      }
      store.apply(events, false, NOW_MS);
      if (random(2) === 0) store.sync(NOW_MS);
      expect(store.size).toBe(open.size);
    }
    store.sync(NOW_MS);
    for (const id of open) expect(store.get(id)?.id).toBe(id);
    for (let id = 1; id <= 3_000; id++) if (!open.has(id)) expect(store.get(id)).toBeUndefined();
    const drawn = new Set(Array.from({ length: store.columns().length }, (_, row) => store.atRow(row)!.id));
    expect(drawn).toEqual(open);
  });
});

describe("the web client's feed", () => {
  it('does not keep every summary beside the store: the snapshot is the caller to take', () => {
    const feed = new LiveFeed('110108', { requestRange: () => {} }, { keepCases: false });
    const applied: number[] = [];
    feed.onApply((events) => applied.push(...events.map((e) => e.case.id)));
    feed.receiveWatch({ kind: 'snapshot', area: '110108', seq: 10, cases: [liveCase(1), liveCase(2)] });
    feed.receiveEvents({ area: '110108', from: 11, to: 11, events: [{ ...event(liveCase(3), 'case:created'), seq: 11 }] });
    feed.receiveMark({ from: 11, to: 11 });
    expect(feed.cases.size).toBe(0);
    expect(feed.watermark).toBe(11);
    expect(applied).toEqual([3]);
  });
});
