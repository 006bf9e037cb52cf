import { type CaseEventMessage, type CaseSummary, isOpenStatus } from '../../core/cases/case-summary.ts';
import { type CaseRecord, recordOf } from './case-record.ts';
import { type CasePalette, fillOf, writeStyle } from './case-style.ts';

/** How long a new case pulses on the map. */
export const PULSE_MS = 2_500;
/** At most this many pulse at once (a burst of 1,000 cases pulses the latest 128). */
export const MAX_PULSES = 128;
const PULSE_GROWTH_PIXELS = 22;
const INITIAL_CAPACITY = 1_024;

/** The layer's columns: one row (slot) per open case, packed from 0 to `length - 1`. */
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

/**
 * The open cases of the watched area, kept two ways: `records` (by case id) is the truth the
 * panels, tooltips and KPI tiles read, updated as soon as the live feed applies an event; the
 * typed-array columns are what the deck.gl layer draws, brought up to date in place once per
 * animation frame (`sync`) for every case touched since the last frame, however many events that
 * was. A row leaves by moving the last row into its place, so the columns stay packed and never
 * rebuild; they grow by doubling and are reused for the life of the page.
 */
export class CaseStore {
  readonly records = new Map<number, CaseRecord>();
  private capacity = 0;
  private count = 0;
  private positions = new Float32Array(0);
  private fillColors = new Uint8Array(0);
  private lineColors = new Uint8Array(0);
  private radii = new Float32Array(0);
  private lineWidths = new Float32Array(0);
  /** slot → case id, and back. */
  private idAt = new Float64Array(0);
  private readonly slotOf = new Map<number, number>();
  /** Cases touched since the last sync. */
  private readonly dirty = new Set<number>();
  private rebuild = false;
  /** Case id → when it started pulsing (insertion order is age: the oldest is dropped first). */
  private readonly pulses = new Map<number, number>();
  private readonly pulseColumns = {
    positions: new Float32Array(MAX_PULSES * 2),
    colors: new Uint8Array(MAX_PULSES * 4),
    radii: new Float32Array(MAX_PULSES),
  };
  private readonly listeners = new Set<() => void>();
  /** Bumped on every change to `records`: lets React redraw tiles and panels at its own pace. */
  version = 0;

  constructor(readonly palette: CasePalette) {
    this.grow(INITIAL_CAPACITY);
  }

  /** Called after every change to the records (not per frame). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A snapshot: everything is replaced (the layer is rebuilt at the next frame). */
  reset(cases: Iterable<CaseSummary>): void {
    this.records.clear();
    this.pulses.clear();
    this.dirty.clear();
    for (const summary of cases) if (isOpenStatus(summary.status)) this.records.set(summary.id, recordOf(summary));
    this.rebuild = true;
    this.changed();
  }

  /** Events the live feed applied, in sequence order; `pulse`: new cases pulse (not when catching up a backlog). */
  apply(events: readonly CaseEventMessage[], pulse: boolean, nowMs: number): void {
    if (events.length === 0) return;
    for (const event of events) {
      const summary = event.case;
      if (isOpenStatus(summary.status)) {
        this.records.set(summary.id, recordOf(summary));
        if (pulse && event.kind === 'case:created' && event.type !== 'imported') this.startPulse(summary.id, nowMs);
      } else {
        this.records.delete(summary.id);
        this.pulses.delete(summary.id);
      }
      this.dirty.add(summary.id);
    }
    this.changed();
  }

  get(id: number): CaseRecord | undefined {
    return this.records.get(id);
  }

  get size(): number {
    return this.records.size;
  }

  /** The case drawn in a row of the layer (what a deck.gl pick's `index` names). */
  atRow(row: number): CaseRecord | undefined {
    if (row < 0 || row >= this.count) return undefined;
    return this.records.get(this.idAt[row]!);
  }

  rowOf(id: number): number | undefined {
    return this.slotOf.get(id);
  }

  /** Brings the columns up to date with the records: touched rows only, or all after a snapshot. */
  sync(nowMs: number): SyncResult {
    if (this.rebuild) {
      this.rebuild = false;
      this.dirty.clear();
      this.slotOf.clear();
      this.count = 0;
      if (this.records.size > this.capacity) this.grow(this.records.size);
      for (const record of this.records.values()) this.put(record, nowMs);
      return 'rows';
    }
    if (this.dirty.size === 0) return 'none';
    let rows = false;
    for (const id of this.dirty) {
      const record = this.records.get(id);
      const slot = this.slotOf.get(id);
      if (record) {
        if (slot === undefined) {
          this.put(record, nowMs);
          rows = true;
        } else {
          this.write(slot, record, nowMs);
        }
      } else if (slot !== undefined) {
        this.remove(id, slot);
        rows = true;
      }
    }
    this.dirty.clear();
    return rows ? 'rows' : 'styles';
  }

  /** Deadlines pass without any event: re-derive every row's style; true if any changed. */
  restyle(nowMs: number): boolean {
    let changed = false;
    for (let slot = 0; slot < this.count; slot += 1) {
      const record = this.records.get(this.idAt[slot]!);
      if (record && this.write(slot, record, nowMs)) changed = true;
    }
    return changed;
  }

  columns(): CaseColumns {
    const n = this.count;
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
      const record = this.records.get(id);
      if (t >= 1 || !record) {
        this.pulses.delete(id);
        continue;
      }
      const [lng, lat] = record.summary.point;
      positions[n * 2] = lng;
      positions[n * 2 + 1] = lat;
      const color = fillOf(record, nowMs, this.palette);
      colors.set([color[0], color[1], color[2], Math.round(255 * (1 - t) * (1 - t))], n * 4);
      radii[n] = (this.palette.radius[record.summary.severity - 1] ?? this.palette.radius[0]) + PULSE_GROWTH_PIXELS * Math.sqrt(t);
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

  private put(record: CaseRecord, nowMs: number): void {
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    const slot = this.count;
    this.count += 1;
    this.slotOf.set(record.summary.id, slot);
    this.idAt[slot] = record.summary.id;
    this.write(slot, record, nowMs);
  }

  private write(slot: number, record: CaseRecord, nowMs: number): boolean {
    const [lng, lat] = record.summary.point;
    const moved = this.positions[slot * 2] !== Math.fround(lng) || this.positions[slot * 2 + 1] !== Math.fround(lat);
    this.positions[slot * 2] = lng;
    this.positions[slot * 2 + 1] = lat;
    const styled = writeStyle(record, nowMs, this.palette, slot, { fillColors: this.fillColors, lineColors: this.lineColors, radii: this.radii, lineWidths: this.lineWidths });
    return styled || moved;
  }

  /** The last row moves into the freed one: O(1), and the columns stay packed. */
  private remove(id: number, slot: number): void {
    const last = this.count - 1;
    if (slot !== last) {
      const movedId = this.idAt[last]!;
      this.positions.copyWithin(slot * 2, last * 2, last * 2 + 2);
      this.fillColors.copyWithin(slot * 4, last * 4, last * 4 + 4);
      this.lineColors.copyWithin(slot * 4, last * 4, last * 4 + 4);
      this.radii[slot] = this.radii[last]!;
      this.lineWidths[slot] = this.lineWidths[last]!;
      this.idAt[slot] = movedId;
      this.slotOf.set(movedId, slot);
    }
    this.slotOf.delete(id);
    this.count = last;
  }

  private grow(capacity: number): void {
    const size = Math.max(INITIAL_CAPACITY, 2 ** Math.ceil(Math.log2(capacity)));
    const copy = <T extends Float32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T, per: number): T => {
      const next = make(size * per);
      next.set(old.subarray(0, this.count * per));
      return next;
    };
    this.positions = copy(this.positions, (n) => new Float32Array(n), 2);
    this.fillColors = copy(this.fillColors, (n) => new Uint8Array(n), 4);
    this.lineColors = copy(this.lineColors, (n) => new Uint8Array(n), 4);
    this.radii = copy(this.radii, (n) => new Float32Array(n), 1);
    this.lineWidths = copy(this.lineWidths, (n) => new Float32Array(n), 1);
    this.idAt = copy(this.idAt, (n) => new Float64Array(n), 1);
    this.capacity = size;
  }
}
