import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/**
 * ECharts 4 ships its maps "UTF8Encoding"-compressed: each coordinate pair is a zig-zag delta,
 * quantised by `UTF8Scale` (default 1024), stored as two characters offset by 64. This decodes one
 * such file back to plain GeoJSON with the same quantisation (about 100 m at this latitude).
 */
interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
  encodeOffsets: unknown;
}
interface EncodedMap {
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: { id?: string; properties: Record<string, unknown>; geometry: EncodedGeometry }[];
}

function decodeRing(encoded: string, offsets: readonly [number, number], scale: number): number[][] {
  const ring: number[][] = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

function decodePolygon(rings: string[], offsets: [number, number][], scale: number): number[][][] {
  return rings.map((ring, i) => {
    const offset = offsets[i];
    if (!offset) throw new Error('echarts map: ring without encode offset');
    return decodeRing(ring, offset, scale);
  });
}

export function decodeEchartsMap(map: EncodedMap): FeatureCollection<Polygon | MultiPolygon> {
  if (!map.UTF8Encoding) throw new Error('echarts map: expected UTF8Encoding');
  const scale = map.UTF8Scale ?? 1024;
  const features: Feature<Polygon | MultiPolygon>[] = map.features.map((f) => {
    const g = f.geometry;
    const geometry: Polygon | MultiPolygon =
      g.type === 'Polygon'
        ? { type: 'Polygon', coordinates: decodePolygon(g.coordinates as string[], g.encodeOffsets as [number, number][], scale) }
        : {
            type: 'MultiPolygon',
            coordinates: (g.coordinates as string[][]).map((poly, i) =>
              decodePolygon(poly, (g.encodeOffsets as [number, number][][])[i] ?? [], scale),
            ),
          };
    return { type: 'Feature', id: f.id ?? '', properties: { ...f.properties }, geometry };
  });
  return { type: 'FeatureCollection', features };
}
