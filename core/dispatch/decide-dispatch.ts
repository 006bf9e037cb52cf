import type { DispatchDecision } from './dispatch-decision.ts';

export interface DispatchCandidate {
  readonly personId: string;
  readonly onDuty: boolean;
  /** Open cases assigned to this person, across every grid they serve. */
  readonly openCases: number;
}

export type DispatchInput =
  | {
      readonly routed: true;
      readonly gridCode: string;
      readonly streetCode: string;
      readonly departmentCode: string;
      /** The people of the category's department assigned to the grid. */
      readonly candidates: readonly DispatchCandidate[];
    }
  | { readonly routed: false; readonly nearestGridCode?: string; readonly distanceMeters?: number };

/**
 * The dispatch rule: the person of the category's department on the case's grid; of several, the
 * one with the fewest open cases (ties: the smaller person id, so the choice is reproducible);
 * off-duty people are skipped. Nobody fits: the street/town sub-centre's queue. Outside every
 * grid: the district centre's queue.
 */
export function decideDispatch(input: DispatchInput): DispatchDecision {
  if (!input.routed) {
    return {
      queue: { kind: 'district' },
      reason: {
        code: 'outside-grids',
        ...(input.nearestGridCode !== undefined ? { nearestGridCode: input.nearestGridCode } : {}),
        ...(input.distanceMeters !== undefined ? { distanceMeters: input.distanceMeters } : {}),
      },
    };
  }
  const { gridCode, streetCode, departmentCode, candidates } = input;
  if (candidates.length === 0) return { queue: { kind: 'street', streetCode }, reason: { code: 'nobody-assigned', gridCode, departmentCode } };
  const onDuty = candidates.filter((c) => c.onDuty);
  if (onDuty.length === 0) {
    return { queue: { kind: 'street', streetCode }, reason: { code: 'nobody-on-duty', gridCode, departmentCode, offDuty: candidates.length } };
  }
  const chosen = onDuty.reduce((best, c) => (c.openCases < best.openCases || (c.openCases === best.openCases && c.personId < best.personId) ? c : best));
  return {
    queue: { kind: 'person', personId: chosen.personId },
    reason: { code: 'least-loaded', gridCode, departmentCode, candidates: onDuty.length, openCases: chosen.openCases },
  };
}
