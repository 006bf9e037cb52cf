/**
 * The analytics and staffing routes (core/protocol/analytics-api.ts) as the page calls them. Every
 * analytics call takes the same filter; empty parts are left out so the server's defaults apply
 * (the last 30 days, every category, the whole district).
 */
import type { AreaFiguresAnswer, DepartmentFiguresAnswer, HexBinsAnswer, HotspotMeasure, HotspotsAnswer, StaffingAnswer } from '../../core/protocol/analytics-api.ts';
import { getJson } from './api-client.ts';

export interface AnalyticsQuery {
  readonly within?: string | undefined;
  readonly categories?: readonly string[];
  /** YYYY-MM-DD (Beijing) or ISO instants. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export type Bbox = readonly [number, number, number, number];

function params(query: AnalyticsQuery, extra: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...extra, within: query.within, from: query.from, to: query.to })) {
    if (value !== undefined && value !== '') search.set(name, value);
  }
  if (query.categories && query.categories.length > 0) search.set('category', query.categories.join(','));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface AnalyticsClient {
  areas(level: 'street' | 'community' | 'grid', query: AnalyticsQuery, signal?: AbortSignal): Promise<AreaFiguresAnswer>;
  departments(query: AnalyticsQuery, signal?: AbortSignal): Promise<DepartmentFiguresAnswer>;
  hotspots(by: HotspotMeasure, limit: number, query: AnalyticsQuery, signal?: AbortSignal): Promise<HotspotsAnswer>;
  bins(bbox: Bbox, cellMeters: number, query: AnalyticsQuery, signal?: AbortSignal): Promise<HexBinsAnswer>;
  staffing(department: string | undefined, within: string | undefined, signal?: AbortSignal): Promise<StaffingAnswer>;
  /** Where the filtered cases download from (a link the browser follows, with the session cookie). */
  exportUrl(format: 'geojson' | 'csv', query: AnalyticsQuery): string;
}

const coordinate = (value: number): string => String(Number(value.toFixed(6)));

export function createAnalyticsClient(): AnalyticsClient {
  return {
    areas: (level, query, signal) => getJson(`/api/analytics/areas${params(query, { level })}`, signal),
    departments: (query, signal) => getJson(`/api/analytics/departments${params(query)}`, signal),
    hotspots: (by, limit, query, signal) => getJson(`/api/analytics/hotspots${params(query, { by, limit: String(limit) })}`, signal),
    bins: (bbox, cellMeters, query, signal) => getJson(`/api/analytics/bins${params(query, { bbox: bbox.map(coordinate).join(','), cell: String(Math.round(cellMeters)) })}`, signal),
    staffing: (department, within, signal) => getJson(`/api/staffing${params({ within }, { department })}`, signal),
    exportUrl(format, query) {
      // The export route names its area `area` (server/http/export.routes.ts).
      const search = new URLSearchParams({ format });
      if (query.within) search.set('area', query.within);
      if (query.categories && query.categories.length > 0) search.set('category', query.categories.join(','));
      if (query.from) search.set('from', query.from);
      if (query.to) search.set('to', query.to);
      return `/api/cases/export?${search.toString()}`;
    },
  };
}
