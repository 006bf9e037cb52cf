/**
 * The client benchmark's store: the ~43,000 unit grids (npm run generate:unit-grids) imported with
 * `npm run import:geography`, 100,000 historic cases (a share of them still open) imported with
 * `npm run import:cases`, and every passed deadline marked and escalated by the product's own
 * scheduler (the open cases are a year old), as a running server would have done long ago. The
 * prepared store is never served itself: every measured page gets a fresh copy (copyStore), so that
 * each starts from the same data and the cases one streams in do not pile up for the next.
 *
 * Embedded (default): a folder under .cache/bench-client/ named by everything the data is made of
 * (the unit grids' stamp, the counts, this file's version), reused by later runs. With DATABASE_URL:
 * that database (a THROWAWAY one: its geography is replaced by the unit grids and cases are added
 * until it holds BENCH cases). Each step runs the product's own command as its own process.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGeographyDirectory, readReferenceData } from '../../server/reference/read-reference-data.ts';
import { readConfig } from '../../server/config.ts';
import { composeServer } from '../../server/compose-server.ts';
import { readPolicyFiles } from '../../server/reference/read-policy-files.ts';
import { openConfiguredStore } from '../../server/store/open-configured-store.ts';
import { isUnitGridsCurrent, unitGridsStamp } from '../geodata/unit-grids-stamp.ts';
import { writeHistoricCsv } from '../interop/historic-rows.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const UNIT_GRIDS_DIR = join(ROOT, 'geodata/build/unit-grids');
/** Bump when what a prepared store holds changes, so that older cached stores are not reused. */
const PREPARATION_VERSION = 1;

export interface StoreSpec {
  /** Historic cases in the store. */
  readonly cases: number;
  /** Share of them still open (the rest closed, with ratings). */
  readonly openShare: number;
}

export interface PreparedStore {
  /** Environment for the server and the command-line tools: which store they open. */
  readonly env: Record<string, string>;
  readonly description: string;
  readonly grids: number;
  readonly cases: number;
  readonly openCases: number;
  /** Seconds spent preparing in this run (0 when a cached store was reused as it was). */
  readonly preparedSeconds: number;
}

type Log = (line: string) => void;

function run(script: string, args: readonly string[], env: Record<string, string>, log: Log): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`    ${line}`);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${out.slice(-3000)}`))));
  });
}

export async function ensureUnitGrids(log: Log): Promise<void> {
  if (isUnitGridsCurrent(UNIT_GRIDS_DIR)) return;
  log('generating the unit grids (npm run generate:unit-grids, about a minute)…');
  await run('scripts/generate-unit-grids.ts', [], {}, log);
}

function storeKey(spec: StoreSpec): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: PREPARATION_VERSION, grids: unitGridsStamp(), cases: spec.cases, open: spec.openShare }))
    .digest('hex')
    .slice(0, 12);
}

/** What the store holds now: grids, cases, open cases. */
async function census(env: Record<string, string>): Promise<{ grids: number; cases: number; open: number }> {
  const config = readConfig({ ...process.env, ...env });
  const store = await openConfiguredStore(config, { referenceData: () => {} });
  try {
    const grids = JSON.parse(await store.geography.features('grid', { limit: 1, offset: 0 })) as { numberMatched: number };
    const cases = await store.cases.count();
    const snapshot = await store.cases.snapshot((JSON.parse(await store.geography.features('district', { limit: 1, offset: 0 })) as { features: { id: string }[] }).features[0]!.id);
    return { grids: grids.numberMatched, cases, open: snapshot.cases.length };
  } finally {
    await store.close();
  }
}

/**
 * Runs the product's deadline scheduler over the store until nothing is due: every passed deadline
 * marked, every escalation the rules call for made, as a running server would have done long ago.
 * Without it every measured server would spend its first half hour (and half a core) on the year-old
 * open cases. Slow once (a few commands per open case; ~30 min on the embedded store), then cached.
 */
async function settleDeadlines(env: Record<string, string>, log: Log): Promise<{ marked: number; escalated: number; seconds: number }> {
  const started = Date.now();
  const config = readConfig({ ...process.env, ...env });
  const policy = readPolicyFiles(config);
  const store = await openConfiguredStore(config);
  const totals = { marked: 0, escalated: 0 };
  try {
    const server = await composeServer(store, { deadlineSweepMs: 0, calendar: policy.calendar, escalationRules: policy.escalationRules, logLevel: 'silent' });
    try {
      let last = Date.now();
      for (;;) {
        const pass = await server.scheduler.sweep();
        totals.marked += pass.marked;
        totals.escalated += pass.escalated;
        if (pass.marked + pass.escalated === 0) break;
        if (Date.now() - last > 30_000) {
          last = Date.now();
          log(`  deadlines: ${totals.marked.toLocaleString('en')} marked overdue, ${totals.escalated.toLocaleString('en')} escalated so far (${Math.round((Date.now() - started) / 1000)} s)…`);
        }
      }
    } finally {
      await server.close();
    }
  } finally {
    await store.close();
  }
  return { ...totals, seconds: (Date.now() - started) / 1000 };
}

async function importCases(env: Record<string, string>, spec: StoreSpec, missing: number, log: Log): Promise<void> {
  const reference = readReferenceData(readConfig(process.env).geodataDir);
  const geography = readGeographyDirectory(UNIT_GRIDS_DIR);
  const names = new Map([geography.district, ...geography.streets, ...geography.communities, ...geography.grids].map((a) => [a.code, a.name]));
  const dir = join(tmpdir(), `gc-bench-client-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'cases.csv');
  try {
    // Report ids are fixed (BC1-…): an interrupted import completes on the next run, nothing twice.
    await writeHistoricCsv(csv, { grids: geography.grids, names, catalogue: reference.catalogue }, { count: spec.cases, seed: 7, closedShare: 1 - spec.openShare, idPrefix: 'BC1-' });
    log(`  importing ${missing.toLocaleString('en')} historic cases (npm run import:cases)…`);
    await run('scripts/import-cases.ts', [csv, '--batch', '5000'], env, log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The store for the benchmark, prepared if it is not yet. */
export async function prepareStore(spec: StoreSpec, log: Log): Promise<PreparedStore> {
  const started = Date.now();
  await ensureUnitGrids(log);
  const expectedGrids = (JSON.parse(readFileSync(join(UNIT_GRIDS_DIR, 'grids.geojson'), 'utf8')) as { features: unknown[] }).features.length;
  const databaseUrl = process.env['DATABASE_URL']?.trim() || undefined;
  let env: Record<string, string>;
  let description: string;
  let readyMarker: string | undefined;
  if (databaseUrl) {
    env = { DATABASE_URL: databaseUrl };
    description = `PostgreSQL server at ${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}`;
  } else {
    const dir = join(ROOT, '.cache/bench-client', `store-${storeKey(spec)}`);
    env = { DATA_DIR: dir, DATABASE_URL: '' };
    description = `embedded store in ${dir.replace(ROOT, '')}`;
    readyMarker = join(dir, '..', `${dir.split('/').pop()}.ready`);
    if (!existsSync(readyMarker) && existsSync(dir)) {
      log(`  an unfinished preparation in ${dir}: starting it again`);
      rmSync(dir, { recursive: true, force: true });
    }
    mkdirSync(join(ROOT, '.cache/bench-client'), { recursive: true });
  }

  let preparedSomething = false;
  if (!readyMarker || !existsSync(readyMarker)) {
    let now = await census(env);
    if (now.grids !== expectedGrids) {
      log(`  importing the ${expectedGrids.toLocaleString('en')} unit grids (npm run import:geography)…`);
      await run('scripts/import-geography.ts', ['--dir', UNIT_GRIDS_DIR], env, log);
      preparedSomething = true;
    }
    if (now.cases < spec.cases) {
      await importCases(env, spec, spec.cases - now.cases, log);
      preparedSomething = true;
    }
    now = await census(env);
    if (now.grids !== expectedGrids) throw new Error(`the store has ${now.grids} grids after the import, expected ${expectedGrids}`);
  }
  // Every passed deadline marked and escalated, once (the marker remembers it for a cached store).
  const marker = readyMarker && existsSync(readyMarker) ? (JSON.parse(readFileSync(readyMarker, 'utf8')) as { settled?: boolean }) : {};
  if (!marker.settled) {
    log('  settling deadlines with the server\'s own scheduler (once; the open cases are a year old)…');
    const settled = await settleDeadlines(env, log);
    log(`  deadlines settled: ${settled.marked.toLocaleString('en')} marked overdue, ${settled.escalated.toLocaleString('en')} escalated in ${Math.round(settled.seconds)} s`);
    preparedSomething = true;
  }
  const final = await census(env);
  if (readyMarker) writeFileSync(readyMarker, `${JSON.stringify({ ...final, settled: true })}\n`);
  return {
    env,
    description,
    grids: final.grids,
    cases: final.cases,
    openCases: final.open,
    preparedSeconds: preparedSomething ? (Date.now() - started) / 1000 : 0,
  };
}

export interface StoreCopy {
  /** Environment for a server on the copy. */
  readonly env: Record<string, string>;
  readonly seconds: number;
  drop(): Promise<void>;
}

/**
 * A fresh copy of the prepared store for one measured page: a copied data folder (embedded), or a
 * database made from the prepared one as its template (PostgreSQL server). Dropped afterwards.
 */
export async function copyStore(prepared: PreparedStore, tag: string): Promise<StoreCopy> {
  const started = Date.now();
  const databaseUrl = prepared.env['DATABASE_URL'];
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    const template = decodeURIComponent(url.pathname.slice(1));
    const name = `${template}_bc_${tag}`.replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 63);
    const admin = new URL(databaseUrl);
    admin.pathname = '/postgres';
    const pg = (await import('pg')).default;
    const run = async (sql: string): Promise<void> => {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await run(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    const copy = new URL(databaseUrl);
    copy.pathname = `/${name}`;
    return { env: { DATABASE_URL: copy.toString() }, seconds: (Date.now() - started) / 1000, drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  const source = prepared.env['DATA_DIR']!;
  const dir = join(ROOT, '.cache/bench-client', `run-${process.pid}-${tag}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, dir, { recursive: true });
  return {
    env: { DATA_DIR: dir, DATABASE_URL: '' },
    seconds: (Date.now() - started) / 1000,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
