/**
 * The time window an evaluation covers, [from, to). Dates without a time are local dates in the
 * command centre's zone, a fixed offset from UTC (Beijing: UTC+8 all year, no daylight saving).
 */
export const BEIJING_UTC_OFFSET_MINUTES = 480;
export const MAX_WINDOW_DAYS = 400;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

export interface EvaluationWindow {
  readonly from: Date;
  readonly to: Date;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * An instant from `YYYY-MM-DD` (local midnight) or an ISO date-time with its zone
 * (`2026-03-01T08:00:00+08:00`, `…Z`); undefined for anything else, impossible dates included.
 * A date-time without a zone is refused rather than guessed at.
 */
export function parseEvaluationInstant(text: string, utcOffsetMinutes = BEIJING_UTC_OFFSET_MINUTES): Date | undefined {
  const date = DATE.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isRealDate(year, month, day)) return undefined;
    return new Date(Date.UTC(year, month - 1, day) - utcOffsetMinutes * MINUTE_MS);
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(dateTime[i])) as [number, number, number, number, number];
  const second = Number(dateTime[6] ?? 0);
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = dateTime[8]!;
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59)) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/** The local calendar month holding `now`: its first midnight to the next month's. */
export function monthWindow(now: Date, utcOffsetMinutes = BEIJING_UTC_OFFSET_MINUTES): EvaluationWindow {
  const local = new Date(now.getTime() + utcOffsetMinutes * MINUTE_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  return {
    from: new Date(Date.UTC(year, month, 1) - utcOffsetMinutes * MINUTE_MS),
    to: new Date(Date.UTC(year, month + 1, 1) - utcOffsetMinutes * MINUTE_MS),
  };
}

/** Why a window cannot be evaluated, or undefined when it can: empty, reversed or over MAX_WINDOW_DAYS. */
export function windowProblem(window: EvaluationWindow): string | undefined {
  if (window.from.getTime() >= window.to.getTime()) return `"from" (${window.from.toISOString()}) must be before "to" (${window.to.toISOString()})`;
  const days = (window.to.getTime() - window.from.getTime()) / DAY_MS;
  if (days > MAX_WINDOW_DAYS) return `the window is ${Math.ceil(days)} days; at most ${MAX_WINDOW_DAYS}`;
  return undefined;
}
