/** Whose queue a case lands in. */
export type Queue =
  | { readonly kind: 'person'; readonly personId: string }
  /** The street/town sub-centre's queue (小循环): nobody on the grid could take it. */
  | { readonly kind: 'street'; readonly streetCode: string }
  /** The district centre's queue (大循环): outside every grid. */
  | { readonly kind: 'district' };

/** Why a case went where it went, as data; shown in the case timeline in either language. */
export type DispatchReason =
  | {
      readonly code: 'least-loaded';
      readonly gridCode: string;
      readonly departmentCode: string;
      /** People of the department on this grid, on duty. */
      readonly candidates: number;
      /** Open cases the chosen person had, across all their grids, before this one. */
      readonly openCases: number;
    }
  | { readonly code: 'nobody-assigned'; readonly gridCode: string; readonly departmentCode: string }
  | { readonly code: 'nobody-on-duty'; readonly gridCode: string; readonly departmentCode: string; readonly offDuty: number }
  | { readonly code: 'outside-grids'; readonly nearestGridCode?: string; readonly distanceMeters?: number }
  | { readonly code: 'likely-duplicate'; readonly originalCaseNumber: string; readonly distanceMeters: number };

export interface DispatchDecision {
  readonly queue: Queue;
  readonly reason: DispatchReason;
}
