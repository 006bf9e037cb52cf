import type { LngLat } from './lng-lat.ts';

const WGS84_A_METERS = 6378137;
const WGS84_E2 = 0.00669437999014;

/**
 * An equirectangular projection tangent at `origin`, scaled by the WGS-84 radii of curvature there.
 * Within ~30 km of the origin (a whole district) its distortion is under 0.1 %, which is all that
 * generation, nearest-grid distances and tolerances in square metres need. It is not a survey tool.
 */
export interface LocalProjection {
  readonly origin: LngLat;
  readonly metersPerDegreeLng: number;
  readonly metersPerDegreeLat: number;
  toMeters(lng: number, lat: number): [x: number, y: number];
  toLngLat(x: number, y: number): [lng: number, lat: number];
}

/**
 * Metres per degree of longitude and of latitude at this latitude (the WGS-84 radii of curvature
 * there): a local projection's scale, for callers that need only that (distances from one point, per
 * routed case), without building the projection's functions.
 */
export function metersPerDegreeAt(lat: number): { readonly lng: number; readonly lat: number } {
  const phi = (lat * Math.PI) / 180;
  const sin = Math.sin(phi);
  const w = 1 - WGS84_E2 * sin * sin;
  const primeVertical = WGS84_A_METERS / Math.sqrt(w);
  const meridional = (WGS84_A_METERS * (1 - WGS84_E2)) / (w * Math.sqrt(w));
  return { lng: (primeVertical * Math.cos(phi) * Math.PI) / 180, lat: (meridional * Math.PI) / 180 };
}

export function createLocalProjection(origin: LngLat): LocalProjection {
  const scale = metersPerDegreeAt(origin[1]);
  const metersPerDegreeLng = scale.lng;
  const metersPerDegreeLat = scale.lat;
  const [lng0, lat0] = origin;
  return {
    origin,
    metersPerDegreeLng,
    metersPerDegreeLat,
    toMeters: (lng, lat) => [(lng - lng0) * metersPerDegreeLng, (lat - lat0) * metersPerDegreeLat],
    toLngLat: (x, y) => [lng0 + x / metersPerDegreeLng, lat0 + y / metersPerDegreeLat],
  };
}
