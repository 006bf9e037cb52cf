import { describe, expect, it } from 'vitest';
import { buildQueue } from '../../../client/live/case-queue.ts';
import { hoursFromNow, liveRecord, NOW_MS } from './live-summaries.ts';

const ALL = { area: undefined, categories: [], statuses: [] };

describe('the live queue', () => {
  it('puts the overdue first (longest overdue first), then the least time left, then severity, then age', () => {
    const records = [
      liveRecord(1, { acceptDueAt: hoursFromNow(3) }),
      liveRecord(2, { acceptDueAt: hoursFromNow(-1) }),
      liveRecord(3, { acceptDueAt: hoursFromNow(-5) }),
      liveRecord(4, { acceptDueAt: hoursFromNow(0.5) }),
      liveRecord(5, { acceptDueAt: hoursFromNow(3), severity: 1 }),
      liveRecord(6, { status: 'feedback' }),
      liveRecord(7, { acceptDueAt: hoursFromNow(3), reportedAt: hoursFromNow(-9) }),
    ];
    const queue = buildQueue(records, ALL, NOW_MS, 100);
    expect(queue.rows.map((row) => row.record.summary.id)).toEqual([3, 2, 4, 5, 7, 1, 6]);
    expect(queue.total).toBe(7);
    expect(queue.overdue).toBe(2);
  });

  it('counts a case the scheduler marked overdue as overdue even before its deadline by this clock', () => {
    const queue = buildQueue([liveRecord(1, { overdueAcceptAt: hoursFromNow(-1) }), liveRecord(2, { acceptDueAt: hoursFromNow(0.1) })], ALL, NOW_MS, 10);
    expect(queue.rows.map((row) => [row.record.summary.id, row.overdue])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('keeps only the most urgent `limit` rows but counts every match', () => {
    const records = Array.from({ length: 500 }, (_, i) => liveRecord(i + 1, { acceptDueAt: hoursFromNow(((i * 37) % 500) / 10) }));
    const queue = buildQueue(records, ALL, NOW_MS, 20);
    expect(queue.total).toBe(500);
    expect(queue.rows).toHaveLength(20);
    const left = queue.rows.map((row) => row.leftMs);
    expect(left).toEqual([...left].sort((a, b) => a - b));
    expect(left[0]).toBe(0);
  });

  it('narrows by area (street, community or grid), category and status; linked duplicates only when asked for', () => {
    const records = [
      liveRecord(1),
      liveRecord(2, { gridCode: '110108001002001', communityCode: '110108001002' }),
      liveRecord(3, { gridCode: '110108002001001', communityCode: '110108002001', streetCode: '110108002' }),
      liveRecord(4, { category: 'illegal-parking' }),
      liveRecord(5, { status: 'handling' }),
      liveRecord(6, { status: 'linked' }),
    ];
    const ids = (filter: Parameters<typeof buildQueue>[1]): number[] => buildQueue(records, filter, NOW_MS, 10).rows.map((row) => row.record.summary.id).sort((a, b) => a - b);
    expect(ids(ALL)).toEqual([1, 2, 3, 4, 5]);
    expect(ids({ ...ALL, area: '110108001' })).toEqual([1, 2, 4, 5]);
    expect(ids({ ...ALL, area: '110108001002' })).toEqual([2]);
    expect(ids({ ...ALL, area: '110108001001001' })).toEqual([1, 4, 5]);
    expect(ids({ ...ALL, categories: ['illegal-parking'] })).toEqual([4]);
    expect(ids({ ...ALL, statuses: ['handling'] })).toEqual([5]);
    expect(ids({ ...ALL, statuses: ['linked'] })).toEqual([6]);
  });
});
