import { describe, expect, it } from 'vitest';
import type { DispatchReason } from '../../../core/dispatch/dispatch-decision.ts';
import { describeDispatch, type NameLookup } from '../../../core/dispatch/describe-dispatch.ts';

const GRID = '110108011003007';
const GRID_LABEL = '110108011003-007';

/** A name lookup that knows one department in one language (the caller picks the language of the name). */
function buildNames(departments: Readonly<Record<string, string>> = { CG: '城管大队' }): NameLookup {
  return { department: (code) => departments[code] ?? code };
}

function buildLeastLoaded(overrides: Partial<Extract<DispatchReason, { code: 'least-loaded' }>> = {}): DispatchReason {
  return { code: 'least-loaded', gridCode: GRID, departmentCode: 'CG', candidates: 2, openCases: 3, ...overrides };
}

describe('describeDispatch: least-loaded', () => {
  it('reads in Chinese with the grid label, department, candidates and load', () => {
    expect(describeDispatch(buildLeastLoaded(), 'zh', buildNames())).toBe(`网格 ${GRID_LABEL}，部门 城管大队，2 名在岗人员，派给在办案件最少者（3 件）`);
  });

  it('reads in English with a plural for several candidates', () => {
    expect(describeDispatch(buildLeastLoaded(), 'en', buildNames({ CG: 'City Management' }))).toBe(`grid ${GRID_LABEL}, department City Management, 2 candidates, least loaded (3 open)`);
  });

  it('reads in English with a singular for one candidate', () => {
    expect(describeDispatch(buildLeastLoaded({ candidates: 1, openCases: 0 }), 'en', buildNames({ CG: 'City Management' }))).toBe(`grid ${GRID_LABEL}, department City Management, 1 candidate, least loaded (0 open)`);
  });

  it('asks the lookup for the department code of the reason', () => {
    const asked: string[] = [];
    describeDispatch(buildLeastLoaded({ departmentCode: 'SW' }), 'en', { department: (code) => (asked.push(code), code) });
    expect(asked).toEqual(['SW']);
  });
});

describe('describeDispatch: nobody-assigned', () => {
  const reason: DispatchReason = { code: 'nobody-assigned', gridCode: GRID, departmentCode: 'CG' };

  it('reads in Chinese', () => {
    expect(describeDispatch(reason, 'zh', buildNames())).toBe(`网格 ${GRID_LABEL} 没有 城管大队 的人员，转街镇分中心`);
  });

  it('reads in English', () => {
    expect(describeDispatch(reason, 'en', buildNames({ CG: 'City Management' }))).toBe(`grid ${GRID_LABEL} has nobody from City Management: to the street/town sub-centre`);
  });
});

describe('describeDispatch: nobody-on-duty', () => {
  const reason: DispatchReason = { code: 'nobody-on-duty', gridCode: GRID, departmentCode: 'CG', offDuty: 3 };

  it('reads in Chinese with the number off duty', () => {
    expect(describeDispatch(reason, 'zh', buildNames())).toBe(`网格 ${GRID_LABEL} 的 城管大队 人员均不在岗（3 人），转街镇分中心`);
  });

  it('reads in English with the number off duty', () => {
    expect(describeDispatch(reason, 'en', buildNames({ CG: 'City Management' }))).toBe(`grid ${GRID_LABEL}: City Management staff all off duty (3): to the street/town sub-centre`);
  });
});

describe('describeDispatch: outside-grids', () => {
  it('reads in Chinese with the nearest grid and its distance rounded to the metre', () => {
    expect(describeDispatch({ code: 'outside-grids', nearestGridCode: GRID, distanceMeters: 36.6 }, 'zh', buildNames())).toBe(`不在任何网格内（最近网格 ${GRID_LABEL} 37 米），转区中心`);
  });

  it('reads in English with the nearest grid and its distance rounded to the metre', () => {
    expect(describeDispatch({ code: 'outside-grids', nearestGridCode: GRID, distanceMeters: 1234.4 }, 'en', buildNames())).toBe(`outside every grid (nearest grid ${GRID_LABEL} 1234 m): to the district centre`);
  });

  it('says 0 m when the nearest grid comes without a distance', () => {
    expect(describeDispatch({ code: 'outside-grids', nearestGridCode: GRID }, 'en', buildNames())).toBe(`outside every grid (nearest grid ${GRID_LABEL} 0 m): to the district centre`);
  });

  // With no nearest grid known (the router found none) the line must not carry an empty "nearest grid".
  it('names no nearest grid in English when none is known', () => {
    expect(describeDispatch({ code: 'outside-grids' }, 'en', buildNames())).not.toContain('nearest grid');
  });

  it('names no nearest grid in Chinese when none is known', () => {
    expect(describeDispatch({ code: 'outside-grids' }, 'zh', buildNames())).not.toContain('最近网格');
  });

  it('still says where the case goes when no nearest grid is known', () => {
    expect(describeDispatch({ code: 'outside-grids' }, 'en', buildNames())).toContain('to the district centre');
    expect(describeDispatch({ code: 'outside-grids' }, 'zh', buildNames())).toContain('转区中心');
  });
});

describe('describeDispatch: likely-duplicate', () => {
  const reason: DispatchReason = { code: 'likely-duplicate', originalCaseNumber: 'HD20261127-0001234', distanceMeters: 12.5 };

  it('reads in Chinese with the original case and the distance rounded', () => {
    expect(describeDispatch(reason, 'zh', buildNames())).toBe('疑似重复：13 米内同类未结案件 HD20261127-0001234');
  });

  it('reads in English with the original case and the distance rounded', () => {
    expect(describeDispatch(reason, 'en', buildNames())).toBe('likely duplicate of open case HD20261127-0001234, 13 m away');
  });
});

describe('describeDispatch: every reason code', () => {
  const reasons: DispatchReason[] = [
    buildLeastLoaded(),
    { code: 'nobody-assigned', gridCode: GRID, departmentCode: 'CG' },
    { code: 'nobody-on-duty', gridCode: GRID, departmentCode: 'CG', offDuty: 1 },
    { code: 'outside-grids', nearestGridCode: GRID, distanceMeters: 5 },
    { code: 'likely-duplicate', originalCaseNumber: 'HD20261127-0000001', distanceMeters: 3 },
  ];

  it.each(reasons.map((r) => [r.code, r] as const))('gives %s different lines in zh and en', (_code, reason) => {
    const zh = describeDispatch(reason, 'zh', buildNames());
    const en = describeDispatch(reason, 'en', buildNames());
    expect(zh).not.toBe(en);
    expect(zh.length).toBeGreaterThan(0);
    expect(en.length).toBeGreaterThan(0);
  });

  it.each(reasons.map((r) => [r.code, r] as const))('writes %s in English without Chinese characters when the department name is English', (_code, reason) => {
    expect(describeDispatch(reason, 'en', buildNames({ CG: 'City Management' }))).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
