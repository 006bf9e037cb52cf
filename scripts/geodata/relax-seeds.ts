import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { Delaunay } from 'd3-delaunay';
import type { LngLat, MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { bboxOf } from '../../core/geo/multipolygon-measures.ts';
import { intersect } from '../../core/geo/overlay.ts';
import { planarCentroid } from './planar-geometry.ts';
import { regionEdgeIndex } from './region-edge-index.ts';
import type { Random } from './seeded-random.ts';
import { asMultiPolygon } from '../../core/geo/geojson-rings.ts';

export function regionContains(region: MultiPolygonRings, p: LngLat): boolean {
  return booleanPointInPolygon(p as [number, number], asMultiPolygon(region));
}

/** Uniform random points inside a region (rejection sampling in its bounding box). */
export function sampleSeeds(region: MultiPolygonRings, count: number, random: Random): LngLat[] {
  const [minX, minY, maxX, maxY] = bboxOf(region);
  const seeds: LngLat[] = [];
  for (let attempts = 0; seeds.length < count; attempts++) {
    if (attempts > count * 10_000) throw new Error('sampleSeeds: region too thin to sample');
    const p: LngLat = [minX + random() * (maxX - minX), minY + random() * (maxY - minY)];
    if (regionContains(region, p)) seeds.push(p);
  }
  return seeds;
}

/** Convex Voronoi cells of `seeds`, in degrees, computed with longitude stretched by lngScale so cells are round on the ground. */
export function voronoiCells(seeds: readonly LngLat[], lngScale: number, around: MultiPolygonRings): LngLat[][] {
  const [minX, minY, maxX, maxY] = bboxOf(around);
  const pad = Math.max(maxX - minX, maxY - minY) * 0.05 + 1e-3;
  const delaunay = Delaunay.from(seeds.map(([x, y]) => [x * lngScale, y]));
  const voronoi = delaunay.voronoi([(minX - pad) * lngScale, minY - pad, (maxX + pad) * lngScale, maxY + pad]);
  return seeds.map((_, i) => {
    const cell = voronoi.cellPolygon(i);
    if (!cell) throw new Error(`voronoi: no cell for seed ${i} (duplicate seed?)`);
    return cell.map(([x, y]) => [x / lngScale, y] as LngLat);
  });
}

/**
 * Lloyd relaxation: move each seed to the centroid of its Voronoi cell within the region, so cells
 * come out even and organic rather than random. Only the seeds matter here (the final cells are cut
 * elsewhere), so a clip that the overlay library cannot do just leaves that seed where it was.
 */
export function relaxSeeds(seeds: readonly LngLat[], region: MultiPolygonRings, rounds: number, lngScale: number): LngLat[] {
  let current = seeds.slice();
  if (current.length < 2) return current.length === 1 ? [planarCentroid(region)] : current;
  const edges = regionEdgeIndex(region);
  for (let round = 0; round < rounds; round++) {
    const cells = voronoiCells(current, lngScale, region);
    current = current.map((seed, i) => {
      const cell = cells[i]!;
      const [minX, minY, maxX, maxY] = bboxOf([[cell]]);
      // A cell the region's outline does not reach is whole; only the others need clipping.
      if (edges.search(minX, minY, maxX, maxY).length === 0) return planarCentroid([[cell]], lngScale);
      try {
        const clipped = intersect(region, [[cell]]);
        if (clipped.length === 0) return seed;
        const c = planarCentroid(clipped, lngScale);
        return regionContains(region, c) ? c : seed;
      } catch {
        return seed;
      }
    });
  }
  return current;
}
