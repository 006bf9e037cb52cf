/** A WGS-84 position in GeoJSON order: longitude first, degrees. */
export type LngLat = readonly [lng: number, lat: number];

/** [minLng, minLat, maxLng, maxLat], degrees. */
export type BBox = readonly [minLng: number, minLat: number, maxLng: number, maxLat: number];

/** A closed ring: first and last positions are equal. */
export type Ring = readonly LngLat[];

/** GeoJSON Polygon coordinates: exterior ring first, then holes. */
export type PolygonRings = readonly Ring[];

/** GeoJSON MultiPolygon coordinates. */
export type MultiPolygonRings = readonly PolygonRings[];

export function isValidLngLat(lng: number, lat: number): boolean {
  return Number.isFinite(lng) && Number.isFinite(lat) && lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90;
}
