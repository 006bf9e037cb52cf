import gcoord from 'gcoord';
import type { LngLat } from './lng-lat.ts';

/** Coordinate systems a report may come in: Chinese phone map SDKs give GCJ-02 (AMap, Tencent) or BD-09 (Baidu). */
export type InputCrs = 'WGS84' | 'GCJ02' | 'BD09';

const ALIASES: Readonly<Record<string, InputCrs>> = {
  WGS84: 'WGS84', 'WGS-84': 'WGS84', 'EPSG:4326': 'WGS84', CRS84: 'WGS84',
  GCJ02: 'GCJ02', 'GCJ-02': 'GCJ02',
  BD09: 'BD09', 'BD-09': 'BD09',
};

export function parseInputCrs(name: string): InputCrs | undefined {
  return ALIASES[name.toUpperCase()];
}

/** To WGS-84, at the edge where a coordinate enters; everything inside is WGS-84. */
export function toWgs84(point: LngLat, crs: InputCrs): LngLat {
  if (crs === 'WGS84') return point;
  const [lng, lat] = gcoord.transform([point[0], point[1]], crs === 'GCJ02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as [number, number];
  return [lng, lat];
}
