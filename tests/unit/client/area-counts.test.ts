import { describe, expect, it } from 'vitest';
import { type AreaCount, countByArea, measureByArea, totalOf } from '../../../client/live/area-counts.ts';
import { hoursFromNow, liveCase, liveStore, NOW_MS } from './live-summaries.ts';

const records = liveStore([
  liveCase(1),
  liveCase(2, { acceptDueAt: hoursFromNow(-1) }),
  liveCase(3, { acceptDueAt: hoursFromNow(0.5), escalatedAt: hoursFromNow(-0.2) }),
  liveCase(4, { gridCode: '110108001002001', communityCode: '110108001002' }),
  liveCase(5, { gridCode: '110108002001001', communityCode: '110108002001', streetCode: '110108002', overdueResolveAt: hoursFromNow(-2) }),
  liveCase(6, { status: 'linked' }),
  liveCase(7, { gridCode: null, communityCode: null, streetCode: null }),
]);

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
  });

  it('gives the choropleth one measure per area, as the counts have it (zeros left out), for the loaded areas only when told', () => {
    for (const level of ['street', 'community', 'grid'] as const) {
      for (const measure of ['open', 'overdue', 'dueSoon', 'escalated'] as const satisfies readonly (keyof AreaCount)[]) {
        const expected = Object.fromEntries([...countByArea(records, level, NOW_MS)].map(([code, count]) => [code, count[measure]]).filter(([, value]) => value !== 0));
        expect(Object.fromEntries(measureByArea(records, level, measure, NOW_MS))).toEqual(expected);
      }
    }
    expect(Object.fromEntries(measureByArea(records, 'grid', 'open', NOW_MS, ['110108001002001', '110108009009009']))).toEqual({ '110108001002001': 1 });
  });

  it('totals a whole district (unrouted cases included) or one area', () => {
    expect(totalOf(records, NOW_MS)).toEqual({ open: 6, overdue: 2, dueSoon: 1, escalated: 1 });
    expect(totalOf(records, NOW_MS, '110108001001')).toEqual({ open: 3, overdue: 1, dueSoon: 1, escalated: 1 });
    expect(totalOf(records, NOW_MS, '110108002001001')).toEqual({ open: 1, overdue: 1, dueSoon: 0, escalated: 0 });
  });
});
