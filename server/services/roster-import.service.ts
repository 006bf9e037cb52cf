import { createReadStream } from 'node:fs';
import type { Department } from '../../core/catalogue/catalogue.ts';
import type { RosterEntry } from '../../core/people/person.ts';
import { CsvFormatError, readCsvRecords } from '../import/csv-records.ts';
import type { Store } from '../store/store.ts';

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
  readonly dryRun: boolean;
}

const PERSON_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** A work phone: digits with single '-' or ' ' between groups, an optional leading '+', 5–15 digits (12345 … +86 10 8293 2029). */
const PHONE = /^\+?\d+(?:[- ]\d+)*$/;
const ON_DUTY: Readonly<Record<string, boolean>> = { '1': true, true: true, yes: true, '0': false, false: false, no: false };

/**
 * Replaces the personnel roster from a CSV, all or nothing: every row is checked first (unknown
 * department, street or grid code, duplicate id, bad phone, …) and the report lists what is wrong
 * (the first `maxListed` problems, then a count); only a clean file is stored, in one transaction.
 */
export async function importRoster(store: Store, file: string, options: { readonly dryRun?: boolean; readonly maxListed?: number } = {}): Promise<RosterImportReport> {
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
  if (problemCount > 0 || dryRun) return { ok: problemCount === 0, rows, problems, problemCount, dryRun };
  const stored = await store.personnel.replace(roster);
  return { ok: true, rows, problems, problemCount, stored, dryRun };
}
