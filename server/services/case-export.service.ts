import { buildFeature, type IProperties } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { buildHeader } from 'flatgeobuf/lib/mjs/generic/featurecollection.js';
import type { IParsedGeometry } from 'flatgeobuf/lib/mjs/generic/geometry.js';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js';
import { parseInstant } from '../../core/cases/historic-record.ts';
import { csvField } from '../import/csv-records.ts';
import type { CaseExportFilter, ExportedCase } from '../store/case-export.repository.ts';
import type { Store } from '../store/store.ts';

export const EXPORT_FORMATS = ['geojson', 'csv', 'fgb'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  geojson: 'application/geo+json',
  csv: 'text/csv; charset=utf-8',
  fgb: 'application/flatgeobuf',
};

export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { geojson: 'geojson', csv: 'csv', fgb: 'fgb' };

/** The export's columns, in order (GeoJSON properties, CSV columns after lng/lat, FlatGeobuf attributes). */
type Kind = 'string' | 'int' | 'bool' | 'time';
const COLUMNS: readonly (readonly [name: string, kind: Kind, value: (c: ExportedCase) => string | number | boolean | null])[] = [
  ['number', 'string', (c) => c.number],
  ['category', 'string', (c) => c.category],
  ['categoryName', 'string', (c) => c.categoryName],
  ['severity', 'int', (c) => c.severity],
  ['status', 'string', (c) => c.status],
  ['tier', 'string', (c) => c.tier],
  ['channel', 'string', (c) => c.channel],
  ['gridCode', 'string', (c) => c.gridCode],
  ['communityCode', 'string', (c) => c.communityCode],
  ['streetCode', 'string', (c) => c.streetCode],
  ['departmentCode', 'string', (c) => c.departmentCode],
  ['queue', 'string', (c) => c.queue],
  ['reportedAt', 'time', (c) => c.reportedAt.toISOString()],
  ['acceptDueAt', 'time', (c) => c.acceptDueAt?.toISOString() ?? null],
  ['resolveDueAt', 'time', (c) => c.resolveDueAt?.toISOString() ?? null],
  ['acceptedAt', 'time', (c) => c.acceptedAt?.toISOString() ?? null],
  ['closedAt', 'time', (c) => c.closedAt?.toISOString() ?? null],
  ['acceptOverdue', 'bool', (c) => c.acceptOverdue],
  ['resolveOverdue', 'bool', (c) => c.resolveOverdue],
  ['rating', 'int', (c) => c.rating],
  ['reportsCount', 'int', (c) => c.reportsCount],
];

const PAGE = 2_000;

/** The filter's cases, page by page in id order, as the store stands while it reads. */
async function* cases(store: Store, filter: CaseExportFilter, pageSize: number): AsyncGenerator<ExportedCase[]> {
  let after = 0;
  for (;;) {
    const page = await store.caseExport.page(filter, after, pageSize);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.id;
  }
}

function properties(c: ExportedCase): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [name, , value] of COLUMNS) out[name] = value(c);
  return out;
}

async function* geojson(store: Store, filter: CaseExportFilter, pageSize: number): AsyncGenerator<string> {
  yield '{"type":"FeatureCollection","features":[';
  let first = true;
  for await (const page of cases(store, filter, pageSize)) {
    const text = page
      .map((c) => JSON.stringify({ type: 'Feature', id: c.number, geometry: { type: 'Point', coordinates: [c.lng, c.lat] }, properties: properties(c) }))
      .join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield ']}\n';
}

async function* csv(store: Store, filter: CaseExportFilter, pageSize: number): AsyncGenerator<string> {
  // A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
  yield `\ufeff${['lng', 'lat', ...COLUMNS.map(([name]) => name)].join(',')}\r\n`;
  for await (const page of cases(store, filter, pageSize)) {
    yield page.map((c) => [c.lng, c.lat, ...COLUMNS.map(([, , value]) => value(c))].map(csvField).join(',')).join('\r\n') + '\r\n';
  }
}

const FGB_TYPES: Readonly<Record<Kind, ColumnType>> = { string: ColumnType.String, int: ColumnType.Int, bool: ColumnType.Bool, time: ColumnType.DateTime };

/**
 * FlatGeobuf, streamed: the header (feature count 0 = unknown, no spatial index, EPSG:4326) and then
 * one size-prefixed feature after another, as the specification allows for a file written in one pass.
 */
async function* fgb(store: Store, filter: CaseExportFilter, pageSize: number): AsyncGenerator<Uint8Array> {
  const columns: ColumnMeta[] = COLUMNS.map(([name, kind]) => ({
    name, type: FGB_TYPES[kind], title: null, description: null, width: -1, precision: -1, scale: -1, nullable: true, unique: false, primary_key: false,
  }));
  const header = { geometryType: GeometryType.Point, columns, envelope: null, featuresCount: 0, indexNodeSize: 0, crs: null, title: null, description: null, metadata: null };
  yield Buffer.concat([magicbytes, buildHeader(header, 4326)]);
  for await (const page of cases(store, filter, pageSize)) {
    const parts = page.map((c) => {
      const geometry = { xy: [c.lng, c.lat], type: GeometryType.Point } as unknown as IParsedGeometry;
      return buildFeature(geometry, properties(c) as IProperties, header);
    });
    yield Buffer.concat(parts);
  }
}

/** The cases an export holds, in `format`, as chunks to stream (never the whole export in memory). */
export function exportCases(store: Store, filter: CaseExportFilter, format: ExportFormat, pageSize = PAGE): AsyncGenerator<string | Uint8Array> {
  switch (format) {
    case 'geojson':
      return geojson(store, filter, pageSize);
    case 'csv':
      return csv(store, filter, pageSize);
    case 'fgb':
      return fgb(store, filter, pageSize);
  }
}

/** An export's filter as given (query parameters or command-line options), before it is checked. */
export interface ExportRequest {
  readonly area?: string | undefined;
  readonly category?: string | undefined;
  readonly status?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks an export's filter: `area` a known area code, `category` catalogue codes (comma-separated), `status`
 * open|closed|all (default all), `from`/`to` an ISO 8601 time with its zone (inclusive) or a date,
 * which is a whole local day (UTC offset of the working calendar): from its start, to its end.
 */
export function parseExportRequest(
  request: ExportRequest,
  known: { readonly isArea: (code: string) => boolean; readonly isCategory: (code: string) => boolean; readonly utcOffsetMinutes: number },
): { ok: true; filter: CaseExportFilter } | { ok: false; message: string } {
  const area = request.area?.trim() || undefined;
  if (area !== undefined && (!/^(\d{6}|\d{9}|\d{12}|\d{15})$/.test(area) || !known.isArea(area))) return { ok: false, message: `area "${area.slice(0, 40)}" is not the code of the district, a street, a community or a grid` };
  // One category or several, comma-separated (the analyst's filter can hold several).
  const categories = [...new Set((request.category ?? '').split(',').map((code) => code.trim()).filter(Boolean))];
  const unknown = categories.find((code) => !known.isCategory(code));
  if (unknown !== undefined) return { ok: false, message: `unknown category "${unknown.slice(0, 40)}"; see GET /api/categories` };
  const status = request.status?.trim() || 'all';
  if (status !== 'open' && status !== 'closed' && status !== 'all') return { ok: false, message: 'status must be open, closed or all' };
  const offset = known.utcOffsetMinutes;
  const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  const bound = (name: 'from' | 'to', raw: string | undefined): { instant?: string; dayStart?: string; nextDay?: string } | string => {
    const text = raw?.trim();
    if (!text) return {};
    const date = DATE.exec(text);
    if (date) {
      const start = parseInstant(`${text}T00:00:00${zone}`);
      if (typeof start === 'string') return `${name} "${text}" is not a valid date`;
      return { dayStart: start.toISOString(), nextDay: new Date(start.getTime() + 86_400_000).toISOString() };
    }
    const instant = parseInstant(text);
    if (typeof instant === 'string') return `${name}: ${instant}, or a date YYYY-MM-DD`;
    return { instant: instant.toISOString() };
  };
  const from = bound('from', request.from);
  if (typeof from === 'string') return { ok: false, message: from };
  const to = bound('to', request.to);
  if (typeof to === 'string') return { ok: false, message: to };
  const reportedFrom = from.instant ?? from.dayStart;
  const filter: CaseExportFilter = {
    status,
    ...(area !== undefined ? { area } : {}),
    ...(categories.length > 0 ? { categories } : {}),
    ...(reportedFrom !== undefined ? { reportedFrom } : {}),
    ...(to.instant !== undefined ? { reportedUntil: to.instant } : {}),
    ...(to.nextDay !== undefined ? { reportedBefore: to.nextDay } : {}),
  };
  if (reportedFrom !== undefined) {
    const start = Date.parse(reportedFrom);
    const empty = (filter.reportedUntil !== undefined && start > Date.parse(filter.reportedUntil)) || (filter.reportedBefore !== undefined && start >= Date.parse(filter.reportedBefore));
    if (empty) return { ok: false, message: 'from is after to' };
  }
  return { ok: true, filter };
}
