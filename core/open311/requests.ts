/**
 * Our cases as GeoReport service requests. A case's seven-step status becomes the spec's two
 * (`open` / `closed`), the step it is at goes in words into `status_notes`. Nothing of the reporter
 * (name, phone, email, account) is ever part of a request. Pure: the caller supplies the names.
 */
import type { CaseEventType } from '../case-loop/case-events.ts';
import type { CaseStatus } from '../case-loop/case-state.ts';
import type { Category, Department } from '../catalogue/catalogue.ts';
import type { LngLat } from '../geo/lng-lat.ts';
import { formatW3cDateTime } from './dates.ts';
import type { O311Request, Open311Locale } from './georeport-types.ts';
import { serviceNoticeOf } from './services.ts';

/** Our statuses on the spec's two: still being worked on, or finished (closed, rejected, merged). */
export const OPEN311_STATUS: Readonly<Record<CaseStatus, 'open' | 'closed'>> = {
  queued: 'open',
  dispatched: 'open',
  handling: 'open',
  feedback: 'open',
  linked: 'open',
  closed: 'closed',
  rejected: 'closed',
  merged: 'closed',
};

/** Our statuses that are each of the spec's two (for filtering by `status`). */
export function caseStatusesOf(status: 'open' | 'closed'): CaseStatus[] {
  return (Object.keys(OPEN311_STATUS) as CaseStatus[]).filter((s) => OPEN311_STATUS[s] === status);
}

/**
 * Events that are steps of the loop, described in `status_notes`. The others are bookkeeping that
 * a resident need not read (a "me too", a deadline mark, a rating, an extension request, a formal notice).
 */
export const STEP_EVENT_TYPES: readonly CaseEventType[] = [
  'filed', 'imported', 'dispatched', 'queued', 'linked', 'rejected', 'merged', 'unlinked', 'accepted', 'returned',
  'extension-decided', 'feedback', 'handled-on-spot', 'closed', 'rework', 'reopened', 'escalated', 'moved',
];

/** What the store knows of a case that a service request shows. */
export interface Open311CaseFacts {
  readonly number: string;
  readonly category: string;
  readonly status: CaseStatus;
  readonly description: string;
  readonly departmentCode: string | null;
  /** ISO 8601 times. */
  readonly reportedAt: string;
  readonly resolveDueAt: string | null;
  readonly closedAt: string | null;
  readonly point: LngLat;
  readonly gridCode: string | null;
  readonly communityCode: string | null;
  readonly streetCode: string | null;
  readonly photos: readonly string[];
  /** The queue it waits in (for the words of a `queued` step). */
  readonly queueKind: 'person' | 'street' | 'district';
  /** Linked: the original's number; merged: the case it was merged into. */
  readonly duplicateOfNumber: string | null;
  /** The latest event of STEP_EVENT_TYPES, with what it says. */
  readonly lastStep: { readonly type: CaseEventType; readonly at: string; readonly data: Readonly<Record<string, unknown>> } | null;
}

export interface Open311Names {
  category(code: string): Category | undefined;
  department(code: string): Department | undefined;
  /** The name of a district, street, community or grid. */
  area(code: string): string | undefined;
}

function text(data: Readonly<Record<string, unknown>>, key: string): string {
  const v = data[key];
  return typeof v === 'string' ? v : '';
}

/** The step a case is at, in words: "dispatched to 城管大队", "rejected: <reason>", "merged into HD…". */
export function statusNotesOf(facts: Open311CaseFacts, names: Open311Names, locale: Open311Locale): string {
  const zh = locale === 'zh';
  const dept = facts.departmentCode ? (names.department(facts.departmentCode)?.[locale] ?? facts.departmentCode) : zh ? '责任部门' : 'the responsible department';
  const step = facts.lastStep;
  const data = step?.data ?? {};
  const queued = (): string =>
    facts.queueKind === 'district' ? (zh ? '待区指挥中心派遣' : 'waiting for the district command centre to dispatch it') : zh ? '待街乡分中心派遣' : 'waiting for the street/town sub-centre to dispatch it';
  switch (step?.type) {
    case 'rejected':
      return zh ? `不予立案：${text(data, 'reason')}` : `rejected: ${text(data, 'reason')}`;
    case 'merged':
      return zh ? `已合并至 ${text(data, 'intoCaseNumber') || facts.duplicateOfNumber}` : `merged into ${text(data, 'intoCaseNumber') || facts.duplicateOfNumber}`;
    case 'linked':
      return zh ? `疑似重复，已关联至未结案件 ${facts.duplicateOfNumber ?? ''}` : `likely duplicate of open request ${facts.duplicateOfNumber ?? ''}; linked to it`;
    case 'unlinked':
      return zh ? `确认非重复，${queued()}` : `not a duplicate after all; ${queued()}`;
    case 'dispatched':
      return zh ? `已派遣至${dept}` : `dispatched to ${dept}`;
    case 'queued':
    case 'returned':
      return queued();
    case 'moved':
      return facts.status === 'dispatched' ? (zh ? `已改至正确网格并派遣至${dept}` : `moved to the right grid and dispatched to ${dept}`) : zh ? `已改至正确网格，${queued()}` : `moved to the right grid; ${queued()}`;
    case 'accepted':
      return zh ? `${dept}已受理，正在处置` : `accepted by ${dept}; being handled`;
    case 'extension-decided':
      return data['approved'] === true ? (zh ? '处置期限已延长，正在处置' : 'deadline extended; being handled') : zh ? '正在处置' : 'being handled';
    case 'feedback':
      return zh ? '已处置，待核查' : 'handled; awaiting verification';
    case 'handled-on-spot':
      return zh ? '网格员已现场处置，待核查' : 'handled on the spot by the grid worker; awaiting verification';
    case 'closed':
      return zh ? '已核查结案' : 'verified and closed';
    case 'rework':
      return zh ? '核查未通过，返工处置中' : 'verification failed; being reworked';
    case 'reopened':
      return zh ? '回访未解决，已重新派遣' : 'reopened after the call-back: not fixed';
    case 'escalated':
      return data['to'] === 'district' ? (zh ? '已升级至区指挥中心督办' : 'escalated to the district command centre') : zh ? '已升级至街乡分中心督办' : 'escalated to the street/town sub-centre';
    case 'imported':
      return zh ? '历史记录导入' : 'imported from historic records';
    case 'filed':
    case undefined:
    default:
      return zh ? '已受理登记' : 'received';
  }
}

/** A case's place from the most specific to the most general: grid, community, street/town, district. */
export function addressOf(facts: Open311CaseFacts, names: Open311Names): string | null {
  if (!facts.gridCode) return null;
  const parts = [facts.gridCode, facts.communityCode, facts.streetCode, facts.gridCode.slice(0, 6)].map((c) => (c ? names.area(c) : undefined)).filter((n): n is string => !!n);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** A web address of the case's first photo (an upload id is not one: no media_url then). */
export function mediaUrlOf(photos: readonly string[]): string | null {
  return photos.find((p) => /^https?:\/\//i.test(p)) ?? null;
}

/** GET requests: a case as a service request, without any reporter data. */
export function requestOf(facts: Open311CaseFacts, names: Open311Names, locale: Open311Locale): O311Request {
  const category = names.category(facts.category);
  const department = facts.departmentCode ? names.department(facts.departmentCode) : undefined;
  const status = OPEN311_STATUS[facts.status];
  const updated = status === 'closed' ? (facts.closedAt ?? facts.lastStep?.at) : (facts.lastStep?.at ?? facts.reportedAt);
  return {
    service_request_id: facts.number,
    status,
    status_notes: statusNotesOf(facts, names, locale),
    service_name: category ? category[locale] : null,
    service_code: facts.category,
    description: facts.description === '' ? null : facts.description,
    agency_responsible: department ? department[locale] : null,
    service_notice: status === 'open' && category ? serviceNoticeOf(category, department, locale) : null,
    requested_datetime: formatW3cDateTime(facts.reportedAt),
    updated_datetime: updated ? formatW3cDateTime(updated) : null,
    expected_datetime: facts.resolveDueAt ? formatW3cDateTime(facts.resolveDueAt) : null,
    address: addressOf(facts, names),
    address_id: facts.gridCode,
    zipcode: null,
    lat: facts.point[1],
    long: facts.point[0],
    media_url: mediaUrlOf(facts.photos),
  };
}
