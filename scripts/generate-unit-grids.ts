/**
 * Generates the fine grid for scale work: ~10,000 m² unit grids (万米单元网格) inside each community of
 * the reference geography, deterministically from the seed:
 *   npm run generate:unit-grids            # → geodata/build/unit-grids/{district,streets,communities,grids}.geojson
 * Units are Voronoi cells of one diagram over the district, seeded per community and relaxed; each
 * community and street of this set is the union of its units, so the set tiles exactly (its outlines
 * follow unit edges and so differ slightly from the community-grid set's). Load it with
 *   npm run import:geography -- --dir geodata/build/unit-grids
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Feature, MultiPolygon } from 'geojson';
import type { MultiPolygonRings } from '../core/geo/lng-lat.ts';
import { createLocalProjection } from '../core/geo/local-projection.ts';
import { areaSquareMeters } from '../core/geo/multipolygon-measures.ts';
import { GEODATA_SEED } from './geodata/geodata-seed.ts';
import { numberHierarchy } from './geodata/number-hierarchy.ts';
import { unite } from '../core/geo/overlay.ts';
import { planarCentroid } from './geodata/planar-geometry.ts';
import { relaxSeeds, sampleSeeds } from './geodata/relax-seeds.ts';
import { createRandom, deriveSeed } from './geodata/seeded-random.ts';
import { tileHierarchy, type SeedGroup } from './geodata/tile-hierarchy.ts';
import { unitGridsStamp } from './geodata/unit-grids-stamp.ts';
import { writeFeatureCollection } from './geodata/write-feature-collection.ts';
import { asMultiPolygon, ringsOf } from '../core/geo/geojson-rings.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'geodata/build/unit-grids' },
    'unit-square-meters': { type: 'string', default: '10000' },
    'lloyd-rounds': { type: 'string', default: '2' },
  },
});
const unitSquareMeters = Number(values['unit-square-meters']);
const started = Date.now();

type Props = Record<string, unknown> & { code: string; name: string };
const load = (name: string): Feature<MultiPolygon, Props>[] =>
  JSON.parse(readFileSync(new URL(`../geodata/haidian/${name}.geojson`, import.meta.url), 'utf8')).features;
const district = load('district')[0]!;
const streets = load('streets');
const communities = load('communities');
const districtRings = ringsOf(district.geometry);
const projection = createLocalProjection(planarCentroid(districtRings));
const lngScale = projection.metersPerDegreeLng / projection.metersPerDegreeLat;

const groups: SeedGroup[] = communities.map((c) => {
  const rings = ringsOf(c.geometry);
  const count = Math.max(1, Math.round(areaSquareMeters(rings) / unitSquareMeters));
  if (count > 999) throw new Error(`community ${c.properties.code} would need ${count} units; codes allow 999`);
  const rng = createRandom(deriveSeed(GEODATA_SEED, `unit-${c.properties.code}`));
  return {
    communityKey: c.properties.code,
    streetKey: String(c.properties['streetCode']),
    seeds: relaxSeeds(sampleSeeds(rings, count, rng), rings, Number(values['lloyd-rounds']), lngScale),
  };
});
console.error(`seeded ${groups.reduce((n, g) => n + g.seeds.length, 0)} units in ${(Date.now() - started) / 1000} s`);
const tiled = tileHierarchy(districtRings, groups, lngScale);
const numbered = numberHierarchy(tiled, streets.map((s) => ({ code: s.properties.code })), projection.metersPerDegreeLat, true);
const nameOf = new Map(communities.map((c) => [c.properties.code, c.properties.name]));

mkdirSync(values.out, { recursive: true });
const feature = (properties: Props, rings: MultiPolygonRings): Feature<MultiPolygon, Props> => ({
  type: 'Feature',
  properties,
  geometry: asMultiPolygon(rings),
});
writeFeatureCollection(`${values.out}/district.geojson`, [feature({ ...district.properties }, unite(...numbered.streets.values()))]);
writeFeatureCollection(
  `${values.out}/streets.geojson`,
  streets.map((s) => feature({ ...s.properties }, numbered.streets.get(s.properties.code)!)),
);
writeFeatureCollection(
  `${values.out}/communities.geojson`,
  numbered.communities.map((c) => feature({ code: c.code, name: nameOf.get(c.code) ?? c.code, streetCode: c.streetCode }, c.rings)),
);
writeFeatureCollection(
  `${values.out}/grids.geojson`,
  numbered.grids.map((g) => feature({ code: g.code, name: `单元网格${g.code.slice(12)}`, communityCode: g.communityCode, streetCode: g.streetCode }, g.rings)),
);
// Written last: a set is only current once every file of it is.
writeFileSync(`${values.out}/stamp.txt`, `${unitGridsStamp()}\n`);
console.log(
  JSON.stringify({
    units: numbered.grids.length,
    communities: numbered.communities.length,
    multipart: tiled.multipart.length,
    meanUnitSquareMeters: numbered.grids.reduce((a, g) => a + areaSquareMeters(g.rings), 0) / numbered.grids.length,
    seconds: (Date.now() - started) / 1000,
  }),
);
