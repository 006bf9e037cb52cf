import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import gcoord from 'gcoord';
import area from '@turf/area';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import { decodeEchartsMap } from './decode-echarts-map.ts';
import { unite } from '../../core/geo/overlay.ts';
import { asMultiPolygon } from '../../core/geo/geojson-rings.ts';

/** Parts and holes below this size are artefacts of ECharts' ~100 m quantisation, not geography. */
const SLIVER_SQUARE_METERS = 10_000;

export interface DistrictOutline {
  readonly code: string;
  readonly name: string;
  readonly geometry: MultiPolygon;
  readonly removedSquareMeters: number;
}

function toWgs84(rings: number[][][]): number[][][] {
  return rings.map((ring) => ring.map((p) => gcoord.transform(p as [number, number], gcoord.GCJ02, gcoord.WGS84) as number[]));
}

/**
 * Beijing's 16 districts from ECharts 4.9.0 (GCJ-02, quantised), converted to WGS-84 and cleaned:
 * quantisation leaves a few self-intersections, which a union resolves, and slivers, which go.
 */
export function loadBeijingDistricts(): DistrictOutline[] {
  const require = createRequire(import.meta.url);
  const path = require.resolve('echarts/map/json/province/beijing.json');
  const decoded = decodeEchartsMap(JSON.parse(readFileSync(path, 'utf8')));
  return decoded.features.map((f: Feature<Polygon | MultiPolygon>) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const converted = polygons.map((p) => toWgs84(p as number[][][]));
    const unioned = asMultiPolygon(unite(converted as unknown as MultiPolygonRings)).coordinates;
    let removed = 0;
    const kept = unioned
      .map((poly) =>
        poly.filter((ring, k) => {
          if (k === 0) return true;
          const holeArea = area({ type: 'Polygon', coordinates: [ring] });
          if (holeArea < SLIVER_SQUARE_METERS) removed += holeArea;
          return holeArea >= SLIVER_SQUARE_METERS;
        }),
      )
      .filter((poly) => {
        const partArea = area({ type: 'Polygon', coordinates: poly });
        if (partArea < SLIVER_SQUARE_METERS) removed += partArea;
        return partArea >= SLIVER_SQUARE_METERS;
      });
    return {
      code: String(f.id),
      name: String(f.properties?.['name'] ?? ''),
      geometry: { type: 'MultiPolygon', coordinates: kept },
      removedSquareMeters: removed,
    };
  });
}
