import type { MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import type { AreaLevel } from '../../core/geography/area-code.ts';
import type { SqlClient } from './sql-client.ts';
import type { GridDetails } from '../../core/protocol/http-api.ts';
import { InvalidGeographyError, type AreaQuery, type FeaturePage, type FeaturePageQuery, type GeographyRepository, type GeographySet, type ReplaceGeographyResult } from './store.ts';
import { decodeMultiPolygonWkb, encodeMultiPolygonWkb, toHex } from './wkb.ts';

const INSERT_BATCH = 2000;

interface LevelTable {
  readonly table: string;
  readonly properties: string;
  /** Parent filter column for a parent code of the given length. */
  readonly parentColumn: Readonly<Record<number, string>>;
}

const LEVELS: Readonly<Record<AreaLevel, LevelTable>> = {
  district: { table: 'districts', properties: "'code', code, 'name', name, 'areaSquareMeters', round(area_m2)", parentColumn: {} },
  street: {
    table: 'streets',
    properties: "'code', code, 'name', name, 'kind', kind, 'districtCode', district_code, 'areaSquareMeters', round(area_m2)",
    parentColumn: { 6: 'district_code' },
  },
  community: {
    table: 'communities',
    properties: "'code', code, 'name', name, 'streetCode', street_code, 'areaSquareMeters', round(area_m2)",
    parentColumn: { 9: 'street_code' },
  },
  grid: {
    table: 'grids',
    properties: "'code', code, 'name', name, 'communityCode', community_code, 'streetCode', street_code, 'areaSquareMeters', round(area_m2)",
    parentColumn: { 9: 'street_code', 12: 'community_code' },
  },
};

/** A level's table and the WHERE clause (with its parameters) of a feature query. */
function areaFilter(level: AreaLevel, query: FeaturePageQuery): { spec: LevelTable; filter: string; params: unknown[] } {
  const spec = LEVELS[level];
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.code !== undefined) {
    params.push(query.code);
    where.push(`code = $${params.length}`);
  }
  if (query.parent !== undefined) {
    const column = spec.parentColumn[query.parent.length];
    if (!column) throw new RangeError(`a ${level} has no parent with a ${query.parent.length}-digit code`);
    params.push(query.parent);
    where.push(`${column} = $${params.length}`);
  }
  if (query.bbox) {
    params.push(...query.bbox);
    const n = params.length;
    where.push(`geom && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326) AND ST_Intersects(geom, ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326))`);
  }
  return { spec, filter: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** One row of a level as a GeoJSON Feature (json), its code as the id. */
function featureJson(spec: LevelTable): string {
  return `json_build_object('type', 'Feature', 'id', code, 'properties', json_build_object(${spec.properties}), 'geometry', ST_AsGeoJSON(geom, 7)::json)`;
}

async function insertAreas(
  tx: SqlClient,
  table: string,
  columns: readonly string[],
  rows: readonly { values: readonly string[]; rings: MultiPolygonRings }[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    const arrays = columns.map((_, c) => batch.map((r) => r.values[c]!));
    const wkb = batch.map((r) => toHex(encodeMultiPolygonWkb(r.rings)));
    const unnestArgs = [...columns.map((_, c) => `$${c + 1}::text[]`), `$${columns.length + 1}::text[]`].join(', ');
    const names = [...columns, 'wkb'].join(', ');
    const inserted = await tx.query(
      `INSERT INTO ${table} (${columns.join(', ')}, geom, area_m2)
       SELECT ${columns.join(', ')}, g, ST_Area(g::geography)
       FROM (SELECT ${columns.join(', ')}, ST_Multi(ST_GeomFromWKB(decode(wkb, 'hex'), 4326)) AS g
             FROM unnest(${unnestArgs}) AS t(${names})) s
       RETURNING 1`,
      [...arrays, wkb],
    );
    // Counted, so that a row lost to a silently failed function can never pass unnoticed.
    if (inserted.length !== batch.length) throw new Error(`${table}: stored ${inserted.length} of ${batch.length} rows`);
  }
}

export function createGeographyRepository(sql: SqlClient): GeographyRepository {
  async function featurePage(level: AreaLevel, query: FeaturePageQuery): Promise<FeaturePage> {
    const { spec, filter, params } = areaFilter(level, query);
    params.push(query.limit, query.offset);
    const n = params.length;
    const [row] = await sql.query<{ matched: number; returned: number; features: string }>(
      `SELECT (SELECT count(*)::int FROM ${spec.table} ${filter}) AS matched, count(f.feature)::int AS returned,
              coalesce(json_agg(f.feature ORDER BY f.code), '[]'::json)::text AS features
       FROM (SELECT code, ${featureJson(spec)} AS feature
             FROM ${spec.table} ${filter} ORDER BY code LIMIT $${n - 1} OFFSET $${n}) f`,
      params,
    );
    return { numberMatched: row!.matched, numberReturned: row!.returned, features: row!.features };
  }

  return {
    async version() {
      const rows = await sql.query<{ version: number; source: string; loaded_at: Date }>('SELECT version, source, loaded_at FROM geography_meta');
      const row = rows[0];
      return row ? { version: row.version, source: row.source, loadedAt: row.loaded_at } : undefined;
    },

    async replace(set: GeographySet, source: string): Promise<ReplaceGeographyResult> {
      return sql.transaction(async (tx) => {
        const saved = await tx.query<{ person_id: string; grid_code: string }>('SELECT person_id, grid_code FROM assignments');
        await tx.exec('DELETE FROM assignments; DELETE FROM grids; DELETE FROM communities; DELETE FROM streets; DELETE FROM districts;');
        await insertAreas(tx, 'districts', ['code', 'name'], [{ values: [set.district.code, set.district.name], rings: set.district.rings }]);
        await insertAreas(tx, 'streets', ['code', 'name', 'kind', 'district_code'], set.streets.map((s) => ({ values: [s.code, s.name, s.kind, set.district.code], rings: s.rings })));
        await insertAreas(tx, 'communities', ['code', 'name', 'street_code'], set.communities.map((c) => ({ values: [c.code, c.name, c.code.slice(0, 9)], rings: c.rings })));
        await insertAreas(
          tx,
          'grids',
          ['code', 'name', 'community_code', 'street_code'],
          set.grids.map((g) => ({ values: [g.code, g.name, g.code.slice(0, 12), g.code.slice(0, 9)], rings: g.rings })),
        );
        // PostGIS has the last word on validity; one invalid area undoes the whole import.
        const invalid = await tx.query<{ code: string; reason: string }>(
          `SELECT code, ST_IsValidReason(geom) AS reason FROM (
             SELECT code, geom FROM districts UNION ALL SELECT code, geom FROM streets
             UNION ALL SELECT code, geom FROM communities UNION ALL SELECT code, geom FROM grids) a
           WHERE NOT ST_IsValid(geom) LIMIT 20`,
        );
        if (invalid.length > 0) {
          throw new InvalidGeographyError(invalid.map((r) => `${r.code}: ${r.reason}`));
        }
        if (saved.length > 0) {
          await tx.query(
            `INSERT INTO assignments (person_id, grid_code)
             SELECT p, g FROM unnest($1::text[], $2::text[]) AS t(p, g) WHERE EXISTS (SELECT 1 FROM grids WHERE code = g)`,
            [saved.map((a) => a.person_id), saved.map((a) => a.grid_code)],
          );
        }
        const [{ kept } = { kept: 0 }] = await tx.query<{ kept: number }>('SELECT count(*)::int AS kept FROM assignments');
        const [meta] = await tx.query<{ version: number }>(
          `INSERT INTO geography_meta (id, version, source, loaded_at) VALUES (true, 1, $1, now())
           ON CONFLICT (id) DO UPDATE SET version = geography_meta.version + 1, source = excluded.source, loaded_at = excluded.loaded_at
           RETURNING version`,
          [source],
        );
        return {
          version: meta!.version,
          counts: { district: 1, street: set.streets.length, community: set.communities.length, grid: set.grids.length },
          assignmentsKept: kept,
          assignmentsDropped: saved.length - kept,
        };
      });
    },

    async features(level, query: AreaQuery) {
      const page = await featurePage(level, query);
      return `{"type":"FeatureCollection","numberMatched":${page.numberMatched},"numberReturned":${page.numberReturned},"features":${page.features}}`;
    },

    featurePage,

    async routableGrids() {
      const rows = await sql.query<{ code: string; wkb: Uint8Array }>('SELECT code, ST_AsBinary(geom) AS wkb FROM grids ORDER BY code');
      return rows.map((r) => ({ code: r.code, rings: decodeMultiPolygonWkb(r.wkb) }));
    },

    async gridDetails(code): Promise<GridDetails | undefined> {
      const rows = await sql.query<{ code: string; name: string; community_code: string; community_name: string; street_code: string; street_name: string; area_m2: number }>(
        `SELECT g.code, g.name, g.community_code, c.name AS community_name, g.street_code, s.name AS street_name, g.area_m2
         FROM grids g JOIN communities c ON c.code = g.community_code JOIN streets s ON s.code = g.street_code
         WHERE g.code = $1`,
        [code],
      );
      const r = rows[0];
      return r
        ? { code: r.code, name: r.name, communityCode: r.community_code, communityName: r.community_name, streetCode: r.street_code, streetName: r.street_name, areaSquareMeters: r.area_m2 }
        : undefined;
    },

    async names() {
      return sql.query<{ code: string; name: string }>(
        `SELECT code, name FROM districts UNION ALL SELECT code, name FROM streets
         UNION ALL SELECT code, name FROM communities UNION ALL SELECT code, name FROM grids`,
      );
    },

    async routeInDatabase(points) {
      if (points.length === 0) return [];
      const rows = await sql.query<{ code: string | null }>(
        `SELECT (SELECT g.code FROM grids g WHERE ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)) ORDER BY g.code LIMIT 1) AS code
         FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lng, lat, i) ORDER BY p.i`,
        [points.map((p) => p[0]), points.map((p) => p[1])],
      );
      return rows.map((r) => r.code);
    },
  };
}
