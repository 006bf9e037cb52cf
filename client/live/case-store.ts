import { CODE_LENGTH } from '../../core/geography/area-code.ts';
import { type CaseStatus, isOpenStatus, type Tier } from '../../core/cases/case-summary.ts';
import type { LiveCase, LiveEvent } from '../../core/protocol/live-wire.ts';
import type { Queue } from '../../core/dispatch/dispatch-decision.ts';
import type { CaseRecord } from './case-record.ts';
import { type CasePalette, fillFor, radiusFor } from './case-style.ts';

/** How long a new case pulses on the map. */
export const PULSE_MS = 2_500;
/** At most this many pulse at once (a burst of 1,000 cases pulses the latest 128). */
export const MAX_PULSES = 128;
const PULSE_GROWTH_PIXELS = 22;
const INITIAL_CAPACITY = 1_024;

/** The layer's columns: one row per open case, packed from 0 to `length - 1`. */
export interface CaseColumns {
  readonly length: number;
  readonly positions: Float32Array;
  readonly fillColors: Uint8Array;
  readonly lineColors: Uint8Array;
  readonly radii: Float32Array;
  readonly lineWidths: Float32Array;
}

/** The pulsing rings of new cases at one instant. */
export interface PulseColumns {
  readonly length: number;
  readonly positions: Float32Array;
  readonly colors: Uint8Array;
  readonly radii: Float32Array;
}

/** What a sync changed: nothing, the styles only, or the rows themselves. */
export type SyncResult = 'none' | 'styles' | 'rows';

/** The area levels a case names (its grid, community and street codes). */
export type CaseAreaLevel = 'street' | 'community' | 'grid';

/** Strings that repeat across cases (categories, statuses, the heads of case numbers…), each kept once. */
class Interner<T extends string = string> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(known: readonly T[] = []) {
    for (const value of known) this.id(value);
  }

  id(value: T): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }
}

/**
 * Case id → row, as an open-addressing table in typed arrays (linear probing, kept at most half
 * full): a Map would hold an entry object's worth of heap per open case.
 */
class RowIndex {
  /** NaN: an empty slot. */
  private keys = new Float64Array(0);
  private values = new Int32Array(0);
  private mask = 0;
  size = 0;

  constructor() {
    this.resize(INITIAL_CAPACITY * 2);
  }

  get(id: number): number | undefined {
    for (let i = this.slot(id); ; i = (i + 1) & this.mask) {
      const key = this.keys[i]!;
      if (key === id) return this.values[i]!;
      if (Number.isNaN(key)) return undefined;
    }
  }

  set(id: number, row: number): void {
    let i = this.slot(id);
    for (; ; i = (i + 1) & this.mask) {
      const key = this.keys[i]!;
      if (key === id) {
        this.values[i] = row;
        return;
      }
      if (Number.isNaN(key)) break;
    }
    this.keys[i] = id;
    this.values[i] = row;
    this.size += 1;
    if (this.size * 2 > this.keys.length) this.resize(this.keys.length * 2);
  }

  delete(id: number): void {
    let i = this.slot(id);
    for (; ; i = (i + 1) & this.mask) {
      const key = this.keys[i]!;
      if (key === id) break;
      if (Number.isNaN(key)) return;
    }
    this.keys[i] = Number.NaN;
    this.size -= 1;
    // Shift back the entries after it that probed past it, so that lookups never stop short.
    for (let j = (i + 1) & this.mask; !Number.isNaN(this.keys[j]!); j = (j + 1) & this.mask) {
      const home = this.slot(this.keys[j]!);
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (between) continue;
      this.keys[i] = this.keys[j]!;
      this.values[i] = this.values[j]!;
      this.keys[j] = Number.NaN;
      i = j;
    }
  }

  clear(): void {
    this.keys.fill(Number.NaN);
    this.size = 0;
  }

  private slot(id: number): number {
    return Math.imul((id % 4_294_967_296) | 0, 0x9e3779b1) & this.mask;
  }

  private resize(length: number): void {
    const { keys, values } = this;
    this.keys = new Float64Array(length).fill(Number.NaN);
    this.values = new Int32Array(length);
    this.mask = length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (!Number.isNaN(keys[i]!)) this.set(keys[i]!, values[i]!);
  }
}

const STATUSES: readonly CaseStatus[] = ['queued', 'dispatched', 'handling', 'feedback', 'linked'];
const TIERS: readonly Tier[] = ['grid', 'street', 'district'];
const QUEUE_KINDS: readonly Queue['kind'][] = ['person', 'street', 'district'];
/** A case number ends in digits (HD20261127-0001234): the head repeats (per day), up to this many digits of the tail are kept as a number. */
const NUMBER_TAIL_DIGITS = 15;

/** The number `text[from..to)` spells in decimal digits (exact up to 15 of them), or NaN if it is not all digits. */
function digitsValue(text: string, from: number, to: number): number {
  if (from >= to) return Number.NaN;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

const ACCEPTED = 1;
const MARKED = 2;
const ESCALATED = 4;
/** Closed since the last sync: the row leaves at the next one (rows drawn stay put between syncs). */
const GONE = 8;

/**
 * The open cases of the watched area, as columns: one row per case, every field a typed array (or an
 * index into a small table of the strings that repeat), so that holding tens of thousands costs
 * about a hundred bytes each and no object per case. Area codes (digits, 15 at most for a grid) are kept
 * as numbers; a case number as its repeating head and its numeric tail.
 *
 * The rows are also what the deck.gl layer draws: the style columns (position, colours, radius, ring)
 * are brought up to date in place once per animation frame (`sync`) for every case touched since
 * the last frame, however many events that was. Everything else is written as soon as the live feed
 * applies an event, so the panels, tooltips and counts read the truth at once. A closed case's row is
 * marked gone and leaves at the next sync by moving the last row into its place, so the rows a frame
 * drew keep their cases until the next frame (a pick names the case that was drawn), the columns
 * stay packed and never rebuild; they grow by doubling and are reused for the life of the page.
 */
export class CaseStore {
  private capacity = 0;
  /** Rows in use (some may be gone, until the next sync). */
  private count = 0;
  private goneCount = 0;
  /** Rows as of the last sync (what the layer draws). */
  private synced = 0;
  private ids = new Float64Array(0);
  private numberHeads = new Int32Array(0);
  /** NaN: the number has no numeric tail (its head is all of it). */
  private numberTails = new Float64Array(0);
  private numberWidths = new Uint8Array(0);
  private categories = new Uint16Array(0);
  private severities = new Uint8Array(0);
  private statuses = new Uint8Array(0);
  private tiers = new Uint8Array(0);
  private queueKinds = new Uint8Array(0);
  private flags = new Uint8Array(0);
  /** Index into `people` (+1; 0: nobody assigned). */
  private assignees = new Uint32Array(0);
  private reportsCounts = new Uint32Array(0);
  private reportedMs = new Float64Array(0);
  private acceptDueMs = new Float64Array(0);
  private resolveDueMs = new Float64Array(0);
  /** lng/lat as sent (the layer's positions are single precision). */
  private points = new Float64Array(0);
  /** Area codes as numbers (NaN: none; negative: −1 − an index into `oddCodes`, for a code that is not the level's digits). */
  private gridCodes = new Float64Array(0);
  private communityCodes = new Float64Array(0);
  private streetCodes = new Float64Array(0);
  private positions = new Float32Array(0);
  private fillColors = new Uint8Array(0);
  private lineColors = new Uint8Array(0);
  private radii = new Float32Array(0);
  private lineWidths = new Float32Array(0);
  private readonly rowOf = new RowIndex();
  private readonly statusNames = new Interner<CaseStatus>(STATUSES);
  private readonly tierNames = new Interner<Tier>(TIERS);
  private readonly queueKindNames = new Interner<Queue['kind']>(QUEUE_KINDS);
  private readonly categoryNames = new Interner();
  private readonly numberHeadNames = new Interner();
  private readonly oddCodes = new Interner();
  private readonly people: NonNullable<LiveCase['assignee']>[] = [];
  private readonly personIndex = new Map<string, number>();
  private readonly linked = STATUSES.indexOf('linked');
  private readonly feedback = STATUSES.indexOf('feedback');
  private readonly handling = STATUSES.indexOf('handling');
  /** Cases touched since the last sync (by id). */
  private readonly dirty = new Set<number>();
  /** Cases closed since the last sync (by id). */
  private readonly closing: number[] = [];
  private rebuild = false;
  /** Case id → when it started pulsing (insertion order is age: the oldest is dropped first). */
  private readonly pulses = new Map<number, number>();
  private readonly pulseColumns = {
    positions: new Float32Array(MAX_PULSES * 2),
    colors: new Uint8Array(MAX_PULSES * 4),
    radii: new Float32Array(MAX_PULSES),
  };
  private readonly listeners = new Set<() => void>();
  /** Bumped on every change to the cases: lets React redraw tiles and panels at its own pace. */
  version = 0;
  /** Snapshots taken (each replaced every case: what changed in between came without events). */
  resets = 0;

  constructor(readonly palette: CasePalette) {
    this.grow(INITIAL_CAPACITY);
  }

  /** Called after every change to the cases (not per frame). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A snapshot: everything is replaced (the layer is rebuilt at the next frame). */
  reset(cases: Iterable<LiveCase>): void {
    this.rowOf.clear();
    this.pulses.clear();
    this.dirty.clear();
    this.closing.length = 0;
    this.count = 0;
    this.goneCount = 0;
    // Nothing drawn names a case of the new snapshot until the next frame.
    this.synced = 0;
    for (const live of cases) if (isOpenStatus(live.status)) this.put(live);
    this.rebuild = true;
    this.resets += 1;
    this.changed();
  }

  /** Events the live feed applied, in sequence order; `pulse`: new cases pulse (not when catching up a backlog). */
  apply(events: readonly LiveEvent[], pulse: boolean, nowMs: number): void {
    if (events.length === 0) return;
    for (const event of events) {
      const live = event.case;
      if (isOpenStatus(live.status)) {
        this.put(live);
        if (pulse && event.kind === 'case:created' && event.type !== 'imported') this.startPulse(live.id, nowMs);
      } else {
        const row = this.rowOf.get(live.id);
        if (row !== undefined && !(this.flags[row]! & GONE)) {
          this.flags[row]! |= GONE;
          this.goneCount += 1;
          this.closing.push(live.id);
        }
        this.pulses.delete(live.id);
      }
      this.dirty.add(live.id);
    }
    this.changed();
  }

  /** The open case with this id. */
  get(id: number): CaseRecord | undefined {
    const row = this.rowOf.get(id);
    return row === undefined || this.flags[row]! & GONE ? undefined : this.record(row);
  }

  /** Open cases. */
  get size(): number {
    return this.count - this.goneCount;
  }

  /** The case drawn in a row of the layer (what a deck.gl pick's `index` names). */
  atRow(row: number): CaseRecord | undefined {
    if (row < 0 || row >= this.synced || this.flags[row]! & GONE) return undefined;
    return this.record(row);
  }

  // ---- reading the cases row by row (counts, the queue, the figures): no object per case

  /** Rows to look at: 0 ..< rows; skip those that are not `open(row)`. */
  get rows(): number {
    return this.count;
  }

  open(row: number): boolean {
    return !(this.flags[row]! & GONE);
  }

  /** A likely duplicate: it counts through its original. */
  isLinked(row: number): boolean {
    return this.statuses[row] === this.linked;
  }

  statusAt(row: number): CaseStatus {
    return this.statusNames.values[this.statuses[row]!]!;
  }

  categoryAt(row: number): string {
    return this.categoryNames.values[this.categories[row]!]!;
  }

  severityAt(row: number): number {
    return this.severities[row]!;
  }

  idAt(row: number): number {
    return this.ids[row]!;
  }

  reportedAt(row: number): number {
    return this.reportedMs[row]!;
  }

  escalatedAt(row: number): boolean {
    return (this.flags[row]! & ESCALATED) !== 0;
  }

  markedAt(row: number): boolean {
    return (this.flags[row]! & MARKED) !== 0;
  }

  /** When the deadline the case races now falls (NaN: none): deadlineFor's answer, without an object per call. */
  dueAt(row: number): number {
    const status = this.statuses[row]!;
    if (status === this.feedback) return Number.NaN;
    const accept = this.acceptDueMs[row]!;
    if (!(this.flags[row]! & ACCEPTED) && status !== this.handling && Number.isFinite(accept)) return accept;
    const resolve = this.resolveDueMs[row]!;
    return Number.isFinite(resolve) ? resolve : Number.NaN;
  }

  overdueAt(row: number, nowMs: number): boolean {
    return this.markedAt(row) || this.dueAt(row) < nowMs;
  }

  /** The case's area code of `level` as a number (see areaKey; NaN: none). */
  areaAt(row: number, level: CaseAreaLevel): number {
    return (level === 'grid' ? this.gridCodes : level === 'community' ? this.communityCodes : this.streetCodes)[row]!;
  }

  /** An area code of `level` as areaAt gives it (NaN when the store has never seen such a code: no case has it). */
  areaKey(code: string | null, level: CaseAreaLevel): number {
    if (code === null) return Number.NaN;
    const value = code.length === CODE_LENGTH[level] ? digitsValue(code, 0, code.length) : Number.NaN;
    if (!Number.isNaN(value)) return value;
    const odd = this.oddCodes.values.indexOf(code);
    return odd < 0 ? Number.NaN : -1 - odd;
  }

  /** The code behind areaAt's number, for an area of `level`. */
  areaCode(key: number, level: CaseAreaLevel): string | null {
    if (Number.isNaN(key)) return null;
    return key < 0 ? this.oddCodes.values[-1 - key]! : String(key).padStart(CODE_LENGTH[level], '0');
  }

  /** The open case in `row`, as a record. */
  record(row: number): CaseRecord {
    const tail = this.numberTails[row]!;
    const head = this.numberHeadNames.values[this.numberHeads[row]!]!;
    const flags = this.flags[row]!;
    const person = this.assignees[row]!;
    return {
      id: this.ids[row]!,
      number: Number.isNaN(tail) ? head : head + String(tail).padStart(this.numberWidths[row]!, '0'),
      category: this.categoryAt(row),
      severity: this.severities[row]! as CaseRecord['severity'],
      point: [this.points[row * 2]!, this.points[row * 2 + 1]!],
      gridCode: this.areaCode(this.gridCodes[row]!, 'grid'),
      communityCode: this.areaCode(this.communityCodes[row]!, 'community'),
      streetCode: this.areaCode(this.streetCodes[row]!, 'street'),
      status: this.statusAt(row),
      tier: this.tierNames.values[this.tiers[row]!]!,
      reportsCount: this.reportsCounts[row]!,
      assignee: person === 0 ? null : this.people[person - 1]!,
      queueKind: this.queueKindNames.values[this.queueKinds[row]!]!,
      reportedMs: this.reportedMs[row]!,
      acceptDueMs: this.acceptDueMs[row]!,
      resolveDueMs: this.resolveDueMs[row]!,
      accepted: (flags & ACCEPTED) !== 0,
      marked: (flags & MARKED) !== 0,
      escalated: (flags & ESCALATED) !== 0,
    };
  }

  // ---- the layer

  /** Brings the layer's columns up to date with the cases: touched rows only, or all after a snapshot. */
  sync(nowMs: number): SyncResult {
    if (this.rebuild) {
      this.rebuild = false;
      this.compact();
      this.dirty.clear();
      for (let row = 0; row < this.count; row++) this.style(row, nowMs);
      this.synced = this.count;
      return 'rows';
    }
    if (this.dirty.size === 0) return 'none';
    const before = this.synced;
    let moved = this.compact();
    for (const id of this.dirty) {
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      if (row >= before) moved = true;
      this.style(row, nowMs);
    }
    this.dirty.clear();
    this.synced = this.count;
    return moved || this.count !== before ? 'rows' : 'styles';
  }

  /** Deadlines pass without any event: re-derive every row's style; true if any changed. */
  restyle(nowMs: number): boolean {
    let changed = false;
    for (let row = 0; row < this.synced; row += 1) if (this.open(row) && this.style(row, nowMs)) changed = true;
    return changed;
  }

  columns(): CaseColumns {
    const n = this.synced;
    // Views of the used part: new objects over the same memory, so deck.gl sees new data and re-uploads it.
    return {
      length: n,
      positions: this.positions.subarray(0, n * 2),
      fillColors: this.fillColors.subarray(0, n * 4),
      lineColors: this.lineColors.subarray(0, n * 4),
      radii: this.radii.subarray(0, n),
      lineWidths: this.lineWidths.subarray(0, n),
    };
  }

  /** Whether anything still pulses at `nowMs` (the animation keeps running while it does). */
  pulsing(nowMs: number): boolean {
    for (const [id, started] of this.pulses) {
      if (nowMs - started < PULSE_MS) return true;
      this.pulses.delete(id);
    }
    return false;
  }

  /** The rings of the cases pulsing now: each grows and fades over PULSE_MS. */
  pulseFrame(nowMs: number): PulseColumns {
    const { positions, colors, radii } = this.pulseColumns;
    let n = 0;
    for (const [id, started] of this.pulses) {
      const t = (nowMs - started) / PULSE_MS;
      const row = this.rowOf.get(id);
      if (t >= 1 || row === undefined || !this.open(row)) {
        this.pulses.delete(id);
        continue;
      }
      positions[n * 2] = this.points[row * 2]!;
      positions[n * 2 + 1] = this.points[row * 2 + 1]!;
      const color = fillFor(this.overdueAt(row, nowMs), this.statusAt(row), this.palette);
      colors.set([color[0], color[1], color[2], Math.round(255 * (1 - t) * (1 - t))], n * 4);
      radii[n] = radiusFor(this.severities[row]!, false, this.palette) + PULSE_GROWTH_PIXELS * Math.sqrt(t);
      n += 1;
    }
    return { length: n, positions: positions.subarray(0, n * 2), colors: colors.subarray(0, n * 4), radii: radii.subarray(0, n) };
  }

  private startPulse(id: number, nowMs: number): void {
    this.pulses.delete(id);
    this.pulses.set(id, nowMs);
    if (this.pulses.size > MAX_PULSES) this.pulses.delete(this.pulses.keys().next().value!);
  }

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  /** Writes an open case into its row (a new row at the end for a case not held yet). */
  private put(live: LiveCase): void {
    let row = this.rowOf.get(live.id);
    if (row === undefined) {
      if (this.count === this.capacity) this.grow(this.capacity * 2);
      row = this.count;
      this.count += 1;
      this.rowOf.set(live.id, row);
    } else if (this.flags[row]! & GONE) {
      // Reopened before its row left.
      this.goneCount -= 1;
    }
    this.ids[row] = live.id;
    this.putNumber(row, live.number);
    this.categories[row] = this.categoryNames.id(live.category);
    this.severities[row] = live.severity;
    this.statuses[row] = this.statusNames.id(live.status);
    this.tiers[row] = this.tierNames.id(live.tier);
    this.queueKinds[row] = this.queueKindNames.id(live.queue.kind);
    this.flags[row] = (live.acceptedMs !== null ? ACCEPTED : 0) | (live.overdueAcceptMs !== null || live.overdueResolveMs !== null ? MARKED : 0) | (live.escalatedMs !== null ? ESCALATED : 0);
    this.assignees[row] = live.assignee ? this.person(live.assignee) + 1 : 0;
    this.reportsCounts[row] = live.reportsCount;
    this.reportedMs[row] = live.reportedMs;
    this.acceptDueMs[row] = live.acceptDueMs ?? Number.NaN;
    this.resolveDueMs[row] = live.resolveDueMs ?? Number.NaN;
    this.points[row * 2] = live.point[0];
    this.points[row * 2 + 1] = live.point[1];
    this.gridCodes[row] = this.codeKey(live.gridCode, 'grid');
    this.communityCodes[row] = this.codeKey(live.communityCode, 'community');
    this.streetCodes[row] = this.codeKey(live.streetCode, 'street');
  }

  /** Codes of the level's length (15 digits at most) are exact as numbers; padding restores them. */
  private codeKey(code: string | null, level: CaseAreaLevel): number {
    if (code === null) return Number.NaN;
    const value = code.length === CODE_LENGTH[level] ? digitsValue(code, 0, code.length) : Number.NaN;
    return Number.isNaN(value) ? -1 - this.oddCodes.id(code) : value;
  }

  /** The last head seen, and its id: consecutive cases mostly share one (a day's). */
  private lastHead = '';
  private lastHeadId = -1;

  private putNumber(row: number, number: string): void {
    let start = number.length;
    while (start > 0 && number.length - start < NUMBER_TAIL_DIGITS) {
      const digit = number.charCodeAt(start - 1) - 48;
      if (digit < 0 || digit > 9) break;
      start -= 1;
    }
    if (this.lastHeadId < 0 || start !== this.lastHead.length || !number.startsWith(this.lastHead)) {
      this.lastHead = number.slice(0, start);
      this.lastHeadId = this.numberHeadNames.id(this.lastHead);
    }
    this.numberHeads[row] = this.lastHeadId;
    this.numberTails[row] = digitsValue(number, start, number.length);
    this.numberWidths[row] = number.length - start;
  }

  /** People are few and hold many cases: one object each, shared by their cases' records. */
  private person(assignee: NonNullable<LiveCase['assignee']>): number {
    const index = this.personIndex.get(assignee.id);
    if (index !== undefined) {
      const known = this.people[index]!;
      if (known.name === assignee.name && known.departmentCode === assignee.departmentCode) return index;
    }
    // New, or renamed / moved since: the latest is what new cases show (older records keep theirs).
    this.people.push({ id: assignee.id, name: assignee.name, departmentCode: assignee.departmentCode });
    this.personIndex.set(assignee.id, this.people.length - 1);
    return this.people.length - 1;
  }

  /** Rows of cases closed since the last sync leave: the last row moves into each. True if any row moved or left. */
  private compact(): boolean {
    if (this.closing.length === 0) return false;
    const dropTrailing = (): void => {
      while (this.count > 0 && this.flags[this.count - 1]! & GONE) {
        this.rowOf.delete(this.ids[this.count - 1]!);
        this.count -= 1;
        this.goneCount -= 1;
      }
    };
    for (const id of this.closing) {
      dropTrailing();
      const row = this.rowOf.get(id);
      // Reopened since, or already gone from the end.
      if (row === undefined || !(this.flags[row]! & GONE)) continue;
      const last = this.count - 1;
      this.move(last, row);
      this.rowOf.set(this.ids[row]!, row);
      this.rowOf.delete(id);
      this.count -= 1;
      this.goneCount -= 1;
    }
    dropTrailing();
    this.closing.length = 0;
    return true;
  }

  private move(from: number, to: number): void {
    for (const column of [this.ids, this.numberHeads, this.numberTails, this.numberWidths, this.categories, this.severities, this.statuses, this.tiers, this.queueKinds, this.flags, this.assignees, this.reportsCounts, this.reportedMs, this.acceptDueMs, this.resolveDueMs, this.gridCodes, this.communityCodes, this.streetCodes, this.radii, this.lineWidths]) {
      column[to] = column[from]!;
    }
    this.points.copyWithin(to * 2, from * 2, from * 2 + 2);
    this.positions.copyWithin(to * 2, from * 2, from * 2 + 2);
    this.fillColors.copyWithin(to * 4, from * 4, from * 4 + 4);
    this.lineColors.copyWithin(to * 4, from * 4, from * 4 + 4);
  }

  /** Writes a row's position and style for the layer; true if anything changed. */
  private style(row: number, nowMs: number): boolean {
    const palette = this.palette;
    const lng = this.points[row * 2]!;
    const lat = this.points[row * 2 + 1]!;
    let changed = this.positions[row * 2] !== Math.fround(lng) || this.positions[row * 2 + 1] !== Math.fround(lat);
    this.positions[row * 2] = lng;
    this.positions[row * 2 + 1] = lat;
    const escalated = this.escalatedAt(row);
    const fill = fillFor(this.overdueAt(row, nowMs), this.statusAt(row), palette);
    const line = escalated ? palette.escalatedRing : palette.ring;
    const radius = radiusFor(this.severities[row]!, escalated, palette);
    const width = escalated ? palette.escalatedRingWidth : palette.ringWidth;
    if (this.radii[row] !== Math.fround(radius) || this.lineWidths[row] !== Math.fround(width)) changed = true;
    this.radii[row] = radius;
    this.lineWidths[row] = width;
    const c = row * 4;
    for (let i = 0; i < 4; i += 1) {
      if (this.fillColors[c + i] !== fill[i] || this.lineColors[c + i] !== line[i]) changed = true;
      this.fillColors[c + i] = fill[i]!;
      this.lineColors[c + i] = line[i]!;
    }
    return changed;
  }

  private grow(capacity: number): void {
    const size = Math.max(INITIAL_CAPACITY, 2 ** Math.ceil(Math.log2(capacity)));
    const n = this.count;
    const copy = <T extends Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(old: T, make: (length: number) => T, per = 1): T => {
      const next = make(size * per);
      next.set(old.subarray(0, n * per));
      return next;
    };
    this.ids = copy(this.ids, (k) => new Float64Array(k));
    this.numberHeads = copy(this.numberHeads, (k) => new Int32Array(k));
    this.numberTails = copy(this.numberTails, (k) => new Float64Array(k));
    this.numberWidths = copy(this.numberWidths, (k) => new Uint8Array(k));
    this.categories = copy(this.categories, (k) => new Uint16Array(k));
    this.severities = copy(this.severities, (k) => new Uint8Array(k));
    this.statuses = copy(this.statuses, (k) => new Uint8Array(k));
    this.tiers = copy(this.tiers, (k) => new Uint8Array(k));
    this.queueKinds = copy(this.queueKinds, (k) => new Uint8Array(k));
    this.flags = copy(this.flags, (k) => new Uint8Array(k));
    this.assignees = copy(this.assignees, (k) => new Uint32Array(k));
    this.reportsCounts = copy(this.reportsCounts, (k) => new Uint32Array(k));
    this.reportedMs = copy(this.reportedMs, (k) => new Float64Array(k));
    this.acceptDueMs = copy(this.acceptDueMs, (k) => new Float64Array(k));
    this.resolveDueMs = copy(this.resolveDueMs, (k) => new Float64Array(k));
    this.points = copy(this.points, (k) => new Float64Array(k), 2);
    this.gridCodes = copy(this.gridCodes, (k) => new Float64Array(k));
    this.communityCodes = copy(this.communityCodes, (k) => new Float64Array(k));
    this.streetCodes = copy(this.streetCodes, (k) => new Float64Array(k));
    this.positions = copy(this.positions, (k) => new Float32Array(k), 2);
    this.fillColors = copy(this.fillColors, (k) => new Uint8Array(k), 4);
    this.lineColors = copy(this.lineColors, (k) => new Uint8Array(k), 4);
    this.radii = copy(this.radii, (k) => new Float32Array(k));
    this.lineWidths = copy(this.lineWidths, (k) => new Float32Array(k));
    this.capacity = size;
  }
}
