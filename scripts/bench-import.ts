/**
 * Historic import benchmark:
 *   npm run bench:import                                   # the embedded store (a temporary folder)
 *   DATABASE_URL=postgres://…/gc_bench_import npm run bench:import   # and a PostgreSQL + PostGIS server
 * DATABASE_URL must be a THROWAWAY database: each run adds 2 × BENCH_IMPORT_ROWS + BENCH_IMPORT_NAIVE_ROWS
 * cases to it (ids unique per run; the reference data is loaded if it is empty).
 *
 * Generates BENCH_IMPORT_ROWS (default 1,000,000) realistic historic records into a temporary CSV
 * (points inside the district drawn grid by grid, 0.3 % just outside, the simulator's category mix,
 * a year of times, ~80 % closed with acceptance, closure and rating, 5 % in GCJ-02) twice (other
 * ids), then on each store runs `npm run import:cases` as its own process: first the one file with
 * --one-transaction (a first load), then the other row by row (a later year, into a store that now
 * holds the first), and reports for each cases/s (validation and storing, as the importer times
 * them), that process's peak RSS, and the CPU per case of the importer and of the PostgreSQL server's processes (so the cores a target rate would take at that cost: on a
 * full machine the rate is what its cores allow, not what the code could do with more). The naive baseline, in the same
 * run on a BENCH_IMPORT_NAIVE_ROWS sample (default 20,000): the same validation, routing and case
 * building, but one autocommitted INSERT per case and per event (ids, sequence number and the last
 * hash drawn per case). BENCH_IMPORT_AUDIT=1 also runs the audit over each store afterwards;
 * BENCH_IMPORT_STORES=postgres measures only that store.
 * The last line is one JSON object with every figure.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEIJING_OFFICE_HOURS } from '../core/calendar/working-calendar.ts';
import { parseHistoricHeader, parseHistoricRecord } from '../core/cases/historic-record.ts';
import { parseCsv } from '../server/import/parse-csv.ts';
import { readPolicyFiles } from '../server/reference/read-policy-files.ts';
import { readReferenceData, type ReferenceData } from '../server/reference/read-reference-data.ts';
import { readConfig } from '../server/config.ts';
import { verifyAudit } from '../server/services/audit.service.ts';
import { createGeographyService } from '../server/services/geography.service.ts';
import { prepareCase } from '../server/services/historic-import.service.ts';
import { ensureReferenceData } from '../server/services/reference-data.service.ts';
import { createStore } from '../server/store/create-store.ts';
import { IMPORT_ACTOR } from '../server/store/historic-import.repository.ts';
import { openPgClient } from '../server/store/pg/open-pg-client.ts';
import { openPgliteClient } from '../server/store/pglite/open-pglite-client.ts';
import type { SqlClient } from '../server/store/sql-client.ts';
import type { Store } from '../server/store/store.ts';
import { machineCpuSeconds, PostgresCpuTracker, round } from './bench/stats.ts';
import { writeHistoricCsv } from './interop/historic-rows.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const ROWS = Number(process.env['BENCH_IMPORT_ROWS'] ?? 1_000_000);
const NAIVE_ROWS = Math.min(ROWS, Number(process.env['BENCH_IMPORT_NAIVE_ROWS'] ?? 20_000));
const AUDIT = process.env['BENCH_IMPORT_AUDIT'] === '1';
/** BENCH_IMPORT_STORES=postgres (or embedded): only those stores, for a quicker run. */
const STORES = process.env['BENCH_IMPORT_STORES']?.split(',').map((s) => s.trim()).filter(Boolean);

function log(line: string): void {
  console.error(line);
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface StoreTarget {
  readonly name: 'embedded' | 'postgres';
  /** Environment of the importing process: which store it opens. */
  readonly env: Record<string, string>;
  open(): Promise<SqlClient>;
}

interface ImportRun {
  readonly imported: number;
  readonly validateSeconds: number;
  readonly importSeconds: number;
  readonly casesPerSecond: number;
  /** The importing process from start to exit (its own start-up, the router's build and the final ANALYZE included). */
  readonly wallSeconds: number;
  readonly peakRssMB: number;
  /**
   * Where the CPU went, per imported case, over the importing process's life: the importer's own
   * (on the embedded store the database runs inside it), the PostgreSQL server's processes (null on
   * the embedded store), and the cores that 50,000 cases/s would take at that cost.
   */
  readonly cpu: { readonly importerUsPerCase: number; readonly postgresUsPerCase: number | null; readonly machineCoresBusy: number; readonly coresFor50kPerSecond: number };
}

/** `npm run import:cases` as its own process, so that its peak RSS and CPU are its own. */
function runImporter(target: StoreTarget, csv: string, args: readonly string[] = []): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const machineBefore = machineCpuSeconds();
    const postgres = target.name === 'postgres' ? new PostgresCpuTracker() : undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/import-cases.ts'), ...args, csv], {
      cwd: ROOT,
      env: { ...process.env, ...target.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`    ${line}`);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const postgresSeconds = postgres?.poll();
      postgres?.stop();
      const machineAfter = machineCpuSeconds();
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`import:cases exited with ${code}: ${out.slice(-2000)}`));
      const r = JSON.parse(last) as { imported: number; validateSeconds: number; importSeconds: number; maxRssMB: number; cpuSeconds: number };
      const perCase = (seconds: number): number => round((seconds / Math.max(1, r.imported)) * 1e6);
      const usPerCase = perCase(r.cpuSeconds) + (postgresSeconds === undefined ? 0 : perCase(postgresSeconds));
      resolve({
        imported: r.imported,
        validateSeconds: r.validateSeconds,
        importSeconds: r.importSeconds,
        casesPerSecond: r.imported / (r.validateSeconds + r.importSeconds),
        wallSeconds,
        peakRssMB: r.maxRssMB,
        cpu: {
          importerUsPerCase: perCase(r.cpuSeconds),
          postgresUsPerCase: postgresSeconds === undefined ? null : perCase(postgresSeconds),
          machineCoresBusy: round((machineAfter.busy - machineBefore.busy) / wallSeconds, 2),
          coresFor50kPerSecond: round((usPerCase * 50_000) / 1e6, 1),
        },
      });
    });
  });
}

/**
 * The import a first version writes: the whole file read at once, then per case its id, its
 * sequence number and the last hash drawn, and one INSERT for the case and one for its event, each
 * committed on its own. Validation, routing and the case itself are the product's, so the
 * difference is the storing.
 */
async function naiveImport(store: Store, sqlOf: SqlClient, csv: string, reference: ReferenceData): Promise<{ imported: number; seconds: number }> {
  const started = performance.now();
  const geography = await createGeographyService(store);
  const categories = new Map(reference.catalogue.categories.map((c) => [c.code, c]));
  const [headerFields, ...rows] = parseCsv(readFileSync(csv, 'utf8'));
  const parsedHeader = parseHistoricHeader(headerFields!);
  if (!parsedHeader.ok) throw new Error(parsedHeader.problems.join('; '));
  const now = new Date();
  const importedAt = now.toISOString();
  let imported = 0;
  for (const fields of rows) {
    const parsed = parseHistoricRecord(fields, parsedHeader.header, { categories, now });
    if (!parsed.ok) throw new Error(`naive: bad row ${fields.join(',')}`);
    const route = geography.routeCase(parsed.record.point, 10);
    const [{ id }] = (await sqlOf.query("SELECT nextval(pg_get_serial_sequence('cases', 'id'))::bigint AS id", [])) as [{ id: number }];
    const p = prepareCase({ record: parsed.record, route }, id, { prefix: 'HD', calendar: BEIJING_OFFICE_HOURS, importedAt });
    const r = p.row;
    await sqlOf.query(
      `INSERT INTO cases (id, case_number, report_id, report_hash, category_code, geom, crs, grid_code, community_code, street_code, status, severity, channel, description,
                          queue_kind, queue_street, dispatch_reason, near_boundary, reported_at, accept_due_at, resolve_due_at, tier, department_code, accepted_at, closed_at,
                          rating, rating_comment, rated_at)
       VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326), $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb, $19::jsonb, $20, $21, $22, $23, $24,
               $25, $26, $27, CASE WHEN $27::smallint IS NOT NULL THEN '' END, CASE WHEN $27::smallint IS NOT NULL THEN $26::timestamptz END)`,
      [r.id, r.number, r.reportId, r.reportHash, r.category, r.lng, r.lat, r.crs, r.gridCode, r.communityCode, r.streetCode, r.status, r.severity, r.channel, r.description,
        r.queueKind, r.queueStreet, r.dispatchReasonJson, r.nearBoundaryJson, r.reportedAt, r.acceptDueAt, r.resolveDueAt, r.tier, r.departmentCode, r.acceptedAt, r.closedAt, r.rating],
    );
    const [{ seq }] = (await sqlOf.query("SELECT nextval(pg_get_serial_sequence('case_events', 'seq'))::bigint AS seq", [])) as [{ seq: number }];
    const [last] = (await sqlOf.query('SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1', [])) as [{ hash: string } | undefined];
    const prevHash = last?.hash ?? null;
    const hash = createHash('sha256').update(`${prevHash ?? ''}\n${seq}${p.hashTail}`).digest('hex');
    await sqlOf.query(
      `INSERT INTO case_events (seq, case_id, type, kind, actor, at, data, payload, street_code, community_code, grid_code, prev_hash, hash)
       VALUES ($1, $2, 'imported', 'case:created', '${IMPORT_ACTOR}', $3, $4::jsonb, NULL, $5, $6, $7, $8, $9)`,
      [seq, r.id, r.reportedAt, p.dataJson, r.streetCode, r.communityCode, r.gridCode, prevHash, hash],
    );
    imported++;
  }
  return { imported, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const config = readConfig();
  readPolicyFiles(config);
  const databaseUrl = process.env['DATABASE_URL']?.trim() || undefined;
  log(`bench:import: ${fmt(ROWS)} rows (naive baseline: ${fmt(NAIVE_ROWS)}), Node ${process.version}, ${process.platform}/${process.arch}`);
  log(`stores: embedded (a temporary folder)${databaseUrl ? `, PostgreSQL server at ${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')} (a THROWAWAY database: each run adds its cases)` : ' (set DATABASE_URL to a throwaway database to add a PostgreSQL server)'}`);
  const dir = mkdtempSync(join(tmpdir(), 'gc-bench-import-'));
  try {
    const reference = readReferenceData(config.geodataDir);
    const g = reference.geography;
    const names = new Map([g.district, ...g.streets, ...g.communities, ...g.grids].map((a) => [a.code, a.name]));
    const input = { grids: g.grids, names, catalogue: reference.catalogue };
    const run = Date.now().toString(36);
    const csv = join(dir, 'historic.csv');
    const firstLoadCsv = join(dir, 'first-load.csv');
    const naiveCsv = join(dir, 'naive.csv');
    let started = performance.now();
    await writeHistoricCsv(firstLoadCsv, input, { count: ROWS, seed: 3, idPrefix: `F${run}-` });
    await writeHistoricCsv(csv, input, { count: ROWS, seed: 1, idPrefix: `B${run}-` });
    await writeHistoricCsv(naiveCsv, input, { count: NAIVE_ROWS, seed: 2, idPrefix: `N${run}-` });
    log(`generated ${csv} and ${firstLoadCsv}: ${fmt(ROWS)} rows each, ${fmt(statSync(csv).size / 1e6, 1)} MB, in ${fmt((performance.now() - started) / 1000, 1)} s`);

    const all: StoreTarget[] = [
      { name: 'embedded', env: { DATA_DIR: join(dir, 'data'), DATABASE_URL: '' }, open: () => openPgliteClient(join(dir, 'data')) },
      ...(databaseUrl ? [{ name: 'postgres' as const, env: { DATABASE_URL: databaseUrl }, open: () => openPgClient(databaseUrl, 2) }] : []),
    ];
    const targets = STORES ? all.filter((t) => STORES.includes(t.name)) : all;
    const results: Record<string, {
      oneTransaction: ImportRun;
      rowByRow: ImportRun;
      naive: { rows: number; seconds: number; casesPerSecond: number };
      ratios: { oneTransaction: number; rowByRow: number };
      audit?: { ok: boolean; seconds: number };
    }> = {};
    const describe = (run: ImportRun): string => {
      const c = run.cpu;
      const validated = run.validateSeconds > 0 ? `validated in ${fmt(run.validateSeconds, 1)} s, stored in ${fmt(run.importSeconds, 1)} s` : `read, validated and stored in ${fmt(run.importSeconds, 1)} s`;
      return (
        `${fmt(run.imported)} cases: ${validated} = ${fmt(run.casesPerSecond)} cases/s; process ${fmt(run.wallSeconds, 1)} s, peak RSS ${fmt(run.peakRssMB)} MB\n` +
        `    CPU per case: importer ${fmt(c.importerUsPerCase)} µs${c.postgresUsPerCase === null ? ' (the embedded database included)' : `, PostgreSQL ${fmt(c.postgresUsPerCase)} µs`}; ` +
        `machine ${fmt(c.machineCoresBusy, 2)} of ${availableParallelism()} cores busy; 50,000 cases/s at this cost would take ${fmt(c.coresFor50kPerSecond, 1)} cores`
      );
    };
    for (const target of targets) {
      log(`\n== ${target.name} ==`);
      const sql = await target.open();
      let store = await createStore(sql);
      await ensureReferenceData(store, () => reference, (line) => log(`  ${line}`));
      const casesBefore = await store.cases.count();
      log(`  naive baseline: ${fmt(NAIVE_ROWS)} cases, one autocommitted INSERT per case and per event…`);
      const naive = await naiveImport(store, sql, naiveCsv, reference);
      await store.analyze();
      await store.close();
      const naiveRate = naive.imported / naive.seconds;
      log(`  naive: ${fmt(naive.imported)} cases in ${fmt(naive.seconds, 1)} s = ${fmt(naiveRate)} cases/s`);

      // First a first load (what --one-transaction is for), then a later year row by row, as while the
      // centre runs: into a store that already holds the first million.
      log(`  npm run import:cases -- --one-transaction, ${fmt(ROWS)} rows (its own process)…`);
      const oneTransaction = await runImporter(target, firstLoadCsv, ['--one-transaction']);
      log(`  one transaction: ${describe(oneTransaction)}`);
      log(`  npm run import:cases -- ${fmt(ROWS)} more rows, row by row (its own process)…`);
      const rowByRow = await runImporter(target, csv);
      log(`  row by row: ${describe(rowByRow)}`);
      results[target.name] = {
        oneTransaction,
        rowByRow,
        naive: { rows: naive.imported, seconds: naive.seconds, casesPerSecond: naiveRate },
        ratios: { oneTransaction: oneTransaction.casesPerSecond / naiveRate, rowByRow: rowByRow.casesPerSecond / naiveRate },
      };
      store = await createStore(await target.open());
      const casesAfter = await store.cases.count();
      const expected = naive.imported + oneTransaction.imported + rowByRow.imported;
      if (casesAfter - casesBefore !== expected) throw new Error(`${target.name}: expected ${expected} more cases, found ${casesAfter - casesBefore}`);
      if (AUDIT) {
        started = performance.now();
        const audit = await verifyAudit(store);
        results[target.name]!.audit = { ok: audit.ok, seconds: (performance.now() - started) / 1000 };
        log(`  audit: ${audit.ok ? 'intact' : 'NOT INTACT'}, ${fmt(audit.events)} events, ${fmt(audit.cases)} cases in ${fmt((performance.now() - started) / 1000, 1)} s`);
      }
      await store.close();
    }

    log('\n| store | mode | cases/s | process wall | peak RSS | CPU µs per case (importer + PostgreSQL) | naive cases/s | ours ÷ naive |');
    log('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const [name, r] of Object.entries(results)) {
      for (const [mode, run, ratio] of [['one transaction (first load)', r.oneTransaction, r.ratios.oneTransaction], [`row by row (${fmt(ROWS)} more)`, r.rowByRow, r.ratios.rowByRow]] as const) {
        const c = run.cpu;
        log(
          `| ${name} | ${mode} | ${fmt(run.casesPerSecond)} | ${fmt(run.wallSeconds, 1)} s | ${fmt(run.peakRssMB)} MB | ` +
            `${fmt(c.importerUsPerCase)}${c.postgresUsPerCase === null ? '' : ` + ${fmt(c.postgresUsPerCase)}`} | ${fmt(r.naive.casesPerSecond)} | ${fmt(ratio, 1)}× |`,
        );
      }
    }
    console.log(JSON.stringify({ rows: ROWS, naiveRows: NAIVE_ROWS, node: process.version, stores: results }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
