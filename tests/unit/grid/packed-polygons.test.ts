import { describe, expect, it } from 'vitest';
import { packPolygons } from '../../../core/grid/packed-polygons.ts';
import { buildCenteredSquareRing, buildRectRing } from './grid-fixtures.ts';

describe('packPolygons', () => {
  it('packs nothing into empty arrays with one sentinel offset each', () => {
    const packed = packPolygons([]);
    expect(packed.count).toBe(0);
    expect([...packed.partStart, ...packed.ringStart, ...packed.pointStart]).toEqual([0, 0, 0]);
    expect(packed.xy.length + packed.bbox.length).toBe(0);
  });

  it('lays out parts, rings and points with start offsets and a closing sentinel', () => {
    const holed = [buildRectRing(), buildCenteredSquareRing([116.375, 40.125], 0.0625)];
    const packed = packPolygons([[holed, [buildRectRing({ west: 116.75, east: 117.0 })]], [[buildRectRing({ south: 41.0, north: 41.25 })]]]);
    expect(packed.count).toBe(2);
    expect([...packed.partStart]).toEqual([0, 2, 3]);
    expect([...packed.ringStart]).toEqual([0, 2, 3, 4]);
    expect([...packed.pointStart]).toEqual([0, 5, 10, 15, 20]);
  });

  it('stores x then y for every point, in order', () => {
    const ring = buildRectRing({ west: 116.25, south: 40.0, east: 116.5, north: 40.25 });
    const packed = packPolygons([[[ring]]]);
    expect([...packed.xy]).toEqual(ring.flatMap(([x, y]) => [x, y]));
  });

  it('gives each polygon the bounding box of all its parts', () => {
    const packed = packPolygons([[[buildRectRing()], [buildRectRing({ west: 116.75, east: 117.0, south: 39.5, north: 39.75 })]]]);
    expect([...packed.bbox]).toEqual([116.25, 39.5, 117.0, 40.25]);
  });

  it('keeps polygons apart: the second polygon starts where the first ends', () => {
    const packed = packPolygons([[[buildRectRing()]], [[buildRectRing({ west: 116.75, east: 117.0 })]]]);
    expect(packed.xy[2 * packed.pointStart[packed.ringStart[packed.partStart[1]!]!]!]).toBe(116.75);
    expect([...packed.bbox.subarray(4, 8)]).toEqual([116.75, 40.0, 117.0, 40.25]);
  });
});
