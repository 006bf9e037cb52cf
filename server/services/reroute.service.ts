import type { Actor } from '../../core/access/actor.ts';
import type { Store } from '../store/store.ts';
import type { CaseLoopService } from './case-loop.service.ts';
import type { GeographyService } from './geography.service.ts';

/**
 * Who moves cases when the grids are redrawn: a district dispatcher's powers (the `move` command is
 * a dispatcher's), recorded as its own actor in every `moved` event. (The intake's system actor may
 * not give dispatchers' commands, by design.)
 */
export const REROUTE_ACTOR: Actor = {
  accountId: 'system:reroute',
  role: 'district-dispatcher',
  name: 'Re-routing after a geography change',
  personId: null,
  streetCode: null,
  departmentCode: null,
  gridCodes: [],
};

export interface RerouteDependencies {
  readonly store: Store;
  /** The router over the current grids. */
  readonly geography: GeographyService;
  readonly caseLoop: CaseLoopService;
}

export interface RerouteOptions {
  /** Count the moves; change nothing. */
  readonly dryRun?: boolean;
  /** Rows of the from → to table (default 20). */
  readonly top?: number;
  readonly pageSize?: number;
}

export interface RerouteReport {
  readonly dryRun: boolean;
  /** Open cases looked at. */
  readonly checked: number;
  /** Whose grid the current router gives differs from the stored one (null: was outside every grid). */
  readonly toMove: number;
  /** The largest from → to flows, largest first. */
  readonly table: readonly { readonly from: string | null; readonly to: string; readonly count: number }[];
  /** Cases in a grid whose point is now outside every grid: left where they are (a dispatcher decides). */
  readonly outsideNow: number;
  readonly moved: number;
  /** Moves the case loop refused, by its reason (a case being handled — `wrong_state` — stays with its handler). */
  readonly refused: Readonly<Record<string, number>>;
  /** The first refusals, with the case and why. */
  readonly refusals: readonly { readonly caseNumber: string; readonly code: string; readonly message: string }[];
}

const LISTED = 20;

/**
 * Routes every open case's point again with the current router and moves those whose grid changed,
 * each with the case loop's `moved` event (its hash chain, its projection, dispatch re-run for the
 * new grid); closed cases keep the grid they were handled in. A dry run only counts.
 */
export async function rerouteOpenCases(deps: RerouteDependencies, options: RerouteOptions = {}): Promise<RerouteReport> {
  const pageSize = options.pageSize ?? 5_000;
  const moves: { number: string; from: string | null; to: string }[] = [];
  const flows = new Map<string, { from: string | null; to: string; count: number }>();
  let checked = 0;
  let outsideNow = 0;
  let after = 0;
  for (;;) {
    const page = await deps.store.historicImport.openCasePoints(after, pageSize);
    if (page.length === 0) break;
    for (const c of page) {
      checked++;
      const route = deps.geography.routeCase([c.lng, c.lat], 0);
      if (!route.routed) {
        if (c.gridCode !== null) outsideNow++;
        continue;
      }
      if (route.gridCode === c.gridCode) continue;
      moves.push({ number: c.number, from: c.gridCode, to: route.gridCode });
      const key = `${c.gridCode ?? ''}>${route.gridCode}`;
      const flow = flows.get(key) ?? { from: c.gridCode, to: route.gridCode, count: 0 };
      flow.count++;
      flows.set(key, flow);
    }
    after = page[page.length - 1]!.id;
  }
  const table = [...flows.values()].sort((a, b) => b.count - a.count || (a.to < b.to ? -1 : 1)).slice(0, options.top ?? LISTED);

  let moved = 0;
  const refused: Record<string, number> = {};
  const refusals: { caseNumber: string; code: string; message: string }[] = [];
  if (!options.dryRun) {
    for (const m of moves) {
      const result = await deps.caseLoop.command(m.number, { type: 'move', gridCode: m.to }, REROUTE_ACTOR);
      if (result.ok) {
        moved++;
        continue;
      }
      refused[result.error.code] = (refused[result.error.code] ?? 0) + 1;
      if (refusals.length < LISTED) refusals.push({ caseNumber: m.number, code: result.error.code, message: result.error.message });
    }
  }
  return { dryRun: options.dryRun === true, checked, toMove: moves.length, table, outsideNow, moved, refused, refusals };
}
