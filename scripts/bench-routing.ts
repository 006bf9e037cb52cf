/**
 * Routing benchmark: point → grid lookups per second on one core, for the ~3,000 community grids and
 * the ~43,000 unit grids, against naive and textbook baselines measured in the same run:
 *   npm run bench:routing                 # embedded PostGIS; add DATABASE_URL=… for a server too
 * - naive:     turf booleanPointInPolygon over every grid until one matches (the loop a first version writes)
 * - textbook:  flatbush over grid boxes + turf point-in-polygon on the candidates
 * - indexed:   the product's router (bucket grid + PostGIS-exact winding test on typed arrays)
 * - postgis:   ST_Covers with the tie rule, 1,000 points per query (embedded, and the server if given)
 * Points are uniform over the district. The last line is one JSON object with every figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { MultiPolygon } from 'geojson';
import { asMultiPolygon } from '../core/geo/geojson-rings.ts';
import { bboxOf } from '../core/geo/multipolygon-measures.ts';
import { createGridRouter } from '../core/grid/grid-router.ts';
import { readGeographyDirectory } from '../server/reference/read-reference-data.ts';
import { createStore } from '../server/store/create-store.ts';
import { openPgClient } from '../server/store/pg/open-pg-client.ts';
import { openPgliteClient } from '../server/store/pglite/open-pglite-client.ts';
import type { GeographySet, Store } from '../server/store/store.ts';
import { createRandom } from './geodata/seeded-random.ts';
import { isUnitGridsCurrent } from './geodata/unit-grids-stamp.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const LOOKUPS = 1_000_000;
const POSTGIS_BATCH = 1_000;
const POSTGIS_POINTS = 20_000;

function log(line: string): void {
  console.error(line);
}

function pointsInDistrict(set: GeographySet, count: number, seed: number): Float64Array {
  const district = createGridRouter([{ code: set.district.code, rings: set.district.rings }]);
  const [minX, minY, maxX, maxY] = bboxOf(set.district.rings);
  const random = createRandom(seed);
  const xy = new Float64Array(count * 2);
  for (let i = 0; i < count; ) {
    const x = minX + random() * (maxX - minX);
    const y = minY + random() * (maxY - minY);
    if (district.locate(x, y) < 0) continue;
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    i++;
  }
  return xy;
}

/** Runs `lookup` over points until `budgetMs` is spent (at least `min` points), returns lookups/s. */
function rate(points: Float64Array, lookup: (x: number, y: number) => number, budgetMs: number, min = 1): { perSecond: number; done: number; checksum: number } {
  const n = points.length / 2;
  let checksum = 0;
  let done = 0;
  const started = performance.now();
  while (done < n && (done < min || performance.now() - started < budgetMs)) {
    checksum += lookup(points[2 * done]!, points[2 * done + 1]!);
    done++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: done / seconds, done, checksum };
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function postgisRate(store: Store, points: Float64Array): Promise<{ perSecond: number; codes: (string | null)[] }> {
  const pts: [number, number][] = [];
  for (let i = 0; i < Math.min(POSTGIS_POINTS, points.length / 2); i++) pts.push([points[2 * i]!, points[2 * i + 1]!]);
  await store.geography.routeInDatabase(pts.slice(0, POSTGIS_BATCH)); // warm the caches
  const started = performance.now();
  const codes: (string | null)[] = [];
  for (let i = 0; i < pts.length; i += POSTGIS_BATCH) codes.push(...(await store.geography.routeInDatabase(pts.slice(i, i + POSTGIS_BATCH))));
  return { perSecond: pts.length / ((performance.now() - started) / 1000), codes };
}

async function benchSet(name: string, dir: string, databaseUrl: string | undefined): Promise<Record<string, unknown>> {
  const set = readGeographyDirectory(dir);
  const grids = set.grids.map((g) => ({ code: g.code, rings: g.rings }));
  log(`\n== ${name}: ${grids.length.toLocaleString('en')} grids ==`);
  const points = pointsInDistrict(set, LOOKUPS, 20261127);

  // naive: every grid, in code order, until one covers the point
  const sorted = grids.slice().sort((a, b) => (a.code < b.code ? -1 : 1));
  const geometries: MultiPolygon[] = sorted.map((g) => asMultiPolygon(g.rings));
  const naive = rate(points, (x, y) => geometries.findIndex((g) => booleanPointInPolygon([x, y], g)), 3000, 20);
  log(`naive loop      ${naive.perSecond.toFixed(0).padStart(12)} lookups/s (${naive.done} points)`);

  // textbook: flatbush candidates, turf decides
  const boxes = new Flatbush(sorted.length);
  for (const g of sorted) {
    const [a, b, c, d] = bboxOf(g.rings);
    boxes.add(a, b, c, d);
  }
  boxes.finish();
  const textbook = rate(
    points,
    (x, y) => {
      let best = -1;
      for (const i of boxes.search(x, y, x, y)) if ((best === -1 || i < best) && booleanPointInPolygon([x, y], geometries[i]!)) best = i;
      return best;
    },
    3000,
  );
  log(`flatbush + turf ${textbook.perSecond.toFixed(0).padStart(12)} lookups/s`);

  // indexed: the product's router
  let started = performance.now();
  const router = createGridRouter(grids);
  const buildMs = performance.now() - started;
  const runs: number[] = [];
  let checksum = 0;
  for (let run = 0; run < 5; run++) {
    const r = rate(points, (x, y) => router.locate(x, y), Infinity, LOOKUPS);
    runs.push(r.perSecond);
    checksum = r.checksum;
  }
  const indexed = median(runs);
  const rerouteSeconds = LOOKUPS / indexed;
  log(`indexed router  ${indexed.toFixed(0).padStart(12)} lookups/s (median of 5 × ${LOOKUPS.toLocaleString('en')}; build ${buildMs.toFixed(0)} ms; re-routing 1,000,000 points ${rerouteSeconds.toFixed(2)} s)`);

  // exactness: the indexed router equals the textbook answer on a sample (and PostGIS below)
  let disagreements = 0;
  for (let i = 0; i < 20_000; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    let best = -1;
    for (const k of boxes.search(x, y, x, y)) if ((best === -1 || k < best) && booleanPointInPolygon([x, y], geometries[k]!)) best = k;
    if (best !== router.locate(x, y)) disagreements++;
  }

  const result: Record<string, unknown> = {
    grids: grids.length,
    naiveLookupsPerSecond: Math.round(naive.perSecond),
    textbookLookupsPerSecond: Math.round(textbook.perSecond),
    indexedLookupsPerSecond: Math.round(indexed),
    indexBuildMs: Math.round(buildMs),
    reroute1MSeconds: Number(rerouteSeconds.toFixed(3)),
    speedupOverNaive: Math.round(indexed / naive.perSecond),
    speedupOverTextbook: Number((indexed / textbook.perSecond).toFixed(1)),
    disagreementsWithTurfOn20k: disagreements,
    checksum,
  };

  const drivers: [string, () => Promise<{ store: Store; cleanup: () => Promise<void> }>][] = [
    [
      'postgisEmbedded',
      async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'gc-bench-'));
        const store = await createStore(await openPgliteClient(dataDir));
        return { store, cleanup: async () => { await store.close(); rmSync(dataDir, { recursive: true, force: true }); } };
      },
    ],
  ];
  if (databaseUrl) {
    drivers.push([
      'postgisServer',
      async () => {
        const store = await createStore(await openPgClient(databaseUrl, 2));
        return { store, cleanup: () => store.close() };
      },
    ]);
  }
  for (const [key, open] of drivers) {
    const { store, cleanup } = await open();
    try {
      started = performance.now();
      await store.geography.replace(set, `bench: ${name}`);
      const loadMs = performance.now() - started;
      const pg = await postgisRate(store, points);
      let mismatches = 0;
      pg.codes.forEach((code, i) => {
        const k = router.locate(points[2 * i]!, points[2 * i + 1]!);
        if ((k >= 0 ? router.codeAt(k) : null) !== code) mismatches++;
      });
      log(`${key.padEnd(15)} ${pg.perSecond.toFixed(0).padStart(12)} lookups/s (ST_Covers, ${POSTGIS_BATCH} points a query; ${mismatches} of ${pg.codes.length} disagree with the router; load ${(loadMs / 1000).toFixed(1)} s)`);
      result[`${key}LookupsPerSecond`] = Math.round(pg.perSecond);
      result[`${key}Disagreements`] = mismatches;
    } finally {
      await cleanup();
    }
  }
  return result;
}

async function main(): Promise<void> {
  const unitDir = join(ROOT, 'geodata/build/unit-grids');
  if (!isUnitGridsCurrent(unitDir)) {
    log('generating the unit grids first (npm run generate:unit-grids, ~1 minute)…');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-unit-grids.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const databaseUrl = process.env['DATABASE_URL'] || undefined;
  if (databaseUrl) log(`PostGIS server: ${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')} (its geography is replaced by the benchmark's: use a throwaway database)`);
  const community = await benchSet('community grids', join(ROOT, 'geodata/haidian'), databaseUrl);
  const unit = await benchSet('unit grids (万米单元网格)', unitDir, databaseUrl);
  const target = 2_000_000;
  console.log(
    JSON.stringify({
      benchmark: 'routing',
      node: process.version,
      lookups: LOOKUPS,
      communityGrids: community,
      unitGrids: unit,
      targetLookupsPerSecondAtUnitGrids: target,
      targetMet: (unit['indexedLookupsPerSecond'] as number) >= target,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
