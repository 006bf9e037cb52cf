/**
 * The daily rhythm of reports, by Beijing local time (UTC+8, no daylight saving): few at night, a
 * rise from 07:00, a peak mid-morning (patrols out, offices open), a lunchtime dip, a second peak
 * late in the afternoon, then a long evening tail. Piecewise linear between hourly knots and
 * normalised so that its mean over a day is exactly 1: the simulator's --rate is the daily mean.
 */

export const BEIJING_UTC_OFFSET_HOURS = 8;

/** Relative activity at each local hour h:00, before normalisation. */
const RAW_KNOTS: readonly number[] = [
  0.18, 0.12, 0.09, 0.08, 0.09, 0.15, // 00–05
  0.35, 0.75, 1.25, 1.65, 1.85, 1.6, // 06–11: the morning peak at 10:00
  1.15, 1.1, 1.35, 1.6, 1.75, 1.7, // 12–17: lunch dip, the afternoon peak at 16:00–17:00
  1.3, 1.0, 0.8, 0.6, 0.42, 0.28, // 18–23
];

const RAW_MEAN = RAW_KNOTS.reduce((a, b) => a + b, 0) / RAW_KNOTS.length;

/**
 * The knots, normalised. A cyclic piecewise-linear function over equally spaced knots has the mean
 * of its knots (each segment's mean is the mean of its two ends, and each knot ends two segments).
 */
export const RHYTHM_KNOTS: readonly number[] = RAW_KNOTS.map((k) => k / RAW_MEAN);

/** The largest value the rhythm takes (for thinning a Poisson process). */
export const RHYTHM_MAX = Math.max(...RHYTHM_KNOTS);

/** Local hour of day in [0, 24) in Beijing for an instant (epoch milliseconds). */
export function beijingHour(epochMs: number): number {
  const hours = epochMs / 3_600_000 + BEIJING_UTC_OFFSET_HOURS;
  return ((hours % 24) + 24) % 24;
}

/** The rhythm at a local hour in [0, 24): a factor on the daily mean rate. */
export function rhythmAtHour(hour: number): number {
  const h = ((hour % 24) + 24) % 24;
  const i = Math.floor(h);
  const f = h - i;
  const a = RHYTHM_KNOTS[i]!;
  const b = RHYTHM_KNOTS[(i + 1) % 24]!;
  return a + (b - a) * f;
}

/** The rhythm at an instant (epoch milliseconds). */
export function rhythmAt(epochMs: number): number {
  return rhythmAtHour(beijingHour(epochMs));
}

/** Night, for the categories that belong to it (noise, night-time construction): 21:00–05:00. */
export function isNightHour(hour: number): boolean {
  return hour >= 21 || hour < 5;
}

/** "HH:MM" in Beijing for an instant. */
export function beijingClock(epochMs: number): string {
  const minutes = ((Math.floor((epochMs + BEIJING_UTC_OFFSET_HOURS * 3_600_000) / 60_000) % 1440) + 1440) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
