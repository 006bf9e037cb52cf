import { defineConfig } from 'vitest/config';

// One project per tier, by what the tests touch. unit: pure core, no I/O. geodata: the committed
// reference data and its builders. store/import/http: real PostGIS (embedded, and a server when one
// is reachable) and a real HTTP server on loopback. GC_REQUIRE_ALL_SUITES=1 (set by .ci/run) turns
// every "service missing, suite skipped" into a failure. Groups run one after another (groupOrder),
// cheapest first, so a broken core fails in seconds.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      { test: { name: 'geodata', include: ['tests/geodata/**/*.test.ts'], testTimeout: 120_000, sequence: { groupOrder: 1 } } },
      {
        test: {
          name: 'store',
          include: ['tests/store/**/*.test.ts', 'tests/import/**/*.test.ts', 'tests/http/**/*.test.ts', 'tests/realtime/**/*.test.ts'],
          globalSetup: ['tests/fixtures/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each file opens its own embedded PostgreSQL (~1 GB); two at a time fits any CI box.
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        // The built web client in headless Chromium against a real server over a seeded store.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/fixtures/global-setup.ts', 'tests/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
