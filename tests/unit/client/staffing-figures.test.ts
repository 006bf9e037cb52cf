import { describe, expect, it } from 'vitest';
import type { StaffingAnswer, StaffMember } from '../../../core/protocol/analytics-api.ts';
import { communityCoverage, coverageOf, gapsByCommunity, gapsOf, linksOf, peopleByLoad, summaryOf } from '../../../client/staffing/staffing-figures.ts';

const person = (id: string, grids: string[], openCases = 0, overdueCases = 0, onDuty = true): StaffMember => ({ id, name: id, departmentCode: 'cg', streetCode: '110108001', phone: '010-1', onDuty, grids, openCases, overdueCases });
const grid = (gridCode: string, people: string[], lng: number, departmentsCovered = people.length) => ({ gridCode, lng, lat: 40, people, departmentsCovered, onDuty: people.length });

const answer: StaffingAnswer = {
  department: 'cg',
  within: null,
  now: '2026-11-27T02:00:00Z',
  grids: [grid('110108001001001', ['a'], 116.1), grid('110108001001002', ['b'], 116.2), grid('110108001001003', [], 116.3), grid('110108001002001', ['b'], 116.4), grid('110108001002002', [], 116.5)],
  people: [person('a', ['110108001001001'], 3, 0), person('b', ['110108001002001', '110108001001002', '110108009001001'], 3, 1, false)],
};

describe('the staffing layer', () => {
  it('colours each grid by the people of the department covering it, and finds the gaps per grid and per community', () => {
    expect(Object.fromEntries(coverageOf(answer))).toEqual({ '110108001001001': 1, '110108001001002': 1, '110108001001003': 0, '110108001002001': 1, '110108001002002': 0 });
    expect(gapsOf(answer).map((g) => g.gridCode)).toEqual(['110108001001003', '110108001002002']);
    expect(Object.fromEntries(gapsByCommunity(answer))).toEqual({ '110108001001': 1, '110108001002': 1 });
    expect(summaryOf(answer)).toEqual({ grids: 5, gaps: 2, people: 2, manyGridPeople: 1, offDuty: 1 });
  });

  it('counts departments covered when all 13 are shown', () => {
    const all = { ...answer, department: null, grids: [grid('110108001001001', ['a', 'x'], 116.1, 2)] };
    expect(Object.fromEntries(coverageOf(all))).toEqual({ '110108001001001': 2 });
  });

  it('sorts people by overdue, then open cases, then grids', () => {
    const people = [person('c', ['g1'], 5, 0), person('d', ['g1', 'g2'], 5, 0), person('e', ['g1'], 1, 2), person('f', ['g1'], 5, 0)];
    expect(peopleByLoad(people).map((p) => p.id)).toEqual(['e', 'c', 'f', 'd']);
  });

  it("links one person's grids from the first to each other, leaving out grids outside the answer", () => {
    const { points, links } = linksOf(answer.people[1]!, answer);
    expect(points).toEqual([
      [116.2, 40],
      [116.4, 40],
    ]);
    expect(links).toEqual([{ from: [116.2, 40], to: [116.4, 40] }]);
    expect(linksOf(answer.people[0]!, answer).links).toEqual([]);
  });
});

describe('the staffing layer zoomed out', () => {
  it('marks a community covered only when every grid of it has somebody', () => {
    const full = { ...answer, grids: answer.grids.map((g) => ({ ...g, people: g.people.length > 0 ? g.people : ['z'] })) };
    expect(Object.fromEntries(communityCoverage(answer))).toEqual({ '110108001001': 0, '110108001002': 0 });
    expect(Object.fromEntries(communityCoverage(full))).toEqual({ '110108001001': 1, '110108001002': 1 });
  });
});
