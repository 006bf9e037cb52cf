import { describe, expect, it } from 'vitest';
import { analyticsWindow, beijingDate, hexCellMeters, presetOf, presetWindow } from '../../../client/analyst/analyst-window.ts';

// 23:30 in Beijing is 15:30 UTC: the Beijing date and the UTC date agree here, not at 00:30.
const LATE_EVENING = Date.parse('2026-11-27T23:30:00+08:00');

describe("the analyst's time window", () => {
  it('counts days in Beijing time, whatever the screen', () => {
    expect(beijingDate(LATE_EVENING)).toBe('2026-11-27');
    expect(beijingDate(Date.parse('2026-11-27T00:30:00+08:00'))).toBe('2026-11-27');
    expect(beijingDate(Date.parse('2026-11-26T23:59:00+08:00'))).toBe('2026-11-26');
  });

  it('makes presets of whole days including today, and recognises them back', () => {
    expect(presetWindow(7, LATE_EVENING)).toEqual({ from: '2026-11-21', to: '2026-11-27' });
    expect(presetOf('2026-11-21', '2026-11-27', LATE_EVENING)).toBe(7);
    expect(presetOf(undefined, undefined, LATE_EVENING)).toBe(30);
    expect(presetOf('2026-11-20', '2026-11-27', LATE_EVENING)).toBeUndefined();
  });

  it('asks the analytics routes for [from, the day after the last day)', () => {
    expect(analyticsWindow('2026-02-01', '2026-02-28')).toEqual({ from: '2026-02-01', to: '2026-03-01' });
    expect(analyticsWindow(undefined, '2026-12-31')).toEqual({ to: '2027-01-01' });
    expect(analyticsWindow(undefined, undefined)).toEqual({});
  });

  it('sizes hexagons to the zoom, within the API bounds', () => {
    expect(hexCellMeters(11, 40)).toBe(Math.round((156_543.03 * Math.cos((40 * Math.PI) / 180)) / 2048 * 36));
    expect(hexCellMeters(3, 40)).toBe(5_000);
    expect(hexCellMeters(19, 40)).toBe(50);
  });
});
