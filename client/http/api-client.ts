import type { Catalogue } from '../../core/catalogue/catalogue.ts';
import type { CaseSummary } from '../../core/cases/case-summary.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { SessionAnswer, SignInAnswer } from '../../core/protocol/session-api.ts';
import { ApiError } from './api-error.ts';
import { type CommunityCollection, type DepartmentList, type DistrictCollection, FIRST_GEO_PATHS, type GridCollection, type GridPersonnel, type RouteAnswer, type StreetCollection } from '../../core/protocol/http-api.ts';

/** One step of a case as GET /api/cases/:number/timeline lists it. */
export interface TimelineEvent {
  readonly seq: number;
  readonly type: string;
  readonly actor: string;
  /** The account's display name; "Grid Command" for the intake and the scheduler. */
  readonly actorName: string;
  readonly at: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export interface CaseTimeline {
  readonly number: string;
  readonly status: CaseSummary['status'];
  readonly tier: CaseSummary['tier'];
  readonly events: readonly TimelineEvent[];
}

/** POST /api/cases/:number/commands answers the case as it now stands. */
export interface CommandAnswer {
  readonly case: CaseSummary;
  readonly event: { readonly seq: number; readonly type: string; readonly at: string };
}

/** The server's HTTP API, same origin (in development Vite proxies /api to the server). */
export interface ApiClient {
  district(signal?: AbortSignal): Promise<DistrictCollection>;
  streets(signal?: AbortSignal): Promise<StreetCollection>;
  communities(signal?: AbortSignal): Promise<CommunityCollection>;
  grids(signal?: AbortSignal): Promise<GridCollection>;
  /** GET /api/geo/grids with a query: the grids in a box and/or of a street or community (numberMatched counts them all). */
  gridPage(query: GridPageQuery, signal?: AbortSignal): Promise<GridCollection>;
  departments(signal?: AbortSignal): Promise<DepartmentList>;
  categories(signal?: AbortSignal): Promise<Catalogue>;
  route(point: LngLat, signal?: AbortSignal): Promise<RouteAnswer>;
  personnel(gridCode: string, signal?: AbortSignal): Promise<GridPersonnel>;
  /** POST /api/session: the server also sets the HttpOnly session cookie that later requests and the socket use. */
  signIn(username: string, password: string, signal?: AbortSignal): Promise<SignInAnswer>;
  /** GET /api/session with the cookie: `{actor}`, `actor: null` when signed out (always 200). */
  session(signal?: AbortSignal): Promise<SessionAnswer>;
  signOut(): Promise<void>;
  caseSummary(caseNumber: string, signal?: AbortSignal): Promise<CaseSummary>;
  timeline(caseNumber: string, signal?: AbortSignal): Promise<CaseTimeline>;
  command(caseNumber: string, command: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<CommandAnswer>;
}

/** Which grids GET /api/geo/grids answers: `bbox` is [minLng, minLat, maxLng, maxLat]; `parent` a street or community code. */
export interface GridPageQuery {
  readonly bbox?: readonly [number, number, number, number];
  readonly parent?: string;
  /** 1..50,000 (the server's default is 10,000). */
  readonly limit?: number;
  readonly offset?: number;
}

function gridPagePath(query: GridPageQuery): string {
  const params = new URLSearchParams();
  if (query.bbox) params.set('bbox', query.bbox.map((v) => String(Math.round(v * 1e7) / 1e7)).join(','));
  if (query.parent !== undefined) params.set('parent', query.parent);
  params.set('limit', String(query.limit ?? GRID_LIMIT));
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  return `/api/geo/grids?${params.toString()}`;
}

/** Every grid in one request (3,000 grids, ~1.3 MB); the server caps a page at 50,000. */
const GRID_LIMIT = 50_000;

function errorMessageOf(body: unknown): { code?: string; message?: string; retryAfterSeconds?: number } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return {};
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return {};
  const { code, message, retryAfterSeconds } = error as { code?: unknown; message?: unknown; retryAfterSeconds?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds) ? { retryAfterSeconds } : {}),
  };
}

function retryAfterHeader(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Same-origin fetch (the session cookie goes along); JSON in and out; errors as ApiError. */
async function requestJson<T>(path: string, init: RequestInit, signal: AbortSignal | undefined): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...init.headers }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', error instanceof Error ? error.message : String(error));
  }
  if (response.status === 204) return undefined as T;
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
    // Our server always answers JSON; anything else came from something in between (a proxy whose
    // upstream is down, a captive portal): for the user that is an unreachable server.
    throw new ApiError('unreachable', `${path}: HTTP ${response.status}, not JSON`, response.status);
  }
  if (!response.ok) {
    const { code, message, retryAfterSeconds } = errorMessageOf(body);
    throw new ApiError('http', message ?? `HTTP ${response.status}`, response.status, code, retryAfterSeconds ?? retryAfterHeader(response));
  }
  return body as T;
}

/** GET a same-origin JSON resource (for the API clients of other parts of the page). */
export function getJson<T>(path: string, signal: AbortSignal | undefined): Promise<T> {
  return requestJson<T>(path, {}, signal);
}

function sendJson<T>(method: 'POST' | 'DELETE', path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) }, signal);
}

const casePath = (caseNumber: string): string => `/api/cases/${encodeURIComponent(caseNumber)}`;

export function createApiClient(): ApiClient {
  return {
    district: (signal) => getJson(FIRST_GEO_PATHS.district, signal),
    streets: (signal) => getJson(FIRST_GEO_PATHS.streets, signal),
    communities: (signal) => getJson(FIRST_GEO_PATHS.communities, signal),
    grids: (signal) => getJson(`/api/geo/grids?limit=${GRID_LIMIT}`, signal),
    gridPage: (query, signal) => getJson(gridPagePath(query), signal),
    departments: (signal) => getJson('/api/departments', signal),
    categories: (signal) => getJson('/api/categories', signal),
    route: ([lng, lat], signal) => getJson(`/api/route?lng=${lng}&lat=${lat}`, signal),
    personnel: (gridCode, signal) => getJson(`/api/personnel?grid=${encodeURIComponent(gridCode)}`, signal),
    signIn: (username, password, signal) => sendJson('POST', '/api/session', { username, password }, signal),
    session: (signal) => getJson('/api/session', signal),
    signOut: () => sendJson('DELETE', '/api/session', undefined),
    caseSummary: (caseNumber, signal) => getJson(casePath(caseNumber), signal),
    timeline: (caseNumber, signal) => getJson(`${casePath(caseNumber)}/timeline`, signal),
    command: (caseNumber, command, signal) => sendJson('POST', `${casePath(caseNumber)}/commands`, command, signal),
  };
}
