import { describe, expect, it } from 'vitest';
import type { GridCollection } from '../../../core/protocol/http-api.ts';
import { AREA_FILL_RAMPS, areaFillColorOf, areaFillRgb, areasWithValues, COVERAGE_GAP_COLOR, scaleMax, type AreaFill } from '../../../client/map/area-fill.ts';
import { createGeographyData, GRID_TILES_PER_VIEW_MAX, GridCache, type GridFeature, legibleGridZoom, tilesOf } from '../../../client/state/geography-data.ts';

function grid(code: string, lng = 116.3, lat = 40): GridFeature {
  const d = 0.001;
  return {
    type: 'Feature',
    properties: { code, name: `grid ${code}`, communityCode: code.slice(0, 12), streetCode: code.slice(0, 9), areaSquareMeters: 10_000 },
    geometry: { type: 'MultiPolygon', coordinates: [[[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]]] },
  };
}

const collection = (features: GridFeature[], numberMatched = features.length): GridCollection => ({ type: 'FeatureCollection', numberMatched, numberReturned: features.length, features });

describe('grids loaded by view', () => {
  it('cover a box with tiles, nearest the centre first, and cap the count', () => {
    const tiles = tilesOf([116.28, 39.98, 116.32, 40.02]);
    expect(tiles.length).toBeGreaterThan(1);
    const [first] = tiles;
    const [minLng, minLat, maxLng, maxLat] = first!.bbox;
    // The first tile holds the centre of the box.
    expect(minLng <= 116.3 && 116.3 <= maxLng && minLat <= 40 && 40 <= maxLat).toBe(true);
    expect(new Set(tiles.map((t) => t.key)).size).toBe(tiles.length);
    expect(tilesOf([115.5, 39.5, 117, 40.5]).length).toBe(GRID_TILES_PER_VIEW_MAX);
  });

  it('merge tiles without duplicates, keep names, and drop the least recently used beyond the cap', () => {
    const cache = new GridCache(43_000);
    cache.put('a', [grid('110108001001001'), grid('110108001001002')]);
    cache.put('b', [grid('110108001001002'), grid('110108001001003')]);
    expect(cache.collection().features.map((f) => f.properties.code)).toEqual(['110108001001001', '110108001001002', '110108001001003']);
    expect(cache.collection().numberMatched).toBe(43_000);
    cache.put('c', [grid('110108001001004')]);
    cache.touch(['a']);
    // Over a cap of 3: 'b' (least recently used) goes, 'a' was just used, 'c' is kept by the view.
    cache.evict(new Set(['c']), 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a') && cache.has('c')).toBe(true);
    expect(cache.collection().features.map((f) => f.properties.code).sort()).toEqual(['110108001001001', '110108001001002', '110108001001004']);
    // Names stay known after a grid's outline is dropped.
    expect(cache.gridNames.get('110108001001003')).toBe('grid 110108001001003');
  });

  it('decide from the count whether all grids are here and from which zoom they are drawn', () => {
    const base = {
      district: { type: 'FeatureCollection', numberMatched: 1, numberReturned: 1, features: [{ type: 'Feature', properties: { code: '110108', name: '海淀区', areaSquareMeters: 430.6e6 }, geometry: { type: 'MultiPolygon', coordinates: [[[[116, 40], [116.1, 40], [116.1, 40.1], [116, 40]]]] } }] },
      streets: { type: 'FeatureCollection', numberMatched: 0, numberReturned: 0, features: [] },
      communities: { type: 'FeatureCollection', numberMatched: 0, numberReturned: 0, features: [] },
      departments: [],
    } as unknown as Parameters<typeof createGeographyData>[0];
    const small = createGeographyData({ ...base, grids: collection([grid('110108001001001')]) });
    expect(small.gridsComplete).toBe(true);
    expect(small.gridMinZoom).toBe(0);
    expect(small.gridNames.get('110108001001001')).toBe('grid 110108001001001');
    const large = createGeographyData({ ...base, grids: collection([], 43_054), gridsComplete: false });
    expect(large.gridCount).toBe(43_054);
    expect(large.gridsComplete).toBe(false);
    expect(large.gridMinZoom).toBeGreaterThanOrEqual(13.5);
    expect(large.gridMinZoom).toBeLessThanOrEqual(14.5);
    // ~0.14 km² community grids read apart about two zoom levels earlier.
    expect(legibleGridZoom(430.6e6, 3_000, 40)).toBeLessThan(legibleGridZoom(430.6e6, 43_054, 40) - 1.5);
  });
});

describe('area fills', () => {
  const fill = (values: [string, number][], level: AreaFill['level'] = 'street'): AreaFill => ({ level, values: new Map(values), max: 10, scheme: 'count' });

  it('draw the areas that have a value, and keep the same list while those areas stay the same (only the colours change)', () => {
    const area = (code: string) => ({ properties: { code } });
    const all = [area('a'), area('b'), area('c')];
    const first = areasWithValues(all, fill([['a', 1], ['c', 3]]).values, undefined);
    expect(first.map((f) => f.properties.code)).toEqual(['a', 'c']);
    expect(areasWithValues(all, fill([['a', 7], ['c', 0]]).values, first)).toBe(first);
    expect(areasWithValues(all, fill([['a', 7], ['b', 1], ['c', 0]]).values, first).map((f) => f.properties.code)).toEqual(['a', 'b', 'c']);
    expect(areasWithValues(all, new Map(), first)).toEqual([]);
  });

  it('colour a value as the legend does', () => {
    expect(areaFillRgb('count', 10, 0)).toEqual([0xde, 0xeb, 0xf7]);
    expect(areaFillRgb('count', 10, 100)).toEqual([0x08, 0x51, 0x9c]);
    expect(areaFillColorOf('alert', 9, 5)).toBe(`#${areaFillRgb('alert', 9, 5).map((c) => c.toString(16).padStart(2, '0')).join('')}`);
  });

  it('colours by scheme: the ramp ends at 0 and max, coverage 0 is the red gap', () => {
    expect(areaFillColorOf('count', 10, 0)).toBe(AREA_FILL_RAMPS.count[0]);
    expect(areaFillColorOf('count', 10, 10)).toBe(AREA_FILL_RAMPS.count.at(-1));
    expect(areaFillColorOf('alert', 0, 0)).toBe(AREA_FILL_RAMPS.alert[0]);
    expect(areaFillColorOf('coverage', 4, 0)).toBe(COVERAGE_GAP_COLOR);
    expect(areaFillColorOf('coverage', 4, 1)).toBe(AREA_FILL_RAMPS.coverage[0]);
    expect(areaFillColorOf('coverage', 5, 5)).toBe(AREA_FILL_RAMPS.coverage.at(-1));
  });

  it('round the top of the scale up to a step, so that a creeping max does not recolour every area each time', () => {
    expect([0, 0.4, 1, 3, 7, 10, 11, 24, 26, 180, 520, 1_000].map(scaleMax)).toEqual([1, 0.5, 1, 5, 10, 10, 20, 25, 50, 200, 1_000, 1_000]);
    expect(areaFillColorOf('count', 7, 10)).toBe(AREA_FILL_RAMPS.count.at(-1));
  });
});
