import type { LngLat, MultiPolygonRings, Ring } from '../../core/geo/lng-lat.ts';

function ringMoments(ring: Ring, lngScale: number): { area: number; cx: number; cy: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    const cross = x0 * lngScale * y1 - x1 * lngScale * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  return { area: area / 2, cx, cy };
}

/** Area-weighted centroid in degree space (after stretching longitude by lngScale), holes subtracted. */
export function planarCentroid(rings: MultiPolygonRings, lngScale = 1): LngLat {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of rings) {
    polygon.forEach((ring, k) => {
      const m = ringMoments(ring, lngScale);
      // Exterior rings count positive and holes negative whatever their winding.
      const sign = (k === 0 ? 1 : -1) * Math.sign(m.area);
      area += sign * m.area;
      cx += sign * m.cx;
      cy += sign * m.cy;
    });
  }
  if (area === 0) {
    const first = rings[0]?.[0]?.[0];
    if (!first) throw new Error('planarCentroid: empty geometry');
    return first;
  }
  return [cx / (6 * area), cy / (6 * area)];
}
