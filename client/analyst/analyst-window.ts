/**
 * The analyst's time window as the user chooses it (whole Beijing days, both ends included) and as
 * the API takes it: the analytics routes read [from, to) and the export reads whole days, so the
 * analytics `to` is the day after the last chosen day.
 */
export const WINDOW_PRESETS = [7, 30, 90, 365] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** YYYY-MM-DD of the Beijing day `ms` falls in. */
export function beijingDate(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last `days` days up to and including today. */
export function presetWindow(days: number, nowMs: number): { from: string; to: string } {
  const today = beijingDate(nowMs);
  return { from: addDays(today, -(days - 1)), to: today };
}

/** The window for the analytics routes: undefined parts are the server's defaults (the last 30 days). */
export function analyticsWindow(from: string | undefined, lastDay: string | undefined): { from?: string; to?: string } {
  return { ...(from ? { from } : {}), ...(lastDay ? { to: addDays(lastDay, 1) } : {}) };
}

/** Which preset a window is, if any (for highlighting the preset's button). */
export function presetOf(from: string | undefined, to: string | undefined, nowMs: number): WindowPreset | undefined {
  if (from === undefined && to === undefined) return 30;
  return WINDOW_PRESETS.find((days) => {
    const window = presetWindow(days, nowMs);
    return window.from === from && window.to === to;
  });
}

/** Hexagons about `pixels` across at this zoom and latitude, within the API's 50–5,000 m. */
export function hexCellMeters(zoom: number, latitude: number, pixels = 36): number {
  const metersPerPixel = (156_543.03 * Math.cos((latitude * Math.PI) / 180)) / 2 ** zoom;
  return Math.min(5_000, Math.max(50, Math.round(metersPerPixel * pixels)));
}
