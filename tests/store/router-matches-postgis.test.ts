import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGridRouter, type GridRouter } from '../../core/grid/grid-router.ts';
import type { MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { openTestStore, type TestStore } from '../fixtures/test-databases.ts';
import { createRandom } from '../../scripts/geodata/seeded-random.ts';

const RANDOM_POINTS = 100_000;
const SAMPLED_GRIDS = 300;
const BATCH = 2_000;

/** Every vertex and every edge midpoint of a sample of grids: the points where rounding decides. */
function boundaryPoints(grids: readonly { rings: MultiPolygonRings }[], count: number, random: () => number): [number, number][] {
  const points: [number, number][] = [];
  for (let k = 0; k < count; k++) {
    const grid = grids[Math.floor(random() * grids.length)]!;
    for (const polygon of grid.rings) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [ax, ay] = ring[i]!;
          const [bx, by] = ring[i + 1]!;
          points.push([ax, ay], [(ax + bx) / 2, (ay + by) / 2]);
        }
      }
    }
  }
  return points;
}

describe.each(storeDrivers())('the in-process router agrees with PostGIS (%s)', (driver) => {
  let db: TestStore;
  let router: GridRouter;
  let grids: { code: string; rings: MultiPolygonRings }[];

  beforeAll(async () => {
    db = await openTestStore(driver);
    grids = await db.store.geography.routableGrids();
    router = createGridRouter(grids);
  });
  afterAll(() => db?.dispose());

  async function compare(points: [number, number][]): Promise<{ mismatches: string[]; routed: number }> {
    const mismatches: string[] = [];
    let routed = 0;
    for (let i = 0; i < points.length; i += BATCH) {
      const batch = points.slice(i, i + BATCH);
      const expected = await db.store.geography.routeInDatabase(batch);
      batch.forEach((p, k) => {
        const index = router.locate(p[0], p[1]);
        const actual = index >= 0 ? router.codeAt(index) : null;
        if (actual !== null) routed++;
        if (actual !== expected[k]) mismatches.push(`(${p[0]}, ${p[1]}): router ${actual}, PostGIS ${expected[k]}`);
      });
    }
    return { mismatches, routed };
  }

  it(`on ${RANDOM_POINTS.toLocaleString('en')} random points over the district and around it`, async () => {
    const random = createRandom(42);
    const points: [number, number][] = [];
    // The district's box plus a margin, so that points outside every grid are tested too.
    for (let i = 0; i < RANDOM_POINTS; i++) points.push([116.0 + random() * 0.45, 39.85 + random() * 0.35]);
    const { mismatches, routed } = await compare(points);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(routed).toBeGreaterThan(RANDOM_POINTS * 0.25);
    expect(routed).toBeLessThan(RANDOM_POINTS);
  });

  it(`on every vertex and edge midpoint of ${SAMPLED_GRIDS} grids, where the tie rule decides`, async () => {
    const points = boundaryPoints(grids, SAMPLED_GRIDS, createRandom(7));
    expect(points.length).toBeGreaterThan(SAMPLED_GRIDS * 10);
    const { mismatches } = await compare(points);
    expect(mismatches.slice(0, 10)).toEqual([]);
    // Vertices are shared by two or three grids: the answer is the smallest code among them.
    const vertex = grids[0]!.rings[0]![0]![0]!;
    const [fromDb] = await db.store.geography.routeInDatabase([vertex]);
    expect(router.route(vertex[0], vertex[1])).toMatchObject({ routed: true, gridCode: fromDb, onBoundary: true });
  });
});
