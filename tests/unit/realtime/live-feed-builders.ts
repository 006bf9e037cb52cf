import type { CaseEventMessage, CaseSummary } from '../../../core/cases/case-summary.ts';
import type { EventBatch, WatchResult } from '../../../core/protocol/cases-api.ts';
import { eventBatchOf, eventRowOf, liveCaseOfSummary, liveEventOfMessage, packedEventsOf, type LiveEvent } from '../../../core/protocol/live-wire.ts';
import { LiveFeed } from '../../../core/realtime/live-feed.ts';

/** The street the feeds in these tests watch. */
export const WATCHED = '110108011';
/** Another street: its events must never reach a feed watching WATCHED. */
export const OTHER = '110108012';

/** A case of the watched street, open, dispatched; override anything. */
export function buildCaseSummary(overrides: Partial<CaseSummary> = {}): CaseSummary {
  const id = overrides.id ?? 1;
  return {
    id,
    number: `HD20261127-${String(id).padStart(7, '0')}`,
    category: 'E0102',
    severity: 2,
    point: [116.3913, 39.9075],
    gridCode: `${WATCHED}003007`,
    communityCode: `${WATCHED}003`,
    streetCode: WATCHED,
    status: 'dispatched',
    tier: 'grid',
    channel: 'hotline',
    description: '',
    queue: { kind: 'person', personId: 'P001' },
    assignee: { id: 'P001', name: '李强', departmentCode: 'CG' },
    dispatchReason: { code: 'least-loaded', gridCode: `${WATCHED}003007`, departmentCode: 'CG', candidates: 1, openCases: 0 },
    reportedAt: '2026-11-27T09:03:00.000Z',
    acceptDueAt: null,
    resolveDueAt: null,
    acceptedAt: null,
    closedAt: null,
    overdueAcceptAt: null,
    overdueResolveAt: null,
    escalatedAt: null,
    reworkCount: 0,
    extensionPending: false,
    formalNoticeDueAt: null,
    reportsCount: 1,
    duplicateOf: null,
    departmentCode: 'urban-enforcement',
    nearBoundary: null,
    ...overrides,
  };
}

export interface EventOverrides {
  readonly kind?: CaseEventMessage['kind'];
  readonly type?: CaseEventMessage['type'];
  readonly at?: string;
  /** Overrides of the case as it stands after the event; its id defaults to the event's seq. */
  readonly case?: Partial<CaseSummary>;
}

/** The event with sequence number `seq`; by default it files a new case whose id is `seq`. */
export function buildEvent(seq: number, overrides: EventOverrides = {}): CaseEventMessage {
  return {
    seq,
    kind: overrides.kind ?? 'case:created',
    type: overrides.type ?? 'filed',
    at: overrides.at ?? '2026-11-27T09:03:00.000Z',
    case: buildCaseSummary({ id: seq, ...overrides.case }),
  };
}

/** A `case:events` message for the range from..to, as a client decodes it (through the wire: packed events). */
export function buildBatch(from: number, to: number, events: readonly CaseEventMessage[], area: string = WATCHED): EventBatch {
  return eventBatchOf({ from, to, area, ...packedEventsOf(events.map(eventRowOf)) });
}

export function buildSnapshot(seq: number, cases: readonly CaseSummary[] = [], area: string = WATCHED): WatchResult {
  return { kind: 'snapshot', area, seq, cases: cases.map(liveCaseOfSummary) };
}

export function buildRange(from: number, to: number, events: readonly CaseEventMessage[], area: string = WATCHED): WatchResult {
  return { kind: 'events', area, from, to, events: events.map(liveEventOfMessage) };
}

/** A feed of WATCHED with a request double that records range requests and a log of applied events. */
export function createRecordedFeed(area: string = WATCHED) {
  const requests: [from: number, to: number][] = [];
  const applied: LiveEvent[] = [];
  const applyCalls: number[][] = [];
  const feed = new LiveFeed(area, {
    requestRange: (from, to) => {
      requests.push([from, to]);
    },
  });
  feed.onApply((events) => {
    applied.push(...events);
    applyCalls.push(events.map((e) => e.seq));
  });
  return {
    feed,
    requests,
    applied,
    applyCalls,
    appliedSeqs: (): number[] => applied.map((e) => e.seq),
    caseIds: (): number[] => [...feed.cases.keys()].sort((a, b) => a - b),
  };
}

/** A feed that has had its first snapshot at `seq` (no cases). */
export function createStartedFeed(seq = 0, cases: readonly CaseSummary[] = []) {
  const recorded = createRecordedFeed();
  recorded.feed.receiveWatch(buildSnapshot(seq, cases));
  return recorded;
}
