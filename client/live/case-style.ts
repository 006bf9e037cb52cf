import type { CaseStatus } from '../../core/cases/case-summary.ts';
import { type CaseRecord, isOverdue } from './case-record.ts';

export type Rgba = readonly [number, number, number, number];

/**
 * How a case is drawn: the fill says where it is in the loop, red overrides it once a deadline has
 * passed, a heavy ring marks an escalated case, and the size grows with severity. Two themes: the
 * command centre's light basemap and the wall's dark one.
 */
export interface CasePalette {
  readonly status: Readonly<Record<Exclude<CaseStatus, 'closed' | 'rejected' | 'merged'>, Rgba>>;
  readonly overdue: Rgba;
  readonly ring: Rgba;
  readonly escalatedRing: Rgba;
  readonly selectedRing: Rgba;
  /** Radius in CSS pixels by severity 1–4. */
  readonly radius: readonly [number, number, number, number];
  readonly ringWidth: number;
  readonly escalatedRingWidth: number;
}

const STATUS: CasePalette['status'] = {
  queued: [245, 159, 0, 235],
  dispatched: [28, 126, 214, 235],
  handling: [12, 166, 120, 235],
  feedback: [112, 72, 232, 235],
  linked: [134, 142, 150, 220],
};

export const LIGHT_PALETTE: CasePalette = {
  status: STATUS,
  overdue: [224, 49, 49, 255],
  ring: [255, 255, 255, 230],
  escalatedRing: [20, 20, 20, 255],
  selectedRing: [232, 89, 12, 255],
  radius: [4.5, 5.5, 7, 9],
  ringWidth: 1,
  escalatedRingWidth: 3,
};

/** The wall, read from across the room: bigger dots, bright rings on a dark map. */
export const DARK_PALETTE: CasePalette = {
  status: { ...STATUS, linked: [173, 181, 189, 220] },
  overdue: [255, 71, 71, 255],
  ring: [11, 18, 32, 230],
  escalatedRing: [255, 212, 59, 255],
  selectedRing: [255, 146, 43, 255],
  radius: [8, 10, 12.5, 15],
  ringWidth: 1,
  escalatedRingWidth: 3.5,
};

/** The colour that explains a case in the legend and the tooltip. */
export function fillOf(record: CaseRecord, nowMs: number, palette: CasePalette): Rgba {
  if (isOverdue(record, nowMs)) return palette.overdue;
  const status = record.summary.status;
  return status === 'closed' || status === 'rejected' || status === 'merged' ? palette.status.linked : palette.status[status];
}

/** Writes one case's style into the layer's arrays at `slot`; true if anything changed. */
export function writeStyle(
  record: CaseRecord,
  nowMs: number,
  palette: CasePalette,
  slot: number,
  arrays: { readonly fillColors: Uint8Array; readonly lineColors: Uint8Array; readonly radii: Float32Array; readonly lineWidths: Float32Array },
): boolean {
  const fill = fillOf(record, nowMs, palette);
  const line = record.escalated ? palette.escalatedRing : palette.ring;
  const radius = (palette.radius[record.summary.severity - 1] ?? palette.radius[0]) + (record.escalated ? 1.5 : 0);
  const width = record.escalated ? palette.escalatedRingWidth : palette.ringWidth;
  const c = slot * 4;
  let changed = arrays.radii[slot] !== radius || arrays.lineWidths[slot] !== width;
  for (let i = 0; i < 4; i += 1) {
    if (arrays.fillColors[c + i] !== fill[i] || arrays.lineColors[c + i] !== line[i]) changed = true;
    arrays.fillColors[c + i] = fill[i]!;
    arrays.lineColors[c + i] = line[i]!;
  }
  arrays.radii[slot] = radius;
  arrays.lineWidths[slot] = width;
  return changed;
}
