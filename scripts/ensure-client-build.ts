/**
 * Builds the web client (dist/client) only when its inputs changed: hashes client/**, core/** (the
 * client bundles shared core code), vite.config.ts and package-lock.json, compares with dist/client/.build-hash, runs `vite build` when they differ,
 * then records the hash. `npm start` runs this before the server; the e2e tests call it too.
 *
 *   npx tsx scripts/ensure-client-build.ts [--force]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const CLIENT_DIR = join(ROOT, 'client');
const CORE_DIR = join(ROOT, 'core');
export const CLIENT_BUILD_DIR = join(ROOT, 'dist/client');
const HASH_FILE = join(CLIENT_BUILD_DIR, '.build-hash');
const INPUT_FILES = ['vite.config.ts', 'package-lock.json'];

/** sha256 over every input file's path and contents, in a fixed order. */
export function clientInputsHash(): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
      return;
    }
    hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  add(CLIENT_DIR);
  add(CORE_DIR);
  for (const file of INPUT_FILES) add(join(ROOT, file));
  return hash.digest('hex');
}

function recordedHash(): string | undefined {
  if (!existsSync(join(CLIENT_BUILD_DIR, 'index.html')) || !existsSync(HASH_FILE)) return undefined;
  return readFileSync(HASH_FILE, 'utf8').trim();
}

/**
 * `vite build` in its own process with NODE_ENV=production: inherited from a test runner
 * (NODE_ENV=test), Vite would bundle React's development build and the hash would bless it.
 */
function viteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${signal ?? `exit code ${code}`})`))));
  });
}

export interface EnsureClientBuildResult {
  readonly built: boolean;
  readonly hash: string;
  readonly dir: string;
}

/** Runs `vite build` unless dist/client was built from exactly these inputs. */
export async function ensureClientBuild(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<EnsureClientBuildResult> {
  const log = options.log ?? (() => {});
  const hash = clientInputsHash();
  if (!options.force && recordedHash() === hash) {
    log(`client build is current (${hash.slice(0, 12)})`);
    return { built: false, hash, dir: CLIENT_BUILD_DIR };
  }
  log('building the web client (vite build)…');
  const started = Date.now();
  await viteBuild();
  // vite's emptyOutDir removed any old hash; this one is written only after a build that succeeded.
  writeFileSync(HASH_FILE, `${hash}\n`);
  log(`client built in ${((Date.now() - started) / 1000).toFixed(1)} s (${hash.slice(0, 12)})`);
  return { built: true, hash, dir: CLIENT_BUILD_DIR };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureClientBuild({ force: process.argv.includes('--force'), log: (line) => console.log(`[grid-command] ${line}`) }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
