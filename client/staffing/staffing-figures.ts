/**
 * What the staffing layer shows, derived from one GET /api/staffing answer: per grid, how many of
 * the chosen department's people (or how many departments) cover it; the coverage gaps (grids with
 * nobody); per community, how many gaps it has (what the map colours before the grids are legible);
 * the people by load; and, for one person, the grids they cover (one person to many grids).
 */
import type { StaffedGrid, StaffingAnswer, StaffMember } from '../../core/protocol/analytics-api.ts';

export interface StaffingSummary {
  readonly grids: number;
  readonly gaps: number;
  readonly people: number;
  /** People who cover more than one grid (一人多格). */
  readonly manyGridPeople: number;
  readonly offDuty: number;
}

/** How covered each grid is: people of the department, or departments with somebody (all of them). */
export function coverageOf(answer: StaffingAnswer): Map<string, number> {
  const values = new Map<string, number>();
  for (const grid of answer.grids) values.set(grid.gridCode, answer.department === null ? grid.departmentsCovered : grid.people.length);
  return values;
}

export function gapsOf(answer: StaffingAnswer): StaffedGrid[] {
  return answer.grids.filter((grid) => grid.people.length === 0);
}

/** Gap grids per community (community code = the grid code's first 12 digits), zeros included. */
export function gapsByCommunity(answer: StaffingAnswer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const grid of answer.grids) {
    const community = grid.gridCode.slice(0, 12);
    counts.set(community, (counts.get(community) ?? 0) + (grid.people.length === 0 ? 1 : 0));
  }
  return counts;
}

/**
 * Zoomed out, a community is the legible unit: 1 (covered) where every grid of it has somebody, 0
 * (a gap, drawn red) where at least one has nobody, for the coverage scheme of the map's fill.
 */
export function communityCoverage(answer: StaffingAnswer): Map<string, number> {
  const values = new Map<string, number>();
  for (const [community, gaps] of gapsByCommunity(answer)) values.set(community, gaps === 0 ? 1 : 0);
  return values;
}

export function summaryOf(answer: StaffingAnswer): StaffingSummary {
  return {
    grids: answer.grids.length,
    gaps: answer.grids.reduce((n, grid) => n + (grid.people.length === 0 ? 1 : 0), 0),
    people: answer.people.length,
    manyGridPeople: answer.people.reduce((n, person) => n + (person.grids.length > 1 ? 1 : 0), 0),
    offDuty: answer.people.reduce((n, person) => n + (person.onDuty ? 0 : 1), 0),
  };
}

/** Most loaded first: overdue cases, then open cases per grid covered, then grids, then name. */
export function peopleByLoad(people: readonly StaffMember[]): StaffMember[] {
  const perGrid = (person: StaffMember): number => person.openCases / Math.max(1, person.grids.length);
  return [...people].sort((a, b) => b.overdueCases - a.overdueCases || b.openCases - a.openCases || perGrid(b) - perGrid(a) || b.grids.length - a.grids.length || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export interface GridLink {
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
}

/**
 * The grids one person covers, as points and as links from the first (by code) to each other: a
 * star that shows at a glance how far apart one person's grids are. Grids outside the answer (the
 * person also covers grids outside `within`) are left out.
 */
export function linksOf(person: StaffMember, answer: StaffingAnswer): { points: (readonly [number, number])[]; links: GridLink[] } {
  const byCode = new Map(answer.grids.map((grid) => [grid.gridCode, grid]));
  const points = [...person.grids]
    .sort()
    .flatMap((code) => {
      const grid = byCode.get(code);
      return grid ? [[grid.lng, grid.lat] as const] : [];
    });
  const [hub, ...rest] = points;
  return { points, links: hub ? rest.map((to) => ({ from: hub, to })) : [] };
}
