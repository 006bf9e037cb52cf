import { describe, expect, it } from 'vitest';
import { decideDispatch, type DispatchCandidate, type DispatchInput } from '../../../core/dispatch/decide-dispatch.ts';

const GRID = '110108011003007';
const STREET = '110108011';
const DEPARTMENT = 'CG';

function buildCandidate(overrides: Partial<DispatchCandidate> = {}): DispatchCandidate {
  return { personId: 'P001', onDuty: true, openCases: 0, ...overrides };
}

function buildRoutedInput(candidates: readonly DispatchCandidate[]): DispatchInput {
  return { routed: true, gridCode: GRID, streetCode: STREET, departmentCode: DEPARTMENT, candidates };
}

describe('decideDispatch: a case on a grid with people on duty', () => {
  it('assigns the only candidate on duty', () => {
    expect(decideDispatch(buildRoutedInput([buildCandidate({ personId: 'P007', openCases: 4 })]))).toEqual({
      queue: { kind: 'person', personId: 'P007' },
      reason: { code: 'least-loaded', gridCode: GRID, departmentCode: DEPARTMENT, candidates: 1, openCases: 4 },
    });
  });

  it('assigns the candidate with the fewest open cases, wherever it is in the list', () => {
    const candidates = [buildCandidate({ personId: 'P001', openCases: 5 }), buildCandidate({ personId: 'P002', openCases: 3 }), buildCandidate({ personId: 'P003', openCases: 1 })];
    expect(decideDispatch(buildRoutedInput(candidates)).queue).toEqual({ kind: 'person', personId: 'P003' });
  });

  it('breaks a tie in open cases by the smaller person id', () => {
    const candidates = [buildCandidate({ personId: 'P009', openCases: 2 }), buildCandidate({ personId: 'P004', openCases: 2 }), buildCandidate({ personId: 'P006', openCases: 2 })];
    expect(decideDispatch(buildRoutedInput(candidates)).queue).toEqual({ kind: 'person', personId: 'P004' });
  });

  it('picks the same person whatever the order of the candidates', () => {
    const candidates = [buildCandidate({ personId: 'P003', openCases: 2 }), buildCandidate({ personId: 'P001', openCases: 2 }), buildCandidate({ personId: 'P002', openCases: 7 })];
    const chosen = new Set([candidates, [...candidates].reverse(), [candidates[1]!, candidates[2]!, candidates[0]!]].map((list) => JSON.stringify(decideDispatch(buildRoutedInput(list)))));
    expect(chosen.size).toBe(1);
  });

  it('compares person ids as strings, so P10 comes before P9 in a tie', () => {
    const candidates = [buildCandidate({ personId: 'P9', openCases: 1 }), buildCandidate({ personId: 'P10', openCases: 1 })];
    expect(decideDispatch(buildRoutedInput(candidates)).queue).toEqual({ kind: 'person', personId: 'P10' });
  });

  it('prefers a less loaded person over a smaller id', () => {
    const candidates = [buildCandidate({ personId: 'P001', openCases: 3 }), buildCandidate({ personId: 'P999', openCases: 2 })];
    expect(decideDispatch(buildRoutedInput(candidates)).queue).toEqual({ kind: 'person', personId: 'P999' });
  });

  it('skips an off-duty person even when they have the fewest open cases', () => {
    const candidates = [buildCandidate({ personId: 'P001', onDuty: false, openCases: 0 }), buildCandidate({ personId: 'P002', openCases: 9 })];
    expect(decideDispatch(buildRoutedInput(candidates)).queue).toEqual({ kind: 'person', personId: 'P002' });
  });

  it('counts only on-duty people as candidates in the reason', () => {
    const candidates = [buildCandidate({ personId: 'P001', onDuty: false }), buildCandidate({ personId: 'P002', openCases: 1 }), buildCandidate({ personId: 'P003', openCases: 2 })];
    expect(decideDispatch(buildRoutedInput(candidates)).reason).toEqual({ code: 'least-loaded', gridCode: GRID, departmentCode: DEPARTMENT, candidates: 2, openCases: 1 });
  });

  it('reports the chosen person\'s open cases before this one', () => {
    const candidates = [buildCandidate({ personId: 'P001', openCases: 12 }), buildCandidate({ personId: 'P002', openCases: 11 })];
    expect(decideDispatch(buildRoutedInput(candidates)).reason).toMatchObject({ openCases: 11 });
  });
});

describe('decideDispatch: nobody can take the case', () => {
  it('sends a case with nobody of the department on the grid to the street queue', () => {
    expect(decideDispatch(buildRoutedInput([]))).toEqual({
      queue: { kind: 'street', streetCode: STREET },
      reason: { code: 'nobody-assigned', gridCode: GRID, departmentCode: DEPARTMENT },
    });
  });

  it('sends a case whose people are all off duty to the street queue and counts them', () => {
    const candidates = [buildCandidate({ personId: 'P001', onDuty: false }), buildCandidate({ personId: 'P002', onDuty: false }), buildCandidate({ personId: 'P003', onDuty: false })];
    expect(decideDispatch(buildRoutedInput(candidates))).toEqual({
      queue: { kind: 'street', streetCode: STREET },
      reason: { code: 'nobody-on-duty', gridCode: GRID, departmentCode: DEPARTMENT, offDuty: 3 },
    });
  });
});

describe('decideDispatch: a case outside every grid', () => {
  it('sends it to the district queue with the nearest grid and its distance', () => {
    expect(decideDispatch({ routed: false, nearestGridCode: GRID, distanceMeters: 37.5 })).toEqual({
      queue: { kind: 'district' },
      reason: { code: 'outside-grids', nearestGridCode: GRID, distanceMeters: 37.5 },
    });
  });

  it('leaves the nearest grid out of the reason when none is known', () => {
    const decision = decideDispatch({ routed: false });
    expect(decision).toEqual({ queue: { kind: 'district' }, reason: { code: 'outside-grids' } });
    expect(Object.keys(decision.reason)).toEqual(['code']);
  });

  it('keeps a distance of zero metres', () => {
    expect(decideDispatch({ routed: false, nearestGridCode: GRID, distanceMeters: 0 }).reason).toEqual({ code: 'outside-grids', nearestGridCode: GRID, distanceMeters: 0 });
  });
});
