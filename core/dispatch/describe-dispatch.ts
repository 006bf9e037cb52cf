import type { ManualDispatchReason } from '../case-loop/case-events.ts';
import type { DispatchReason } from './dispatch-decision.ts';

export type Language = 'zh' | 'en';

export interface NameLookup {
  department(code: string): string;
}

function gridLabel(code: string): string {
  // 110108011003007 → 110108011003-007: the community, then the grid within it.
  return `${code.slice(0, 12)}-${code.slice(12)}`;
}

/** One line for the case timeline: "grid 110108011003-007, department 城管大队, 2 candidates, least loaded". */
export function describeDispatch(reason: DispatchReason | ManualDispatchReason, language: Language, names: NameLookup): string {
  const zh = language === 'zh';
  switch (reason.code) {
    case 'least-loaded':
      return zh
        ? `网格 ${gridLabel(reason.gridCode)}，部门 ${names.department(reason.departmentCode)}，${reason.candidates} 名在岗人员，派给在办案件最少者（${reason.openCases} 件）`
        : `grid ${gridLabel(reason.gridCode)}, department ${names.department(reason.departmentCode)}, ${reason.candidates} candidate${reason.candidates === 1 ? '' : 's'}, least loaded (${reason.openCases} open)`;
    case 'nobody-assigned':
      return zh
        ? `网格 ${gridLabel(reason.gridCode)} 没有 ${names.department(reason.departmentCode)} 的人员，转街镇分中心`
        : `grid ${gridLabel(reason.gridCode)} has nobody from ${names.department(reason.departmentCode)}: to the street/town sub-centre`;
    case 'nobody-on-duty':
      return zh
        ? `网格 ${gridLabel(reason.gridCode)} 的 ${names.department(reason.departmentCode)} 人员均不在岗（${reason.offDuty} 人），转街镇分中心`
        : `grid ${gridLabel(reason.gridCode)}: ${names.department(reason.departmentCode)} staff all off duty (${reason.offDuty}): to the street/town sub-centre`;
    case 'outside-grids': {
      if (reason.nearestGridCode === undefined) return zh ? '不在任何网格内，转区中心' : 'outside every grid: to the district centre';
      const near = `${gridLabel(reason.nearestGridCode)} ${Math.round(reason.distanceMeters ?? 0)} ${zh ? '米' : 'm'}`;
      return zh ? `不在任何网格内（最近网格 ${near}），转区中心` : `outside every grid (nearest grid ${near}): to the district centre`;
    }
    case 'dispatcher':
      return zh ? `调度员指派${reason.note ? `：${reason.note}` : ''}` : `dispatched by a dispatcher${reason.note ? `: ${reason.note}` : ''}`;
    case 'likely-duplicate':
      return zh
        ? `疑似重复：${Math.round(reason.distanceMeters)} 米内同类未结案件 ${reason.originalCaseNumber}`
        : `likely duplicate of open case ${reason.originalCaseNumber}, ${Math.round(reason.distanceMeters)} m away`;
  }
}
