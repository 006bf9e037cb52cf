/**
 * What the public page asks the server, same origin: the grid board at a point, the category
 * catalogue, and filing a report through the ordinary intake (POST /api/cases).
 */
import type { Catalogue } from '../../core/catalogue/catalogue.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import type { NearestGrid, PublicGridAnswer } from '../../core/protocol/http-api.ts';
import { ApiError } from '../http/api-error.ts';

/** The report as the public page sends it: always from the resident channel, WGS-84. */
export interface PublicReport {
  readonly reportId: string;
  readonly category: string;
  readonly point: LngLat;
  readonly description: string;
  readonly reporter?: { readonly name?: string; readonly phone?: string };
}

/** All the page shows of a stored report: its number and its deadlines. */
export interface FiledReport {
  readonly caseNumber: string;
  readonly acceptDueAt: string | null;
  readonly resolveDueAt: string | null;
}

/** `outside_district`: the board's 404 (with the nearest grid), or intake's 400 for a report. */
export class OutsideDistrictError extends ApiError {
  constructor(
    message: string,
    status: number,
    readonly nearest: NearestGrid | undefined,
  ) {
    super('http', message, status, 'outside_district');
  }
}

interface ErrorFields {
  readonly code?: string;
  readonly message?: string;
  readonly nearest?: NearestGrid;
}

function errorOf(body: unknown): ErrorFields {
  if (typeof body !== 'object' || body === null || !('error' in body)) return {};
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return {};
  const { code, message, nearest } = error as { code?: unknown; message?: unknown; nearest?: unknown };
  const isNearest = typeof nearest === 'object' && nearest !== null && 'grid' in nearest && 'distanceMeters' in nearest;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(isNearest ? { nearest: nearest as NearestGrid } : {}),
  };
}

async function requestJson<T>(path: string, init: RequestInit, signal: AbortSignal | undefined): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', error instanceof Error ? error.message : String(error));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
    // Our server always answers JSON; anything else came from something in between.
    throw new ApiError('unreachable', `${path}: HTTP ${response.status}, not JSON`, response.status);
  }
  if (!response.ok) {
    const { code, message, nearest } = errorOf(body);
    if (code === 'outside_district') throw new OutsideDistrictError(message ?? `HTTP ${response.status}`, response.status, nearest);
    throw new ApiError('http', message ?? `HTTP ${response.status}`, response.status, code);
  }
  return body as T;
}

export function fetchPublicGrid([lng, lat]: LngLat, signal?: AbortSignal): Promise<PublicGridAnswer> {
  return requestJson(`/api/public/grid?lng=${encodeURIComponent(lng)}&lat=${encodeURIComponent(lat)}`, {}, signal);
}

export function fetchCatalogue(signal?: AbortSignal): Promise<Catalogue> {
  return requestJson('/api/categories', {}, signal);
}

export async function fileReport(report: PublicReport): Promise<FiledReport> {
  const body = {
    reportId: report.reportId,
    channel: 'resident-app',
    category: report.category,
    lng: report.point[0],
    lat: report.point[1],
    description: report.description,
    ...(report.reporter ? { reporter: report.reporter } : {}),
  };
  const ack = await requestJson<CaseAck>('/api/cases', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, undefined);
  // Only these three reach the page's state: the rest of the acknowledgement is for staff.
  return { caseNumber: ack.caseNumber, acceptDueAt: ack.acceptDueAt, resolveDueAt: ack.resolveDueAt };
}

/**
 * A fresh report id: crypto.randomUUID where the page is a secure context (https, localhost),
 * else a version-4 UUID from crypto.getRandomValues (a deployment on plain http over a LAN).
 */
export function newReportId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
