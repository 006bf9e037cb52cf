/**
 * npm run audit:verify — re-walks the case event log of the configured store (DATABASE_URL, or the
 * embedded data folder) and checks the hash chain and every case's stored row against its events.
 * Exit status 0 when all is intact, 1 when anything is not; the last line is one JSON object.
 */
import { readConfig } from '../server/config.ts';
import { openConfiguredStore } from '../server/store/open-configured-store.ts';
import type { Store } from '../server/store/store.ts';
import { verifyAudit } from '../server/services/audit.service.ts';

const config = readConfig();
let store: Store;
try {
  store = await openConfiguredStore(config);
} catch (error) {
  console.error(`audit:verify: cannot open the store: ${(error as Error).message}`);
  process.exit(2);
}
try {
  const started = Date.now();
  const report = await verifyAudit(store);
  for (const p of report.chainProblems) console.log(`chain: event ${p.seq} (case id ${p.caseId}): ${p.problem}: ${p.detail}`);
  for (const p of report.projectionProblems) console.log(`case ${p.caseNumber}: stored row differs from its events in ${p.fields.join(', ')}`);
  console.log(report.ok ? `intact: ${report.events} events, ${report.cases} cases` : 'NOT intact: see above');
  console.log(JSON.stringify({ ok: report.ok, events: report.events, cases: report.cases, chainProblems: report.chainProblems.length, projectionProblems: report.projectionProblems.length, seconds: (Date.now() - started) / 1000 }));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await store.close();
}
