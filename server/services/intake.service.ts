import { createHash } from 'node:crypto';
import { canonicalJson, eventHashInput } from '../../core/audit/canonical-json.ts';
import { BEIJING_OFFICE_HOURS, type WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import { foldEvents } from '../../core/case-loop/apply-event.ts';
import type { CaseEvent, CaseEventData } from '../../core/case-loop/case-events.ts';
import { summaryOf } from '../../core/case-loop/summary-of.ts';
import type { CaseEventMessage, CaseEventType, CaseSummary } from '../../core/cases/case-summary.ts';
import { CHANNELS_ALLOWED_OUTSIDE, parseReport, type Channel, type Report } from '../../core/cases/report.ts';
import type { Catalogue, Category, Department } from '../../core/catalogue/catalogue.ts';
import { caseDeadlines } from '../../core/dispatch/case-deadlines.ts';
import { decideDispatch } from '../../core/dispatch/decide-dispatch.ts';
import { describeDispatch } from '../../core/dispatch/describe-dispatch.ts';
import type { DispatchDecision } from '../../core/dispatch/dispatch-decision.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { AreaRef } from '../../core/protocol/http-api.ts';
import type { ApiError, CaseAck } from '../../core/protocol/cases-api.ts';
import type { Clock } from '../../core/time/clock.ts';
import { StoreUnavailableError } from '../store/sql-client.ts';
import type { CandidateRow, CaseBatch, NewCaseRow, NewEventRow, Store } from '../store/store.ts';
import type { CaseRoute, GeographyService } from './geography.service.ts';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';

export type IntakeResult = { readonly ok: true; readonly ack: CaseAck } | { readonly ok: false; readonly status: 400 | 409 | 503; readonly error: ApiError };

/** Events committed together, ready to broadcast: every event for seq in from..to. */
export interface CommittedBatch {
  readonly from: number;
  readonly to: number;
  readonly events: readonly CaseEventMessage[];
}

export interface IntakeOptions {
  /** Case numbers read PREFIX + local date + '-' + id, e.g. HD20261127-0001234. */
  readonly casePrefix: string;
  /** A point this close to another grid is flagged "near boundary". */
  readonly nearBoundaryMeters: number;
  /** Same category, this close, this recent, still open: a likely duplicate. */
  readonly duplicateMeters: number;
  readonly duplicateHours: number;
  /** Beyond this far outside every grid a report is refused from any channel: the point is surely wrong. */
  readonly maxOutsideMeters: number;
  /** Most reports one transaction writes. */
  readonly maxBatch: number;
  readonly calendar: WorkingCalendar;
}

export const DEFAULT_INTAKE_OPTIONS: IntakeOptions = {
  casePrefix: 'HD',
  nearBoundaryMeters: 10,
  duplicateMeters: 50,
  duplicateHours: 24,
  maxOutsideMeters: 5_000,
  maxBatch: 500,
  calendar: BEIJING_OFFICE_HOURS,
};

export interface IntakeDependencies {
  readonly store: Store;
  readonly geography: GeographyService;
  readonly catalogue: Catalogue;
  readonly departments: readonly Department[];
  readonly clock: Clock;
  /** Called after each commit with what it wrote, for broadcasting. */
  readonly publish: (batch: CommittedBatch) => void;
  readonly options?: Partial<IntakeOptions>;
}

export interface IntakeService {
  /** One report through the whole pipeline; resolves once it is committed (or refused). */
  report(input: unknown, defaultChannel?: Channel): Promise<IntakeResult>;
  /** Many at once (bulk): each gets its own result, in order; valid ones are stored. */
  reportMany(inputs: readonly unknown[], defaultChannel?: Channel): Promise<IntakeResult[]>;
  idle(): Promise<void>;
}

interface Routed {
  readonly report: Report;
  readonly route: CaseRoute;
  /** Hash of what the report says, to tell a retry from a different report reusing its id. */
  readonly reportHash: string;
}

/** A reportId already stands for a different report: answered with this, nothing stored. */
const CONFLICT = Symbol('conflict');

type Outcome = CaseAck | typeof CONFLICT;

const ACTOR = 'system:intake';
/**
 * Cases written before the first refresh of the statistics when the planner counts (almost) none.
 * A plan made while the cases were few stays in use as they grow: a connection's prepared plans,
 * and the foreign-key checks' plans of every connection, are remade only when statistics change.
 * Made on a fresh store's handful of cases, they scan the table; under bench:ingest's saturation on
 * the PostgreSQL server 500-case batches took 1.5–2.2 s until the first refresh (at 5,000 cases, as
 * it was), ~0.6 s after it. The analyses while the tables are small cost little next to that.
 */
export const FIRST_ANALYZE_AFTER = 250;
/**
 * Cases written before the statistics of the cases and their events are refreshed again: as many as
 * the planner counted at the last refresh (the tables double in between), at least
 * FIRST_ANALYZE_AFTER. The planner must learn that they have grown (on a fresh store it would
 * otherwise keep scanning them, for duplicates, for the candidates' loads, for each event's case and
 * for the last event's hash), but a plan changes with a table's size by factors, and an analysis
 * cost the database ~0.7–1.7 s of CPU at 35,000–55,000 cases (the whole database, which this used
 * to analyse every 5,000 cases, cost 1–2.5 s: a third of the database's time under bench:ingest's
 * saturation; with the smaller samples of migration 014 the cases' part is ~35 ms at 93,000).
 */
export function casesBeforeNextAnalyze(rowsCounted: number): number {
  return Math.max(FIRST_ANALYZE_AFTER, rowsCounted);
}
/**
 * Cases written between two vacuums of the cases table. Dispatch counts each candidate's open cases
 * in a partial index; where the visibility map does not say a page is all-visible each counted case
 * is read from the table too. The embedded store has no autovacuum, and this VM's server runs with it
 * off: 400 candidates' counts took 30 ms, and 2 ms once vacuumed (a 70,000-case table). A vacuum
 * reads only the pages changed since the last one: 14–90 ms here.
 */
export const CASES_BETWEEN_VACUUMS = 5_000;
/**
 * Most of those vacuums leave the indexes alone (Store.vacuumCases): one with index cleanup read both
 * GiST indexes of the cases whole each time, 180–270 ms of the PostgreSQL server's time every 5 s
 * under bench:ingest's 1,000 cases/s (the embedded store: its one thread). Dead rows' index entries
 * (a case's updates leave them) are cleaned up by the first vacuum after this long.
 */
export const INDEX_CLEANUP_EVERY_MS = 10 * 60_000;

/**
 * Whether the next vacuum of the cases cleans their indexes up too: the first, then one every
 * INDEX_CLEANUP_EVERY_MS (and the next after the clock was set back, so that it cannot put them off).
 */
export function indexCleanupDue(lastCleanupAt: Date | undefined, now: Date): boolean {
  if (lastCleanupAt === undefined) return true;
  const since = now.getTime() - lastCleanupAt.getTime();
  return since < 0 || since >= INDEX_CLEANUP_EVERY_MS;
}
const RETRY_AFTER_SECONDS = 5;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function localDateStamp(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10).replace(/-/g, '');
}

function metersBetween(a: LngLat, b: LngLat): number {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * 111_320 * k, (a[1] - b[1]) * 110_574);
}

/**
 * The one intake pipeline behind every door: validate → route (in process) → group-commit batch
 * (idempotency by reportId, likely duplicates, dispatch by least load, deadlines, events with a
 * hash chain) → acknowledge after commit → publish for broadcast.
 */
export function createIntakeService(deps: IntakeDependencies): IntakeService {
  const options: IntakeOptions = { ...DEFAULT_INTAKE_OPTIONS, ...deps.options };
  const categories = new Map<string, Category>(deps.catalogue.categories.map((c) => [c.code, c]));
  const departmentNames = new Map(deps.departments.map((d) => [d.code, d.zh]));
  const departmentNamesEn = new Map(deps.departments.map((d) => [d.code, d.en]));
  const areaRef = (code: string | null): AreaRef | null => (code ? { code, name: deps.geography.name(code) ?? '' } : null);

  const ackOf = (summary: CaseSummary, replayed: boolean): CaseAck => ({
    caseNumber: summary.number,
    caseId: summary.id,
    replayed,
    status: summary.status,
    grid: areaRef(summary.gridCode),
    community: areaRef(summary.communityCode),
    street: areaRef(summary.streetCode),
    assignee: summary.assignee,
    queue: summary.queue,
    dispatch: {
      reason: summary.dispatchReason,
      zh: describeDispatch(summary.dispatchReason, 'zh', { department: (c) => departmentNames.get(c) ?? c }),
      en: describeDispatch(summary.dispatchReason, 'en', { department: (c) => departmentNamesEn.get(c) ?? c }),
    },
    acceptDueAt: summary.acceptDueAt,
    resolveDueAt: summary.resolveDueAt,
    nearBoundary: summary.nearBoundary,
    duplicateOf: summary.duplicateOf,
  });

  // See casesBeforeNextAnalyze and CASES_BETWEEN_VACUUMS; one round of upkeep at a time. What the
  // planner counts is read at the first round: a server started on a large store analyses again
  // only once the cases have doubled, one started on a fresh store soon.
  let casesSinceAnalyze = 0;
  let casesSinceVacuum = 0;
  let analyzeAfter: number | undefined;
  let lastIndexCleanupAt: Date | undefined;
  let upkeep = false;
  const keepUp = async (): Promise<void> => {
    analyzeAfter ??= casesBeforeNextAnalyze(await deps.store.plannedCaseCount());
    if (casesSinceAnalyze >= analyzeAfter) {
      casesSinceAnalyze = 0;
      analyzeAfter = casesBeforeNextAnalyze(await deps.store.analyzeCaseTables());
    }
    if (casesSinceVacuum >= CASES_BETWEEN_VACUUMS) {
      casesSinceVacuum = 0;
      const now = deps.clock.now();
      const indexCleanup = indexCleanupDue(lastIndexCleanupAt, now);
      await deps.store.vacuumCases({ indexCleanup });
      if (indexCleanup) lastIndexCleanupAt = now;
    }
  };
  const flush = async (items: Routed[]): Promise<Outcome[]> => {
    const now = deps.clock.now();
    const written = await deps.store.cases.batch((batch) => writeBatch(batch, items, now));
    if (written.events.length > 0) deps.publish({ from: written.from, to: written.to, events: written.events });
    casesSinceAnalyze += items.length;
    casesSinceVacuum += items.length;
    if (!upkeep && (casesSinceVacuum >= CASES_BETWEEN_VACUUMS || casesSinceAnalyze >= (analyzeAfter ?? FIRST_ANALYZE_AFTER))) {
      upkeep = true;
      keepUp()
        .catch(() => {
          // Statistics and the visibility map are optimisations; the next round tries again.
        })
        .finally(() => (upkeep = false));
    }
    return written.acks;
  };

  const writeBatch = async (batch: CaseBatch, items: Routed[], now: Date): Promise<{ acks: Outcome[]; events: CaseEventMessage[]; from: number; to: number }> => {
    const acks: (Outcome | undefined)[] = items.map(() => undefined);
    const existing = await batch.byReportId([...new Set(items.map((it) => it.report.reportId))]);
    // The first item of each new reportId is created; later ones in this batch are its retries.
    const firstOf = new Map<string, number>();
    const retryOf = new Map<number, number>();
    const fresh: number[] = [];
    items.forEach((it, i) => {
      const stored = existing.get(it.report.reportId);
      const first = firstOf.get(it.report.reportId);
      if (stored) acks[i] = stored.reportHash === it.reportHash ? ackOf(stored.summary, true) : CONFLICT;
      else if (first !== undefined) retryOf.set(i, first);
      else {
        firstOf.set(it.report.reportId, i);
        fresh.push(i);
      }
    });

    // Likely duplicates: an open case of the same category close by, stored or earlier in this batch.
    const since = new Date(now.getTime() - options.duplicateHours * 3_600_000);
    const nearStored = await batch.openCasesNear(fresh.map((i) => ({ category: items[i]!.report.category, point: items[i]!.report.point })), options.duplicateMeters, since);
    const originalOf = new Map<number, { stored: number } | { fresh: number }>();
    const distanceOf = new Map<number, number>();
    fresh.forEach((i, k) => {
      const stored = nearStored[k];
      if (stored) {
        originalOf.set(i, { stored: stored.caseId });
        distanceOf.set(i, stored.distanceMeters);
        return;
      }
      const report = items[i]!.report;
      for (const j of fresh.slice(0, k)) {
        if (originalOf.has(j) || items[j]!.report.category !== report.category) continue;
        const d = metersBetween(items[j]!.report.point, report.point);
        if (d <= options.duplicateMeters) {
          originalOf.set(i, { fresh: j });
          distanceOf.set(i, d);
          return;
        }
      }
    });

    // Dispatch the rest: candidates per (grid, department), loads kept current within the batch.
    const toDispatch = fresh.filter((i) => !originalOf.has(i));
    const pairs = toDispatch.flatMap((i) => {
      const { route, report } = items[i]!;
      return route.routed ? [{ gridCode: route.gridCode, departmentCode: categories.get(report.category)!.department }] : [];
    });
    const candidateRows = await batch.candidates(pairs);
    const byPair = new Map<string, CandidateRow[]>();
    const openCases = new Map<string, number>();
    const people = new Map<string, CandidateRow>();
    for (const row of candidateRows) {
      const key = `${row.gridCode}|${row.departmentCode}`;
      byPair.set(key, [...(byPair.get(key) ?? []), row]);
      openCases.set(row.personId, row.openCases);
      people.set(row.personId, row);
    }

    // Events to come: filed and its sequel per new case, a "me too" per original that gained reports.
    const originalsGaining = new Set([...originalOf.values()].map((o) => ('stored' in o ? `s${o.stored}` : `f${o.fresh}`)));
    const drawn = fresh.length > 0 ? await batch.drawForBatch(fresh.length, 2 * fresh.length + originalsGaining.size) : { caseIds: [], seqs: [], lastEventHash: null };
    const ids = drawn.caseIds;
    const idOf = new Map(fresh.map((i, k) => [i, ids[k]!]));
    const numberOf = (id: number): string => `${options.casePrefix}${localDateStamp(now, options.calendar.utcOffsetMinutes)}-${String(id).padStart(7, '0')}`;
    const decisions = new Map<number, DispatchDecision>();
    for (const i of toDispatch) {
      const { route, report } = items[i]!;
      const category = categories.get(report.category)!;
      const decision = route.routed
        ? decideDispatch({
            routed: true,
            gridCode: route.gridCode,
            streetCode: route.streetCode,
            departmentCode: category.department,
            candidates: (byPair.get(`${route.gridCode}|${category.department}`) ?? []).map((c) => ({ personId: c.personId, onDuty: c.onDuty, openCases: openCases.get(c.personId)! })),
          })
        : decideDispatch({ routed: false, ...(route.nearest ? { nearestGridCode: route.nearest.gridCode, distanceMeters: route.nearest.distanceMeters } : {}) });
      if (decision.queue.kind === 'person') openCases.set(decision.queue.personId, openCases.get(decision.queue.personId)! + 1);
      decisions.set(i, decision);
    }

    // Stored originals get a "me too": their count rises and they are broadcast again.
    const storedOriginals = [...new Set([...originalOf.values()].flatMap((o) => ('stored' in o ? [o.stored] : [])))];
    const originals = await batch.summaries(storedOriginals);
    const extraReports = new Map<number, number>();
    for (const o of originalOf.values()) {
      const id = 'stored' in o ? o.stored : idOf.get(o.fresh)!;
      extraReports.set(id, (extraReports.get(id) ?? 0) + 1);
    }

    const rows: NewCaseRow[] = [];
    for (const i of fresh) {
      const { report, route } = items[i]!;
      const category = categories.get(report.category)!;
      const id = idOf.get(i)!;
      const original = originalOf.get(i);
      let row: NewCaseRow;
      const base = {
        id,
        number: numberOf(id),
        reportId: report.reportId,
        reportHash: items[i]!.reportHash,
        category: report.category,
        severity: category.severity,
        point: report.point,
        crs: report.crs,
        gridCode: route.routed ? route.gridCode : null,
        communityCode: route.routed ? route.communityCode : null,
        streetCode: route.routed ? route.streetCode : null,
        channel: report.channel,
        description: report.description,
        reporter: report.reporter ?? null,
        photos: report.photos,
        departmentCode: category.department,
        nearBoundary: route.routed ? route.nearBoundary : null,
        reportedAt: now,
      };
      if (original) {
        const originalId = 'stored' in original ? original.stored : idOf.get(original.fresh)!;
        const originalNumber = 'stored' in original ? originals.get(original.stored)!.number : numberOf(originalId);
        // A likely duplicate waits for the sub-centre (or the district centre) that owns the original.
        const originalQueue = 'stored' in original ? originals.get(original.stored)!.queue : decisions.get(original.fresh)!.queue;
        const originalStreet = 'stored' in original ? originals.get(original.stored)!.streetCode : (items[original.fresh]!.route.routed ? (items[original.fresh]!.route as { streetCode: string }).streetCode : null);
        row = {
          ...base,
          status: 'linked',
          queue: originalQueue.kind === 'district' || !originalStreet ? { kind: 'district' } : { kind: 'street', streetCode: originalStreet },
          assigneeId: null,
          dispatchReason: { code: 'likely-duplicate', originalCaseNumber: originalNumber, distanceMeters: Math.round(distanceOf.get(i)! * 10) / 10 },
          duplicateOf: originalId,
          acceptDueAt: null,
          resolveDueAt: null,
        };
      } else {
        const decision = decisions.get(i)!;
        const deadlines = caseDeadlines(category, now, options.calendar);
        row = {
          ...base,
          status: decision.queue.kind === 'person' ? 'dispatched' : 'queued',
          queue: decision.queue,
          assigneeId: decision.queue.kind === 'person' ? decision.queue.personId : null,
          dispatchReason: decision.reason,
          duplicateOf: null,
          acceptDueAt: deadlines.acceptDueAt,
          resolveDueAt: deadlines.resolveDueAt,
        };
      }
      rows.push(row);
    }

    // Events: filed + (dispatched | queued | linked) per new case, me-too per stored original. The
    // case as broadcast is folded from its events, as the case loop will fold it later.
    type Draft = { caseId: number; type: CaseEventType; data: Record<string, unknown>; payload: CaseSummary };
    const drafts: Draft[] = [];
    const at = now.toISOString();
    const summaries = new Map<number, CaseSummary>();
    const freshMeToo: Draft[] = [];
    for (const row of rows) {
      const category = categories.get(row.category)!;
      const filed: CaseEventData['filed'] = {
        reportId: row.reportId,
        number: row.number,
        channel: row.channel,
        crs: row.crs,
        description: row.description,
        category: row.category,
        departmentCode: row.departmentCode,
        severity: category.severity,
        resolveMinutes: category.resolveMinutes,
        workingTime: category.workingTime,
        point: row.point,
        gridCode: row.gridCode,
        communityCode: row.communityCode,
        streetCode: row.streetCode,
        nearBoundary: row.nearBoundary,
        acceptDueAt: row.acceptDueAt?.toISOString() ?? null,
        resolveDueAt: row.resolveDueAt?.toISOString() ?? null,
      };
      const second: CaseEvent =
        row.status === 'linked'
          ? { type: 'linked', actor: ACTOR, at, data: { queue: row.queue, assigneeId: null, reason: row.dispatchReason, duplicateOf: row.duplicateOf! } }
          : row.status === 'dispatched'
            ? { type: 'dispatched', actor: ACTOR, at, data: { queue: row.queue, assigneeId: row.assigneeId, reason: row.dispatchReason } }
            : { type: 'queued', actor: ACTOR, at, data: { queue: row.queue, assigneeId: null, reason: row.dispatchReason } };
      // A new original whose duplicates came in the same batch gets its "me too" as an event too, so
      // that its count, like every other fact of a case, folds from its events.
      const extra = extraReports.get(row.id) ?? 0;
      const meToo: CaseEvent[] = extra > 0 ? [{ type: 'me-too', actor: ACTOR, at, data: { added: extra, reportsCount: 1 + extra } }] : [];
      const state = foldEvents(row.id, [{ type: 'filed', actor: ACTOR, at, data: filed }, second, ...meToo]);
      const assignee = row.assigneeId ? people.get(row.assigneeId)! : undefined;
      const payload = summaryOf(state, assignee ? { id: assignee.personId, name: assignee.name, departmentCode: assignee.departmentCode } : null);
      summaries.set(row.id, payload);
      drafts.push({ caseId: row.id, type: 'filed', data: filed as unknown as Record<string, unknown>, payload });
      drafts.push({ caseId: row.id, type: second.type, data: second.data as unknown as Record<string, unknown>, payload });
      freshMeToo.push(...meToo.map((e) => ({ caseId: row.id, type: e.type, data: e.data as unknown as Record<string, unknown>, payload })));
    }
    drafts.push(...freshMeToo);
    for (const id of storedOriginals) {
      const before = originals.get(id)!;
      const payload = { ...before, reportsCount: before.reportsCount + extraReports.get(id)! };
      drafts.push({ caseId: id, type: 'me-too', data: { added: extraReports.get(id)!, reportsCount: payload.reportsCount }, payload });
    }
    const seqs = drawn.seqs;
    if (seqs.length !== drafts.length) throw new Error(`drew ${seqs.length} sequence numbers for ${drafts.length} events`);
    let prevHash = drawn.lastEventHash;
    const eventRows: NewEventRow[] = drafts.map((d, k) => {
      const seq = seqs[k]!;
      const hash = sha256(eventHashInput({ prevHash, seq, caseId: d.caseId, type: d.type, actor: ACTOR, at, data: d.data }));
      const row: NewEventRow = { seq, caseId: d.caseId, type: d.type, kind: d.type === 'filed' ? 'case:created' : 'case:updated', actor: ACTOR, at: now, data: d.data, payload: d.payload, prevHash, hash };
      prevHash = hash;
      return row;
    });

    await batch.insertCases(rows);
    // A new original's count includes its duplicates from this batch; a stored one's rises.
    await batch.addReports(extraReports);
    await batch.insertEvents(eventRows);

    fresh.forEach((i) => {
      acks[i] = ackOf(summaries.get(idOf.get(i)!)!, false);
    });
    for (const [i, first] of retryOf) acks[i] = items[i]!.reportHash === items[first]!.reportHash ? { ...(acks[first] as CaseAck), replayed: true } : CONFLICT;
    return {
      acks: acks.map((a) => a!),
      events: eventRows.map((e) => ({ seq: e.seq, kind: e.kind, type: e.type, at, case: e.payload })),
      from: seqs[0] ?? 0,
      to: seqs[seqs.length - 1] ?? 0,
    };
  };

  const commit: GroupCommit<Routed, Outcome> = createGroupCommit(flush, options.maxBatch);

  const prepare = (input: unknown, defaultChannel: Channel): Routed | IntakeResult => {
    const parsed = parseReport(input, (code) => categories.has(code), defaultChannel);
    if (!parsed.ok) return { ok: false, status: 400, error: { code: 'invalid_report', message: parsed.problems.map((p) => p.message).join('; '), problems: parsed.problems } };
    const route = deps.geography.routeCase(parsed.report.point, options.nearBoundaryMeters);
    const tooFar = !route.routed && (route.nearest?.distanceMeters ?? Infinity) > options.maxOutsideMeters;
    if (!route.routed && (tooFar || !CHANNELS_ALLOWED_OUTSIDE.has(parsed.report.channel))) {
      const nearest = route.nearest ? `; the nearest grid is ${route.nearest.gridCode}, ${Math.round(route.nearest.distanceMeters)} m away` : '';
      return {
        ok: false,
        status: 400,
        error: {
          code: 'outside_district',
          message: tooFar
            ? `(${parsed.report.point[0]}, ${parsed.report.point[1]}) is more than ${options.maxOutsideMeters / 1000} km outside the district${nearest}: check the coordinates and their crs`
            : `(${parsed.report.point[0]}, ${parsed.report.point[1]}) is outside every grid of the district${nearest}`,
          problems: [{ field: 'lng', message: 'outside every grid of the district' }],
        },
      };
    }
    return { report: parsed.report, route, reportHash: sha256(canonicalJson({ ...parsed.report, point: [...parsed.report.point] })) };
  };

  const submit = async (routed: Routed): Promise<IntakeResult> => {
    try {
      const outcome = await commit.submit(routed);
      if (outcome === CONFLICT) {
        return {
          ok: false,
          status: 409,
          error: { code: 'report_id_conflict', message: `reportId "${routed.report.reportId}" already stands for a different report; a retry must send the same report, a new report needs a new reportId` },
        };
      }
      return { ok: true, ack: outcome };
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        return { ok: false, status: 503, error: { code: 'store_unavailable', message: 'the database is unavailable; nothing was stored; retry with the same reportId', retryAfterSeconds: RETRY_AFTER_SECONDS } };
      }
      throw error;
    }
  };

  return {
    async report(input, defaultChannel = 'resident-app') {
      const prepared = prepare(input, defaultChannel);
      return 'route' in prepared ? submit(prepared) : prepared;
    },
    reportMany(inputs, defaultChannel = 'resident-app') {
      return Promise.all(
        inputs.map((input) => {
          const prepared = prepare(input, defaultChannel);
          return 'route' in prepared ? submit(prepared) : Promise.resolve(prepared);
        }),
      );
    },
    idle: () => commit.idle(),
  };
}
