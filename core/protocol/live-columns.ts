import type { CaseStatus, CaseEventType, Tier } from '../cases/case-summary.ts';
import type { Queue } from '../dispatch/dispatch-decision.ts';
import { CASE_ROW_FIELDS, type EventRow, queueOf } from './case-row.ts';
import type { LiveCase, LiveEvent } from './live-wire.ts';

/**
 * Events as columns: how a `case:events` batch and a `case:range` answer carry their events.
 *
 * Why not JSON rows: every dashboard decodes every event of its area. As JSON rows that took a
 * dashboard 2.8–3.1 µs of CPU per event in frames of 50, 6.0 µs in frames of 256 (bench:live-wire),
 * most of it parsing the frame and collecting the arrays it made. Here every number is read
 * straight out of a typed array and every string of the batch is decoded in one call, each distinct
 * string once (a batch repeats its categories, grids, streets, names and states): 1.1–1.4 µs.
 *
 * Layout (little-endian; every section starts at a multiple of 8):
 *   header    4 × u32: format version, event count n, string index width (2 or 4 bytes), UTF-8 bytes of the strings
 *   f64 × n   for each of NUMBER_COLUMNS (null: NaN)
 *   i32 × n   longitude, then latitude, in 1e-7° (a row's coordinates are rounded to that: see live-wire.ts)
 *   u32 × n   reportsCount
 *   u16|u32 × n  for each of STRING_COLUMNS: 0 for null, else 1 + the string's place in the table
 *   u8 × n    severity
 *   UTF-8     the distinct strings, each ended by U+0000 (stored text cannot hold it: PostgreSQL refuses it)
 */
export const LIVE_COLUMNS_VERSION = 1;

type RowField = (typeof CASE_ROW_FIELDS)[number];
/** The event's own fields come first (an EventRow's seq and atMs, kind and type), then the case row's. */
const NUMBER_COLUMNS = ['seq', 'atMs', 'id', 'reportedMs', 'acceptDueMs', 'resolveDueMs', 'acceptedMs', 'closedMs', 'overdueAcceptMs', 'overdueResolveMs', 'escalatedMs'] as const satisfies readonly ('seq' | 'atMs' | RowField)[];
const STRING_COLUMNS = ['kind', 'type', 'number', 'category', 'gridCode', 'communityCode', 'streetCode', 'status', 'tier', 'queueKind', 'queueRef', 'assigneeId', 'assigneeName', 'assigneeDepartmentCode', 'departmentCode', 'brief'] as const satisfies readonly ('kind' | 'type' | RowField)[];

/** Each name's place in a list: a column's in its section, a field's in the case row. */
function placesOf<const T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((name, at) => [name, at])) as Record<T, number>;
}
const N = placesOf(NUMBER_COLUMNS);
const S = placesOf(STRING_COLUMNS);
const ROW = placesOf(CASE_ROW_FIELDS);

const HEADER_BYTES = 16;
const align8 = (n: number): number => (n + 7) & ~7;

/** Where each section of n events starts (see the header), with string indexes `width` bytes wide. */
function layoutOf(n: number, width: number) {
  const numbersAt = HEADER_BYTES;
  const pointsAt = numbersAt + NUMBER_COLUMNS.length * n * 8;
  const countsAt = pointsAt + 2 * n * 4;
  const indexesAt = align8(countsAt + n * 4);
  const severityAt = align8(indexesAt + STRING_COLUMNS.length * n * width);
  const textAt = align8(severityAt + n);
  return { numbersAt, pointsAt, countsAt, indexesAt, severityAt, textAt };
}

function numberOf(row: EventRow, column: (typeof NUMBER_COLUMNS)[number]): number | null {
  if (column === 'seq') return row[0];
  if (column === 'atMs') return row[3];
  return row[4][ROW[column]] as number | null;
}

function stringOf(row: EventRow, column: (typeof STRING_COLUMNS)[number]): string | null {
  if (column === 'kind') return row[1];
  if (column === 'type') return row[2];
  return row[4][ROW[column]] as string | null;
}

/** The events' rows as columns (see the header). */
export function packEvents(rows: readonly EventRow[]): Uint8Array {
  const n = rows.length;
  const table = new Map<string, number>();
  const strings: string[] = [];
  const indexes = STRING_COLUMNS.map((column) =>
    rows.map((row) => {
      const value = stringOf(row, column);
      if (value === null) return 0;
      let index = table.get(value);
      if (index === undefined) {
        if (value.includes('\u0000')) throw new Error(`a ${column} holds U+0000, which the live columns use to end strings`);
        table.set(value, (index = strings.push(value)));
      }
      return index;
    }),
  );
  const text = new TextEncoder().encode(strings.length ? `${strings.join('\u0000')}\u0000` : '');
  const width = strings.length < 0xffff ? 2 : 4;
  const { numbersAt, pointsAt, countsAt, indexesAt, severityAt, textAt } = layoutOf(n, width);
  const bytes = new Uint8Array(textAt + text.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, LIVE_COLUMNS_VERSION, true);
  view.setUint32(4, n, true);
  view.setUint32(8, width, true);
  view.setUint32(12, text.length, true);
  NUMBER_COLUMNS.forEach((column, c) => {
    const at = numbersAt + c * n * 8;
    rows.forEach((row, i) => view.setFloat64(at + i * 8, numberOf(row, column) ?? Number.NaN, true));
  });
  rows.forEach((row, i) => {
    view.setInt32(pointsAt + i * 4, Math.round((row[4][ROW.lng] as number) * 1e7), true);
    view.setInt32(pointsAt + (n + i) * 4, Math.round((row[4][ROW.lat] as number) * 1e7), true);
    view.setUint32(countsAt + i * 4, row[4][ROW.reportsCount] as number, true);
  });
  indexes.forEach((column, c) => {
    const at = indexesAt + c * n * width;
    column.forEach((index, i) => (width === 2 ? view.setUint16(at + i * 2, index, true) : view.setUint32(at + i * 4, index, true)));
  });
  rows.forEach((row, i) => view.setUint8(severityAt + i, row[4][ROW.severity] as number));
  bytes.set(text, textAt);
  return bytes;
}

const decoder = new TextDecoder();
const timeOrNull = (value: number): number | null => (Number.isNaN(value) ? null : value);
/** A string column's value (indexes already checked against the table). */
const stringAt = (table: readonly (string | null)[], indexes: Uint16Array | Uint32Array, at: number): string | null => table[indexes[at]!]!;

/** The events of packed columns, as a client uses them. */
export function unpackEvents(packed: Uint8Array): LiveEvent[] {
  // Typed arrays over the bytes want aligned offsets; a Node Buffer may sit anywhere in its pool.
  const bytes = packed.byteOffset % 8 === 0 ? packed : new Uint8Array(packed);
  if (bytes.byteLength < HEADER_BYTES) throw new Error(`live columns of ${bytes.byteLength} bytes: too short for a header`);
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, 4);
  const [version, n, width, textBytes] = header as unknown as [number, number, number, number];
  if (version !== LIVE_COLUMNS_VERSION) throw new Error(`live columns of version ${version}; this client reads ${LIVE_COLUMNS_VERSION}`);
  if (width !== 2 && width !== 4) throw new Error(`live columns with ${width}-byte string indexes`);
  const { numbersAt, pointsAt, countsAt, indexesAt, severityAt, textAt } = layoutOf(n, width);
  if (bytes.byteLength !== textAt + textBytes) throw new Error(`live columns of ${n} events should be ${textAt + textBytes} bytes, not ${bytes.byteLength}`);
  const base = bytes.byteOffset;
  const numbers = new Float64Array(bytes.buffer, base + numbersAt, NUMBER_COLUMNS.length * n);
  const points = new Int32Array(bytes.buffer, base + pointsAt, 2 * n);
  const counts = new Uint32Array(bytes.buffer, base + countsAt, n);
  const indexes = width === 2 ? new Uint16Array(bytes.buffer, base + indexesAt, STRING_COLUMNS.length * n) : new Uint32Array(bytes.buffer, base + indexesAt, STRING_COLUMNS.length * n);
  const severities = new Uint8Array(bytes.buffer, base + severityAt, n);
  const table: (string | null)[] = [null, ...decoder.decode(bytes.subarray(textAt)).split('\u0000')];
  table.pop();
  for (let k = 0; k < indexes.length; k++) {
    if (indexes[k]! >= table.length) throw new Error(`live columns: string ${indexes[k]} of event ${k % n} is not in the table of ${table.length - 1}`);
  }
  // Plain reads, no closure made per call: this runs for every frame on every dashboard.
  const events = new Array<LiveEvent>(n);
  for (let i = 0; i < n; i++) {
    const assigneeId = stringAt(table, indexes, S.assigneeId * n + i);
    const liveCase: LiveCase = {
      id: numbers[N.id * n + i]!,
      number: stringAt(table, indexes, S.number * n + i) ?? '',
      category: stringAt(table, indexes, S.category * n + i) ?? '',
      severity: severities[i] as LiveCase['severity'],
      point: [points[i]! / 1e7, points[n + i]! / 1e7],
      gridCode: stringAt(table, indexes, S.gridCode * n + i),
      communityCode: stringAt(table, indexes, S.communityCode * n + i),
      streetCode: stringAt(table, indexes, S.streetCode * n + i),
      status: stringAt(table, indexes, S.status * n + i) as CaseStatus,
      tier: stringAt(table, indexes, S.tier * n + i) as Tier,
      queue: queueOf(stringAt(table, indexes, S.queueKind * n + i) as Queue['kind'], stringAt(table, indexes, S.queueRef * n + i)),
      assignee: assigneeId === null ? null : { id: assigneeId, name: stringAt(table, indexes, S.assigneeName * n + i) ?? '', departmentCode: stringAt(table, indexes, S.assigneeDepartmentCode * n + i) ?? '' },
      departmentCode: stringAt(table, indexes, S.departmentCode * n + i),
      reportsCount: counts[i]!,
      brief: stringAt(table, indexes, S.brief * n + i) ?? '',
      reportedMs: numbers[N.reportedMs * n + i]!,
      acceptDueMs: timeOrNull(numbers[N.acceptDueMs * n + i]!),
      resolveDueMs: timeOrNull(numbers[N.resolveDueMs * n + i]!),
      acceptedMs: timeOrNull(numbers[N.acceptedMs * n + i]!),
      closedMs: timeOrNull(numbers[N.closedMs * n + i]!),
      overdueAcceptMs: timeOrNull(numbers[N.overdueAcceptMs * n + i]!),
      overdueResolveMs: timeOrNull(numbers[N.overdueResolveMs * n + i]!),
      escalatedMs: timeOrNull(numbers[N.escalatedMs * n + i]!),
    };
    events[i] = { seq: numbers[N.seq * n + i]!, kind: stringAt(table, indexes, S.kind * n + i) === 'c' ? 'case:created' : 'case:updated', type: stringAt(table, indexes, S.type * n + i) as CaseEventType, atMs: numbers[N.atMs * n + i]!, case: liveCase };
  }
  return events;
}
