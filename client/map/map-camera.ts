import type { Map as MapLibreMap } from 'maplibre-gl';

/** Where the map looks: for viewport-bounded data and the URL. */
export interface MapCamera {
  /** [lng, lat] of the centre. */
  readonly center: readonly [number, number];
  readonly zoom: number;
  /** [minLng, minLat, maxLng, maxLat] of what is on screen. */
  readonly bbox: readonly [number, number, number, number];
}

const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** The camera of a map now (centre to 6 decimals, ~0.1 m; zoom to 2). */
export function cameraOf(map: MapLibreMap): MapCamera {
  const center = map.getCenter();
  const bounds = map.getBounds();
  return {
    center: [round(center.lng, 6), round(center.lat, 6)],
    zoom: round(map.getZoom(), 2),
    bbox: [round(bounds.getWest(), 6), round(bounds.getSouth(), 6), round(bounds.getEast(), 6), round(bounds.getNorth(), 6)],
  };
}

export function sameCamera(a: MapCamera | undefined, b: MapCamera): boolean {
  return a !== undefined && a.zoom === b.zoom && a.center[0] === b.center[0] && a.center[1] === b.center[1] && a.bbox.every((v, i) => v === b.bbox[i]);
}
