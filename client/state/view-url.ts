/**
 * The view a command-centre screen shows, held in the URL so that a view can be shared, bookmarked
 * or put on a wall by link and a reload restores it: the workspace (`mode`), the area drilled into
 * (`area`), what the areas are coloured by (`fill`), the queue's and the analyst's filters
 * (`cat`, `status`, `from`, `to`), the staffing layer's department (`dept`) and the camera
 * (`at=lng,lat,zoom`). The grid (`grid`) and case (`case`) selections have their own modules
 * (selection-url.ts, app-mode.ts) and are left as they are.
 *
 * Parsing is forgiving (a hand-edited link with a bad part keeps the good parts); writing drops
 * defaults so links stay short.
 */
import { levelOfCode } from '../../core/geography/area-code.ts';

export const WORKSPACES = ['supervisor', 'analyst', 'staffing'] as const;
export type Workspace = (typeof WORKSPACES)[number];

/** What the areas on the map are coloured by in the supervisor's view (live figures). */
export const FILL_MEASURES = ['open', 'overdue', 'dueSoon', 'escalated', 'none'] as const;
export type FillMeasure = (typeof FILL_MEASURES)[number];

/** Statuses the queue can be narrowed to: the case loop's open ones. */
export const QUEUE_STATUSES = ['queued', 'dispatched', 'handling', 'feedback', 'linked'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface MapCameraParam {
  readonly center: readonly [number, number];
  readonly zoom: number;
}

export interface ViewState {
  readonly workspace: Workspace;
  /** The street or community drilled into; undefined = the whole district. */
  readonly area: string | undefined;
  readonly fill: FillMeasure;
  readonly categories: readonly string[];
  readonly statuses: readonly QueueStatus[];
  /** Analyst window as typed (YYYY-MM-DD); undefined = the server's default (the last 30 days). */
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** Staffing: one department's code, undefined = all of them. */
  readonly department: string | undefined;
  readonly camera: MapCameraParam | undefined;
}

export const DEFAULT_VIEW: ViewState = {
  workspace: 'supervisor',
  area: undefined,
  fill: 'open',
  categories: [],
  statuses: [],
  from: undefined,
  to: undefined,
  department: undefined,
  camera: undefined,
};

const PARAM = { workspace: 'mode', area: 'area', fill: 'fill', categories: 'cat', statuses: 'status', from: 'from', to: 'to', department: 'dept', camera: 'at' } as const;

const CATEGORY_CODE = /^[A-Za-z0-9_-]{1,32}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEPARTMENT_CODE = /^[A-Za-z0-9_-]{1,32}$/;

function listOf(raw: string | null): string[] {
  if (!raw) return [];
  return [...new Set(raw.split(',').map((part) => part.trim()).filter(Boolean))];
}

function oneOf<T extends string>(values: readonly T[], raw: string | null): T | undefined {
  return values.find((value) => value === raw);
}

function cameraOf(raw: string | null): MapCameraParam | undefined {
  if (!raw) return undefined;
  const parts = raw.split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return undefined;
  const [lng, lat, zoom] = parts as [number, number, number];
  if (lng < -180 || lng > 180 || lat < -85 || lat > 85 || zoom < 0 || zoom > 22) return undefined;
  return { center: [lng, lat], zoom };
}

export function viewFromUrl(href: string): ViewState {
  const params = new URL(href).searchParams;
  const area = params.get(PARAM.area)?.trim();
  const areaLevel = area ? levelOfCode(area) : undefined;
  const from = params.get(PARAM.from)?.trim();
  const to = params.get(PARAM.to)?.trim();
  const department = params.get(PARAM.department)?.trim();
  return {
    workspace: oneOf(WORKSPACES, params.get(PARAM.workspace)) ?? DEFAULT_VIEW.workspace,
    // Only streets and communities are drilled into: a grid is a selection, the district is the default.
    area: areaLevel === 'street' || areaLevel === 'community' ? area : undefined,
    fill: oneOf(FILL_MEASURES, params.get(PARAM.fill)) ?? DEFAULT_VIEW.fill,
    categories: listOf(params.get(PARAM.categories)).filter((code) => CATEGORY_CODE.test(code)),
    statuses: listOf(params.get(PARAM.statuses)).flatMap((s) => oneOf(QUEUE_STATUSES, s) ?? []),
    from: from && DATE.test(from) ? from : undefined,
    to: to && DATE.test(to) ? to : undefined,
    department: department && DEPARTMENT_CODE.test(department) ? department : undefined,
    camera: cameraOf(params.get(PARAM.camera)),
  };
}

const round = (value: number, digits: number): string => String(Number(value.toFixed(digits)));

/** `href` with `view` written into it (other parameters, such as grid, case and lang, kept). */
export function urlWithView(href: string, view: ViewState): string {
  const url = new URL(href);
  const params = url.searchParams;
  const put = (name: string, value: string | undefined): void => {
    if (value === undefined || value === '') params.delete(name);
    else params.set(name, value);
  };
  // 'wall' is a mode too (app-mode.ts): a command-centre view never writes over it.
  if (params.get(PARAM.workspace) !== 'wall') put(PARAM.workspace, view.workspace === DEFAULT_VIEW.workspace ? undefined : view.workspace);
  put(PARAM.area, view.area);
  put(PARAM.fill, view.fill === DEFAULT_VIEW.fill ? undefined : view.fill);
  put(PARAM.categories, view.categories.join(','));
  put(PARAM.statuses, view.statuses.join(','));
  put(PARAM.from, view.from);
  put(PARAM.to, view.to);
  put(PARAM.department, view.department);
  put(PARAM.camera, view.camera ? `${round(view.camera.center[0], 5)},${round(view.camera.center[1], 5)},${round(view.camera.zoom, 2)}` : undefined);
  return url.toString();
}
