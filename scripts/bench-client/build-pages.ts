/**
 * The pages the client benchmark serves, built with Vite's JS API into a folder of their own (not
 * dist/client, which `npm start` and the browser tests share): the product's web client exactly as
 * `npm run build:client` builds it, and the naive baseline page (naive/) beside it at /naive/.
 * Reused while neither the client's inputs nor the baseline page change.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientInputsHash } from '../ensure-client-build.ts';
import { ROOT } from './prepare-store.ts';

const NAIVE_DIR = join(ROOT, 'scripts/bench-client/naive');

function naiveHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(NAIVE_DIR).sort()) hash.update(name).update(readFileSync(join(NAIVE_DIR, name)));
  return hash.digest('hex');
}

/** The folder to serve as CLIENT_DIR: the product at /, the baseline at /naive/. */
export async function buildPages(log: (line: string) => void): Promise<{ dir: string; built: boolean }> {
  const key = createHash('sha256').update(clientInputsHash()).update(naiveHash()).digest('hex').slice(0, 12);
  const dir = join(ROOT, '.cache/bench-client', `web-${key}`);
  const stamp = join(dir, '.complete');
  if (existsSync(stamp)) return { dir, built: false };
  // Vite bundles React's production build only with NODE_ENV=production (a test runner may have set it otherwise).
  process.env['NODE_ENV'] = 'production';
  const { build } = await import('vite');
  const started = Date.now();
  log('building the web client and the naive baseline page (Vite)…');
  rmSync(dir, { recursive: true, force: true });
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production', build: { outDir: dir, emptyOutDir: true } });
  await build({
    configFile: false,
    root: NAIVE_DIR,
    base: '/naive/',
    publicDir: false,
    logLevel: 'warn',
    mode: 'production',
    build: { outDir: join(dir, 'naive'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
  writeFileSync(stamp, `${key}\n`);
  log(`  built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Older builds of this cache go.
  for (const name of readdirSync(join(ROOT, '.cache/bench-client'))) {
    if (name.startsWith('web-') && name !== `web-${key}`) rmSync(join(ROOT, '.cache/bench-client', name), { recursive: true, force: true });
  }
  return { dir, built: true };
}
