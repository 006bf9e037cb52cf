import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { eventHashInput } from '../../core/audit/canonical-json.ts';
import { applyEvent, foldEvents } from '../../core/case-loop/apply-event.ts';
import type { CaseEvent } from '../../core/case-loop/case-events.ts';
import { isOpenStatus, type CaseState } from '../../core/case-loop/case-state.ts';
import type { Department } from '../../core/catalogue/catalogue.ts';
import type { Queue } from '../../core/dispatch/dispatch-decision.ts';
import type { RosterEntry } from '../../core/people/person.ts';
import { systemClock, type Clock } from '../../core/time/clock.ts';
import { CsvFormatError, readCsvRecords } from '../import/csv-records.ts';
import type { CaseBatch, CaseLeftByRoster, NewEventRow, Store } from '../store/store.ts';
import type { CommittedBatch } from './intake.service.ts';

/** personnel.csv's columns (as geodata/haidian/personnel.csv): grids are ';'-separated grid codes; duty, duty_en optional. */
export const ROSTER_COLUMNS = ['id', 'name', 'department', 'street', 'phone', 'on_duty', 'grids', 'duty', 'duty_en'] as const;
const REQUIRED = ['id', 'name', 'department', 'street', 'phone', 'on_duty', 'grids'];

export interface RosterProblem {
  /** Data row (1 = the first after the header); 0 for the file as a whole. */
  readonly row: number;
  readonly line: number;
  readonly column: string;
  readonly message: string;
}

export interface RosterImportReport {
  readonly ok: boolean;
  readonly rows: number;
  readonly problems: readonly RosterProblem[];
  readonly problemCount: number;
  /** What is stored now, when it was (nothing is stored if there is any problem). */
  readonly stored?: { readonly people: number; readonly assignments: number };
  /**
   * Open cases the new roster took from their assignees and sent back to their dispatchers' queue,
   * each with a `returned` event (a dry run: how many it would); absent when the file is refused.
   */
  readonly requeued?: number;
  readonly dryRun: boolean;
}

export interface RosterImportOptions {
  /** Check the file and count the cases it would re-queue; change nothing. */
  readonly dryRun?: boolean;
  /** Problems listed at most (then a count); default 100. */
  readonly maxListed?: number;
  /** The time of the re-queue events (default the system clock). */
  readonly clock?: Clock;
  /** Called after the commit with the re-queue events, for broadcasting (a server's broadcaster); not called when there are none. */
  readonly publish?: (batch: CommittedBatch) => void;
}

/** The actor of the events a roster import writes (a timeline names every `system…` actor "Grid Command"). */
export const ROSTER_ACTOR = 'system:roster';

const PERSON_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** A work phone: digits with single '-' or ' ' between groups, an optional leading '+', 5–15 digits (12345 … +86 10 8293 2029). */
const PHONE = /^\+?\d+(?:[- ]\d+)*$/;
const ON_DUTY: Readonly<Record<string, boolean>> = { '1': true, true: true, yes: true, '0': false, false: false, no: false };

/**
 * Replaces the personnel roster from a CSV, all or nothing: every row is checked first (unknown
 * department, street or grid code, duplicate id, bad phone, …) and the report lists what is wrong
 * (the first `maxListed` problems, then a count); only a clean file is stored, in one transaction.
 *
 * An open case whose assignee the new roster takes off it (gone from the roster, moved to another
 * department, or no longer serving the case's grid) goes back to its dispatchers' queue, as if its
 * assignee had returned it: a `returned` event by `system:roster` whose reason names the person
 * and the change, written in the same transaction as the roster (hash chain, sequence number,
 * projection), so `npm run audit:verify` stays intact and dashboards see the case leave its holder.
 */
export async function importRoster(store: Store, file: string, options: RosterImportOptions = {}): Promise<RosterImportReport> {
  const maxListed = options.maxListed ?? 100;
  const problems: RosterProblem[] = [];
  let problemCount = 0;
  const problem = (row: number, line: number, column: string, message: string): void => {
    problemCount++;
    if (problems.length < maxListed) problems.push({ row, line, column, message });
  };
  const departments = new Map<string, Department>((await store.catalogue.departments()).map((d) => [d.code, d]));
  const areas = await store.geography.names();
  const streets = new Set(areas.filter((a) => a.code.length === 9).map((a) => a.code));
  const grids = new Set(areas.filter((a) => a.code.length === 15).map((a) => a.code));

  const roster: RosterEntry[] = [];
  const seen = new Map<string, number>();
  let index: Record<string, number> | undefined;
  let rows = 0;
  try {
    for await (const rec of readCsvRecords(createReadStream(file), { maxRecordChars: 200_000 })) {
      if (!index) {
        const names = rec.fields.map((f) => f.trim().toLowerCase());
        const unknown = names.filter((n) => !(ROSTER_COLUMNS as readonly string[]).includes(n));
        const missing = REQUIRED.filter((c) => !names.includes(c));
        const twice = names.filter((n, i) => names.indexOf(n) !== i);
        if (unknown.length > 0) problem(0, rec.line, '', `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}; the columns are ${ROSTER_COLUMNS.join(', ')}`);
        if (missing.length > 0) problem(0, rec.line, '', `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the first line must be the header)`);
        if (twice.length > 0) problem(0, rec.line, '', `column${twice.length > 1 ? 's' : ''} ${twice.join(', ')} appear${twice.length > 1 ? '' : 's'} twice`);
        if (problemCount > 0) break;
        index = Object.fromEntries(names.map((n, i) => [n, i]));
        continue;
      }
      rows++;
      const row = rec.record - 1;
      const at = (column: string, message: string): void => problem(row, rec.line, column, message);
      if (rec.fields.length !== Object.keys(index).length) {
        at('', `${rec.fields.length} fields, the header has ${Object.keys(index).length}`);
        continue;
      }
      const cell = (c: string): string => (index![c] === undefined ? '' : rec.fields[index![c]!]!.trim());
      const before = problemCount;
      const id = cell('id');
      if (!PERSON_ID.test(id)) at('id', `"${id.slice(0, 40)}": must be 1–64 characters of A–Z a–z 0–9 . _ : -`);
      else if (seen.has(id)) at('id', `duplicate id ${id} (also row ${seen.get(id)})`);
      else seen.set(id, row);
      const name = cell('name');
      if (name === '' || name.length > 50) at('name', 'must be 1–50 characters');
      const department = departments.get(cell('department'));
      if (!department) at('department', `unknown department "${cell('department').slice(0, 40)}"; the departments are ${[...departments.keys()].join(', ')}`);
      const street = cell('street');
      if (!streets.has(street)) at('street', `unknown street/town code "${street.slice(0, 40)}"`);
      const phone = cell('phone');
      const digits = phone.replace(/\D/g, '').length;
      if (!PHONE.test(phone) || digits < 5 || digits > 15) at('phone', `"${phone.slice(0, 40)}" is not a phone number (digits with - or spaces, 5–15 digits)`);
      const onDuty = ON_DUTY[cell('on_duty').toLowerCase()];
      if (onDuty === undefined) at('on_duty', `"${cell('on_duty').slice(0, 40)}": must be 1 or 0 (true/false, yes/no)`);
      const gridCodes = cell('grids').split(';').map((g) => g.trim()).filter((g) => g !== '');
      const unknownGrids = gridCodes.filter((g) => !grids.has(g));
      if (unknownGrids.length > 0) at('grids', `unknown grid code${unknownGrids.length > 1 ? 's' : ''} ${unknownGrids.slice(0, 5).join(', ')}${unknownGrids.length > 5 ? ` and ${unknownGrids.length - 5} more` : ''}`);
      if (new Set(gridCodes).size !== gridCodes.length) at('grids', 'a grid code is listed twice');
      if (problemCount > before || !department || onDuty === undefined) continue;
      roster.push({
        id, name, departmentCode: department.code, streetCode: street,
        duty: cell('duty') || department.duty.zh, dutyEn: cell('duty_en') || department.duty.en,
        phone, onDuty, gridCodes,
      });
    }
    if (!index && problemCount === 0) problem(0, 1, '', 'the file is empty: the first line must be the header');
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    problem(0, error.line, '', error.message);
  }
  if (problemCount === 0 && rows === 0) problem(0, 2, '', 'no people: a roster cannot be empty');
  const dryRun = options.dryRun === true;
  if (problemCount > 0) return { ok: false, rows, problems, problemCount, dryRun };
  if (dryRun) return { ok: true, rows, problems, problemCount, requeued: (await store.personnel.casesLeftBy(roster)).length, dryRun };
  const clock = options.clock ?? systemClock;
  const names = (code: string): { zh: string; en: string } => departments.get(code) ?? { zh: code, en: code };
  let committed: CommittedBatch | undefined;
  const stored = await store.personnel.replace(roster, async (batch, left) => {
    committed = await requeueCases(batch, left, clock.now(), names);
  });
  if (committed && options.publish) options.publish(committed);
  return { ok: true, rows, problems, problemCount, stored, requeued: committed?.events.length ?? 0, dryRun };
}

/** The reason a `returned` event gives, in Chinese and English, naming the person and the roster change. */
export function requeueReason(left: CaseLeftByRoster, departmentName: (code: string) => { zh: string; en: string }): string {
  const { id, name } = left.person;
  const change = left.change;
  switch (change.kind) {
    case 'left-roster':
      return `花名册更新：${name}（${id}）已不在花名册中 / roster import: ${name} (${id}) is no longer on the roster`;
    case 'changed-department': {
      const from = departmentName(left.person.departmentCode);
      const to = departmentName(change.to);
      return `花名册更新：${name}（${id}）已由${from.zh}调至${to.zh} / roster import: ${name} (${id}) moved from department ${from.en} to ${to.en}`;
    }
    case 'left-grid':
      return `花名册更新：${name}（${id}）不再负责网格 ${change.gridCode} / roster import: ${name} (${id}) no longer serves grid ${change.gridCode}`;
  }
}

/** Where a case goes when it leaves a person: as `transition`'s `return` sends it (its street's queue, or the district's). */
function dispatcherQueue(state: CaseState): Queue {
  if (state.tier === 'district' || state.streetCode === null) return { kind: 'district' };
  return { kind: 'street', streetCode: state.streetCode };
}

/**
 * Writes a `returned` event for each case the roster takes from its assignee, the way the case
 * loop stores a command's event: folded from the case's own history under the case-events lock
 * (the batch's transaction holds it), projection updated, sequence numbers and hash chain drawn
 * in order. A case whose history says it is no longer open, or no longer that person's, is left.
 */
async function requeueCases(batch: CaseBatch, left: readonly CaseLeftByRoster[], now: Date, departmentName: (code: string) => { zh: string; en: string }): Promise<CommittedBatch | undefined> {
  const at = now.toISOString();
  const changes: { state: CaseState; event: CaseEvent }[] = [];
  for (const l of left) {
    const state = foldEvents(l.caseId, await batch.eventsOf(l.caseId));
    if (!isOpenStatus(state.status) || state.assigneeId !== l.person.id) continue;
    const event: CaseEvent = { type: 'returned', actor: ROSTER_ACTOR, at, data: { reason: requeueReason(l, departmentName), queue: dispatcherQueue(state) } };
    changes.push({ state: applyEvent(state, l.caseId, event), event });
  }
  if (changes.length === 0) return undefined;
  for (const change of changes) await batch.updateProjection(change.state);
  const payloads = await batch.summaries(changes.map((c) => c.state.id));
  const { seqs, lastEventHash } = await batch.drawForBatch(0, changes.length);
  let prevHash = lastEventHash;
  const rows: NewEventRow[] = changes.map(({ state, event }, k) => {
    const seq = seqs[k]!;
    const hash = createHash('sha256').update(eventHashInput({ prevHash, seq, caseId: state.id, type: event.type, actor: event.actor, at: event.at, data: event.data })).digest('hex');
    const row: NewEventRow = { seq, caseId: state.id, type: event.type, kind: 'case:updated', actor: event.actor, at: now, data: event.data as unknown as Record<string, unknown>, payload: payloads.get(state.id)!, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await batch.insertEvents(rows);
  return { from: rows[0]!.seq, to: rows[rows.length - 1]!.seq, events: rows.map((r) => ({ seq: r.seq, kind: r.kind, type: r.type, at: r.at.toISOString(), case: r.payload })) };
}
