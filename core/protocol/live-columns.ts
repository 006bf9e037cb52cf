import type { CaseStatus, CaseEventType, Tier } from '../cases/case-summary.ts';
import type { Queue } from '../dispatch/dispatch-decision.ts';
import type { EventRow, LiveCase, LiveEvent } from './live-wire.ts';

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

const NUMBER_COLUMNS = ['seq', 'atMs', 'id', 'reportedMs', 'acceptDueMs', 'resolveDueMs', 'acceptedMs', 'closedMs', 'overdueAcceptMs', 'overdueResolveMs', 'escalatedMs'] as const;
const STRING_COLUMNS = ['kind', 'type', 'number', 'category', 'gridCode', 'communityCode', 'streetCode', 'status', 'tier', 'queueKind', 'queueRef', 'assigneeId', 'assigneeName', 'assigneeDepartmentCode', 'departmentCode', 'brief'] as const;

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

/** Where each index of an EventRow's case row goes (its numbers, then its strings). */
const CASE_NUMBER_AT = { id: 0, reportedMs: 19, acceptDueMs: 20, resolveDueMs: 21, acceptedMs: 22, closedMs: 23, overdueAcceptMs: 24, overdueResolveMs: 25, escalatedMs: 26 } as const;
const CASE_STRING_AT = { number: 1, category: 2, gridCode: 6, communityCode: 7, streetCode: 8, status: 9, tier: 10, queueKind: 11, queueRef: 12, assigneeId: 13, assigneeName: 14, assigneeDepartmentCode: 15, departmentCode: 16, brief: 18 } as const;

function numberOf(row: EventRow, column: (typeof NUMBER_COLUMNS)[number]): number | null {
  if (column === 'seq') return row[0];
  if (column === 'atMs') return row[3];
  return row[4][CASE_NUMBER_AT[column]] as number | null;
}

function stringOf(row: EventRow, column: (typeof STRING_COLUMNS)[number]): string | null {
  if (column === 'kind') return row[1];
  if (column === 'type') return row[2];
  return row[4][CASE_STRING_AT[column]] as string | null;
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
    view.setInt32(pointsAt + i * 4, Math.round(row[4][4] * 1e7), true);
    view.setInt32(pointsAt + (n + i) * 4, Math.round(row[4][5] * 1e7), true);
    view.setUint32(countsAt + i * 4, row[4][17], true);
  });
  indexes.forEach((column, c) => {
    const at = indexesAt + c * n * width;
    column.forEach((index, i) => (width === 2 ? view.setUint16(at + i * 2, index, true) : view.setUint32(at + i * 4, index, true)));
  });
  rows.forEach((row, i) => view.setUint8(severityAt + i, row[4][3]));
  bytes.set(text, textAt);
  return bytes;
}

const decoder = new TextDecoder();
const timeOrNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

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
  // Inline reads (no helper closures): this runs for every event on every dashboard.
  const events = new Array<LiveEvent>(n);
  for (let i = 0; i < n; i++) {
    const queueKind = table[indexes[9 * n + i]!] as Queue['kind'];
    const queueRef = table[indexes[10 * n + i]!] ?? '';
    const assigneeId = table[indexes[11 * n + i]!]!;
    const liveCase: LiveCase = {
      id: numbers[2 * n + i]!,
      number: table[indexes[2 * n + i]!] ?? '',
      category: table[indexes[3 * n + i]!] ?? '',
      severity: severities[i] as LiveCase['severity'],
      point: [points[i]! / 1e7, points[n + i]! / 1e7],
      gridCode: table[indexes[4 * n + i]!]!,
      communityCode: table[indexes[5 * n + i]!]!,
      streetCode: table[indexes[6 * n + i]!]!,
      status: table[indexes[7 * n + i]!] as CaseStatus,
      tier: table[indexes[8 * n + i]!] as Tier,
      queue: queueKind === 'person' ? { kind: queueKind, personId: queueRef } : queueKind === 'street' ? { kind: queueKind, streetCode: queueRef } : { kind: 'district' },
      assignee: assigneeId === null ? null : { id: assigneeId, name: table[indexes[12 * n + i]!] ?? '', departmentCode: table[indexes[13 * n + i]!] ?? '' },
      departmentCode: table[indexes[14 * n + i]!]!,
      reportsCount: counts[i]!,
      brief: table[indexes[15 * n + i]!] ?? '',
      reportedMs: numbers[3 * n + i]!,
      acceptDueMs: timeOrNull(numbers[4 * n + i]!),
      resolveDueMs: timeOrNull(numbers[5 * n + i]!),
      acceptedMs: timeOrNull(numbers[6 * n + i]!),
      closedMs: timeOrNull(numbers[7 * n + i]!),
      overdueAcceptMs: timeOrNull(numbers[8 * n + i]!),
      overdueResolveMs: timeOrNull(numbers[9 * n + i]!),
      escalatedMs: timeOrNull(numbers[10 * n + i]!),
    };
    events[i] = { seq: numbers[i]!, kind: table[indexes[i]!] === 'c' ? 'case:created' : 'case:updated', type: table[indexes[n + i]!] as CaseEventType, atMs: numbers[n + i]!, case: liveCase };
  }
  return events;
}
