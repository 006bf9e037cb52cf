import type { LngLat } from '../../core/geo/lng-lat.ts';
import { ApiError } from './api-error.ts';
import type { CommunityCollection, DepartmentList, DistrictCollection, GridCollection, GridPersonnel, RouteAnswer, StreetCollection } from '../../core/protocol/http-api.ts';

/** The server's HTTP API, same origin (in development Vite proxies /api to the server). */
export interface ApiClient {
  district(signal?: AbortSignal): Promise<DistrictCollection>;
  streets(signal?: AbortSignal): Promise<StreetCollection>;
  communities(signal?: AbortSignal): Promise<CommunityCollection>;
  grids(signal?: AbortSignal): Promise<GridCollection>;
  departments(signal?: AbortSignal): Promise<DepartmentList>;
  route(point: LngLat, signal?: AbortSignal): Promise<RouteAnswer>;
  personnel(gridCode: string, signal?: AbortSignal): Promise<GridPersonnel>;
}

/** Every grid in one request (3,000 grids, ~1.3 MB); the server caps a page at 50,000. */
const GRID_LIMIT = 50_000;

function errorMessageOf(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return {};
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
}

async function getJson<T>(path: string, signal: AbortSignal | undefined): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', error instanceof Error ? error.message : String(error));
  }
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
    const { code, message } = errorMessageOf(body);
    throw new ApiError('http', message ?? `HTTP ${response.status}`, response.status, code);
  }
  return body as T;
}

export function createApiClient(): ApiClient {
  return {
    district: (signal) => getJson('/api/geo/district', signal),
    streets: (signal) => getJson('/api/geo/streets', signal),
    communities: (signal) => getJson(`/api/geo/communities?limit=${GRID_LIMIT}`, signal),
    grids: (signal) => getJson(`/api/geo/grids?limit=${GRID_LIMIT}`, signal),
    departments: (signal) => getJson('/api/departments', signal),
    route: ([lng, lat], signal) => getJson(`/api/route?lng=${lng}&lat=${lat}`, signal),
    personnel: (gridCode, signal) => getJson(`/api/personnel?grid=${encodeURIComponent(gridCode)}`, signal),
  };
}
