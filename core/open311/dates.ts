/**
 * GeoReport's datetimes: the W3C profile of ISO 8601 (https://www.w3.org/TR/NOTE-datetime) with a
 * timezone, which the spec makes mandatory: `2010-01-01T00:00:00Z` or `2010-01-01T08:00:00+08:00`.
 */

const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant a W3C datetime names, or undefined when it is not one (no timezone, a date only, a
 * 30th of February). A space where the offset's `+` belongs is read as `+`: a client that forgot to
 * percent-encode `+` in a query string sends one (`…T08:00:00 08:00`).
 */
export function parseW3cDateTime(input: string): Date | undefined {
  const text = input.trim().replace(/^(.*T[\d:.]+) (\d{2}:\d{2})$/, '$1+$2');
  const m = W3C_DATETIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(Number(`0${m[7] ?? ''}`) * 1000);
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  const zone = m[8]!;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const [h, mm] = zone.slice(1).split(':').map(Number) as [number, number];
    if (h > 23 || mm > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (h * 60 + mm);
  }
  return new Date(local - offsetMinutes * 60_000);
}

/** An instant as GeoReport shows it: UTC, to the second (`2026-05-01T08:30:00Z`). */
export function formatW3cDateTime(at: Date | string): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}
