import type { Actor } from '../../core/access/actor.ts';
import { canWatchArea } from '../../core/access/case-scope.ts';

/**
 * The area whose live feed an account's dashboard watches: the district for district-wide roles,
 * a street dispatcher's street, a grid worker's first grid. Department staff may watch no area (a
 * feed shows every case of its area, and they may see only their department's): undefined.
 */
export function watchAreaOf(actor: Actor, districtCode: string): string | undefined {
  const candidates = actor.role === 'street-dispatcher' ? [actor.streetCode] : actor.role === 'grid-worker' ? [actor.gridCodes[0]] : [districtCode];
  const area = candidates[0];
  return area && canWatchArea(actor, area) ? area : undefined;
}
