import type { CaseSummary } from '../../../core/cases/case-summary.ts';
import { liveCaseOfSummary, type LiveCase } from '../../../core/protocol/live-wire.ts';
import { CaseStore } from '../../../client/live/case-store.ts';
import { LIGHT_PALETTE } from '../../../client/live/case-style.ts';
import { buildCaseSummary } from '../realtime/live-feed-builders.ts';

export const NOW_MS = Date.parse('2026-11-27T10:00:00+08:00');
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * An open case of grid 110108001001001, dispatched, severity 3, with both deadlines ahead, as the
 * live socket gives it (through the wire's rows); override what a test is about.
 */
export function liveCase(id: number, overrides: Partial<CaseSummary> = {}): LiveCase {
  return liveCaseOfSummary(buildCaseSummary({
    id,
    severity: 3,
    gridCode: '110108001001001',
    communityCode: '110108001001',
    streetCode: '110108001',
    category: 'road-damage',
    reportedAt: iso(NOW_MS - HOUR),
    acceptDueAt: iso(NOW_MS + 2 * HOUR),
    resolveDueAt: iso(NOW_MS + 24 * HOUR),
    ...overrides,
  }));
}

/** The live store holding these cases (as after a snapshot). */
export function liveStore(cases: readonly LiveCase[]): CaseStore {
  const store = new CaseStore(LIGHT_PALETTE);
  store.reset(cases);
  return store;
}

export const hoursFromNow = (hours: number): string => iso(NOW_MS + hours * HOUR);
