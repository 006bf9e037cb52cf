import { describe, expect, it } from 'vitest';
import type { BBox } from '../../../core/geo/lng-lat.ts';
import { DEFAULT_TOLERANCES, type GeographyProblem, type ProblemKind, validateGeography } from '../../../core/geography/validate-geography.ts';
import {
  bowTieIn, boxOf, buildHierarchy, childCodesOf, grownBox, isInside, rectangleSquareMeters, toGeographyInput,
  withBox, withCode, withCoordinates, withoutFeatures, type Hierarchy,
} from '../../fixtures/geography-builders.ts';

// The fixture: district 110108; streets 110108901 (west) and 110108902 (east); communities …001
// (south) and …002 (north) in each; grids cut each community into 2 or 3 columns.
const WEST_SOUTH_COMMUNITY = '110108901001';
const GRID_A = '110108901001001';
const GRID_B = '110108901001002';

function validate(hierarchy: Hierarchy, tolerances = DEFAULT_TOLERANCES) {
  return validateGeography(toGeographyInput(hierarchy), tolerances);
}

function problemOf(problems: readonly GeographyProblem[], kind: ProblemKind): GeographyProblem {
  const found = problems.find((p) => p.kind === kind);
  if (!found) throw new Error(`no ${kind} problem among: ${problems.map((p) => p.message).join('; ')}`);
  return found;
}

function expectWithinOnePercent(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! / expected - 1)).toBeLessThan(0.01);
}

describe('validateGeography on a valid hierarchy', () => {
  it('reports ok with no problems', () => {
    const report = validate(buildHierarchy());
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('finds each level summing to the district with no measurable error', () => {
    const { levels } = validate(buildHierarchy());
    for (const level of ['street', 'community', 'grid'] as const) expect(Math.abs(levels[level]!.areaSumError)).toBeLessThan(1e-9);
  });

  it('counts the areas of each level', () => {
    const { levels } = validate(buildHierarchy({ gridsPerCommunity: [2, 3, 3, 2] }));
    expect([levels.street?.count, levels.community?.count, levels.grid?.count]).toEqual([2, 4, 10]);
  });

  it("measures the district's area as rectangle arithmetic does, within 1 %", () => {
    const hierarchy = buildHierarchy();
    expectWithinOnePercent(validate(hierarchy).districtSquareMeters, rectangleSquareMeters(boxOf(hierarchy.district, '110108')));
  });
});

describe('validateGeography on overlaps', () => {
  // Grid A's east edge pushed 0.001° (≈ 85 m) into grid B, its neighbour in the same community.
  const hierarchy = buildHierarchy();
  const boxA = boxOf(hierarchy.grids, GRID_A);
  const overlapBox: BBox = [boxA[2], boxA[1], boxA[2] + 0.001, boxA[3]];
  const overlapping = { ...hierarchy, grids: withBox(hierarchy.grids, GRID_A, grownBox(boxA, { east: 0.001 })) };

  it('reports an overlap naming both grids', () => {
    const overlap = problemOf(validate(overlapping).problems, 'overlap');
    expect(overlap.level).toBe('grid');
    expect([overlap.code, overlap.otherCode].sort()).toEqual([GRID_A, GRID_B]);
    expect(overlap.message).toContain(GRID_A);
    expect(overlap.message).toContain(GRID_B);
  });

  it('gives the overlap its area in square metres, within 1 % of the rectangle arithmetic', () => {
    const overlap = problemOf(validate(overlapping).problems, 'overlap');
    expectWithinOnePercent(overlap.squareMeters, rectangleSquareMeters(overlapBox));
  });

  it('locates the overlap at a point inside it', () => {
    const overlap = problemOf(validate(overlapping).problems, 'overlap');
    expect(isInside(overlap.at, overlapBox)).toBe(true);
    expect(overlap.message).toMatch(/ near \(116\.\d{6}, 39\.\d{6}\)$/);
  });

  it('does not report an overlap smaller than the overlap tolerance', () => {
    // 1e-6° ≈ 0.085 m wide and 1.1 km long: about 95 m², under a 200 m² tolerance.
    const sliver = { ...hierarchy, grids: withBox(hierarchy.grids, GRID_A, grownBox(boxA, { east: 1e-6 })) };
    const report = validate(sliver, { ...DEFAULT_TOLERANCES, overlapSquareMeters: 200 });
    expect(report.problems).toEqual([]);
    expect(report.levels.grid?.overlapSquareMeters).toBeGreaterThan(50);
  });

  it('reports the same sliver when the tolerance is below it', () => {
    const sliver = { ...hierarchy, grids: withBox(hierarchy.grids, GRID_A, grownBox(boxA, { east: 1e-6 })) };
    expect(validate(sliver).problems.map((p) => p.kind)).toEqual(['overlap']);
  });
});

describe('validateGeography on coverage', () => {
  it('reports a missing grid as a gap in its community, with the gap area and a point inside it', () => {
    const hierarchy = buildHierarchy();
    const missing = '110108902001002';
    const box = boxOf(hierarchy.grids, missing);
    const gap = problemOf(validate({ ...hierarchy, grids: withoutFeatures(hierarchy.grids, missing) }).problems, 'gap');
    expect(gap).toMatchObject({ level: 'grid', code: '110108902001' });
    expectWithinOnePercent(gap.squareMeters, rectangleSquareMeters(box));
    expect(isInside(gap.at, box)).toBe(true);
  });

  it('says where the gap is in its message', () => {
    const hierarchy = buildHierarchy();
    const gap = problemOf(validate({ ...hierarchy, grids: withoutFeatures(hierarchy.grids, '110108902001002') }).problems, 'gap');
    expect(gap.message).toMatch(/^gap of [\d,]+ m² in community 110108902001 that no grid covers near \(116\.\d{6}, 39\.\d{6}\)$/);
  });

  it('reports a grid reaching outside its community as outside-parent, with the spill area and place', () => {
    const hierarchy = buildHierarchy();
    const boxA = boxOf(hierarchy.grids, GRID_A);
    const spillBox: BBox = [boxA[0], boxA[1] - 0.001, boxA[2], boxA[1]];
    const spilling = { ...hierarchy, grids: withBox(hierarchy.grids, GRID_A, grownBox(boxA, { south: 0.001 })) };
    const spill = problemOf(validate(spilling).problems, 'outside-parent');
    expect(spill).toMatchObject({ level: 'grid', code: WEST_SOUTH_COMMUNITY });
    expectWithinOnePercent(spill.squareMeters, rectangleSquareMeters(spillBox));
    expect(isInside(spill.at, spillBox)).toBe(true);
  });

  it('reports a community without grids as no-children', () => {
    const hierarchy = buildHierarchy();
    const empty = '110108902002';
    const report = validate({ ...hierarchy, grids: withoutFeatures(hierarchy.grids, ...childCodesOf(hierarchy.grids, empty)) });
    expect(report.problems).toContainEqual({ kind: 'no-children', level: 'community', code: empty, message: 'community 110108902002 has no grids' });
  });

  it("reports an area-sum mismatch when a whole street's communities are missing", () => {
    const hierarchy = buildHierarchy();
    const street = '110108902';
    const report = validate({
      ...hierarchy,
      communities: withoutFeatures(hierarchy.communities, ...childCodesOf(hierarchy.communities, street)),
      grids: withoutFeatures(hierarchy.grids, ...childCodesOf(hierarchy.grids, street)),
    });
    const mismatch = report.problems.find((p) => p.kind === 'area-mismatch' && p.level === 'community');
    expect(mismatch?.code).toBe('110108');
    expect(mismatch?.message).toContain('-50.000 % off');
    expect(report.levels.community?.areaSumError).toBeCloseTo(-0.5, 6);
  });
});

describe('validateGeography on codes', () => {
  it('reports a duplicate code, and only that', () => {
    const hierarchy = buildHierarchy();
    const report = validate({ ...hierarchy, grids: withCode(hierarchy.grids, GRID_B, GRID_A) });
    expect(report.problems).toEqual([{ kind: 'duplicate-code', level: 'grid', code: GRID_A, message: `grid code ${GRID_A} appears more than once` }]);
  });

  it('reports a code of the wrong shape with the shape it should have', () => {
    const hierarchy = buildHierarchy();
    const report = validate({ ...hierarchy, grids: withCode(hierarchy.grids, GRID_B, '11010890100100') });
    expect(report.problems).toEqual([{ kind: 'bad-code', level: 'grid', code: '11010890100100', message: 'grid code "11010890100100" is not 15 digits (community 12 + grid 3)' }]);
  });

  it('reports a grid whose community is not in the import as an orphan', () => {
    const hierarchy = buildHierarchy();
    const report = validate({ ...hierarchy, grids: withCode(hierarchy.grids, GRID_B, '110108901009001') });
    expect(report.problems).toContainEqual({
      kind: 'orphan', level: 'grid', code: '110108901009001', message: 'grid 110108901009001 belongs to 110108901009, which is not in the import',
    });
  });

  it('reports nothing but the code problems, leaving topology unchecked', () => {
    const hierarchy = buildHierarchy();
    const report = validate({ ...hierarchy, grids: withCode(hierarchy.grids, GRID_B, '110108901009001') });
    expect(report.ok).toBe(false);
    expect(report.levels).toEqual({});
  });
});

describe('validateGeography on geometry', () => {
  it('reports an invalid ring with the area code and where', () => {
    const hierarchy = buildHierarchy();
    const box = boxOf(hierarchy.grids, GRID_B);
    const report = validate({ ...hierarchy, grids: withCoordinates(hierarchy.grids, GRID_B, bowTieIn(box)) });
    const invalid = problemOf(report.problems, 'invalid-geometry');
    expect(invalid).toMatchObject({ level: 'grid', code: GRID_B });
    expect(invalid.message).toMatch(new RegExp(`^grid ${GRID_B}: ring 0 intersects itself near \\(116\\.\\d{6}, 39\\.\\d{6}\\)$`));
    expect(invalid.at).toBeDefined();
  });
});
