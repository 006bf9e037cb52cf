import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../server/import/parse-csv.ts';
import { importRoster, type RosterImportReport } from '../../server/services/roster-import.service.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { GEODATA_DIR, openTestStore, type TestStore } from '../fixtures/test-databases.ts';

const REFERENCE = readFileSync(join(GEODATA_DIR, 'haidian', 'personnel.csv'), 'utf8');
const [HEADER, ...PEOPLE] = parseCsv(REFERENCE) as [string[], ...string[][]];
const GRID = '110108011001001';

function csv(rows: readonly (readonly string[])[], header: readonly string[] = HEADER): string {
  return [header, ...rows].map((r) => r.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\n') + '\n';
}

describe.each(storeDrivers())('roster import from CSV (%s)', (driver) => {
  let db: TestStore;
  let dir: string;

  const snapshot = async (): Promise<{ people: number; assignments: number; servants: string[] }> => {
    const [row] = await db.sql.query<{ people: number; assignments: number }>('SELECT (SELECT count(*)::int FROM personnel WHERE on_roster) AS people, (SELECT count(*)::int FROM assignments) AS assignments');
    return { ...row!, servants: (await db.store.personnel.forGrid(GRID)).map((p) => `${p.id} ${p.name} ${p.phone}`) };
  };
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refused = async (text: string): Promise<RosterImportReport> => {
    const before = await snapshot();
    const report = await importRoster(db.store, file('bad.csv', text));
    expect(report.ok).toBe(false);
    expect(report.stored).toBeUndefined();
    expect(await snapshot()).toEqual(before);
    return report;
  };

  beforeAll(async () => {
    db = await openTestStore(driver);
    dir = mkdtempSync(join(tmpdir(), 'gc-roster-'));
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses unknown departments and grid codes, duplicate ids, bad phones (row, column, why) and changes nothing', async () => {
    const id = HEADER.indexOf('id');
    const rows = PEOPLE.slice(0, 5).map((r) => [...r]);
    rows[1]![HEADER.indexOf('department')] = 'weather-bureau';
    rows[2]![HEADER.indexOf('grids')] = `${GRID};110108999999999`;
    rows[3]![id] = rows[0]![id]!;
    rows[4]![HEADER.indexOf('phone')] = 'call the office';
    const report = await refused(csv(rows));
    expect(report.problems.map((p) => [p.row, p.column])).toEqual([[2, 'department'], [3, 'grids'], [4, 'id'], [5, 'phone']]);
    expect(report.problems[0]!.message).toMatch(/unknown department "weather-bureau"/);
    expect(report.problems[1]!.message).toBe('unknown grid code 110108999999999');
    expect(report.problems[2]!.message).toBe(`duplicate id ${rows[0]![id]} (also row 1)`);
    expect(report.problems[3]!.message).toMatch(/"call the office" is not a phone number/);
  });

  it('refuses a file without the roster\'s header, and an empty one', async () => {
    const header = await refused(csv(PEOPLE.slice(0, 2), ['id', 'name', 'dept', 'street', 'phone', 'on_duty', 'grids']));
    expect(header.problems.map((p) => p.message)).toEqual([
      'unknown column "dept"; the columns are id, name, department, street, phone, on_duty, grids, duty, duty_en',
      'missing column department (the first line must be the header)',
    ]);
    expect((await refused('')).problems[0]!.message).toMatch(/empty/);
    expect((await refused(`${HEADER.join(',')}\n`)).problems[0]!.message).toMatch(/no people/);
  });

  it('replaces the roster with a good file, all at once', async () => {
    const changed = PEOPLE.map((r) => [...r]);
    const onGrid = changed.find((r) => r[HEADER.indexOf('grids')]!.split(';').includes(GRID))!;
    onGrid[HEADER.indexOf('name')] = '新名字';
    onGrid[HEADER.indexOf('phone')] = '010 6255 0000';
    const dropped = changed.pop()!;
    const report = await importRoster(db.store, file('good.csv', csv(changed)));
    expect(report).toMatchObject({ ok: true, rows: PEOPLE.length - 1, problemCount: 0, stored: { people: PEOPLE.length - 1 } });
    const after = await snapshot();
    expect(after.people).toBe(PEOPLE.length - 1);
    expect(after.servants).toContain(`${onGrid[0]} 新名字 010 6255 0000`);
    // Off the roster, not deleted: cases they once held keep folding to their rows (see migration 008).
    expect(await db.sql.query('SELECT on_roster FROM personnel WHERE id = $1', [dropped[0]])).toEqual([{ on_roster: false }]);
    expect(await db.sql.query('SELECT 1 FROM assignments WHERE person_id = $1', [dropped[0]])).toEqual([]);
  });

  it('a dry run checks and changes nothing', async () => {
    const before = await snapshot();
    const report = await importRoster(db.store, file('reference.csv', REFERENCE), { dryRun: true });
    expect(report).toMatchObject({ ok: true, rows: PEOPLE.length, dryRun: true });
    expect(report.stored).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });
});
