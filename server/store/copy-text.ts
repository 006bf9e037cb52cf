/**
 * Lines for COPY … FROM in PostgreSQL's text format (SqlClient.copyRows): fields split by tabs,
 * `\N` for NULL, and the four characters the format gives meaning to escaped inside a field.
 */

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export type CopyValue = string | number | boolean | null;

export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]!) : value;
}

/** One row: its fields and the line break that ends it. */
export function copyLine(fields: readonly CopyValue[]): string {
  let line = copyField(fields[0] ?? null);
  for (let i = 1; i < fields.length; i++) line += '\t' + copyField(fields[i]!);
  return line + '\n';
}
