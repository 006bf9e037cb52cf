import { describe, expect, it } from 'vitest';
import { buildQueue } from '../../../client/live/case-queue.ts';
import { hoursFromNow, liveCase, liveStore, NOW_MS } from './live-summaries.ts';

const ALL = { area: undefined, categories: [], statuses: [] };

describe('the live queue', () => {
  it('puts the overdue first (longest overdue first), then the least time left, then severity, then age', () => {
    const records = [
      liveCase(1, { acceptDueAt: hoursFromNow(3) }),
      liveCase(2, { acceptDueAt: hoursFromNow(-1) }),
      liveCase(3, { acceptDueAt: hoursFromNow(-5) }),
      liveCase(4, { acceptDueAt: hoursFromNow(0.5) }),
      liveCase(5, { acceptDueAt: hoursFromNow(3), severity: 1 }),
      liveCase(6, { status: 'feedback' }),
      liveCase(7, { acceptDueAt: hoursFromNow(3), reportedAt: hoursFromNow(-9) }),
    ];
    const queue = buildQueue(liveStore(records), ALL, NOW_MS, 100);
    expect(queue.rows.map((row) => row.record.id)).toEqual([3, 2, 4, 5, 7, 1, 6]);
    expect(queue.total).toBe(7);
    expect(queue.overdue).toBe(2);
  });

  it('counts a case the scheduler marked overdue as overdue even before its deadline by this clock', () => {
    const queue = buildQueue(liveStore([liveCase(1, { overdueAcceptAt: hoursFromNow(-1) }), liveCase(2, { acceptDueAt: hoursFromNow(0.1) })]), ALL, NOW_MS, 10);
    expect(queue.rows.map((row) => [row.record.id, row.overdue])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('keeps only the most urgent `limit` rows but counts every match', () => {
    const records = Array.from({ length: 500 }, (_, i) => liveCase(i + 1, { acceptDueAt: hoursFromNow(((i * 37) % 500) / 10) }));
    const queue = buildQueue(liveStore(records), ALL, NOW_MS, 20);
    expect(queue.total).toBe(500);
    expect(queue.rows).toHaveLength(20);
    const left = queue.rows.map((row) => row.leftMs);
    expect(left).toEqual([...left].sort((a, b) => a - b));
    expect(left[0]).toBe(0);
  });

  it('narrows by area (street, community or grid), category and status; linked duplicates only when asked for', () => {
    const records = [
      liveCase(1),
      liveCase(2, { gridCode: '110108001002001', communityCode: '110108001002' }),
      liveCase(3, { gridCode: '110108002001001', communityCode: '110108002001', streetCode: '110108002' }),
      liveCase(4, { category: 'illegal-parking' }),
      liveCase(5, { status: 'handling' }),
      liveCase(6, { status: 'linked' }),
    ];
    const ids = (filter: Parameters<typeof buildQueue>[1]): number[] => buildQueue(liveStore(records), filter, NOW_MS, 10).rows.map((row) => row.record.id).sort((a, b) => a - b);
    expect(ids(ALL)).toEqual([1, 2, 3, 4, 5]);
    expect(ids({ ...ALL, area: '110108001' })).toEqual([1, 2, 4, 5]);
    expect(ids({ ...ALL, area: '110108001002' })).toEqual([2]);
    expect(ids({ ...ALL, area: '110108001001001' })).toEqual([1, 4, 5]);
    expect(ids({ ...ALL, categories: ['illegal-parking'] })).toEqual([4]);
    expect(ids({ ...ALL, statuses: ['handling'] })).toEqual([5]);
    expect(ids({ ...ALL, statuses: ['linked'] })).toEqual([6]);
  });
});
