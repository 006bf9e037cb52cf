/**
 * The live cases drawn with deck.gl over the maplibre basemap (MapLibreOverlay, its own canvas
 * above the map's, camera and pointer events forwarded by the overlay). Three ScatterplotLayers:
 * every open case from the CaseStore's typed-array columns (binary attributes, no per-case
 * objects), the rings of new cases pulsing, and the selected case's ring.
 *
 * Updates are batched per animation frame: however many events arrive between two frames, one
 * `sync` writes the touched rows in place and the layer gets fresh views of the same memory (deck.gl
 * re-uploads the buffers when the view object changes). Deadlines pass without events, so the
 * styles are re-derived every RESTYLE_MS. Nothing runs while nothing changes.
 */
import type { PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CaseRecord } from '../live/case-record.ts';
import type { CaseColumns, CaseStore } from '../live/case-store.ts';

export const CASE_LAYER_ID = 'cases';
const PULSE_LAYER_ID = 'case-pulses';
const SELECTED_LAYER_ID = 'case-selected';
const RESTYLE_MS = 10_000;
export const CASE_PICK_RADIUS_PIXELS = 4;

export interface CaseHover {
  readonly record: CaseRecord;
  /** Pointer position in CSS pixels from the map's top-left corner. */
  readonly x: number;
  readonly y: number;
}

type BinaryData = { readonly length: number; readonly attributes: Record<string, { readonly value: Float32Array | Uint8Array; readonly size: number; readonly normalized?: boolean }> };

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

/** What the overlay exposes to end-to-end tests (window.__gridCommandCases). */
export interface CaseLayerProbe {
  /** Rows in the data the layer was last given. */
  readonly rows: number;
  /** The case drawn at a page pixel, as deck.gl picks it on the GPU. */
  pickAt(x: number, y: number): string | undefined;
}

declare global {
  interface Window {
    __gridCommandCases?: CaseLayerProbe;
  }
}

export class CaseOverlay {
  private readonly overlay: MapLibreOverlay;
  private frame: number | undefined;
  private readonly restyleTimer: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;
  private data: BinaryData = { length: 0, attributes: {} };
  private selected: CaseRecord | undefined;
  private fresh = true;
  private removed = false;
  private readonly probe: CaseLayerProbe;

  constructor(
    private readonly map: MapLibreMap,
    private readonly store: CaseStore,
    private readonly onHover: (hover: CaseHover | undefined) => void,
  ) {
    this.overlay = new MapLibreOverlay({
      interleaved: false,
      layers: [],
      pickingRadius: CASE_PICK_RADIUS_PIXELS,
      onHover: (info: PickingInfo) => this.hovered(info),
    });
    map.addControl(this.overlay);
    this.unsubscribe = store.subscribe(() => this.schedule());
    this.restyleTimer = setInterval(() => {
      if (this.store.restyle(Date.now())) {
        this.fresh = true;
        this.schedule();
      }
    }, RESTYLE_MS);
    this.schedule();
    const rows = (): number => this.data.length;
    this.probe = {
      get rows() {
        return rows();
      },
      pickAt: (x, y) => this.pickAt(x, y)?.summary.number,
    };
    window.__gridCommandCases = this.probe;
  }

  /** The case under a point of the map (CSS pixels from its top-left corner), if any. */
  pickAt(x: number, y: number): CaseRecord | undefined {
    if (this.removed) return undefined;
    const info = this.overlay.pickObject({ x, y, radius: CASE_PICK_RADIUS_PIXELS, layerIds: [CASE_LAYER_ID] });
    return info && info.index >= 0 ? this.store.atRow(info.index) : undefined;
  }

  setSelected(id: number | undefined): void {
    const record = id === undefined ? undefined : this.store.get(id);
    if (record === this.selected) return;
    this.selected = record;
    this.schedule();
  }

  remove(): void {
    this.removed = true;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    clearInterval(this.restyleTimer);
    this.unsubscribe();
    this.map.removeControl(this.overlay);
    if (window.__gridCommandCases === this.probe) delete window.__gridCommandCases;
  }

  private schedule(): void {
    if (this.frame !== undefined || this.removed) return;
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = undefined;
    if (this.removed) return;
    const now = Date.now();
    if (this.store.sync(now) !== 'none' || this.fresh) {
      this.fresh = false;
      this.data = caseData(this.store.columns());
    }
    // The selected case's summary may have changed (or it may have closed).
    if (this.selected) this.selected = this.store.get(this.selected.summary.id);
    const pulses = this.store.pulseFrame(now);
    const palette = this.store.palette;
    this.overlay.setProps({
      layers: [
        new ScatterplotLayer({
          id: CASE_LAYER_ID,
          data: this.data,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          stroked: true,
          filled: true,
          pickable: true,
          autoHighlight: true,
          highlightColor: [255, 255, 255, 90],
        }),
        new ScatterplotLayer({
          id: PULSE_LAYER_ID,
          data: {
            length: pulses.length,
            attributes: {
              getPosition: { value: pulses.positions, size: 2 },
              getLineColor: { value: pulses.colors, size: 4, normalized: true },
              getRadius: { value: pulses.radii, size: 1 },
            },
          },
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getLineWidth: 3,
          stroked: true,
          filled: false,
          pickable: false,
        }),
        new ScatterplotLayer<CaseRecord>({
          id: SELECTED_LAYER_ID,
          data: this.selected ? [this.selected] : [],
          getPosition: (record) => [record.summary.point[0], record.summary.point[1]],
          getRadius: (record) => (palette.radius[record.summary.severity - 1] ?? palette.radius[0]) + 6,
          getLineColor: [...palette.selectedRing],
          getLineWidth: 3,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          stroked: true,
          filled: false,
          pickable: false,
          updateTriggers: { getPosition: this.selected?.summary.id, getRadius: this.selected?.summary.severity },
        }),
      ],
    });
    if (pulses.length > 0) this.schedule();
  }

  private hovered(info: PickingInfo): void {
    const record = info.layer?.id === CASE_LAYER_ID && info.index >= 0 ? this.store.atRow(info.index) : undefined;
    this.onHover(record ? { record, x: info.x, y: info.y } : undefined);
  }
}
