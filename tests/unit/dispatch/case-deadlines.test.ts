import { describe, expect, it } from 'vitest';
import { BEIJING_OFFICE_HOURS, type WorkingCalendar } from '../../../core/calendar/working-calendar.ts';
import { caseDeadlines } from '../../../core/dispatch/case-deadlines.ts';

interface DeadlineRule {
  acceptMinutes: number;
  resolveMinutes: number;
  workingTime: boolean;
}

function buildRule(overrides: Partial<DeadlineRule> = {}): DeadlineRule {
  return { acceptMinutes: 30, resolveMinutes: 480, workingTime: true, ...overrides };
}

function buildCalendar(overrides: Partial<WorkingCalendar> = {}): WorkingCalendar {
  return { ...BEIJING_OFFICE_HOURS, ...overrides };
}

/** An instant given as Beijing wall-clock time (UTC+8). */
function beijing(localDateTime: string): Date {
  return new Date(`${localDateTime}+08:00`);
}

describe('caseDeadlines: working time', () => {
  it('puts the accept deadline of a Friday-evening report on Monday morning', () => {
    // Fri 2026-11-27 17:03 Beijing: 27 minutes left on Friday, 3 more from Monday 08:30.
    const { acceptDueAt } = caseDeadlines(buildRule(), beijing('2026-11-27T17:03:00'), buildCalendar());
    expect(acceptDueAt.toISOString()).toBe('2026-11-30T00:33:00.000Z');
  });

  it('counts the resolve time in working minutes from the accept deadline', () => {
    // Accept due Mon 08:33; 480 working minutes (one day) later is Tue 08:33 Beijing.
    const { resolveDueAt } = caseDeadlines(buildRule(), beijing('2026-11-27T17:03:00'), buildCalendar());
    expect(resolveDueAt.toISOString()).toBe('2026-12-01T00:33:00.000Z');
  });

  it('skips a holiday on the calendar it is given', () => {
    const { acceptDueAt } = caseDeadlines(buildRule(), beijing('2026-11-27T17:03:00'), buildCalendar({ holidays: ['2026-11-30'] }));
    expect(acceptDueAt.toISOString()).toBe('2026-12-01T00:33:00.000Z');
  });
});

describe('caseDeadlines: calendar time', () => {
  it('adds the accept minutes as wall-clock minutes, nights and weekends included', () => {
    const { acceptDueAt } = caseDeadlines(buildRule({ workingTime: false }), beijing('2026-11-27T17:03:00'), buildCalendar());
    expect(acceptDueAt.toISOString()).toBe('2026-11-27T09:33:00.000Z');
  });

  it('adds the resolve minutes to the accept deadline as wall-clock minutes', () => {
    const { resolveDueAt } = caseDeadlines(buildRule({ workingTime: false, acceptMinutes: 15, resolveMinutes: 24 * 60 }), beijing('2026-11-28T23:50:00'), buildCalendar());
    // Sat 23:50 + 15 min = Sun 00:05; + 24 h = Mon 00:05 Beijing = Sun 16:05Z.
    expect(resolveDueAt.toISOString()).toBe('2026-11-29T16:05:00.000Z');
  });

  it('ignores the calendar, even one with no working days', () => {
    const { acceptDueAt } = caseDeadlines(buildRule({ workingTime: false, acceptMinutes: 60 }), new Date('2026-11-25T02:00:00Z'), buildCalendar({ weekdays: [] }));
    expect(acceptDueAt.toISOString()).toBe('2026-11-25T03:00:00.000Z');
  });

  it('keeps seconds and milliseconds of the start', () => {
    const { acceptDueAt } = caseDeadlines(buildRule({ workingTime: false, acceptMinutes: 1 }), new Date('2026-11-25T02:00:07.250Z'), buildCalendar());
    expect(acceptDueAt.toISOString()).toBe('2026-11-25T02:01:07.250Z');
  });
});

describe('caseDeadlines: the inputs', () => {
  it('does not change the start instant it is given', () => {
    const from = beijing('2026-11-27T17:03:00');
    caseDeadlines(buildRule(), from, buildCalendar());
    expect(from.toISOString()).toBe('2026-11-27T09:03:00.000Z');
  });

  it('returns the start itself as both deadlines when both minutes are zero', () => {
    const from = beijing('2026-11-25T10:00:00');
    const { acceptDueAt, resolveDueAt } = caseDeadlines(buildRule({ acceptMinutes: 0, resolveMinutes: 0 }), from, buildCalendar());
    expect([acceptDueAt.toISOString(), resolveDueAt.toISOString()]).toEqual(['2026-11-25T02:00:00.000Z', '2026-11-25T02:00:00.000Z']);
  });
});
