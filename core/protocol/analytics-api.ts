/**
 * The analytics and staffing answers of the HTTP API: what the supervisor's drill-down, the
 * analyst mode and the staffing layer read. Types only, shared by the server that computes them
 * and the client that draws them.
 *
 * Every analytics route takes the same filter (see `AnalyticsFilter`): a time window by report
 * time [from, to) — ISO instants with their zone or Beijing dates (YYYY-MM-DD), defaulting to the 30
 * days up to now (only `from`: up to now; only `to`: the 30 days before it), at most three years
 * (1,096 days) — an optional set of categories (`category` repeated or comma-separated; an unknown
 * code is a 400), and an optional area (`within`) the answer is limited to. Readers: the district-wide
 * roles (district dispatcher, verifier, analyst, admin), and street dispatchers within their street
 * (their street by default; any other area 403). Likely duplicates and merged cases (linked to an
 * original) are not counted as cases of their own: their reports show in the original's
 * `reportsCount`, which `repeatReports` sums.
 */
import type { AreaLevel } from '../geography/area-code.ts';

/** The filter every analytics answer echoes back, resolved (defaults filled in). */
export interface AnalyticsFilter {
  /** ISO instants: cases reported in [from, to). */
  readonly from: string;
  readonly to: string;
  /** Category codes; empty = every category. */
  readonly categories: readonly string[];
  /** The area the answer is limited to (district, street, community or grid code); null = the district. */
  readonly within: string | null;
  /** The instant "overdue now" and "open now" are measured at. */
  readonly now: string;
}

/** Figures of one area (or one department) under the filter. */
export interface AreaFigures {
  /** Cases reported in the window. */
  readonly received: number;
  /** Of those, still open now. */
  readonly open: number;
  /** Of the open ones, past their resolve deadline now. */
  readonly overdueNow: number;
  /** Of those received, escalated at least once. */
  readonly escalated: number;
  /** Of those received, closed by now (rejected ones too: closed without handling), so received = open + closed. */
  readonly closed: number;
  /** Of those closed, closed by their resolve deadline, or without one (null when none closed). */
  readonly onTimeRate: number | null;
  /** Extra reports of the same problem: the sum of (reportsCount − 1) over the cases received. */
  readonly repeatReports: number;
}

/**
 * GET /api/analytics/areas?level=street|community|grid&within=&from=&to=&category=
 * One row per area of `level` inside `within` (zeros included, so a choropleth covers every area),
 * sorted by code. `level` defaults to the level just below `within` (streets without one) and must
 * be finer than `within` (streets within a street, or anything within a grid, is a 400).
 */
export interface AreaFiguresAnswer {
  readonly level: Exclude<AreaLevel, 'district'>;
  readonly filter: AnalyticsFilter;
  readonly rows: readonly AreaFiguresRow[];
}

export interface AreaFiguresRow extends AreaFigures {
  readonly code: string;
  readonly name: string;
  /** The street or community the area lies in (the district's code for a street). */
  readonly parentCode: string;
}

/**
 * GET /api/analytics/departments?within=&from=&to=&category=: one row per department of
 * GET /api/departments (all of them, the street offices' own staff included; zeros included), in that order.
 */
export interface DepartmentFiguresAnswer {
  readonly filter: AnalyticsFilter;
  readonly rows: readonly DepartmentFiguresRow[];
}

export interface DepartmentFiguresRow extends AreaFigures {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

export const HOTSPOT_MEASURES = ['received', 'repeatReports', 'overdueNow'] as const;
export type HotspotMeasure = (typeof HOTSPOT_MEASURES)[number];

/**
 * GET /api/analytics/hotspots?by=received|repeatReports|overdueNow&limit=10&within=&from=&to=&category=
 * The `limit` (1–100, default 10) grids with the highest `by` (default received), highest first
 * (ties by grid code), grids with zero left out.
 */
export interface HotspotsAnswer {
  readonly by: HotspotMeasure;
  readonly filter: AnalyticsFilter;
  readonly rows: readonly HotspotRow[];
}

export interface HotspotRow extends AreaFigures {
  readonly gridCode: string;
  readonly gridName: string;
  readonly communityName: string;
  readonly streetName: string;
  /** A point inside the grid, for flying the map to it. */
  readonly lng: number;
  readonly lat: number;
}

/**
 * GET /api/analytics/bins?bbox=minLng,minLat,maxLng,maxLat&cell=METRES&within=&from=&to=&category=
 * Cases received in the window binned into flat-topped hexagons `cellMeters` across (between opposite
 * edges, through the centre: also the distance between neighbouring centres; on a local metric
 * projection of the district), only bins with at least one case. The counts are of the cases inside
 * the bbox (its edges included; without a bbox, every case of the filter), so a hexagon cut by the
 * bbox's edge counts only its part inside: ask with a bbox a cell wider than the view for whole
 * counts at the edges. The hexagons are anchored at the district's centre, not at the bbox, so a bin
 * stays where it was while the map pans. `cell` is a whole number of metres, 50–5,000 (default
 * 500); the server doubles it until at most `MAX_BINS` come back, and says so in `cellMeters`.
 */
export interface HexBinsAnswer {
  readonly filter: AnalyticsFilter;
  readonly cellMeters: number;
  /** The largest `count` among all bins of the answer (for a colour scale that does not jump). */
  readonly maxCount: number;
  readonly bins: readonly HexBin[];
}

export const MAX_BINS = 20_000;

export interface HexBin {
  /** The hexagon's centre. */
  readonly lng: number;
  readonly lat: number;
  /** The hexagon's corners, closed ring, WGS-84. */
  readonly ring: readonly (readonly [number, number])[];
  readonly count: number;
  readonly open: number;
  readonly overdueNow: number;
}

/**
 * GET /api/staffing?department=CODE&within=: who covers which grid. Without `department`, every department.
 * Readers: every staff role. District-wide roles: any area and department. A street dispatcher or
 * grid worker: within their street (by default all of it; another area 403), every department.
 * Department staff: the whole district, their own department only (by default theirs; another 403).
 */
export interface StaffingAnswer {
  readonly department: string | null;
  readonly within: string | null;
  readonly now: string;
  /** Every grid inside `within`, with the people of the department(s) assigned to it. */
  readonly grids: readonly StaffedGrid[];
  /** Every person assigned to at least one of those grids, with their load across all their grids. */
  readonly people: readonly StaffMember[];
}

export interface StaffedGrid {
  readonly gridCode: string;
  /** A point inside the grid (for drawing links between the grids one person covers). */
  readonly lng: number;
  readonly lat: number;
  /** Ids of the people assigned (of the chosen department, or of any). */
  readonly people: readonly string[];
  /** How many departments have somebody here (0 to the number of departments, 14 in the reference data; 0–1 with a department). */
  readonly departmentsCovered: number;
  /** Of those people, how many are on duty now. */
  readonly onDuty: number;
}

export interface StaffMember {
  readonly id: string;
  readonly name: string;
  readonly departmentCode: string;
  readonly streetCode: string;
  readonly phone: string;
  readonly onDuty: boolean;
  /** Every grid the person is assigned to (all of them, also outside `within`). */
  readonly grids: readonly string[];
  /** Open cases assigned to the person now, and of those past their resolve deadline. */
  readonly openCases: number;
  readonly overdueCases: number;
}
