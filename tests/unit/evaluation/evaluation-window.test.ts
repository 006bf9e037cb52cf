import { describe, expect, it } from 'vitest';
import { monthWindow, parseEvaluationInstant, windowProblem } from '../../../core/evaluation/evaluation-window.ts';

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

describe('parseEvaluationInstant', () => {
  it('reads a bare date as Beijing midnight', () => {
    expect(iso(parseEvaluationInstant('2026-03-01'))).toBe('2026-02-28T16:00:00.000Z');
  });

  it('reads date-times with their zone', () => {
    expect(iso(parseEvaluationInstant('2026-03-01T08:00:00+08:00'))).toBe('2026-03-01T00:00:00.000Z');
    expect(iso(parseEvaluationInstant('2026-03-01T08:00Z'))).toBe('2026-03-01T08:00:00.000Z');
    expect(iso(parseEvaluationInstant('2026-03-01T08:00:00.250-05:00'))).toBe('2026-03-01T13:00:00.250Z');
  });

  it('refuses date-times without a zone, impossible dates and anything else', () => {
    for (const bad of ['2026-03-01T08:00:00', '2026-02-30', '2026-13-01', '2026-03-01T24:00Z', '2026-3-1', 'yesterday', '', "2026-03-01'; DROP TABLE cases; --", '1772323200000']) {
      expect(parseEvaluationInstant(bad), bad).toBeUndefined();
    }
  });
});

describe('monthWindow', () => {
  it('is the Beijing calendar month holding the instant', () => {
    const w = monthWindow(new Date('2026-03-15T12:00:00Z'));
    expect([iso(w.from), iso(w.to)]).toEqual(['2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z']);
  });

  it('follows Beijing time across UTC month ends and years', () => {
    // 2026-03-31T17:00Z is already 1 April 01:00 in Beijing.
    expect(iso(monthWindow(new Date('2026-03-31T17:00:00Z')).from)).toBe('2026-03-31T16:00:00.000Z');
    const december = monthWindow(new Date('2026-12-20T00:00:00Z'));
    expect([iso(december.from), iso(december.to)]).toEqual(['2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
  });
});

describe('windowProblem', () => {
  const at = (text: string): Date => new Date(text);

  it('accepts a window of up to 400 days', () => {
    expect(windowProblem({ from: at('2026-01-01T00:00:00Z'), to: at('2026-01-01T00:00:01Z') })).toBeUndefined();
    expect(windowProblem({ from: at('2026-01-01T00:00:00Z'), to: at('2027-02-05T00:00:00Z') })).toBeUndefined();
  });

  it('refuses an empty or reversed window, and one over 400 days', () => {
    expect(windowProblem({ from: at('2026-01-02T00:00:00Z'), to: at('2026-01-02T00:00:00Z') })).toMatch(/must be before/);
    expect(windowProblem({ from: at('2026-01-02T00:00:00Z'), to: at('2026-01-01T00:00:00Z') })).toMatch(/must be before/);
    expect(windowProblem({ from: at('2026-01-01T00:00:00Z'), to: at('2027-02-05T00:00:01Z') })).toMatch(/401 days; at most 400/);
  });
});
