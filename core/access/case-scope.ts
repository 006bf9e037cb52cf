import type { Actor, Role } from './actor.ts';

/** What decides who may see a case: where it is, who handles it, which department's it is. */
export interface CaseScope {
  readonly streetCode: string | null;
  readonly gridCode: string | null;
  readonly departmentCode: string | null;
  readonly assigneeId: string | null;
  /** A case in a street's queue belongs to that street's dispatchers even without a grid. */
  readonly queueStreetCode: string | null;
}

export const DISTRICT_WIDE_ROLES: readonly Role[] = ['district-dispatcher', 'verifier', 'analyst', 'admin'];

/** A street dispatcher's street: the case lies in it, or waits in its queue. */
export function inActorsStreet(actor: Actor, scope: CaseScope): boolean {
  return actor.streetCode !== null && (scope.streetCode === actor.streetCode || scope.queueStreetCode === actor.streetCode);
}

export function servesGrid(actor: Actor, gridCode: string | null): boolean {
  return gridCode !== null && actor.gridCodes.includes(gridCode);
}

/**
 * Who may see a case (its details, its timeline, its broadcasts): district-wide roles everything;
 * a street dispatcher its street; a grid worker the grids they serve; department staff their
 * department's cases on their grids, and whatever is assigned to them.
 */
export function canSeeCase(actor: Actor, scope: CaseScope): boolean {
  switch (actor.role) {
    case 'district-dispatcher':
    case 'verifier':
    case 'analyst':
    case 'admin':
      return true;
    case 'street-dispatcher':
      return inActorsStreet(actor, scope);
    case 'grid-worker':
      return servesGrid(actor, scope.gridCode) || (actor.personId !== null && scope.assigneeId === actor.personId);
    case 'department-staff':
      return (actor.personId !== null && scope.assigneeId === actor.personId) || (scope.departmentCode === actor.departmentCode && servesGrid(actor, scope.gridCode));
  }
}

/**
 * Which areas' live feeds an actor may watch: district-wide roles any; a street dispatcher their
 * street or anything inside it; a grid worker each of their grids. A feed shows every case of its
 * area, so department staff, who may see only their department's, follow their own work list instead.
 */
export function canWatchArea(actor: Actor, areaCode: string): boolean {
  if (DISTRICT_WIDE_ROLES.includes(actor.role)) return true;
  if (actor.role === 'street-dispatcher') return actor.streetCode !== null && areaCode.startsWith(actor.streetCode);
  if (actor.role === 'grid-worker') return actor.gridCodes.includes(areaCode);
  return false;
}
