import { describe, expect, it } from 'vitest';
import { countByArea, totalOf, valuesOf } from '../../../client/live/area-counts.ts';
import { hoursFromNow, liveRecord, NOW_MS } from './live-summaries.ts';

const records = [
  liveRecord(1),
  liveRecord(2, { acceptDueAt: hoursFromNow(-1) }),
  liveRecord(3, { acceptDueAt: hoursFromNow(0.5), escalatedAt: hoursFromNow(-0.2) }),
  liveRecord(4, { gridCode: '110108001002001', communityCode: '110108001002' }),
  liveRecord(5, { gridCode: '110108002001001', communityCode: '110108002001', streetCode: '110108002', overdueResolveAt: hoursFromNow(-2) }),
  liveRecord(6, { status: 'linked' }),
  liveRecord(7, { gridCode: null, communityCode: null, streetCode: null }),
];

describe('live figures per area', () => {
  it('counts open, overdue, due within the hour and escalated per street, community and grid; duplicates and unrouted cases left out of areas', () => {
    expect(Object.fromEntries(countByArea(records, 'street', NOW_MS))).toEqual({
      '110108001': { open: 4, overdue: 1, dueSoon: 1, escalated: 1 },
      '110108002': { open: 1, overdue: 1, dueSoon: 0, escalated: 0 },
    });
    expect(Object.fromEntries(countByArea(records, 'community', NOW_MS, '110108001'))).toEqual({
      '110108001001': { open: 3, overdue: 1, dueSoon: 1, escalated: 1 },
      '110108001002': { open: 1, overdue: 0, dueSoon: 0, escalated: 0 },
    });
    expect([...countByArea(records, 'grid', NOW_MS).keys()].sort()).toEqual(['110108001001001', '110108001002001', '110108002001001']);
    expect(Object.fromEntries(valuesOf(countByArea(records, 'street', NOW_MS), 'overdue'))).toEqual({ '110108001': 1, '110108002': 1 });
  });

  it('totals a whole district (unrouted cases included) or one area', () => {
    expect(totalOf(records, NOW_MS)).toEqual({ open: 6, overdue: 2, dueSoon: 1, escalated: 1 });
    expect(totalOf(records, NOW_MS, '110108001001')).toEqual({ open: 3, overdue: 1, dueSoon: 1, escalated: 1 });
    expect(totalOf(records, NOW_MS, '110108002001001')).toEqual({ open: 1, overdue: 1, dueSoon: 0, escalated: 0 });
  });
});
