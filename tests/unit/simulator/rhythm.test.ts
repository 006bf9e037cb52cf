import { describe, expect, it } from 'vitest';
import { beijingClock, beijingHour, isNightHour, RHYTHM_KNOTS, RHYTHM_MAX, rhythmAt, rhythmAtHour } from '../../../scripts/simulator/rhythm.ts';

/** 2026-11-27 00:00 in Beijing (16:00 UTC the day before). */
const BEIJING_MIDNIGHT = Date.parse('2026-11-26T16:00:00Z');

describe('the daily rhythm', () => {
  it('has a daily mean of exactly 1 (integrated minute by minute over a day)', () => {
    let sum = 0;
    const steps = 24 * 60;
    for (let i = 0; i < steps; i++) sum += rhythmAtHour((i + 0.5) / 60);
    expect(sum / steps).toBeCloseTo(1, 9);
  });

  it('has the same mean over a day starting at any time', () => {
    for (const startHour of [0, 7.25, 13.5, 23.9]) {
      let sum = 0;
      for (let i = 0; i < 24 * 60; i++) sum += rhythmAt(BEIJING_MIDNIGHT + (startHour * 60 + i + 0.5) * 60_000);
      expect(sum / (24 * 60)).toBeCloseTo(1, 9);
    }
  });

  it('is low at night and peaks mid-morning and late afternoon', () => {
    expect(rhythmAtHour(3)).toBeLessThan(0.15);
    expect(rhythmAtHour(10)).toBeGreaterThan(1.8);
    expect(rhythmAtHour(16.5)).toBeGreaterThan(1.8);
    expect(rhythmAtHour(13)).toBeLessThan(rhythmAtHour(10));
    expect(rhythmAtHour(13)).toBeLessThan(rhythmAtHour(16.5));
    const peakHour = RHYTHM_KNOTS.indexOf(RHYTHM_MAX);
    expect(peakHour).toBe(10);
  });

  it('is continuous across midnight and piecewise linear between hours', () => {
    expect(rhythmAtHour(23.9999)).toBeCloseTo(rhythmAtHour(0), 3);
    expect(rhythmAtHour(9.5)).toBeCloseTo((RHYTHM_KNOTS[9]! + RHYTHM_KNOTS[10]!) / 2, 12);
    expect(rhythmAtHour(24)).toBe(rhythmAtHour(0));
    expect(rhythmAtHour(-1)).toBe(rhythmAtHour(23));
  });

  it('reads Beijing local time (UTC+8) from an instant', () => {
    expect(beijingHour(Date.parse('2026-11-27T02:00:00Z'))).toBe(10);
    expect(beijingHour(Date.parse('2026-11-27T20:30:00Z'))).toBe(4.5);
    expect(beijingClock(Date.parse('2026-11-27T09:06:00Z'))).toBe('17:06');
    expect(rhythmAt(Date.parse('2026-11-27T02:00:00Z'))).toBe(rhythmAtHour(10));
  });

  it('calls 21:00–05:00 night', () => {
    expect([21, 23.5, 0, 4.99].every(isNightHour)).toBe(true);
    expect([5, 10, 20.99].some(isNightHour)).toBe(false);
  });
});
