import { hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { canonicalJson } from '../../core/audit/canonical-json.ts';
import { BEIJING_OFFICE_HOURS, type WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import { applyEvent } from '../../core/case-loop/apply-event.ts';
import type { CaseEvent, CaseEventData } from '../../core/case-loop/case-events.ts';
import { parseHistoricHeader, parseHistoricRecord, type HistoricHeader, type HistoricProblem, type HistoricRecord } from '../../core/cases/historic-record.ts';
import type { Catalogue, Category } from '../../core/catalogue/catalogue.ts';
import { caseDeadlines, dueAfter } from '../../core/dispatch/case-deadlines.ts';
import { systemClock, type Clock } from '../../core/time/clock.ts';
import { CsvFormatError, readCsvRecords, type CsvRecord } from '../import/csv-records.ts';
import { IMPORT_ACTOR, type ImportedCaseRow, type ImportedEventRow } from '../store/historic-import.repository.ts';
import type { Store } from '../store/store.ts';
import type { CaseRoute, GeographyService } from './geography.service.ts';

export interface HistoricImportDependencies {
  readonly store: Store;
  /** The in-process router over the stored grids. */
  readonly geography: GeographyService;
  readonly catalogue: Catalogue;
  /** The working calendar deadlines count (the server's, from WORKING_CALENDAR_FILE). */
  readonly calendar?: WorkingCalendar;
  readonly clock?: Clock;
}

export interface HistoricImportOptions {
  /** Validate and route every row, count what would be stored; store nothing. */
  readonly dryRun?: boolean;
  /** Store the good rows and report the bad ones (by default one bad row stops everything). */
  readonly skipBad?: boolean;
  /**
   * The whole file in one transaction that holds the case tables to itself (live intake waits until it
   * commits) and builds their secondary indexes once at the end instead of row by row: for a first
   * load or a maintenance window. The file is read once; all or nothing, so an interrupted import
   * leaves nothing to complete. See HistoricImportRepository.loadInOneTransaction.
   */
  readonly oneTransaction?: boolean;
  /** Cases per transaction (default 5,000): the intake waits for at most one batch. */
  readonly batchSize?: number;
  /** Case numbers read PREFIX + local report date + '-' + id (default HD, as intake). */
  readonly casePrefix?: string;
  /** A point this close to another grid is flagged "near boundary" (default 10 m, as intake). */
  readonly nearBoundaryMeters?: number;
  /** Further than this outside every grid a row is refused: its point is surely wrong (default 5 km, as intake). */
  readonly maxOutsideMeters?: number;
  /** Problems listed in the report; the rest are counted (default 100). */
  readonly maxListed?: number;
  /** Where the import is: validating (the first pass), storing, or (in one transaction) building the indexes again. */
  readonly onProgress?: (progress: { readonly phase: 'validate' | 'import' | 'indexes'; readonly rows: number; readonly imported: number }) => void;
}

export interface HistoricImportReport {
  /** Nothing wrong (or, with skipBad, nothing wrong that stopped it). */
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly file: string;
  /** Data rows read (the header not counted). */
  readonly rows: number;
  readonly badRows: number;
  /** The first problems, in file order, and how many there are in all. */
  readonly problems: readonly HistoricProblem[];
  readonly problemCount: number;
  /** The file could not be read as the expected CSV at all (not UTF-8, no header, …): nothing was stored. */
  readonly fatal?: string;
  /** Of the good rows: open and closed, routed to a grid and outside every grid (stored unrouted). */
  readonly open: number;
  readonly closed: number;
  readonly routed: number;
  readonly unrouted: number;
  /** Good rows whose report_id was already stored: skipped (a re-import, or a live case with that id). */
  readonly alreadyStored: number;
  readonly imported: number;
  readonly batches: number;
  readonly validateSeconds: number;
  readonly importSeconds: number;
}

const DEFAULTS = { batchSize: 5_000, casePrefix: 'HD', nearBoundaryMeters: 10, maxOutsideMeters: 5_000, maxListed: 100 };
/** Records handled between two yields to the event loop, so the database's answers are read while rows are prepared. */
const SLICE = 500;

function sha256(text: string): string {
  // One call, no Hash object: a third cheaper per case than createHash().update().digest().
  return hash('sha256', text, 'hex');
}

function localDateStamp(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** A good row, routed, waiting for its case id. */
export interface Pending {
  readonly record: HistoricRecord;
  readonly route: CaseRoute;
}

/** A case ready to store but for its place in the chain (sequence number and hashes, drawn under the lock). */
export interface Prepared {
  readonly row: ImportedCaseRow;
  readonly dataJson: string;
  /** What the event's hash covers after "prevHash\nseq": see eventHashInput. */
  readonly hashTail: string;
}

/**
 * Loads a year of historic case records from a CSV file: every row is validated first (a report of
 * what is wrong, with row, column and why), and nothing is stored if any row is bad unless `skipBad`
 * says to store the good ones. Each point is routed by the in-process router (outside every grid:
 * stored unrouted for the district centre); deadlines come from the category and the working
 * calendar. Each case is stored with one `imported` event in the hash chain, in batches, each in a
 * transaction that takes the intake's lock for its events (up to `parallelBatches` at once); rows
 * whose report_id is already stored are skipped, so a re-run after an interruption completes the
 * import. Nothing is broadcast.
 */
export async function importHistoricCases(deps: HistoricImportDependencies, file: string, options: HistoricImportOptions = {}): Promise<HistoricImportReport> {
  const o = { ...DEFAULTS, ...options };
  const calendar = deps.calendar ?? BEIJING_OFFICE_HOURS;
  const now = (deps.clock ?? systemClock).now();
  const categories = new Map<string, Category>(deps.catalogue.categories.map((c) => [c.code, c]));
  const context = { categories, now };
  const open = (): AsyncIterable<Uint8Array> => createReadStream(file, { highWaterMark: 1 << 20 });

  const problems: HistoricProblem[] = [];
  let problemCount = 0;
  const addProblem = (p: HistoricProblem): void => {
    problemCount++;
    if (problems.length < o.maxListed) problems.push(p);
  };
  const counts = { rows: 0, badRows: 0, open: 0, closed: 0, routed: 0, unrouted: 0, alreadyStored: 0, imported: 0, batches: 0 };
  const badRows = new Set<number>();
  /** Good rows whose report_id is already stored: not prepared again (each batch's transaction checks again). */
  const storedRows = new Set<number>();
  let fatal: string | undefined;
  const started = performance.now();

  // Validation asks only whether a point is refused; the near-boundary flag is looked for when the case is built.
  const routeOf = (record: HistoricRecord, nearBoundaryMeters = o.nearBoundaryMeters): CaseRoute | string => {
    const route = deps.geography.routeCase(record.point, nearBoundaryMeters);
    if (!route.routed && (route.nearest?.distanceMeters ?? Infinity) > o.maxOutsideMeters) {
      const nearest = route.nearest ? `; the nearest grid is ${route.nearest.gridCode}, ${Math.round(route.nearest.distanceMeters)} m away` : '';
      return `(${record.point[0].toFixed(6)}, ${record.point[1].toFixed(6)}) is more than ${o.maxOutsideMeters / 1000} km outside the district${nearest}: check the coordinates and crs`;
    }
    return route;
  };

  // Validates one data row (and routes it): a problem for each thing wrong, or the row routed. Two-pass
  // validation asks only whether a point is refused; the near-boundary flag is looked for when the case is built.
  let nearBoundaryWhileReading = 0;
  let header: HistoricHeader | undefined;
  const seen = new Map<string, number>();
  const checkRow = (rec: CsvRecord, header: HistoricHeader): Pending | undefined => {
    const row = rec.record - 1;
    counts.rows++;
    if (counts.rows % 50_000 === 0) o.onProgress?.({ phase: o.oneTransaction && !o.dryRun ? 'import' : 'validate', rows: counts.rows, imported: counts.imported });
    const parsed = parseHistoricRecord(rec.fields, header, context);
    let problem = false;
    let pending: Pending | undefined;
    if (!parsed.ok) {
      for (const p of parsed.problems) addProblem({ row, line: rec.line, ...p });
      problem = true;
    } else {
      const r = parsed.record;
      const earlier = seen.get(r.reportId);
      if (earlier !== undefined) {
        addProblem({ row, line: rec.line, column: 'report_id', message: `"${r.reportId}" repeats row ${earlier}` });
        problem = true;
      } else {
        // A fresh copy: the parsed id is a slice of the file's text and would keep its whole chunk alive.
        seen.set(Buffer.from(r.reportId, 'latin1').toString('latin1'), row);
        const route = routeOf(r, nearBoundaryWhileReading);
        if (typeof route === 'string') {
          addProblem({ row, line: rec.line, column: 'lng', message: route });
          problem = true;
        } else {
          if (route.routed) counts.routed++;
          else counts.unrouted++;
          if (r.status === 'open') counts.open++;
          else counts.closed++;
          pending = { record: r, route };
        }
      }
    }
    if (problem) {
      counts.badRows++;
      badRows.add(row);
    }
    return pending;
  };
  /** Reads the file, validating each data row; `fatal` is set where it is not the expected CSV at all. */
  const readRows = async (each: (pending: Pending | undefined, row: number) => Promise<void> | void): Promise<void> => {
    try {
      let handled = 0;
      for await (const rec of readCsvRecords(open())) {
        if (!header) {
          const parsed = parseHistoricHeader(rec.fields);
          if (!parsed.ok) {
            fatal = `the header (line ${rec.line}) is not this CSV's: ${parsed.problems.join('; ')}`;
            break;
          }
          header = parsed.header;
          continue;
        }
        if (++handled % SLICE === 0) await yieldToLoop();
        await each(checkRow(rec, header), rec.record - 1);
      }
      if (!header && !fatal) fatal = 'the file is empty: the first line must be the header';
    } catch (error) {
      if (!(error instanceof CsvFormatError)) throw error;
      fatal = `${error.message} (after data row ${counts.rows})`;
    }
  };
  const refused = (): boolean => fatal !== undefined || (counts.badRows > 0 && !o.skipBad);
  const report = (validateSeconds: number, importSeconds: number): HistoricImportReport => ({
    ok: fatal === undefined && (counts.badRows === 0 || o.skipBad === true),
    dryRun: o.dryRun === true,
    file: basename(file),
    ...counts,
    problems,
    problemCount,
    ...(fatal !== undefined ? { fatal } : {}),
    validateSeconds,
    importSeconds,
  });
  const repo = deps.store.historicImport;
  const importedAt = now.toISOString();
  const prepare = async (items: readonly Pending[], ids: readonly number[]): Promise<Prepared[]> => {
    const out: Prepared[] = [];
    for (let k = 0; k < items.length; k++) {
      if (k % SLICE === SLICE - 1) await yieldToLoop();
      out.push(prepareCase(items[k]!, ids[k]!, { prefix: o.casePrefix, calendar, importedAt }));
    }
    // The hash covers canonical JSON; JSON.stringify of the sorted-key data must be exactly that.
    const sample = out[0]!.dataJson;
    if (canonicalJson(JSON.parse(sample)) !== sample) throw new Error(`imported event data is not in canonical key order: ${sample.slice(0, 200)}`);
    return out;
  };
  /** The batch's events, chained on from `prevHash` with the sequence numbers drawn for them. */
  const chain = (kept: readonly Prepared[], seqs: readonly number[], prevHash: string | null): ImportedEventRow[] =>
    kept.map((p, k) => {
      const seq = seqs[k]!;
      const hash = sha256(`${prevHash ?? ''}\n${seq}${p.hashTail}`);
      const row: ImportedEventRow = {
        seq, caseId: p.row.id, at: p.row.reportedAt, dataJson: p.dataJson,
        streetCode: p.row.streetCode, communityCode: p.row.communityCode, gridCode: p.row.gridCode, prevHash, hash,
      };
      prevHash = hash;
      return row;
    });

  if (o.oneTransaction && !o.dryRun) return importInOneTransaction();

  // ---- pass 1: validate every row (and route it), store nothing ----
  let pendingIds: { id: string; row: number }[] = [];
  const countStored = async (): Promise<void> => {
    if (pendingIds.length === 0) return;
    const known = await deps.store.historicImport.knownReportIds(pendingIds.map((p) => p.id));
    for (const p of pendingIds) if (known.has(p.id)) storedRows.add(p.row);
    counts.alreadyStored += known.size;
    pendingIds = [];
  };
  await readRows(async (pending, row) => {
    if (!pending) return;
    pendingIds.push({ id: pending.record.reportId, row });
    if (pendingIds.length >= 10_000) await countStored();
  });
  seen.clear();
  await countStored();
  const validateSeconds = (performance.now() - started) / 1000;
  if (refused() || o.dryRun) return report(validateSeconds, 0);

  // ---- pass 2: route and store the good rows, batch by batch ----
  const importStarted = performance.now();

  const write = (batch: readonly Prepared[]): Promise<void> =>
    repo.batch(async (tx) => {
      const known = await tx.knownReportIds(batch.map((p) => p.row.reportId));
      const kept = known.size === 0 ? batch : batch.filter((p) => !known.has(p.row.reportId));
      counts.alreadyStored += batch.length - kept.length;
      if (kept.length === 0) return;
      // The cases first, without the lock: while this batch writes them, the batch before it (or live
      // intake) can hold the lock for its events.
      await tx.insertCases(kept.map((p) => p.row));
      await tx.lockChain();
      const seqs = await tx.allocateSeqs(kept.length);
      await tx.insertEvents(chain(kept, seqs, await tx.lastEventHash()));
      counts.imported += kept.length;
      counts.batches++;
    });

  // Batches are written while the next is read and prepared, so the database and this process work at
  // once; where the store has connections to spare, two batches are written at once (one writing its
  // cases while the other holds the lock for its events), so the server works on two cores.
  const writing: Promise<void>[] = [];
  const flush = async (items: Pending[]): Promise<void> => {
    const prepared = await prepare(items, await repo.allocateCaseIds(items.length));
    while (writing.length >= repo.parallelBatches) {
      try {
        await writing.shift();
      } catch (error) {
        // The other batch in flight settles first: nothing is left writing after a failure is reported.
        await Promise.allSettled(writing);
        throw error;
      }
    }
    const written = write(prepared);
    // Awaited before a later write starts, or at the end; a failure is thrown there.
    written.catch(() => {});
    writing.push(written);
    o.onProgress?.({ phase: 'import', rows: counts.rows, imported: counts.imported });
  };

  header = undefined;
  let pending: Pending[] = [];
  let handled = 0;
  for await (const rec of readCsvRecords(open())) {
    if (!header) {
      const parsed = parseHistoricHeader(rec.fields);
      if (!parsed.ok) throw new Error(`${file} changed while it was being imported (its header)`);
      header = parsed.header;
      continue;
    }
    const row = rec.record - 1;
    if (++handled % SLICE === 0) await yieldToLoop();
    if (badRows.has(row) || storedRows.has(row)) continue;
    const parsed = parseHistoricRecord(rec.fields, header, context);
    const route = parsed.ok ? routeOf(parsed.record) : undefined;
    if (!parsed.ok || typeof route !== 'object') throw new Error(`${file} changed while it was being imported (row ${row})`);
    pending.push({ record: parsed.record, route });
    if (pending.length >= o.batchSize) {
      await flush(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await flush(pending);
  // Every write settles before the report, the first failure (in batch order) is thrown.
  const settled = await Promise.allSettled(writing);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return report(validateSeconds, (performance.now() - importStarted) / 1000);

  /**
   * The file read once, in one transaction that holds the case tables (see
   * HistoricImportRepository.loadInOneTransaction): each good row is stored as it is read, the first
   * bad one (without skipBad) stops the storing while the rest is read for the report, and then
   * everything is rolled back. Batches are queued on the transaction's connection, at most two
   * deep, while the next is read and prepared.
   */
  async function importInOneTransaction(): Promise<HistoricImportReport> {
    nearBoundaryWhileReading = o.nearBoundaryMeters;
    class Refused extends Error {}
    try {
      await repo.loadInOneTransaction(
        async (load) => {
          let prevHash = await load.lastEventHash();
          // Ids are drawn one batch ahead, so that preparing never waits for the writing before it. A
          // draw may be left unawaited when the import stops on a failure (on the embedded store it
          // then fails too, in the aborted transaction): marked handled, it cannot crash the process.
          const drawAhead = (): Promise<number[]> => {
            const ids = load.allocateCaseIds(o.batchSize);
            ids.catch(() => {});
            return ids;
          };
          let nextIds = drawAhead();
          const queued: Promise<void>[] = [];
          let firstFailure: unknown;
          const flush = async (items: Pending[]): Promise<void> => {
            const ids = await nextIds;
            nextIds = drawAhead();
            const prepared = await prepare(items, ids);
            while (queued.length >= 2) await queued.shift();
            // Two batches' steps interleave on the one connection, but each step of a batch is sent
            // after the same step of the batch before it, and answers come back in the order sent:
            // so sequence numbers are drawn, and the chain extended, batch after batch.
            const written = (async () => {
              const known = await load.knownReportIds(prepared.map((p) => p.row.reportId));
              const kept = known.size === 0 ? prepared : prepared.filter((p) => !known.has(p.row.reportId));
              counts.alreadyStored += prepared.length - kept.length;
              if (kept.length === 0) return;
              await load.insertCases(kept.map((p) => p.row));
              const events = chain(kept, await load.allocateSeqs(kept.length), prevHash);
              prevHash = events[events.length - 1]!.hash;
              await load.insertEvents(events);
              counts.imported += kept.length;
              counts.batches++;
            })();
            written.catch((error: unknown) => {
              firstFailure ??= error;
            });
            queued.push(written);
            o.onProgress?.({ phase: 'import', rows: counts.rows, imported: counts.imported });
          };
          let pending: Pending[] = [];
          try {
            await readRows(async (item) => {
              if (refused()) return;
              if (item) pending.push(item);
              if (pending.length >= o.batchSize) {
                await flush(pending);
                pending = [];
              }
            });
            await nextIds;
            for (const written of queued.splice(0)) await written;
            if (refused()) throw new Refused();
            if (pending.length > 0) await flush(pending);
            for (const written of queued.splice(0)) await written;
          } catch (error) {
            // Once a statement fails, every later one in the transaction fails with "current transaction
            // is aborted": the first failure is the one that says why.
            throw firstFailure ?? error;
          }
        },
        () => o.onProgress?.({ phase: 'indexes', rows: counts.rows, imported: counts.imported }),
      );
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      counts.imported = 0;
      counts.batches = 0;
    }
    return report(0, (performance.now() - started) / 1000);
  }
}

/**
 * A case's row and its `imported` event (whose payload is left to be derived: migration 009), from a good row and its id. The event's
 * data is built with its keys in sorted order at every level, so JSON.stringify gives exactly the
 * canonical JSON its hash covers (checked once a batch; a unit test holds it to canonicalJson).
 */
export function prepareCase(item: Pending, id: number, context: { prefix: string; calendar: WorkingCalendar; importedAt: string }): Prepared {
  const { record: r, route } = item;
  const c = r.category;
  const number = `${context.prefix}${localDateStamp(r.reportedAt, context.calendar.utcOffsetMinutes)}-${String(id).padStart(7, '0')}`;
  const deadlines = caseDeadlines(c, r.reportedAt, context.calendar);
  // Accepted: the clock to resolve ran from the acceptance, as the `accepted` step sets it.
  const resolveDueAt = r.acceptedAt ? dueAfter(r.acceptedAt, c.resolveMinutes, c, context.calendar) : deadlines.resolveDueAt;
  const routed = route.routed ? route : undefined;
  const queue: CaseEventData['imported']['queue'] = routed ? { kind: 'street', streetCode: routed.streetCode } : { kind: 'district' };
  const reason: CaseEventData['imported']['reason'] = routed
    ? { by: IMPORT_ACTOR, code: 'dispatcher', note: 'imported historic record' }
    : !route.routed && route.nearest
      ? { code: 'outside-grids', distanceMeters: route.nearest.distanceMeters, nearestGridCode: route.nearest.gridCode }
      : { code: 'outside-grids' };
  const nearBoundary = routed?.nearBoundary ? { distanceMeters: routed.nearBoundary.distanceMeters, gridCode: routed.nearBoundary.gridCode } : null;
  const reportedAt = r.reportedAt.toISOString();
  const acceptedAt = r.acceptedAt?.toISOString() ?? null;
  const closedAt = r.closedAt?.toISOString() ?? null;
  const data: CaseEventData['imported'] = {
    acceptDueAt: deadlines.acceptDueAt.toISOString(),
    acceptedAt,
    category: c.code,
    channel: r.channel,
    closedAt,
    communityCode: routed?.communityCode ?? null,
    crs: r.crs,
    departmentCode: c.department,
    description: r.description,
    gridCode: routed?.gridCode ?? null,
    importedAt: context.importedAt,
    nearBoundary,
    number,
    point: [r.point[0], r.point[1]],
    queue,
    rating: r.rating,
    reason,
    reportId: r.reportId,
    resolveDueAt: resolveDueAt.toISOString(),
    resolveMinutes: c.resolveMinutes,
    severity: c.severity,
    status: r.status,
    streetCode: routed?.streetCode ?? null,
    workingTime: c.workingTime,
  };
  const dataJson = JSON.stringify(data);
  const event: CaseEvent = { type: 'imported', actor: IMPORT_ACTOR, at: reportedAt, data };
  const state = applyEvent(undefined, id, event);
  const row: ImportedCaseRow = {
    id,
    number,
    reportId: r.reportId,
    // What the record said, to tell it from a different report reusing its id (as intake's report hash does).
    reportHash: sha256([r.reportId, reportedAt, c.code, r.point[0], r.point[1], r.crs, r.channel, r.description, r.status, acceptedAt, closedAt, r.rating].join('\u001f')),
    category: c.code,
    severity: c.severity,
    lng: r.point[0],
    lat: r.point[1],
    crs: r.crs,
    gridCode: data.gridCode,
    communityCode: data.communityCode,
    streetCode: data.streetCode,
    status: state.status === 'closed' ? 'closed' : 'queued',
    tier: state.tier,
    channel: r.channel,
    description: r.description,
    departmentCode: c.department,
    queueKind: queue.kind,
    queueStreet: queue.kind === 'street' ? queue.streetCode : null,
    dispatchReasonJson: JSON.stringify(reason),
    nearBoundaryJson: nearBoundary ? JSON.stringify(nearBoundary) : null,
    reportedAt,
    acceptDueAt: data.acceptDueAt!,
    resolveDueAt: data.resolveDueAt!,
    acceptedAt,
    closedAt,
    rating: r.rating,
  };
  return { row, dataJson, hashTail: `\n${id}\nimported\n${IMPORT_ACTOR}\n${reportedAt}\n${dataJson}` };
}
