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

export function createLocalProjection(origin: LngLat): LocalProjection {
  const phi = (origin[1] * Math.PI) / 180;
  const sin = Math.sin(phi);
  const w = 1 - WGS84_E2 * sin * sin;
  const primeVertical = WGS84_A_METERS / Math.sqrt(w);
  const meridional = (WGS84_A_METERS * (1 - WGS84_E2)) / (w * Math.sqrt(w));
  const metersPerDegreeLng = (primeVertical * Math.cos(phi) * Math.PI) / 180;
  const metersPerDegreeLat = (meridional * Math.PI) / 180;
  const [lng0, lat0] = origin;
  return {
    origin,
    metersPerDegreeLng,
    metersPerDegreeLat,
    toMeters: (lng, lat) => [(lng - lng0) * metersPerDegreeLng, (lat - lat0) * metersPerDegreeLat],
    toLngLat: (x, y) => [lng0 + x / metersPerDegreeLng, lat0 + y / metersPerDegreeLat],
  };
}
