/**
 * npm run reroute:cases [-- --dry-run] [--json]
 *
 * After the grids change (npm run import:geography): routes every open case's point again with the
 * current router. The dry run prints how many would move and between which grids (the 20 largest
 * from → to flows and the total); the real run moves each with the case loop's `moved` event (hash
 * chain, projection, dispatch re-run for the new grid), so npm run audit:verify stays intact. Closed
 * cases keep the grid they were handled in; cases being handled (accepted, awaiting verification)
 * are not moved (the case loop refuses: listed). Uses DATABASE_URL, else the embedded store in
 * DATA_DIR (stop a server using it first). A running server's dashboards pick the moves up from the
 * store (they are not broadcast from here). Exit status 0; 1 failed. The last line is one JSON object.
 */
import { parseArgs } from 'node:util';
import { readPolicyFiles } from '../server/reference/read-policy-files.ts';
import { createCaseLoopService } from '../server/services/case-loop.service.ts';
import { createGeographyService } from '../server/services/geography.service.ts';
import { rerouteOpenCases } from '../server/services/reroute.service.ts';
import { systemClock } from '../core/time/clock.ts';
import { openCliStore } from './interop/cli-store.ts';

const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  const { config, store } = await openCliStore();
  try {
    const { calendar } = readPolicyFiles(config);
    const geography = await createGeographyService(store);
    const caseLoop = createCaseLoopService({ store, geography, clock: systemClock, calendar, publish: () => {} });
    const report = await rerouteOpenCases({ store, geography, caseLoop }, { dryRun: values['dry-run'] });
    if (!values.json) {
      const n = (x: number): string => x.toLocaleString('en');
      console.log(`${n(report.checked)} open cases routed again (geography version ${geography.version}, ${n(geography.gridCount)} grids)`);
      if (report.table.length > 0) {
        console.log(`  ${'from'.padEnd(16)} → ${'to'.padEnd(16)} cases`);
        for (const row of report.table) console.log(`  ${(row.from ?? '(outside)').padEnd(16)} → ${row.to.padEnd(16)} ${n(row.count)}`);
      }
      console.log(`${n(report.toMove)} case${report.toMove === 1 ? '' : 's'} ${report.dryRun ? 'would move' : 'to move'}; ${n(report.outsideNow)} now outside every grid (left where they are)`);
      if (report.dryRun) console.log('dry run: nothing changed');
      else {
        console.log(`✓ moved ${n(report.moved)}`);
        for (const [code, count] of Object.entries(report.refused)) console.log(`  not moved (${code}): ${n(count)}`);
        for (const r of report.refusals) console.log(`    ${r.caseNumber}: ${r.message}`);
      }
    }
    console.log(JSON.stringify(report));
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
