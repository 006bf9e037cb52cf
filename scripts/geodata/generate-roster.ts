import type { RosterEntry } from '../../core/people/person.ts';
import { createPersonNamer, createPhoneNumberer } from './person-names.ts';
import type { Random } from './seeded-random.ts';

export interface RosterDepartment {
  readonly code: string;
  readonly duty: { readonly zh: string; readonly en: string };
}
export interface RosterGrid {
  readonly code: string;
  readonly communityCode: string;
  readonly streetCode: string;
}
/**
 * How a department spreads its people over grids. `groups`: runs of neighbouring grids (in code
 * order, so west→east, north→south within a community) of the given sizes and weights; `community`:
 * one person per community, split when a community has more than `maxGrids` grids.
 * The proportions are our own reading of how Haidian staffs its grids (see geodata/README.md).
 */
export type Coverage =
  | { readonly kind: 'groups'; readonly sizes: readonly (readonly [size: number, weight: number])[] }
  | { readonly kind: 'community'; readonly maxGrids: number };

export const DEFAULT_COVERAGE: Readonly<Record<string, Coverage>> = {
  'street-office': { kind: 'groups', sizes: [[1, 1]] },
  'city-supervision': { kind: 'groups', sizes: [[1, 0.45], [2, 0.4], [3, 0.15]] },
  sanitation: { kind: 'groups', sizes: [[1, 0.3], [2, 0.4], [3, 0.2], [4, 0.1]] },
  'public-security': { kind: 'community', maxGrids: 8 },
  justice: { kind: 'community', maxGrids: 12 },
  'hr-social-security': { kind: 'community', maxGrids: 12 },
  'urban-enforcement': { kind: 'groups', sizes: [[2, 0.2], [3, 0.3], [4, 0.3], [6, 0.2]] },
  'market-regulation': { kind: 'groups', sizes: [[6, 0.3], [8, 0.4], [10, 0.3]] },
  housing: { kind: 'groups', sizes: [[6, 0.3], [8, 0.4], [10, 0.3]] },
  health: { kind: 'groups', sizes: [[8, 0.5], [12, 0.5]] },
  landscaping: { kind: 'groups', sizes: [[8, 0.5], [12, 0.5]] },
  statistics: { kind: 'groups', sizes: [[10, 0.5], [15, 0.5]] },
  'traffic-police': { kind: 'groups', sizes: [[10, 0.5], [15, 0.5]] },
  fire: { kind: 'groups', sizes: [[15, 0.5], [25, 0.5]] },
};

/** Share of people on duty at any time; the rest are on leave or off shift. */
const ON_DUTY_SHARE = 0.94;

function drawSize(sizes: readonly (readonly [number, number])[], random: Random): number {
  const total = sizes.reduce((a, [, w]) => a + w, 0);
  let r = random() * total;
  for (const [size, weight] of sizes) {
    if ((r -= weight) < 0) return size;
  }
  return sizes[sizes.length - 1]![0];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function splitEvenly<T>(items: readonly T[], maxSize: number): T[][] {
  const parts = Math.ceil(items.length / maxSize);
  const out: T[][] = [];
  for (let p = 0; p < parts; p++) out.push(items.slice(Math.floor((p * items.length) / parts), Math.floor(((p + 1) * items.length) / parts)));
  return out;
}

function coverageGroups(grids: readonly RosterGrid[], coverage: Coverage, random: Random): RosterGrid[][] {
  const groups: RosterGrid[][] = [];
  if (coverage.kind === 'community') {
    for (const communityGrids of groupBy(grids, (g) => g.communityCode).values()) groups.push(...splitEvenly(communityGrids, coverage.maxGrids));
    return groups;
  }
  // People belong to one street's office, so a run of grids never crosses a street boundary.
  for (const streetGrids of groupBy(grids, (g) => g.streetCode).values()) {
    for (let i = 0; i < streetGrids.length; ) {
      const size = drawSize(coverage.sizes, random);
      groups.push(streetGrids.slice(i, i + size));
      i += size;
    }
  }
  return groups;
}

export function generateRoster(
  grids: readonly RosterGrid[],
  departments: readonly RosterDepartment[],
  random: Random,
  coverage: Readonly<Record<string, Coverage>> = DEFAULT_COVERAGE,
): RosterEntry[] {
  const sorted = grids.slice().sort((a, b) => (a.code < b.code ? -1 : 1));
  const nameOf = createPersonNamer(random);
  const phoneOf = createPhoneNumberer(random);
  const people: RosterEntry[] = [];
  for (const department of departments) {
    const spread = coverage[department.code];
    if (!spread) throw new Error(`no coverage rule for department ${department.code}`);
    for (const group of coverageGroups(sorted, spread, random)) {
      const id = `P${String(people.length + 1).padStart(6, '0')}`;
      people.push({
        id,
        name: nameOf(),
        departmentCode: department.code,
        streetCode: group[0]!.streetCode,
        duty: department.duty.zh,
        dutyEn: department.duty.en,
        phone: phoneOf(),
        onDuty: random() < ON_DUTY_SHARE,
        gridCodes: group.map((g) => g.code),
      });
    }
  }
  return people;
}
