/**
 * Working time for deadlines that count office hours (a category's `workingTime`). Local time is
 * a fixed offset from UTC (Beijing is UTC+8 all year, no daylight saving), so the arithmetic needs
 * no time-zone database and runs the same in the browser and the server.
 */
export interface WorkingCalendar {
  /** Minutes east of UTC of the local clock the hours are in (Beijing: 480). */
  readonly utcOffsetMinutes: number;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  readonly weekdays: readonly number[];
  /** Working periods of a working day, in minutes after local midnight, in order. */
  readonly periods: readonly (readonly [startMinute: number, endMinute: number])[];
  /** Local dates (YYYY-MM-DD) off work although their weekday works: public holidays. */
  readonly holidays: readonly string[];
  /** Local dates that work although their weekday does not: the make-up days (调休). */
  readonly extraWorkdays: readonly string[];
}

/** Beijing government office hours, 8:30–12:00 and 13:00–17:30, Monday to Friday: 8 hours a day. */
export const BEIJING_OFFICE_HOURS: WorkingCalendar = {
  utcOffsetMinutes: 480,
  weekdays: [1, 2, 3, 4, 5],
  periods: [
    [8 * 60 + 30, 12 * 60],
    [13 * 60, 17 * 60 + 30],
  ],
  holidays: [],
  extraWorkdays: [],
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_DAYS = 3 * 366;

function localDate(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 10);
}

/** Answers per calendar and local day: deadlines are counted day by day, case after case (a bulk import asks ~10⁶ times). */
const workingDays = new WeakMap<WorkingCalendar, Map<number, boolean>>();

export function isWorkingDay(localDayStartMs: number, calendar: WorkingCalendar): boolean {
  let days = workingDays.get(calendar);
  if (!days) workingDays.set(calendar, (days = new Map()));
  let working = days.get(localDayStartMs);
  if (working === undefined) {
    working = computeWorkingDay(localDayStartMs, calendar);
    // Bounded: a long-running server sees a few thousand distinct days at most, but never trust that.
    if (days.size >= 20_000) days.clear();
    days.set(localDayStartMs, working);
  }
  return working;
}

function computeWorkingDay(localDayStartMs: number, calendar: WorkingCalendar): boolean {
  const date = localDate(localDayStartMs);
  if (calendar.extraWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const isoWeekday = ((new Date(localDayStartMs).getUTCDay() + 6) % 7) + 1;
  return calendar.weekdays.includes(isoWeekday);
}

/** The instant `minutes` of working time after `start`. Time outside working periods does not count. */
export function addWorkingMinutes(start: Date, minutes: number, calendar: WorkingCalendar): Date {
  if (!(minutes > 0)) return new Date(start);
  const offsetMs = calendar.utcOffsetMinutes * MINUTE_MS;
  let cursor = start.getTime() + offsetMs;
  let remainingMs = minutes * MINUTE_MS;
  let dayStart = Math.floor(cursor / DAY_MS) * DAY_MS;
  for (let day = 0; day < MAX_DAYS; day++, dayStart += DAY_MS) {
    if (!isWorkingDay(dayStart, calendar)) continue;
    for (const [from, to] of calendar.periods) {
      const periodStart = dayStart + from * MINUTE_MS;
      const periodEnd = dayStart + to * MINUTE_MS;
      if (cursor >= periodEnd) continue;
      const begin = Math.max(cursor, periodStart);
      if (remainingMs <= periodEnd - begin) return new Date(begin + remainingMs - offsetMs);
      remainingMs -= periodEnd - begin;
      cursor = periodEnd;
    }
  }
  throw new RangeError(`${minutes} working minutes from ${start.toISOString()} end more than ${MAX_DAYS} days later (or the calendar has no working time): check the deadline and the calendar`);
}
