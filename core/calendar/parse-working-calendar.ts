import type { WorkingCalendar } from './working-calendar.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * A working calendar from JSON (office hours, holidays and make-up days as data): every field
 * checked, so that a typo cannot silently turn deadlines into calendar time.
 *
 *   {"utcOffsetMinutes": 480, "weekdays": [1,2,3,4,5], "periods": [["08:30","12:00"],["13:00","17:30"]],
 *    "holidays": ["2026-10-01", …], "extraWorkdays": ["2026-09-27", …]}
 */
export function parseWorkingCalendar(input: unknown): { ok: true; calendar: WorkingCalendar } | { ok: false; message: string } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, message: 'a working calendar must be a JSON object' };
  const o = input as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !['utcOffsetMinutes', 'weekdays', 'periods', 'holidays', 'extraWorkdays', 'note'].includes(k));
  if (unknown.length > 0) return { ok: false, message: `unknown field ${unknown.join(', ')}` };
  const offset = o['utcOffsetMinutes'];
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < -720 || offset > 840) return { ok: false, message: 'utcOffsetMinutes must be a whole number of minutes from -720 to 840 (Beijing: 480)' };
  const weekdays = o['weekdays'];
  if (!Array.isArray(weekdays) || weekdays.length === 0 || !weekdays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) || new Set(weekdays).size !== weekdays.length) {
    return { ok: false, message: 'weekdays must list distinct ISO weekdays, 1 (Monday) to 7 (Sunday)' };
  }
  const periods = o['periods'];
  const minutes = (t: unknown): number | undefined => {
    const m = typeof t === 'string' ? /^([01]\d|2[0-4]):([0-5]\d)$/.exec(t) : null;
    if (!m) return undefined;
    const value = Number(m[1]) * 60 + Number(m[2]);
    return value <= 24 * 60 ? value : undefined;
  };
  if (!Array.isArray(periods) || periods.length === 0) return { ok: false, message: 'periods must list working periods such as ["08:30", "12:00"]' };
  const parsed: [number, number][] = [];
  for (const [i, p] of periods.entries()) {
    const start = Array.isArray(p) && p.length === 2 ? minutes(p[0]) : undefined;
    const end = Array.isArray(p) && p.length === 2 ? minutes(p[1]) : undefined;
    if (start === undefined || end === undefined || end <= start) return { ok: false, message: `period ${i + 1} must be ["HH:MM", "HH:MM"] with the end after the start` };
    if (parsed.length > 0 && start < parsed[parsed.length - 1]![1]) return { ok: false, message: `period ${i + 1} overlaps or precedes the one before it` };
    parsed.push([start, end]);
  }
  const dates = (name: string): string[] | string => {
    const v = o[name] ?? [];
    if (!Array.isArray(v) || !v.every((d) => typeof d === 'string' && isRealDate(d))) return `${name} must list real dates as YYYY-MM-DD`;
    return [...new Set(v as string[])].sort();
  };
  const holidays = dates('holidays');
  if (typeof holidays === 'string') return { ok: false, message: holidays };
  const extraWorkdays = dates('extraWorkdays');
  if (typeof extraWorkdays === 'string') return { ok: false, message: extraWorkdays };
  const both = holidays.filter((d) => extraWorkdays.includes(d));
  if (both.length > 0) return { ok: false, message: `${both.join(', ')} cannot be both a holiday and a make-up working day` };
  return { ok: true, calendar: { utcOffsetMinutes: offset, weekdays: [...weekdays].sort(), periods: parsed, holidays, extraWorkdays } };
}
