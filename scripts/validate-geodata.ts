/**
 * Proves the committed reference geography (or any set of files) tiles cleanly:
 *   npm run validate:geodata                 # geodata/haidian/*
 *   npm run validate:geodata -- --dir geodata/build/unit-grids
 * Prints the report; exits 1 when a problem is found. Last line: one JSON summary.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readAreaFeatures } from '../core/geography/read-area-features.ts';
import { validateGeography } from '../core/geography/validate-geography.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'geodata/haidian' },
    district: { type: 'string' },
    streets: { type: 'string' },
    communities: { type: 'string' },
    grids: { type: 'string' },
  },
});
const fileOf = (level: 'district' | 'streets' | 'communities' | 'grids'): string => values[level] ?? `${values.dir}/${level}.geojson`;

const started = Date.now();
const read = (level: 'district' | 'street' | 'community' | 'grid', path: string) => readAreaFeatures(level, path, JSON.parse(readFileSync(path, 'utf8')));
const district = read('district', fileOf('district'));
const streets = read('street', fileOf('streets'));
const communities = read('community', fileOf('communities'));
const grids = read('grid', fileOf('grids'));
const readProblems = [district, streets, communities, grids].flatMap((r) => r.problems);
const districtArea = district.areas[0];
if (readProblems.length > 0 || !districtArea) {
  for (const p of readProblems) console.error(`✗ ${p.message}`);
  process.exit(1);
}
const report = validateGeography({ district: districtArea, streets: streets.areas, communities: communities.areas, grids: grids.areas });
for (const p of report.problems.slice(0, 200)) console.error(`✗ ${p.message}`);
if (report.problems.length > 200) console.error(`… and ${report.problems.length - 200} more`);
for (const [level, s] of Object.entries(report.levels)) {
  console.log(
    `${level.padEnd(9)} ${String(s.count).padStart(6)} areas, sum ${(s.squareMeters / 1e6).toFixed(4)} km² (${(s.areaSumError * 100).toFixed(5)} % off the district), ` +
      `overlaps ${s.overlapSquareMeters.toExponential(2)} m² in all (largest ${s.largestOverlapSquareMeters.toExponential(2)} m²), gaps ${s.gapSquareMeters.toExponential(2)} m²`,
  );
}
console.log(JSON.stringify({ ok: report.ok, problems: report.problems.length, districtSquareKilometers: report.districtSquareMeters / 1e6, levels: report.levels, seconds: (Date.now() - started) / 1000 }));
process.exit(report.ok ? 0 : 1);
