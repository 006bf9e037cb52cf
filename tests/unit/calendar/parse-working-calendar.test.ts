import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWorkingCalendar } from '../../../core/calendar/parse-working-calendar.ts';
import { addWorkingMinutes, BEIJING_OFFICE_HOURS } from '../../../core/calendar/working-calendar.ts';
import { DEFAULT_ESCALATION_RULES, parseEscalationRules } from '../../../core/case-loop/escalation-rules.ts';

const shipped = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../geodata/policy/${name}`, import.meta.url), 'utf8'));

const GOOD = { utcOffsetMinutes: 480, weekdays: [1, 2, 3, 4, 5], periods: [['08:30', '12:00'], ['13:00', '17:30']], holidays: [], extraWorkdays: [] };

describe('the working calendar as data', () => {
  it('ships Beijing office hours, and the default escalation rules, as the files the server reads', () => {
    expect(parseWorkingCalendar(shipped('working-calendar.json'))).toEqual({ ok: true, calendar: BEIJING_OFFICE_HOURS });
    expect(parseEscalationRules(shipped('escalation-rules.json'))).toEqual({ ok: true, rules: DEFAULT_ESCALATION_RULES });
  });

  it('counts a holiday from the file as a day off, and a make-up day as a working day', () => {
    const parsed = parseWorkingCalendar({ ...GOOD, holidays: ['2026-12-01'], extraWorkdays: ['2026-12-05'] });
    if (!parsed.ok) throw new Error(parsed.message);
    // Monday 30 Nov 17:00 Beijing + 60 working minutes: 30 min that day, Tuesday is a holiday → Wednesday 09:00.
    expect(addWorkingMinutes(new Date('2026-11-30T09:00:00Z'), 60, parsed.calendar).toISOString()).toBe('2026-12-02T01:00:00.000Z');
    // Friday 4 Dec 17:00 + 60: Saturday 5 Dec works (调休) → Saturday 09:00.
    expect(addWorkingMinutes(new Date('2026-12-04T09:00:00Z'), 60, parsed.calendar).toISOString()).toBe('2026-12-05T01:00:00.000Z');
  });

  it.each([
    ['not an object', [], 'JSON object'],
    ['an unknown field', { ...GOOD, holiday: [] }, 'unknown field holiday'],
    ['a fractional offset', { ...GOOD, utcOffsetMinutes: 480.5 }, 'utcOffsetMinutes'],
    ['weekday 8', { ...GOOD, weekdays: [1, 8] }, 'weekdays'],
    ['a repeated weekday', { ...GOOD, weekdays: [1, 1] }, 'weekdays'],
    ['no periods', { ...GOOD, periods: [] }, 'periods'],
    ['a period ending before it starts', { ...GOOD, periods: [['12:00', '08:30']] }, 'period 1'],
    ['overlapping periods', { ...GOOD, periods: [['08:30', '12:00'], ['11:00', '17:30']] }, 'period 2'],
    ['a bad time', { ...GOOD, periods: [['8:30', '12:00']] }, 'period 1'],
    ['an impossible holiday', { ...GOOD, holidays: ['2026-02-30'] }, 'holidays'],
    ['a day both off and on', { ...GOOD, holidays: ['2026-10-01'], extraWorkdays: ['2026-10-01'] }, 'both'],
  ])('refuses %s', (_what, input, message) => {
    const parsed = parseWorkingCalendar(input);
    expect(parsed.ok).toBe(false);
    expect((parsed as { message: string }).message).toContain(message);
  });
});

describe('escalation rules as data', () => {
  it.each([
    ['an empty list', [], 'non-empty'],
    ['an unknown field', [{ ...DEFAULT_ESCALATION_RULES[0], grace: 5 }], 'unknown field grace'],
    ['the district as a tier to leave', [{ ...DEFAULT_ESCALATION_RULES[0], tier: 'district' }], 'tier'],
    ['a negative grace', [{ ...DEFAULT_ESCALATION_RULES[0], graceMinutes: -1 }], 'graceMinutes'],
    ['severity 5', [{ ...DEFAULT_ESCALATION_RULES[0], minSeverity: 5 }], 'minSeverity'],
    ['an unknown trigger', [{ ...DEFAULT_ESCALATION_RULES[0], on: 'late' }], 'on must be'],
  ])('refuses %s', (_what, input, message) => {
    const parsed = parseEscalationRules(input);
    expect(parsed.ok).toBe(false);
    expect((parsed as { message: string }).message).toContain(message);
  });
});
