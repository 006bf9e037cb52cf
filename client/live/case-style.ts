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

/** The colour that explains a case in the legend and the tooltip: red once overdue, else its step in the loop. */
export function fillFor(overdue: boolean, status: CaseStatus, palette: CasePalette): Rgba {
  if (overdue) return palette.overdue;
  return status === 'closed' || status === 'rejected' || status === 'merged' ? palette.status.linked : palette.status[status];
}

export function fillOf(record: CaseRecord, nowMs: number, palette: CasePalette): Rgba {
  return fillFor(isOverdue(record, nowMs), record.status, palette);
}

/** A case's radius in CSS pixels: by severity, a little larger once escalated (its ring is heavier too). */
export function radiusFor(severity: number, escalated: boolean, palette: CasePalette): number {
  return (palette.radius[severity - 1] ?? palette.radius[0]) + (escalated ? 1.5 : 0);
}
