/**
 * The deck.gl layers over the maplibre basemap (MapLibreOverlay, its own canvas above the map's,
 * camera and pointer events forwarded by the overlay), in this order from the bottom: the page's
 * extra layers (hex bins, staffing links…), then the live cases, the rings of new cases pulsing,
 * and the selected case's ring.
 *
 * The cases come from the CaseStore's typed-array columns (binary attributes, no per-case objects).
 * Zoomed out over many cases (the district with tens of thousands open) single points would be an
 * unreadable smear that costs a full upload of every column at every frame while cases stream in:
 * there the cases are binned into cells of ~BIN_PIXELS on screen, each drawn as one circle sized by
 * its count and coloured by its share overdue, with a heavy ring where one is escalated; the bins
 * are recomputed from the columns at most every BIN_REFRESH_MS. Zoomed in (or with few cases), every
 * case is a point as before; with many, only those in and around the view are handed to deck.gl
 * (a drawn point costs even off screen). New cases pulse in both.
 *
 * Updates are batched per animation frame, and frames that only data or pulses call for come at
 * most as often as drawing is cheap here (every frame on a GPU, ~10 a second on a software renderer,
 * see drawInterval): however many events arrive meanwhile, one `sync` writes the
 * touched rows in place and the layer gets fresh views of the same memory (deck.gl re-uploads the
 * buffers when the view object changes). Deadlines pass without events, so the styles are
 * re-derived every RESTYLE_MS. Nothing runs while nothing changes.
 *
 * Where there is no GPU (a software renderer, as in headless test browsers), every fragment and
 * every frame counts: no multisampling, pulses capped and a little smaller, bins of bounded size.
 */
import type { Layer, PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CaseRecord } from '../live/case-record.ts';
import type { CaseColumns, CaseStore } from '../live/case-store.ts';
import type { CasePalette, Rgba } from '../live/case-style.ts';

export const CASE_LAYER_ID = 'cases';
export const CASE_BIN_LAYER_ID = 'case-bins';
const PULSE_LAYER_ID = 'case-pulses';
const SELECTED_LAYER_ID = 'case-selected';
const RESTYLE_MS = 10_000;
export const CASE_PICK_RADIUS_PIXELS = 4;
/** Below this zoom, many cases are drawn as bins. */
export const CASE_POINTS_MIN_ZOOM = 13;
/** With at most this many cases they are points at every zoom. */
export const CASE_BINS_MIN_CASES = 3_000;
/** A bin's cell on screen, CSS pixels (fixed per whole zoom level, so bins stay put while panning). */
const BIN_PIXELS = 32;
/** The largest bin's radius, CSS pixels (every fragment costs on a software renderer). */
const BIN_MAX_RADIUS = 9;
/** Bins are recomputed at most this often while cases stream in (counts, not motion: once a second reads well). */
const BIN_REFRESH_MS = 1_000;
/**
 * How often the layers are redrawn when the data or the pulses change, by what a draw costs here:
 * every frame where drawing is cheap (a GPU), down to 10 a second where it is not (a software
 * renderer waits for each drawn frame on the main thread), so that a stream of cases never keeps
 * the page busy drawing. The cost of a draw is how much longer than two plain frames the two frames
 * after it took (the recent worst, decaying); the interval is a frame plus twice that. Camera moves are not
 * throttled (deck.gl follows the map by itself).
 */
const FRAME_MS = 1000 / 60;
const MAX_DRAW_INTERVAL_MS = 100;
const DRAW_COST_WEIGHT = 2;
/**
 * With more cases than this, points are drawn for the view only: the cases within the view and half
 * a view around it (a drawn instance costs even off screen, ~6 µs each per frame on a software
 * renderer), picked again when the data changes or the camera leaves that box.
 */
const CULL_ABOVE_ROWS = 4_000;
const CULL_MARGIN = 0.5;
/** At most this many (the newest) pulse at once; their rings are drawn this much smaller. */
const DRAWN_PULSES_MAX = 32;
const PULSE_RADIUS_SCALE = 0.6;
const PULSE_FILL = new Uint8Array(DRAWN_PULSES_MAX * 4);
const PULSE_LINE_WIDTHS = new Float32Array(DRAWN_PULSES_MAX).fill(3);

export interface CaseHover {
  readonly record: CaseRecord;
  /** Pointer position in CSS pixels from the map's top-left corner. */
  readonly x: number;
  readonly y: number;
}

/** A bin of cases (zoomed out): where to zoom in to see them. */
export interface CaseBinPick {
  readonly center: readonly [number, number];
  readonly count: number;
}

type Attribute = { readonly value: Float32Array | Uint8Array; readonly size: number; readonly normalized?: boolean };
type BinaryData = { readonly length: number; readonly attributes: Record<string, Attribute> };

function caseData(columns: CaseColumns): BinaryData {
  return {
    length: columns.length,
    attributes: {
      getPosition: { value: columns.positions, size: 2 },
      getFillColor: { value: columns.fillColors, size: 4, normalized: true },
      getLineColor: { value: columns.lineColors, size: 4, normalized: true },
      getRadius: { value: columns.radii, size: 1 },
      getLineWidth: { value: columns.lineWidths, size: 1 },
    },
  };
}

type Box = readonly [number, number, number, number];

/** The rows of the cases inside a box, copied into columns of their own, with each one's row in the store. */
class CaseSubset {
  private capacity = 0;
  private positions = new Float32Array(0);
  private fillColors = new Uint8Array(0);
  private lineColors = new Uint8Array(0);
  private radii = new Float32Array(0);
  private lineWidths = new Float32Array(0);
  private rows = new Uint32Array(0);
  length = 0;

  build(columns: CaseColumns, [minLng, minLat, maxLng, maxLat]: Box): BinaryData {
    const { positions, fillColors, lineColors, radii, lineWidths } = columns;
    let n = 0;
    for (let row = 0; row < columns.length; row++) {
      const lng = positions[row * 2]!;
      const lat = positions[row * 2 + 1]!;
      if (lng < minLng || lng > maxLng || lat < minLat || lat > maxLat) continue;
      if (n >= this.capacity) this.grow(Math.max(1_024, this.capacity * 2));
      this.positions[n * 2] = lng;
      this.positions[n * 2 + 1] = lat;
      this.fillColors.set(fillColors.subarray(row * 4, row * 4 + 4), n * 4);
      this.lineColors.set(lineColors.subarray(row * 4, row * 4 + 4), n * 4);
      this.radii[n] = radii[row]!;
      this.lineWidths[n] = lineWidths[row]!;
      this.rows[n] = row;
      n++;
    }
    this.length = n;
    return {
      length: n,
      attributes: {
        getPosition: { value: this.positions.subarray(0, n * 2), size: 2 },
        getFillColor: { value: this.fillColors.subarray(0, n * 4), size: 4, normalized: true },
        getLineColor: { value: this.lineColors.subarray(0, n * 4), size: 4, normalized: true },
        getRadius: { value: this.radii.subarray(0, n), size: 1 },
        getLineWidth: { value: this.lineWidths.subarray(0, n), size: 1 },
      },
    };
  }

  /** The store row of the subset's `index`-th case. */
  rowAt(index: number): number {
    return index >= 0 && index < this.length ? this.rows[index]! : -1;
  }

  private grow(capacity: number): void {
    const copy = <T extends TypedColumn>(old: T, make: (n: number) => T, per: number): T => grownColumn(old, make, per, this.capacity, capacity);
    this.positions = copy(this.positions, (k) => new Float32Array(k), 2);
    this.fillColors = copy(this.fillColors, (k) => new Uint8Array(k), 4);
    this.lineColors = copy(this.lineColors, (k) => new Uint8Array(k), 4);
    this.radii = copy(this.radii, (k) => new Float32Array(k), 1);
    this.lineWidths = copy(this.lineWidths, (k) => new Float32Array(k), 1);
    this.rows = copy(this.rows, (k) => new Uint32Array(k), 1);
    this.capacity = capacity;
  }
}

/** Bins of the cases for one zoom level, as binary attributes, with each bin's count for picking. */
class CaseBins {
  private capacity = 0;
  private positions = new Float32Array(0);
  private fillColors = new Uint8Array(0);
  private lineColors = new Uint8Array(0);
  private radii = new Float32Array(0);
  private lineWidths = new Float32Array(0);
  private counts = new Uint32Array(0);
  private readonly index = new Map<number, number>();
  private sums = new Float64Array(0);
  private overdue = new Uint32Array(0);
  private escalated = new Uint8Array(0);
  length = 0;

  /** Bins `columns` into cells of `cellLng` × `cellLat` degrees. */
  build(columns: CaseColumns, cellLng: number, cellLat: number, palette: CasePalette): BinaryData {
    const { positions, fillColors, lineWidths } = columns;
    const [or, og, ob] = palette.overdue;
    const escalatedWidth = palette.escalatedRingWidth;
    this.index.clear();
    let n = 0;
    for (let row = 0; row < columns.length; row++) {
      const lng = positions[row * 2]!;
      const lat = positions[row * 2 + 1]!;
      const key = Math.floor(lng / cellLng) * 4_194_304 + Math.floor(lat / cellLat);
      let bin = this.index.get(key);
      if (bin === undefined) {
        bin = n++;
        if (bin >= this.capacity) this.grow(Math.max(256, this.capacity * 2));
        this.index.set(key, bin);
        this.counts[bin] = 0;
        this.sums[bin * 2] = 0;
        this.sums[bin * 2 + 1] = 0;
        this.overdue[bin] = 0;
        this.escalated[bin] = 0;
      }
      this.counts[bin]! += 1;
      this.sums[bin * 2]! += lng;
      this.sums[bin * 2 + 1]! += lat;
      const c = row * 4;
      if (fillColors[c] === or && fillColors[c + 1] === og && fillColors[c + 2] === ob) this.overdue[bin]! += 1;
      if (lineWidths[row] === escalatedWidth) this.escalated[bin] = 1;
    }
    const calm = palette.status.dispatched;
    const alarm = palette.overdue;
    for (let bin = 0; bin < n; bin++) {
      const count = this.counts[bin]!;
      this.positions[bin * 2] = this.sums[bin * 2]! / count;
      this.positions[bin * 2 + 1] = this.sums[bin * 2 + 1]! / count;
      const share = this.overdue[bin]! / count;
      for (let k = 0; k < 3; k++) this.fillColors[bin * 4 + k] = Math.round(calm[k]! + (alarm[k]! - calm[k]!) * share);
      this.fillColors[bin * 4 + 3] = 215;
      const ring: Rgba = this.escalated[bin] ? palette.escalatedRing : palette.ring;
      this.lineColors.set(ring, bin * 4);
      this.lineWidths[bin] = this.escalated[bin] ? 2 : 1;
      this.radii[bin] = Math.min(BIN_MAX_RADIUS, 2.5 + 0.9 * Math.sqrt(count));
    }
    this.length = n;
    return {
      length: n,
      attributes: {
        getPosition: { value: this.positions.subarray(0, n * 2), size: 2 },
        getFillColor: { value: this.fillColors.subarray(0, n * 4), size: 4, normalized: true },
        getLineColor: { value: this.lineColors.subarray(0, n * 4), size: 4, normalized: true },
        getRadius: { value: this.radii.subarray(0, n), size: 1 },
        getLineWidth: { value: this.lineWidths.subarray(0, n), size: 1 },
      },
    };
  }

  at(bin: number): CaseBinPick | undefined {
    if (bin < 0 || bin >= this.length) return undefined;
    return { center: [this.positions[bin * 2]!, this.positions[bin * 2 + 1]!], count: this.counts[bin]! };
  }

  private grow(capacity: number): void {
    const copy = <T extends TypedColumn>(old: T, make: (n: number) => T, per: number): T => grownColumn(old, make, per, this.capacity, capacity);
    this.positions = copy(this.positions, (k) => new Float32Array(k), 2);
    this.fillColors = copy(this.fillColors, (k) => new Uint8Array(k), 4);
    this.lineColors = copy(this.lineColors, (k) => new Uint8Array(k), 4);
    this.radii = copy(this.radii, (k) => new Float32Array(k), 1);
    this.lineWidths = copy(this.lineWidths, (k) => new Float32Array(k), 1);
    this.counts = copy(this.counts, (k) => new Uint32Array(k), 1);
    this.sums = copy(this.sums, (k) => new Float64Array(k), 2);
    this.overdue = copy(this.overdue, (k) => new Uint32Array(k), 1);
    this.escalated = copy(this.escalated, (k) => new Uint8Array(k), 1);
    this.capacity = capacity;
  }
}

/** What the overlay exposes to end-to-end tests and benchmarks (window.__gridCommandCases). */
export interface CaseLayerProbe {
  /** Case rows in the data the layers were last given (all open cases, drawn as points or in bins). */
  readonly rows: number;
  /** 'points' or 'bins': how the cases are drawn now. */
  readonly mode: 'points' | 'bins';
  /** Bins drawn (0 when the cases are points). */
  readonly bins: number;
  /** Frames drawn so far (each one a deck.gl update). */
  readonly draws: number;
  /** The interval between draws that data or pulses call for, as adapted to what a draw costs here (ms). */
  readonly drawIntervalMs: number;
  /** The case drawn at a page pixel, as deck.gl picks it on the GPU. */
  pickAt(x: number, y: number): string | undefined;
}

declare global {
  interface Window {
    __gridCommandCases?: CaseLayerProbe;
    /** The ids of the deck.gl layers last drawn, bottom first (the page's own, then the cases'): for end-to-end tests. */
    __gridCommandDeckLayers?: readonly string[];
  }
}

const EMPTY: BinaryData = { length: 0, attributes: {} };


type TypedColumn = Float32Array | Float64Array | Uint8Array | Uint32Array;

/** A column `per` values a row, grown from `from` rows to `to` rows, the rows kept. */
function grownColumn<T extends TypedColumn>(old: T, make: (n: number) => T, per: number, from: number, to: number): T {
  const next = make(to * per);
  next.set(old.subarray(0, from * per));
  return next;
}

export class CaseOverlay {
  private readonly overlay: MapLibreOverlay;
  private frame: number | undefined;
  private waiting: ReturnType<typeof setTimeout> | undefined;
  private drawnAt = -Infinity;
  /** Smoothed cost of a draw (ms beyond two plain frames), and the interval between draws it gives. */
  private drawCost = 0;
  private drawInterval = FRAME_MS;
  private readonly restyleTimer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: () => void;
  private data: BinaryData = EMPTY;
  private columns: CaseColumns | undefined;
  private readonly subset = new CaseSubset();
  private subsetData: BinaryData = EMPTY;
  /** The box the subset was cut for (undefined: every case is drawn, no subset). */
  private subsetBox: Box | undefined;
  private subsetStale = true;
  private readonly bins = new CaseBins();
  private binData: BinaryData = EMPTY;
  /** The zoom level the bins were made for (undefined: not binned), and when. */
  private binLevel: number | undefined;
  private binnedAt = 0;
  private binsStale = true;
  private binTimer: ReturnType<typeof setTimeout> | undefined;
  private selectedId: number | undefined;
  /** The selected case's ring as last given to deck.gl, and what it was made from. */
  private selectedKey = '';
  private selectedBinary: BinaryData = EMPTY;
  private extra: readonly Layer[] = [];
  private fresh = true;
  private removed = false;
  private draws = 0;
  private readonly probe: CaseLayerProbe;
  private readonly onZoom = (): void => {
    if (this.levelNow() !== this.binLevel) this.schedule();
  };
  /** The camera left the box the drawn cases were cut for: cut again. */
  private readonly onMove = (): void => {
    const box = this.subsetBox;
    if (!box || this.binLevel !== undefined) return;
    const [w, s, e, n] = this.viewBox(0);
    if (w < box[0] || s < box[1] || e > box[2] || n > box[3]) {
      this.subsetStale = true;
      this.schedule();
    }
  };

  constructor(
    private readonly map: MapLibreMap,
    private readonly store: CaseStore | undefined,
    private readonly onHover: (hover: CaseHover | undefined) => void,
  ) {
    this.overlay = new MapLibreOverlay({
      interleaved: false,
      layers: [],
      // No multisampling: circles are smoothed in their shader already, and on a software renderer
      // (no GPU) every sample of every fragment costs: it halves the time of a frame there.
      deviceProps: { webgl: { antialias: false } },
      pickingRadius: CASE_PICK_RADIUS_PIXELS,
      onHover: (info: PickingInfo) => this.hovered(info),
    });
    map.addControl(this.overlay);
    map.on('zoom', this.onZoom);
    map.on('move', this.onMove);
    this.unsubscribe = store ? store.subscribe(() => this.schedule()) : () => {};
    this.restyleTimer = store
      ? setInterval(() => {
          if (this.store?.restyle(Date.now())) {
            this.fresh = true;
            this.schedule();
          }
        }, RESTYLE_MS)
      : undefined;
    this.schedule();
    const self = (): CaseOverlay => this;
    this.probe = {
      get rows() {
        return self().data.length;
      },
      get mode() {
        return self().binLevel === undefined ? 'points' : 'bins';
      },
      get bins() {
        return self().binLevel === undefined ? 0 : self().binData.length;
      },
      get draws() {
        return self().draws;
      },
      get drawIntervalMs() {
        return self().drawInterval;
      },
      pickAt: (x, y) => this.pickAt(x, y)?.number,
    };
    if (store) window.__gridCommandCases = this.probe;
  }

  /** The case under a point of the map (CSS pixels from its top-left corner), if any. */
  pickAt(x: number, y: number): CaseRecord | undefined {
    if (this.removed || !this.store || this.binLevel !== undefined) return undefined;
    const info = this.overlay.pickObject({ x, y, radius: CASE_PICK_RADIUS_PIXELS, layerIds: [CASE_LAYER_ID] });
    return info && info.index >= 0 ? this.store.atRow(this.rowOf(info.index)) : undefined;
  }

  /** The store row drawn as the case layer's `index`-th point. */
  private rowOf(index: number): number {
    return this.subsetBox ? this.subset.rowAt(index) : index;
  }

  /** The map's view as [w, s, e, n], grown by `margin` of its size on every side. */
  private viewBox(margin: number): Box {
    const bounds = this.map.getBounds();
    const w = bounds.getWest();
    const s = bounds.getSouth();
    const e = bounds.getEast();
    const n = bounds.getNorth();
    const dx = (e - w) * margin;
    const dy = (n - s) * margin;
    return [w - dx, s - dy, e + dx, n + dy];
  }

  /** The bin of cases under a point of the map, when they are binned. */
  pickBinAt(x: number, y: number): CaseBinPick | undefined {
    if (this.removed || this.binLevel === undefined) return undefined;
    const info = this.overlay.pickObject({ x, y, radius: CASE_PICK_RADIUS_PIXELS, layerIds: [CASE_BIN_LAYER_ID] });
    return info && info.index >= 0 ? this.bins.at(info.index) : undefined;
  }

  setSelected(id: number | undefined): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.schedule();
  }

  /** The page's own layers, drawn beneath the cases. */
  setLayers(layers: readonly Layer[] | undefined): void {
    const next = layers ?? [];
    if (next.length === this.extra.length && next.every((layer, i) => layer === this.extra[i])) return;
    this.extra = next;
    this.schedule();
  }

  remove(): void {
    this.removed = true;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    if (this.waiting !== undefined) clearTimeout(this.waiting);
    if (this.binTimer !== undefined) clearTimeout(this.binTimer);
    if (this.restyleTimer !== undefined) clearInterval(this.restyleTimer);
    this.unsubscribe();
    this.map.off('zoom', this.onZoom);
    this.map.off('move', this.onMove);
    this.map.removeControl(this.overlay);
    if (window.__gridCommandCases === this.probe) delete window.__gridCommandCases;
    delete window.__gridCommandDeckLayers;
  }

  /** The whole zoom level to bin at now, or undefined where the cases are points. */
  private levelNow(): number | undefined {
    const zoom = this.map.getZoom();
    if (zoom >= CASE_POINTS_MIN_ZOOM || this.data.length <= CASE_BINS_MIN_CASES) return undefined;
    return Math.floor(zoom);
  }

  /** The next frame draws, but not sooner than drawInterval after the last draw. */
  private schedule(): void {
    if (this.frame !== undefined || this.waiting !== undefined || this.removed) return;
    const wait = this.drawnAt + this.drawInterval - performance.now() - 1;
    if (wait > 1) {
      this.waiting = setTimeout(() => {
        this.waiting = undefined;
        this.schedule();
      }, wait);
      return;
    }
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = undefined;
    if (this.removed) return;
    this.draws += 1;
    this.drawnAt = performance.now();
    const now = Date.now();
    const store = this.store;
    if (store && (store.sync(now) !== 'none' || this.fresh)) {
      this.fresh = false;
      this.columns = store.columns();
      this.data = caseData(this.columns);
      this.binsStale = true;
      this.subsetStale = true;
    }
    // As the case stands now (or nothing, once it closed).
    const selected = this.selectedId === undefined ? undefined : store?.get(this.selectedId);
    const layers: Layer[] = [...this.extra];
    if (store) {
      const level = this.levelNow();
      if (level === undefined) {
        this.binLevel = undefined;
        layers.push(
          new ScatterplotLayer({
            id: CASE_LAYER_ID,
            data: this.pointData(),
            radiusUnits: 'pixels',
            lineWidthUnits: 'pixels',
            stroked: true,
            filled: true,
            pickable: true,
            autoHighlight: true,
            highlightColor: [255, 255, 255, 90],
          }),
        );
      } else {
        this.refreshBins(level, now);
        layers.push(
          new ScatterplotLayer({
            id: CASE_BIN_LAYER_ID,
            data: this.binData,
            radiusUnits: 'pixels',
            lineWidthUnits: 'pixels',
            stroked: true,
            filled: true,
            pickable: true,
            autoHighlight: true,
            highlightColor: [255, 255, 255, 90],
          }),
        );
      }
      const pulses = store.pulseFrame(now);
      // The newest pulses (they are oldest first).
      const skip = Math.max(0, pulses.length - DRAWN_PULSES_MAX);
      const palette = store.palette;
      layers.push(
        new ScatterplotLayer({
          id: PULSE_LAYER_ID,
          // The same five binary attributes as the cases' layer (no fill, rings 3 px wide): a software
          // renderer compiles its code per attribute layout, and the first new case would otherwise
          // stall the page while it compiles one more.
          data: {
            length: pulses.length - skip,
            attributes: {
              getPosition: { value: pulses.positions.subarray(skip * 2), size: 2 },
              getFillColor: { value: PULSE_FILL, size: 4, normalized: true },
              getLineColor: { value: pulses.colors.subarray(skip * 4), size: 4, normalized: true },
              getRadius: { value: pulses.radii.subarray(skip), size: 1 },
              getLineWidth: { value: PULSE_LINE_WIDTHS, size: 1 },
            },
          },
          radiusScale: PULSE_RADIUS_SCALE,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          stroked: true,
          filled: false,
          pickable: false,
        }),
        new ScatterplotLayer({
          id: SELECTED_LAYER_ID,
          data: this.selectedData(selected, palette),
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          stroked: true,
          filled: false,
          pickable: false,
        }),
      );
      if (pulses.length > 0) this.schedule();
    }
    this.overlay.setProps({ layers });
    window.__gridCommandDeckLayers = layers.map((layer) => layer.id);
    this.measureDraw(performance.now());
  }

  /** The selected case's ring, as binary attributes laid out like the cases' (see the pulses). */
  private selectedData(selected: CaseRecord | undefined, palette: CasePalette): BinaryData {
    if (!selected) return EMPTY;
    const key = `${selected.id},${selected.point[0]},${selected.point[1]},${selected.severity}`;
    if (key === this.selectedKey) return this.selectedBinary;
    this.selectedKey = key;
    this.selectedBinary = {
      length: 1,
      attributes: {
        getPosition: { value: new Float32Array(selected.point), size: 2 },
        getFillColor: { value: new Uint8Array(4), size: 4, normalized: true },
        getLineColor: { value: new Uint8Array(palette.selectedRing), size: 4, normalized: true },
        getRadius: { value: new Float32Array([(palette.radius[selected.severity - 1] ?? palette.radius[0]) + 6]), size: 1 },
        getLineWidth: { value: new Float32Array([3]), size: 1 },
      },
    };
    return this.selectedBinary;
  }

  /** What this draw cost: the two frames after it, beyond two plain frames (deck.gl paints in the first). */
  private measureDraw(start: number): void {
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const cost = Math.min(500, Math.max(0, performance.now() - start - 2 * FRAME_MS));
        // A slow draw counts at once, cheap ones bring the estimate down slowly (~2 % a draw).
        this.drawCost = Math.max(cost, this.drawCost * 0.98);
        this.drawInterval = Math.min(MAX_DRAW_INTERVAL_MS, FRAME_MS + DRAW_COST_WEIGHT * this.drawCost);
      }),
    );
  }

  /** Every case, or (with many) those in and around the view, cut again when stale. */
  private pointData(): BinaryData {
    if (!this.columns || this.data.length <= CULL_ABOVE_ROWS) {
      this.subsetBox = undefined;
      return this.data;
    }
    if (this.subsetStale || !this.subsetBox) {
      this.subsetBox = this.viewBox(CULL_MARGIN);
      this.subsetData = this.subset.build(this.columns, this.subsetBox);
      this.subsetStale = false;
    }
    return this.subsetData;
  }

  /** New bins when the zoom level changed, or the cases did and the last bins are BIN_REFRESH_MS old. */
  private refreshBins(level: number, now: number): void {
    const due = this.binnedAt + BIN_REFRESH_MS - now;
    if (level === this.binLevel && (!this.binsStale || due > 0)) {
      // Changed cases wait for the next refresh; make sure one comes even if nothing else draws.
      if (this.binsStale && this.binTimer === undefined) {
        this.binTimer = setTimeout(() => {
          this.binTimer = undefined;
          this.schedule();
        }, due);
      }
      return;
    }
    const cellLng = (BIN_PIXELS * 360) / (512 * 2 ** level);
    const latitude = this.map.getCenter().lat;
    const cellLat = cellLng * Math.cos((Math.round(latitude) * Math.PI) / 180);
    this.binData = this.bins.build(this.columns ?? this.store!.columns(), cellLng, cellLat, this.store!.palette);
    this.binLevel = level;
    this.binnedAt = now;
    this.binsStale = false;
  }

  private hovered(info: PickingInfo): void {
    const record = info.layer?.id === CASE_LAYER_ID && info.index >= 0 ? this.store?.atRow(this.rowOf(info.index)) : undefined;
    this.onHover(record ? { record, x: info.x, y: info.y } : undefined);
  }
}
