import type { Department } from '../../core/catalogue/catalogue.ts';
import type { BBox } from '../../core/geo/lng-lat.ts';
import type { CommunityCollection, DistrictCollection, GridCollection, StreetCollection } from '../../core/protocol/http-api.ts';
import type { StreetKind } from '../../core/geography/geography-types.ts';

export type GridFeature = GridCollection['features'][number];

/** What to load grids for: the map's view (viewport-bounded, in tiles), or a street/community's grids (a link, a focus). */
export type GridRequest = { readonly bbox: BBox } | { readonly parent: string };

/**
 * The district's geography and the department list. The district, streets and communities are
 * loaded once at start. Grids are loaded at start too when there are few of them (`gridsComplete`,
 * e.g. the 3,000 community grids); with many (~43,000 unit grids) they are loaded by the map for
 * what it shows once zoomed in far enough to tell them apart, cached, and dropped again when far
 * away, and each load gives a new GeographyData with the grids merged in.
 */
export interface GeographyData {
  readonly district: DistrictCollection;
  readonly streets: StreetCollection;
  readonly communities: CommunityCollection;
  /** The grids loaded now: all of them when `gridsComplete`, else those around where the map has looked (and linked ones). */
  readonly grids: GridCollection;
  /** How many grids the district has, loaded or not (the server's numberMatched). */
  readonly gridCount: number;
  /** `grids` holds every grid of the district. */
  readonly gridsComplete: boolean;
  /** Grids are drawn (and, unless complete, loaded) from this zoom on: where the typical grid is big enough to tell apart. */
  readonly gridMinZoom: number;
  readonly departments: ReadonlyMap<string, Department>;
  readonly streetKinds: ReadonlyMap<string, StreetKind>;
  readonly streetNames: ReadonlyMap<string, string>;
  readonly communityNames: ReadonlyMap<string, string>;
  /** Names of every grid loaded so far (kept when a grid's outline is dropped again). */
  readonly gridNames: ReadonlyMap<string, string>;
  /** The district's code (the area district-wide dashboards watch). */
  readonly districtCode: string | undefined;
  /**
   * Loads the grids of a view (bbox) or of a street/community (parent) unless they are here, and
   * merges them in; the new GeographyData follows as state. Resolves once they are in (or failed).
   * A no-op when `gridsComplete`.
   */
  readonly loadGrids: (request: GridRequest) => Promise<void>;
}

/** At most this many grids are loaded at start; more, and they are loaded by view. */
export const FULL_GRID_LOAD_MAX = 8_000;
/** Tiles (web-mercator, this zoom) the view's grids are asked for and cached by: ~2.4 × 1.9 km in Beijing. */
export const GRID_TILE_ZOOM = 14;
/** The cache keeps at most about this many grids (more only while the view itself needs them). */
export const GRID_CACHE_MAX = 15_000;
/** A view needing more tiles than this (a huge screen) gets the ones nearest its centre. */
export const GRID_TILES_PER_VIEW_MAX = 48;
/** A grid is drawn from the zoom where the typical one is this wide on screen. */
const LEGIBLE_GRID_PIXELS = 14;

const WEB_MERCATOR_METERS_PER_PIXEL_Z0 = 156_543.034;

/**
 * The zoom from which the grids are told apart: where the typical grid (district area ÷ grids,
 * as a square) is LEGIBLE_GRID_PIXELS wide, between 11 and 16. ~14 for 10,000 m² unit grids.
 */
export function legibleGridZoom(districtSquareMeters: number, gridCount: number, latitude: number): number {
  if (gridCount <= 0 || districtSquareMeters <= 0) return 11;
  const side = Math.sqrt(districtSquareMeters / gridCount);
  const zoom = Math.log2((LEGIBLE_GRID_PIXELS * WEB_MERCATOR_METERS_PER_PIXEL_Z0 * Math.cos((latitude * Math.PI) / 180)) / side);
  return Math.min(16, Math.max(11, Math.round(zoom * 2) / 2));
}

export interface TileKey {
  readonly key: string;
  readonly bbox: BBox;
}

function tileX(lng: number, n: number): number {
  return Math.floor(((lng + 180) / 360) * n);
}

function tileY(lat: number, n: number): number {
  const r = (Math.max(-85, Math.min(85, lat)) * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
}

function tileLat(y: number, n: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
}

/** The tiles (at GRID_TILE_ZOOM) covering a box, nearest its centre first, at most GRID_TILES_PER_VIEW_MAX. */
export function tilesOf(bbox: BBox, zoom = GRID_TILE_ZOOM): TileKey[] {
  const n = 2 ** zoom;
  const [minLng, minLat, maxLng, maxLat] = bbox;
  const x0 = tileX(minLng, n);
  const x1 = tileX(maxLng, n);
  const y0 = tileY(maxLat, n);
  const y1 = tileY(minLat, n);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const tiles: (TileKey & { d: number })[] = [];
  for (let x = x0; x <= x1; x++) {
    for (let y = y0; y <= y1; y++) {
      tiles.push({ key: `t${zoom}/${x}/${y}`, bbox: [(x / n) * 360 - 180, tileLat(y + 1, n), ((x + 1) / n) * 360 - 180, tileLat(y, n)], d: (x - cx) ** 2 + (y - cy) ** 2 });
    }
  }
  tiles.sort((a, b) => a.d - b.d);
  return tiles.slice(0, GRID_TILES_PER_VIEW_MAX).map(({ key, bbox: box }) => ({ key, bbox: box }));
}

/**
 * The loaded grids, by the tile (or parent area) they were asked for: least recently used first,
 * so that the oldest go when the cache is over its size. A grid in several tiles is kept once in
 * the merged collection.
 */
export class GridCache {
  private readonly entries = new Map<string, readonly GridFeature[]>();
  private readonly names = new Map<string, string>();
  private merged: GridCollection | undefined;

  constructor(private readonly total: number) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Marks entries as just used (they move to the end of the eviction order). */
  touch(keys: Iterable<string>): void {
    for (const key of keys) {
      const features = this.entries.get(key);
      if (!features) continue;
      this.entries.delete(key);
      this.entries.set(key, features);
    }
  }

  put(key: string, features: readonly GridFeature[]): void {
    this.entries.delete(key);
    this.entries.set(key, features);
    for (const f of features) this.names.set(f.properties.code, f.properties.name);
    this.merged = undefined;
  }

  /** Drops the least recently used entries, never those in `keep`, until about `max` grids are left. */
  evict(keep: ReadonlySet<string>, max = GRID_CACHE_MAX): number {
    let count = 0;
    for (const features of this.entries.values()) count += features.length;
    let dropped = 0;
    for (const [key, features] of this.entries) {
      if (count <= max) break;
      if (keep.has(key)) continue;
      this.entries.delete(key);
      count -= features.length;
      dropped += 1;
    }
    if (dropped > 0) this.merged = undefined;
    return dropped;
  }

  get gridNames(): ReadonlyMap<string, string> {
    return this.names;
  }

  /** Every loaded grid once, by code. Same object until the cache changes. */
  collection(): GridCollection {
    if (this.merged) return this.merged;
    const seen = new Set<string>();
    const features: GridFeature[] = [];
    for (const entry of this.entries.values()) {
      for (const f of entry) {
        if (seen.has(f.properties.code)) continue;
        seen.add(f.properties.code);
        features.push(f);
      }
    }
    this.merged = { type: 'FeatureCollection', numberMatched: this.total, numberReturned: features.length, features };
    return this.merged;
  }
}

export function createGeographyData(parts: {
  district: DistrictCollection;
  streets: StreetCollection;
  communities: CommunityCollection;
  grids: GridCollection;
  /** All grids of the district are in `grids`. Default: when `grids` holds numberMatched of them. */
  gridsComplete?: boolean;
  gridNames?: ReadonlyMap<string, string>;
  departments: readonly Department[];
  loadGrids?: (request: GridRequest) => Promise<void>;
}): GeographyData {
  const { district, streets, communities, grids } = parts;
  const gridCount = Math.max(grids.numberMatched ?? grids.features.length, grids.features.length);
  const gridsComplete = parts.gridsComplete ?? grids.features.length >= gridCount;
  const districtArea = district.features[0]?.properties.areaSquareMeters ?? 0;
  const latitude = district.features[0]?.geometry.coordinates[0]?.[0]?.[0]?.[1] ?? 0;
  return {
    district,
    streets,
    communities,
    grids,
    gridCount,
    gridsComplete,
    // Grids drawn at every zoom when all are here (as the map always did); from where they read apart otherwise.
    gridMinZoom: gridsComplete ? 0 : legibleGridZoom(districtArea, gridCount, latitude),
    departments: new Map(parts.departments.map((d) => [d.code, d])),
    streetKinds: new Map(streets.features.map((f) => [f.properties.code, f.properties.kind])),
    streetNames: new Map(streets.features.map((f) => [f.properties.code, f.properties.name])),
    communityNames: new Map(communities.features.map((f) => [f.properties.code, f.properties.name])),
    gridNames: parts.gridNames ?? new Map(grids.features.map((f) => [f.properties.code, f.properties.name])),
    districtCode: district.features[0]?.properties.code,
    loadGrids: parts.loadGrids ?? (() => Promise.resolve()),
  };
}

/** The same geography with the grids loaded now (the maps of the static levels are shared, not rebuilt). */
export function withGrids(data: GeographyData, grids: GridCollection, gridNames: ReadonlyMap<string, string>): GeographyData {
  return { ...data, grids, gridNames };
}
