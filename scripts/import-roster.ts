/**
 * npm run import:roster -- FILE.csv [--dry-run] [--json]
 *
 * Replaces the personnel roster (who serves which grids) from a CSV with the columns of
 * geodata/haidian/personnel.csv: id,name,department,street,phone,on_duty,grids[,duty,duty_en]
 * (grids: ';'-separated grid codes). All or nothing: every row is checked first (unknown
 * department, street or grid code, duplicate id, bad phone, …); a bad file is reported and nothing
 * changes. Open cases the new roster takes off their assignee go back to their street's queue with
 * a `returned` event (see the README); people removed stay as rows off the roster. Uses
 * DATABASE_URL, else the embedded store in DATA_DIR (stop a server using it first).
 * Exit status: 0 stored (or valid, with --dry-run); 2 rejected; 1 failed. The last line is one JSON object.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importRoster } from '../server/services/roster-import.service.ts';
import { openCliStore } from './interop/cli-store.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error('usage: npm run import:roster -- FILE.csv [--dry-run] [--json]');
    process.exit(1);
  }
  if (!existsSync(file)) {
    console.error(`no file ${file}`);
    process.exit(1);
  }
  const { store } = await openCliStore();
  try {
    const report = await importRoster(store, file, { dryRun: values['dry-run'] });
    if (!values.json) {
      for (const p of report.problems) console.error(`  ${p.row > 0 ? `row ${p.row} (line ${p.line})` : `line ${p.line}`}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
      if (report.problemCount > report.problems.length) console.error(`  … and ${report.problemCount - report.problems.length} more problems`);
      if (!report.ok) console.error(`✗ rejected: ${report.problemCount} problem${report.problemCount === 1 ? '' : 's'} in ${report.rows} rows; the roster was not changed`);
      else if (report.stored) console.log(`✓ roster replaced: ${report.stored.people} people, ${report.stored.assignments} grid assignments`);
      else console.log(`✓ valid: ${report.rows} people (dry run: nothing changed)`);
    }
    const { problems, ...summary } = report;
    console.log(JSON.stringify(values.json ? report : { ...summary, problems: problems.length }));
    process.exitCode = report.ok ? 0 : 2;
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
