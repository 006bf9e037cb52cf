import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, BEIJING_OFFICE_HOURS, isWorkingDay, type WorkingCalendar } from '../../../core/calendar/working-calendar.ts';

// Dates used below (Beijing): 2026-11-23 Mon, 25 Wed, 26 Thu, 27 Fri, 28 Sat, 29 Sun, 30 Mon.
// Beijing local time is UTC+8, so 08:30 Beijing is 00:30Z the same day and 17:30 Beijing is 09:30Z.

function buildCalendar(overrides: Partial<WorkingCalendar> = {}): WorkingCalendar {
  return { ...BEIJING_OFFICE_HOURS, ...overrides };
}

/** An instant given as Beijing wall-clock time. */
function beijing(localDateTime: string): Date {
  return new Date(`${localDateTime}+08:00`);
}

function addOnBeijingHours(localStart: string, minutes: number, calendar: WorkingCalendar = buildCalendar()): string {
  return addWorkingMinutes(beijing(localStart), minutes, calendar).toISOString();
}

/** The local-midnight argument isWorkingDay expects: the local date read as if it were UTC. */
function localDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

describe('BEIJING_OFFICE_HOURS', () => {
  it('is UTC+8, Monday to Friday, with no holidays or make-up days of its own', () => {
    expect(BEIJING_OFFICE_HOURS).toMatchObject({ utcOffsetMinutes: 480, weekdays: [1, 2, 3, 4, 5], holidays: [], extraWorkdays: [] });
  });

  it('works 08:30–12:00 and 13:00–17:30: eight hours a day', () => {
    expect(BEIJING_OFFICE_HOURS.periods).toEqual([
      [510, 720],
      [780, 1050],
    ]);
    expect(BEIJING_OFFICE_HOURS.periods.reduce((sum, [from, to]) => sum + to - from, 0)).toBe(480);
  });
});

describe('addWorkingMinutes: within one working day', () => {
  it('adds minutes inside the morning period', () => {
    // Wed 09:00 + 60 → Wed 10:00 Beijing.
    expect(addOnBeijingHours('2026-11-25T09:00:00', 60)).toBe('2026-11-25T02:00:00.000Z');
  });

  it('adds minutes inside the afternoon period', () => {
    // Wed 14:15 + 45 → Wed 15:00 Beijing.
    expect(addOnBeijingHours('2026-11-25T14:15:00', 45)).toBe('2026-11-25T07:00:00.000Z');
  });

  it('skips the lunch break', () => {
    // Wed 11:30 + 60: 30 before noon, 30 after 13:00 → 13:30 Beijing.
    expect(addOnBeijingHours('2026-11-25T11:30:00', 60)).toBe('2026-11-25T05:30:00.000Z');
  });

  it('starts counting at 13:00 when it starts during lunch', () => {
    // Wed 12:30 + 30 → 13:30 Beijing.
    expect(addOnBeijingHours('2026-11-25T12:30:00', 30)).toBe('2026-11-25T05:30:00.000Z');
  });

  it('starts counting at 08:30 when it starts before office hours', () => {
    // Wed 07:00 + 15 → 08:45 Beijing.
    expect(addOnBeijingHours('2026-11-25T07:00:00', 15)).toBe('2026-11-25T00:45:00.000Z');
  });

  it('keeps the seconds of the start', () => {
    // Wed 09:00:30.5 + 1 → 09:01:30.5 Beijing.
    expect(addOnBeijingHours('2026-11-25T09:00:30.500', 1)).toBe('2026-11-25T01:01:30.500Z');
  });

  it('adds a fraction of a minute', () => {
    // Wed 09:00 + 0.5 → 09:00:30 Beijing.
    expect(addOnBeijingHours('2026-11-25T09:00:00', 0.5)).toBe('2026-11-25T01:00:30.000Z');
  });
});

describe('addWorkingMinutes: exactly at period boundaries', () => {
  it('ends at 12:00 (not 13:00) when the minutes run out exactly at noon', () => {
    // Wed 08:30 + 210 → 12:00 Beijing.
    expect(addOnBeijingHours('2026-11-25T08:30:00', 210)).toBe('2026-11-25T04:00:00.000Z');
  });

  it('ends at 17:30 (not the next morning) when the minutes run out exactly at close', () => {
    // Wed 13:00 + 270 → 17:30 Beijing.
    expect(addOnBeijingHours('2026-11-25T13:00:00', 270)).toBe('2026-11-25T09:30:00.000Z');
  });

  it('fills a whole working day from 08:30 to 17:30 with 480 minutes', () => {
    expect(addOnBeijingHours('2026-11-25T08:30:00', 480)).toBe('2026-11-25T09:30:00.000Z');
  });

  it('counts from 13:00 when it starts exactly at 12:00', () => {
    // Wed 12:00 + 1 → 13:01 Beijing.
    expect(addOnBeijingHours('2026-11-25T12:00:00', 1)).toBe('2026-11-25T05:01:00.000Z');
  });

  it('counts from 08:30 the next day when it starts exactly at 17:30', () => {
    // Wed 17:30 + 1 → Thu 08:31 Beijing.
    expect(addOnBeijingHours('2026-11-25T17:30:00', 1)).toBe('2026-11-26T00:31:00.000Z');
  });

  it('counts the first minute of the day when it starts exactly at 08:30', () => {
    // Wed 08:30 + 1 → 08:31 Beijing.
    expect(addOnBeijingHours('2026-11-25T08:30:00', 1)).toBe('2026-11-25T00:31:00.000Z');
  });

  it('counts from 13:00 when it starts one minute before noon and needs two', () => {
    // Wed 11:59 + 2: one minute before noon, one after 13:00 → 13:01 Beijing.
    expect(addOnBeijingHours('2026-11-25T11:59:00', 2)).toBe('2026-11-25T05:01:00.000Z');
  });
});

describe('addWorkingMinutes: across nights and weekends', () => {
  it('carries the rest over the evening to the next morning', () => {
    // Wed 17:00 + 60: 30 on Wed, 30 from Thu 08:30 → Thu 09:00 Beijing.
    expect(addOnBeijingHours('2026-11-25T17:00:00', 60)).toBe('2026-11-26T01:00:00.000Z');
  });

  it('carries the rest over the weekend from Friday evening to Monday morning', () => {
    // Fri 17:03 + 30: 27 on Fri, 3 from Mon 08:30 → Mon 08:33 Beijing = 00:33Z.
    expect(addOnBeijingHours('2026-11-27T17:03:00', 30)).toBe('2026-11-30T00:33:00.000Z');
  });

  it('starts counting on Monday when it starts on a Saturday', () => {
    // Sat 10:00 + 60 → Mon 09:30 Beijing.
    expect(addOnBeijingHours('2026-11-28T10:00:00', 60)).toBe('2026-11-30T01:30:00.000Z');
  });

  it('starts counting on Monday when it starts late on a Sunday', () => {
    // Sun 23:00 Beijing (15:00Z Sunday) + 10 → Mon 08:40 Beijing.
    expect(addOnBeijingHours('2026-11-29T23:00:00', 10)).toBe('2026-11-30T00:40:00.000Z');
  });

  it('uses the Beijing date, not the UTC date, when they differ', () => {
    // Thu 07:00 Beijing is still Wed 23:00Z; the count starts Thu 08:30 Beijing: + 10 → 08:40.
    expect(addWorkingMinutes(new Date('2026-11-25T23:00:00Z'), 10, buildCalendar()).toISOString()).toBe('2026-11-26T00:40:00.000Z');
  });

  it('treats a Friday-night start that is still Friday in UTC as after hours', () => {
    // Sat 01:00 Beijing = Fri 17:00Z: no time left on Friday or the weekend → Mon 08:40 Beijing.
    expect(addWorkingMinutes(new Date('2026-11-27T17:00:00Z'), 10, buildCalendar()).toISOString()).toBe('2026-11-30T00:40:00.000Z');
  });

  it('counts 2400 minutes as five working days', () => {
    // Wed 10:00 + 5 × 480 → the next Wed 10:00 Beijing.
    expect(addOnBeijingHours('2026-11-25T10:00:00', 2400)).toBe('2026-12-02T02:00:00.000Z');
  });

  it('fits 2400 minutes into one week from Monday 08:30, ending Friday 17:30', () => {
    expect(addOnBeijingHours('2026-11-23T08:30:00', 2400)).toBe('2026-11-27T09:30:00.000Z');
  });

  it('spans many weeks: 50 working days from a Monday morning end on a Friday evening ten weeks on', () => {
    // Mon 2026-11-23 08:30 + 50 × 480 → Fri 2027-01-29 17:30 Beijing.
    expect(addOnBeijingHours('2026-11-23T08:30:00', 50 * 480)).toBe('2027-01-29T09:30:00.000Z');
  });
});

describe('addWorkingMinutes: holidays and make-up days', () => {
  it('skips a public holiday on a Wednesday', () => {
    // Tue 17:00 + 60: 30 on Tue, Wed off, 30 from Thu 08:30 → Thu 09:00 Beijing.
    expect(addOnBeijingHours('2026-11-24T17:00:00', 60, buildCalendar({ holidays: ['2026-11-25'] }))).toBe('2026-11-26T01:00:00.000Z');
  });

  it('starts counting the next working day when it starts on a holiday', () => {
    // Wed (holiday) 10:00 + 60 → Thu 09:30 Beijing.
    expect(addOnBeijingHours('2026-11-25T10:00:00', 60, buildCalendar({ holidays: ['2026-11-25'] }))).toBe('2026-11-26T01:30:00.000Z');
  });

  it('works on a make-up Sunday', () => {
    // Fri 17:00 + 60: 30 on Fri, Sat off, 30 from Sun (调休) 08:30 → Sun 09:00 Beijing.
    expect(addOnBeijingHours('2026-11-27T17:00:00', 60, buildCalendar({ extraWorkdays: ['2026-11-29'] }))).toBe('2026-11-29T01:00:00.000Z');
  });

  it('counts the make-up day with the normal office hours, lunch included', () => {
    // Sun (调休) 11:00 + 120: 60 before noon, 60 after 13:00 → Sun 14:00 Beijing.
    expect(addOnBeijingHours('2026-11-29T11:00:00', 120, buildCalendar({ extraWorkdays: ['2026-11-29'] }))).toBe('2026-11-29T06:00:00.000Z');
  });

  it('skips a National Day week and works its make-up Saturday', () => {
    // Holidays Thu 10-01 … Wed 10-07; make-up days Sun 09-27 and Sat 10-10.
    // Wed 09-30 17:00 + 600: 30 on Wed, 480 on Thu 10-08, 90 on Fri 10-09 → Fri 10:00 Beijing.
    const calendar = buildCalendar({
      holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
      extraWorkdays: ['2026-09-27', '2026-10-10'],
    });
    expect(addOnBeijingHours('2026-09-30T17:00:00', 600, calendar)).toBe('2026-10-09T02:00:00.000Z');
  });

  it('reaches into a make-up Saturday after a holiday week', () => {
    // Fri 10-09 17:00 + 60: 30 on Fri, 30 on the make-up Sat 10-10 → Sat 09:00 Beijing.
    const calendar = buildCalendar({ holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], extraWorkdays: ['2026-10-10'] });
    expect(addOnBeijingHours('2026-10-09T17:00:00', 60, calendar)).toBe('2026-10-10T01:00:00.000Z');
  });
});

describe('addWorkingMinutes: zero, and calendars with no working time', () => {
  it('returns the start instant for 0 minutes', () => {
    expect(addOnBeijingHours('2026-11-25T10:00:00', 0)).toBe('2026-11-25T02:00:00.000Z');
  });

  it('returns the start instant for 0 minutes even outside office hours', () => {
    // Sat 03:00 Beijing stays Sat 03:00 Beijing.
    expect(addOnBeijingHours('2026-11-28T03:00:00', 0)).toBe('2026-11-27T19:00:00.000Z');
  });

  it('returns a new Date, not the start object', () => {
    const start = beijing('2026-11-25T10:00:00');
    expect(addWorkingMinutes(start, 0, buildCalendar())).not.toBe(start);
  });

  it('does not change the start it is given', () => {
    const start = beijing('2026-11-25T10:00:00');
    addWorkingMinutes(start, 600, buildCalendar());
    expect(start.toISOString()).toBe('2026-11-25T02:00:00.000Z');
  });

  it('throws a RangeError for a calendar with no working weekdays', () => {
    expect(() => addWorkingMinutes(beijing('2026-11-25T10:00:00'), 30, buildCalendar({ weekdays: [] }))).toThrow(RangeError);
  });

  it('throws a RangeError for a calendar with working days but no periods', () => {
    expect(() => addWorkingMinutes(beijing('2026-11-25T10:00:00'), 30, buildCalendar({ periods: [] }))).toThrow(RangeError);
  });

  it('names the start instant in the RangeError message', () => {
    expect(() => addWorkingMinutes(beijing('2026-11-25T10:00:00'), 30, buildCalendar({ weekdays: [] }))).toThrow(/2026-11-25T02:00:00\.000Z/);
  });
});

describe('addWorkingMinutes: other calendars', () => {
  it('applies a negative UTC offset', () => {
    // UTC−5, every day 09:00–17:00 local. 22:00Z = 17:00 local (closed) → next day 09:10 local = 14:10Z.
    const calendar: WorkingCalendar = { utcOffsetMinutes: -300, weekdays: [1, 2, 3, 4, 5, 6, 7], periods: [[540, 1020]], holidays: [], extraWorkdays: [] };
    expect(addWorkingMinutes(new Date('2026-11-25T22:00:00Z'), 10, calendar).toISOString()).toBe('2026-11-26T14:10:00.000Z');
  });

  it('works a weekend-only calendar', () => {
    // Saturday and Sunday 10:00–11:00 Beijing. Fri 10:00 + 90 → Sat 60, Sun 30 → Sun 10:30 Beijing.
    const calendar = buildCalendar({ weekdays: [6, 7], periods: [[600, 660]] });
    expect(addOnBeijingHours('2026-11-27T10:00:00', 90, calendar)).toBe('2026-11-29T02:30:00.000Z');
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-23', true],
    ['2026-11-27', true],
    ['2026-11-28', false],
    ['2026-11-29', false],
  ])('says %s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(localDay(date), buildCalendar())).toBe(expected);
  });

  it('says a holiday on a weekday is not a working day', () => {
    expect(isWorkingDay(localDay('2026-11-25'), buildCalendar({ holidays: ['2026-11-25'] }))).toBe(false);
  });

  it('says a make-up Sunday is a working day', () => {
    expect(isWorkingDay(localDay('2026-11-29'), buildCalendar({ extraWorkdays: ['2026-11-29'] }))).toBe(true);
  });

  it('leaves the days around a holiday working', () => {
    const calendar = buildCalendar({ holidays: ['2026-11-25'] });
    expect([isWorkingDay(localDay('2026-11-24'), calendar), isWorkingDay(localDay('2026-11-26'), calendar)]).toEqual([true, true]);
  });
});
