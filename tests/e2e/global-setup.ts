import { ensureClientBuild } from '../../scripts/ensure-client-build.ts';
import { chromiumUnavailableReason } from './chromium.ts';

/**
 * Once per run: say loudly when the browser suite will be skipped (a failure under
 * GC_REQUIRE_ALL_SUITES=1), and build the web client before any test file starts a server for it.
 */
export default async function setup(): Promise<void> {
  const reason = chromiumUnavailableReason();
  if (reason) {
    if (process.env['GC_REQUIRE_ALL_SUITES'] === '1') throw new Error(`GC_REQUIRE_ALL_SUITES=1 but ${reason}`);
    console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the browser end-to-end suite: ${reason}\n${'!'.repeat(100)}\n`);
    return;
  }
  await ensureClientBuild({ log: (line) => console.log(`[e2e] ${line}`) });
}
