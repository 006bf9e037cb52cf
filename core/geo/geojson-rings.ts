import type { MultiPolygon } from 'geojson';
import type { MultiPolygonRings } from './lng-lat.ts';

// GeoJSON's types are mutable and loosely sized (Position is number[]); ours are readonly pairs.
// These two are the only places the one is viewed as the other.
export function asMultiPolygon(rings: MultiPolygonRings): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: rings as unknown as number[][][][] };
}

export function ringsOf(geometry: MultiPolygon): MultiPolygonRings {
  return geometry.coordinates as unknown as MultiPolygonRings;
}
