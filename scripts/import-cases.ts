/**
 * npm run import:cases -- FILE.csv [--dry-run] [--skip-bad] [--one-transaction] [--batch 5000] [--json]
 *
 * Loads historic case records (a year of hotline records, say) into the store: every row is
 * validated and routed first; with any bad row nothing is stored (the first 100 problems are listed,
 * then a count) unless --skip-bad stores the good ones. Rows whose report_id is already stored are
 * skipped, so running it again after an interruption completes the import.
 * --one-transaction: for a first load or a maintenance window: the file is read once and stored in
 * one transaction that holds the case tables (live intake waits until it commits) and builds their
 * indexes once at the end; all or nothing. Columns: see the README
 * ("Historic cases from CSV"). Uses DATABASE_URL, else the embedded store in DATA_DIR (stop a server
 * using it first). Imported cases are not broadcast: dashboards pick them up from the store.
 * Exit status: 0 imported (or valid, with --dry-run); 2 rejected, nothing stored; 1 failed.
 * The last line is one JSON object.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readPolicyFiles } from '../server/reference/read-policy-files.ts';
import { createGeographyService } from '../server/services/geography.service.ts';
import { importHistoricCases, type HistoricImportReport } from '../server/services/historic-import.service.ts';
import { openCliStore, seconds } from './interop/cli-store.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    'skip-bad': { type: 'boolean', default: false },
    'one-transaction': { type: 'boolean', default: false },
    batch: { type: 'string', default: '5000' },
    json: { type: 'boolean', default: false },
  },
});

function printReport(r: HistoricImportReport): void {
  if (r.fatal) console.error(`✗ ${r.file}: ${r.fatal}`);
  for (const p of r.problems) console.error(`  row ${p.row} (line ${p.line})${p.column ? `, ${p.column}` : ''}: ${p.message}`);
  if (r.problemCount > r.problems.length) console.error(`  … and ${(r.problemCount - r.problems.length).toLocaleString('en')} more problems`);
  const n = (x: number): string => x.toLocaleString('en');
  console.log(`${n(r.rows)} rows: ${n(r.rows - r.badRows)} good (${n(r.open)} open, ${n(r.closed)} closed; ${n(r.routed)} in a grid, ${n(r.unrouted)} outside every grid), ${n(r.badRows)} bad, ${n(r.alreadyStored)} already stored`);
  if (r.fatal || (r.badRows > 0 && !r.ok)) console.error(`✗ rejected: nothing was stored${r.badRows > 0 && !r.fatal ? ' (fix the rows above, or --skip-bad to store the good ones)' : ''}`);
  else if (r.dryRun) console.log(`✓ valid: ${n(r.rows - r.badRows - r.alreadyStored)} cases would be stored (dry run: nothing stored)`);
  else {
    const total = r.validateSeconds + r.importSeconds;
    const took = r.validateSeconds > 0 ? `validated in ${seconds(r.validateSeconds)}, stored in ${seconds(r.importSeconds)}` : `read, validated and stored in one transaction in ${seconds(r.importSeconds)}`;
    console.log(`✓ imported ${n(r.imported)} cases in ${r.batches} batches: ${took} (${n(Math.round(r.imported / Math.max(total, 1e-9)))} cases/s overall)`);
  }
}

async function main(): Promise<void> {
  const file = positionals[0];
  const batchSize = Number(values.batch);
  if (!file || positionals.length > 1 || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
    console.error('usage: npm run import:cases -- FILE.csv [--dry-run] [--skip-bad] [--batch 1..50000] [--json]');
    process.exit(1);
  }
  if (!existsSync(file)) {
    console.error(`no file ${file}`);
    process.exit(1);
  }
  const { config, store } = await openCliStore();
  try {
    const { calendar } = readPolicyFiles(config);
    const [geography, catalogue] = await Promise.all([createGeographyService(store), store.catalogue.catalogue()]);
    let lastProgress = Date.now();
    const report = await importHistoricCases({ store, geography, catalogue, calendar }, file, {
      dryRun: values['dry-run'],
      skipBad: values['skip-bad'],
      oneTransaction: values['one-transaction'],
      batchSize,
      onProgress: (p) => {
        if (values.json) return;
        if (p.phase === 'indexes') return console.error(`  stored ${p.imported.toLocaleString('en')} cases; building the indexes and checking the keys…`);
        if (Date.now() - lastProgress < 5000) return;
        lastProgress = Date.now();
        console.error(p.phase === 'validate' ? `  validating: ${p.rows.toLocaleString('en')} rows…` : `  storing: ${p.imported.toLocaleString('en')} cases…`);
      },
    });
    if (!values.json) printReport(report);
    if (report.imported > 0) {
      await store.analyze();
      // So that dispatch counts the imported open cases of a person from the index alone (see Store.vacuumCases).
      await store.vacuumCases();
    }
    const { problems, ...summary } = report;
    // Peak resident memory of this process (Linux reports kilobytes), for the benchmark.
    const usage = process.resourceUsage();
    const maxRssMB = Math.round(usage.maxRSS / 1024);
    // And the CPU seconds it used (user + system), for the benchmark's cost per case.
    const cpuSeconds = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1e4) / 100;
    console.log(JSON.stringify(values.json ? { ...report, maxRssMB, cpuSeconds } : { ...summary, problems: problems.length, maxRssMB, cpuSeconds }));
    process.exitCode = report.ok ? 0 : 2;
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
