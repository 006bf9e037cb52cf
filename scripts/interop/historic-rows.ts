/**
 * Realistic historic hotline records for `npm run bench:import` and the import tests: points inside
 * the district drawn grid by grid (a few just outside it), categories with the simulator's mix, a
 * year of report times, ~80 % closed with acceptance, closure and the caller's rating, some points in
 * GCJ-02 as phone map SDKs give them. Deterministic for a seed; streamed, a line at a time.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import gcoord from 'gcoord';
import type { Catalogue, Category } from '../../core/catalogue/catalogue.ts';
import { HISTORIC_COLUMNS } from '../../core/cases/historic-record.ts';
import type { LngLat, MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { bboxOf } from '../../core/geo/multipolygon-measures.ts';
import { createGridRouter } from '../../core/grid/grid-router.ts';
import { csvField } from '../../server/import/csv-records.ts';
import { baseWeight } from '../simulator/category-weights.ts';
import { describe } from '../simulator/descriptions.ts';
import { createRng, type Rng } from '../simulator/random.ts';

export interface HistoricRowsInput {
  readonly grids: readonly { readonly code: string; readonly rings: MultiPolygonRings }[];
  /** Area names by code (community names go into descriptions). */
  readonly names: ReadonlyMap<string, string>;
  readonly catalogue: Catalogue;
}

export interface HistoricRowsOptions {
  readonly count: number;
  readonly seed?: number;
  /** The year of records ends here (default: 30 days ago, so closures and ratings are in the past). */
  readonly end?: Date;
  readonly closedShare?: number;
  /** Share of points just outside the district (default 0.3 %). */
  readonly outsideShare?: number;
  readonly idPrefix?: string;
}

const YEAR_MS = 365 * 86_400_000;
const HOUR_MS = 3_600_000;

/** Local Beijing time with its offset: 2025-03-04T08:15:00+08:00. */
function beijing(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000 + 8 * HOUR_MS).toISOString().slice(0, 19)}+08:00`;
}

/** A generator of CSV lines (the header first) for `count` records. */
export function* historicRows(input: HistoricRowsInput, options: HistoricRowsOptions): Generator<string> {
  const rng: Rng = createRng(options.seed ?? 20_250_101, 'historic-rows');
  const grids = input.grids.slice().sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const router = createGridRouter(grids);
  const boxes = grids.map((g) => bboxOf(g.rings));
  let district = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [a, b, c, d] of boxes) district = [Math.min(district[0]!, a), Math.min(district[1]!, b), Math.max(district[2]!, c), Math.max(district[3]!, d)];
  const categories: readonly Category[] = input.catalogue.categories;
  const weights = categories.map(baseWeight);
  const end = (options.end ?? new Date(Date.now() - 30 * 86_400_000)).getTime();
  const start = end - YEAR_MS;
  const closedShare = options.closedShare ?? 0.8;
  const outsideShare = options.outsideShare ?? 0.003;
  const prefix = options.idPrefix ?? 'HL';

  const inside = (): LngLat => {
    for (;;) {
      const i = rng.int(0, grids.length - 1);
      const [minX, minY, maxX, maxY] = boxes[i]!;
      for (let tries = 0; tries < 20; tries++) {
        const p: LngLat = [rng.between(minX, maxX), rng.between(minY, maxY)];
        if (router.locate(p[0], p[1]) === i) return p;
      }
    }
  };
  const outside = (): LngLat => {
    for (;;) {
      const p: LngLat = [rng.between(district[0]! - 0.02, district[2]! + 0.02), rng.between(district[1]! - 0.02, district[3]! + 0.02)];
      if (router.locate(p[0], p[1]) >= 0) continue;
      const r = router.route(p[0], p[1]);
      if (!r.routed && r.nearest && r.nearest.distanceMeters > 50 && r.nearest.distanceMeters < 3_000) return p;
    }
  };

  yield HISTORIC_COLUMNS.join(',');
  for (let n = 1; n <= options.count; n++) {
    const category = categories[rng.weighted(weights)]!;
    const out = rng.chance(outsideShare);
    const wgs = out ? outside() : inside();
    const gcj = rng.chance(0.05);
    const point = gcj ? (gcoord.transform([wgs[0], wgs[1]], gcoord.WGS84, gcoord.GCJ02) as [number, number]) : wgs;
    const grid = out ? undefined : grids[router.locate(wgs[0], wgs[1])];
    const place = (grid && input.names.get(grid.code.slice(0, 12))) || '辖区';
    const reported = start + rng.next() * (end - start);
    const closed = rng.chance(closedShare);
    const accepted = closed ? rng.chance(0.95) : rng.chance(0.4);
    const acceptedAt = accepted ? reported + rng.between(0.1, 6) * HOUR_MS : undefined;
    const closedAt = closed ? (acceptedAt ?? reported) + rng.between(1, 120) * HOUR_MS : undefined;
    const rating = closed && rng.chance(0.6) ? [1, 2, 3, 4, 4, 5, 5, 5, 5, 5][rng.int(0, 9)] : undefined;
    const channel = rng.chance(0.9) ? '' : rng.pick(['patrol', 'referral', 'resident-app']);
    const fields: Record<(typeof HISTORIC_COLUMNS)[number], string> = {
      report_id: `${prefix}${String(n).padStart(8, '0')}`,
      reported_at: beijing(reported),
      category: category.code,
      lng: point[0].toFixed(7),
      lat: point[1].toFixed(7),
      crs: gcj ? 'GCJ-02' : '',
      channel,
      description: describe(rng, category, 'hotline', place),
      status: closed ? 'closed' : 'open',
      closed_at: closedAt ? beijing(closedAt) : '',
      accepted_at: acceptedAt ? beijing(acceptedAt) : '',
      rating: rating ? String(rating) : '',
    };
    yield HISTORIC_COLUMNS.map((c) => csvField(fields[c])).join(',');
  }
}

/** Writes the records to a file, a megabyte at a time, with backpressure. */
export async function writeHistoricCsv(path: string, input: HistoricRowsInput, options: HistoricRowsOptions): Promise<void> {
  const out = createWriteStream(path);
  let buffer: string[] = [];
  let size = 0;
  for (const line of historicRows(input, options)) {
    buffer.push(line);
    size += line.length + 1;
    if (size > 1 << 20) {
      if (!out.write(`${buffer.join('\n')}\n`)) await once(out, 'drain');
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length > 0) out.write(`${buffer.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
}
