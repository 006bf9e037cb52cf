import { Delaunay } from 'd3-delaunay';
import type { LngLat, MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { bboxOf } from '../../core/geo/multipolygon-measures.ts';
import { intersect, unite } from '../../core/geo/overlay.ts';
import { regionContains, voronoiCells } from './relax-seeds.ts';
import { regionEdgeIndex } from './region-edge-index.ts';

export interface VoronoiTiling {
  /** One cell per seed, index-aligned; each cell is one polygon (see absorbFragments). */
  readonly cells: MultiPolygonRings[];
  /** For each seed, the seeds whose cells share an edge with it (Delaunay neighbours). */
  readonly neighbours: number[][];
}

/**
 * Cuts `region` into the Voronoi cells of `seeds` in one diagram, so that neighbouring cells share
 * their edges vertex for vertex: grids built this way tile the region with no slivers, and the
 * communities and streets made as unions of grids inherit that. Only cells that the region's outline
 * crosses are clipped. A clipped cell that falls apart keeps the piece with its seed; the other pieces
 * join a neighbour (one of `preferred(i)` first, when given) that they share an edge with.
 */
export function tileWithVoronoi(
  region: MultiPolygonRings,
  seeds: readonly LngLat[],
  lngScale: number,
  preferred: (cell: number, candidate: number) => boolean = () => true,
): VoronoiTiling {
  const raw = voronoiCells(seeds, lngScale, region);
  const edges = regionEdgeIndex(region);
  const cells: MultiPolygonRings[] = raw.map((ring) => {
    const [minX, minY, maxX, maxY] = bboxOf([[ring]]);
    if (edges.search(minX, minY, maxX, maxY).length === 0) return [[ring]];
    return intersect(region, [[ring]]);
  });

  const delaunay = Delaunay.from(seeds.map(([x, y]) => [x * lngScale, y]));
  const neighbours = seeds.map((_, i) => [...delaunay.neighbors(i)]);

  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell.length <= 1) continue;
    const seed = seeds[i]!;
    const keep = Math.max(0, cell.findIndex((polygon) => regionContains([polygon], seed)));
    cells[i] = [cell[keep]!];
    cell.forEach((fragment, k) => {
      if (k === keep) return;
      const candidates = neighbours[i]!.slice().sort((a, b) => Number(preferred(i, b)) - Number(preferred(i, a)));
      for (const j of candidates) {
        const merged = unite(cells[j]!, [fragment]);
        if (merged.length === cells[j]!.length) {
          cells[j] = merged;
          return;
        }
      }
      // No neighbour shares an edge with it: it stays a second part of its own cell.
      cells[i] = [...cells[i]!, fragment];
    });
  }
  return { cells, neighbours };
}
