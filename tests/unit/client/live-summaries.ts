import type { CaseSummary } from '../../../core/cases/case-summary.ts';
import { type CaseRecord, recordOf } from '../../../client/live/case-record.ts';
import { buildCaseSummary } from '../realtime/live-feed-builders.ts';

export const NOW_MS = Date.parse('2026-11-27T10:00:00+08:00');
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** An open case of grid 110108001001001, dispatched, severity 3, with both deadlines ahead; override what a test is about. */
export function liveRecord(id: number, overrides: Partial<CaseSummary> = {}): CaseRecord {
  return recordOf(
    buildCaseSummary({
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
    }),
  );
}

export const hoursFromNow = (hours: number): string => iso(NOW_MS + hours * HOUR);
