import { describe, expect, it } from 'vitest';
import { isRole, ROLES, SYSTEM_ACTOR, type Actor } from '../../../core/access/actor.ts';
import { canSeeCase, canWatchArea, DISTRICT_WIDE_ROLES, inActorsStreet, servesGrid, type CaseScope } from '../../../core/access/case-scope.ts';
import {
  ADMIN,
  ANALYST,
  buildActor,
  COMMUNITY,
  DEPARTMENT,
  DISTRICT_DISPATCHER,
  FAR_GRID,
  GRID,
  GRID_WORKER,
  GRID_WORKER_ID,
  NEIGHBOUR_GRID,
  OTHER_DEPARTMENT,
  OTHER_STREET,
  OTHER_STREET_DISPATCHER,
  STAFF,
  STAFF_ID,
  STREET,
  STREET_DISPATCHER,
  VERIFIER,
} from '../case-loop/case-builders.ts';

const DISTRICT = '110108';

/** A case in GRID of STREET, department CG, assigned to nobody here; override anything. */
function buildScope(overrides: Partial<CaseScope> = {}): CaseScope {
  return { streetCode: STREET, gridCode: GRID, departmentCode: DEPARTMENT, assigneeId: 'P999', queueStreetCode: null, ...overrides };
}

/** A case in another street, another grid, another department, assigned to nobody here. */
const ELSEWHERE = buildScope({ streetCode: OTHER_STREET, gridCode: FAR_GRID, departmentCode: OTHER_DEPARTMENT });

describe('roles', () => {
  it('knows the seven roles and nothing else', () => {
    expect(ROLES).toHaveLength(7);
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ['system', 'Admin', '', null, 3, undefined]) expect(isRole(value)).toBe(false);
  });

  it('treats the district dispatchers, verifiers, analysts and admins as district-wide', () => {
    expect([...DISTRICT_WIDE_ROLES].sort()).toEqual(['admin', 'analyst', 'district-dispatcher', 'verifier']);
  });
});

describe('canSeeCase', () => {
  it.each([DISTRICT_DISPATCHER, VERIFIER, ANALYST, ADMIN])('lets a $role see every case, wherever it lies', (actor) => {
    for (const scope of [buildScope(), ELSEWHERE, buildScope({ streetCode: null, gridCode: null, departmentCode: null, assigneeId: null })]) expect(canSeeCase(actor, scope)).toBe(true);
  });

  it('lets a street dispatcher see the cases of their street, and those waiting in their street\'s queue', () => {
    expect(canSeeCase(STREET_DISPATCHER, buildScope())).toBe(true);
    expect(canSeeCase(STREET_DISPATCHER, ELSEWHERE)).toBe(false);
    expect(canSeeCase(STREET_DISPATCHER, { ...ELSEWHERE, queueStreetCode: STREET })).toBe(true);
    expect(canSeeCase(STREET_DISPATCHER, buildScope({ streetCode: null, gridCode: null, queueStreetCode: STREET }))).toBe(true);
    expect(canSeeCase(OTHER_STREET_DISPATCHER, buildScope())).toBe(false);
    expect(canSeeCase(OTHER_STREET_DISPATCHER, ELSEWHERE)).toBe(true);
  });

  it('does not let a street dispatcher without a street see anything', () => {
    const misconfigured = buildActor('street-dispatcher', { streetCode: null });
    expect(canSeeCase(misconfigured, buildScope({ streetCode: null, queueStreetCode: null }))).toBe(false);
    expect(canSeeCase(misconfigured, buildScope())).toBe(false);
  });

  it('lets a grid worker see the cases of their grids and those assigned to them', () => {
    expect(canSeeCase(GRID_WORKER, buildScope())).toBe(true);
    expect(canSeeCase(GRID_WORKER, buildScope({ gridCode: NEIGHBOUR_GRID }))).toBe(false);
    expect(canSeeCase(GRID_WORKER, { ...ELSEWHERE, assigneeId: GRID_WORKER_ID })).toBe(true);
    expect(canSeeCase(buildActor('grid-worker', { gridCodes: [GRID, NEIGHBOUR_GRID] }), buildScope({ gridCode: NEIGHBOUR_GRID }))).toBe(true);
    // Not by street: a grid worker's street is not their area.
    expect(canSeeCase(GRID_WORKER, buildScope({ gridCode: null }))).toBe(false);
  });

  it('does not take a grid worker without a roster entry for the assignee of an unassigned case', () => {
    const worker = buildActor('grid-worker', { personId: null, gridCodes: [] });
    expect(canSeeCase(worker, buildScope({ assigneeId: null }))).toBe(false);
  });

  it('lets department staff see their department\'s cases on their grids, and whatever is assigned to them', () => {
    expect(canSeeCase(STAFF, buildScope())).toBe(true);
    expect(canSeeCase(STAFF, buildScope({ departmentCode: OTHER_DEPARTMENT }))).toBe(false);
    expect(canSeeCase(STAFF, buildScope({ gridCode: NEIGHBOUR_GRID }))).toBe(false);
    expect(canSeeCase(STAFF, { ...ELSEWHERE, assigneeId: STAFF_ID })).toBe(true);
    expect(canSeeCase(STAFF, buildScope({ gridCode: null }))).toBe(false);
  });

  it('does not take staff without a roster entry for the assignee of an unassigned case', () => {
    const staff = buildActor('department-staff', { personId: null, gridCodes: [] });
    expect(canSeeCase(staff, buildScope({ assigneeId: null }))).toBe(false);
  });
});

describe('inActorsStreet and servesGrid', () => {
  it('matches a street by the case\'s street or its queue\'s', () => {
    expect(inActorsStreet(STREET_DISPATCHER, buildScope())).toBe(true);
    expect(inActorsStreet(STREET_DISPATCHER, { ...ELSEWHERE, queueStreetCode: STREET })).toBe(true);
    expect(inActorsStreet(STREET_DISPATCHER, ELSEWHERE)).toBe(false);
    expect(inActorsStreet(DISTRICT_DISPATCHER, buildScope({ streetCode: null, queueStreetCode: null }))).toBe(false);
  });

  it('serves no case without a grid', () => {
    expect(servesGrid(GRID_WORKER, GRID)).toBe(true);
    expect(servesGrid(GRID_WORKER, NEIGHBOUR_GRID)).toBe(false);
    expect(servesGrid(GRID_WORKER, null)).toBe(false);
  });
});

describe('canWatchArea', () => {
  const AREAS = [DISTRICT, STREET, COMMUNITY, GRID, NEIGHBOUR_GRID, OTHER_STREET, FAR_GRID];

  it.each([DISTRICT_DISPATCHER, VERIFIER, ANALYST, ADMIN])('lets a $role watch any area', (actor) => {
    for (const area of AREAS) expect(canWatchArea(actor, area)).toBe(true);
  });

  it('lets a street dispatcher watch their street and anything inside it, nothing else', () => {
    const watched = (actor: Actor) => AREAS.filter((area) => canWatchArea(actor, area));
    expect(watched(STREET_DISPATCHER)).toEqual([STREET, COMMUNITY, GRID, NEIGHBOUR_GRID]);
    expect(watched(OTHER_STREET_DISPATCHER)).toEqual([OTHER_STREET, FAR_GRID]);
    expect(watched(buildActor('street-dispatcher', { streetCode: null }))).toEqual([]);
  });

  it('lets a grid worker watch each of their grids, not the community or street around them', () => {
    expect(AREAS.filter((area) => canWatchArea(GRID_WORKER, area))).toEqual([GRID]);
    expect(AREAS.filter((area) => canWatchArea(buildActor('grid-worker', { gridCodes: [GRID, FAR_GRID] }), area))).toEqual([GRID, FAR_GRID]);
  });

  it('lets department staff watch no area feed: they follow their own work list', () => {
    for (const area of AREAS) expect(canWatchArea(STAFF, area)).toBe(false);
  });

  it('lets the system actor, a district dispatcher by role, watch anything', () => {
    expect(canWatchArea(SYSTEM_ACTOR, FAR_GRID)).toBe(true);
  });
});
