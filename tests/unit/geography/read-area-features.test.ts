import { describe, expect, it } from 'vitest';
import { readAreaFeatures } from '../../../core/geography/read-area-features.ts';
import {
  areaFeature, buildHierarchy, codesOf, collectionOf, featureOf, rectangle, withCode, withCrs, withoutProperty, withRenamedProperties,
} from '../../fixtures/geography-builders.ts';

const SOURCE = 'grids.geojson';
const GRID = '110108901001001';

function gridsWith(change: (feature: Record<string, unknown>) => Record<string, unknown>): unknown {
  const grids = buildHierarchy().grids;
  return { ...grids, features: [change(structuredClone(featureOf(grids, GRID)) as unknown as Record<string, unknown>)] };
}

describe('readAreaFeatures', () => {
  it('reads every feature of a FeatureCollection into an area with its code, name and rings', () => {
    const grids = buildHierarchy().grids;
    const { areas, problems } = readAreaFeatures('grid', SOURCE, grids);
    expect(problems).toEqual([]);
    expect(areas.map((a) => a.code)).toEqual(codesOf(grids));
    expect(areas[0]).toEqual({ code: GRID, name: '试点1-1社区第1网格', rings: [featureOf(grids, GRID).geometry.coordinates] });
  });

  it('keeps each area’s properties beside it', () => {
    const grids = buildHierarchy().grids;
    const { properties } = readAreaFeatures('grid', SOURCE, grids);
    expect(properties[0]).toEqual({ code: GRID, name: '试点1-1社区第1网格' });
  });

  it('takes a MultiPolygon as it is', () => {
    const coordinates = [rectangle([116.3, 39.94, 116.301, 39.941]), rectangle([116.302, 39.94, 116.303, 39.941])];
    const collection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: GRID, name: 'g' }, geometry: { type: 'MultiPolygon', coordinates } }] };
    expect(readAreaFeatures('grid', SOURCE, collection).areas[0]?.rings).toEqual(coordinates);
  });

  it.each([
    ['a single Feature', { type: 'Feature', properties: {}, geometry: null }],
    ['an array', []],
    ['null', null],
    ['a FeatureCollection without features', { type: 'FeatureCollection' }],
  ])('refuses %s as not a FeatureCollection', (_what, input) => {
    expect(readAreaFeatures('grid', SOURCE, input)).toEqual({
      areas: [], properties: [], problems: [{ kind: 'invalid-geometry', level: 'grid', code: '', message: 'grids.geojson: is not a GeoJSON FeatureCollection' }],
    });
  });

  it('refuses a declared crs of EPSG:3857 with a message that names it and says to reproject', () => {
    const { areas, problems } = readAreaFeatures('grid', SOURCE, withCrs(buildHierarchy().grids, 'EPSG:3857'));
    expect(areas).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(
      'grids.geojson: declares CRS "EPSG:3857"; only WGS-84 longitude/latitude (EPSG:4326 / CRS84) is accepted — reproject first',
    );
  });

  it.each([['urn:ogc:def:crs:OGC:1.3:CRS84'], ['urn:ogc:def:crs:EPSG::4326'], ['EPSG:4326']])('accepts a declared crs of %s', (name) => {
    const grids = buildHierarchy().grids;
    const { areas, problems } = readAreaFeatures('grid', SOURCE, withCrs(grids, name));
    expect(problems).toEqual([]);
    expect(areas).toHaveLength(grids.features.length);
  });

  it('refuses a crs member that names nothing', () => {
    const collection = { ...buildHierarchy().grids, crs: { type: 'link', properties: { href: 'http://example.org/crs' } } };
    expect(readAreaFeatures('grid', SOURCE, collection).problems[0]?.message).toMatch(/^grids\.geojson: declares CRS \{.*\}; only WGS-84/);
  });

  it('reports a feature without a code by its index', () => {
    const { areas, problems } = readAreaFeatures('grid', SOURCE, withoutProperty(buildHierarchy().grids, 'code'));
    expect(areas).toEqual([]);
    expect(problems[0]).toEqual({ kind: 'invalid-geometry', level: 'grid', code: '', message: 'grids.geojson: feature 0 has no "code" property' });
  });

  it('reports a feature with an empty code as having none', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, withCode(buildHierarchy().grids, GRID, ''));
    expect(problems[0]?.message).toBe('grids.geojson: feature 0 has no "code" property');
  });

  it('reports a feature without a name by its code', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, withoutProperty(buildHierarchy().grids, 'name'));
    expect(problems[0]).toEqual({ kind: 'invalid-geometry', level: 'grid', code: GRID, message: `grids.geojson: feature ${GRID} has no "name" property` });
  });

  it('reports a feature whose name is only spaces as having none', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, gridsWith((f) => ({ ...f, properties: { code: GRID, name: '   ' } })));
    expect(problems[0]?.message).toBe(`grids.geojson: feature ${GRID} has no "name" property`);
  });

  it('trims the spaces around a name', () => {
    const { areas } = readAreaFeatures('grid', SOURCE, gridsWith((f) => ({ ...f, properties: { code: GRID, name: ' 第1网格 ' } })));
    expect(areas[0]?.name).toBe('第1网格');
  });

  it('reports a feature with null geometry', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, gridsWith((f) => ({ ...f, geometry: null })));
    expect(problems).toEqual([{ kind: 'invalid-geometry', level: 'grid', code: GRID, message: `grids.geojson: feature ${GRID} has no geometry` }]);
  });

  it('refuses a Point geometry', () => {
    const { areas, problems } = readAreaFeatures('grid', SOURCE, gridsWith((f) => ({ ...f, geometry: { type: 'Point', coordinates: [116.3, 39.94] } })));
    expect(areas).toEqual([]);
    expect(problems[0]?.message).toBe(`grids.geojson: feature ${GRID} is a Point, not a Polygon or MultiPolygon`);
  });

  it('refuses coordinates that are not nested arrays', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, gridsWith((f) => ({ ...f, geometry: { type: 'Polygon', coordinates: [116.3, 39.94] } })));
    expect(problems[0]?.message).toBe(`grids.geojson: feature ${GRID} has malformed coordinates`);
  });

  it('reports an entry that is not a Feature by its index', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, { type: 'FeatureCollection', features: [{ type: 'Polygon', coordinates: [] }] });
    expect(problems[0]?.message).toBe('grids.geojson: feature 0 is not a GeoJSON Feature');
  });

  it('reports every bad feature, not only the first', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, withoutProperty(buildHierarchy().grids, 'name'));
    expect(problems).toHaveLength(buildHierarchy().grids.features.length);
  });

  it('accepts a numeric code as its digits in a string', () => {
    const { areas, problems } = readAreaFeatures('grid', SOURCE, withCode(buildHierarchy().grids, GRID, 110108901001001));
    expect(problems).toEqual([]);
    expect(areas[0]?.code).toBe('110108901001001');
  });

  it('matches property names regardless of case', () => {
    const grids = withRenamedProperties(buildHierarchy().grids, { code: 'CODE', name: 'Name' });
    const { areas, problems } = readAreaFeatures('grid', SOURCE, grids);
    expect(problems).toEqual([]);
    expect(areas[0]).toMatchObject({ code: GRID, name: '试点1-1社区第1网格' });
  });

  it('reads codes and names from custom field names', () => {
    const grids = withRenamedProperties(buildHierarchy().grids, { code: 'WGBM', name: 'WGMC' });
    const { areas, problems } = readAreaFeatures('grid', SOURCE, grids, { code: 'wgbm', name: 'wgmc' });
    expect(problems).toEqual([]);
    expect(areas.map((a) => a.code)).toEqual(codesOf(buildHierarchy().grids));
  });

  it('names the custom code field when it is missing', () => {
    const { problems } = readAreaFeatures('grid', SOURCE, buildHierarchy().grids, { code: 'WGBM', name: 'name' });
    expect(problems[0]?.message).toBe('grids.geojson: feature 0 has no "WGBM" property');
  });

  it('reports problems at the level it was asked to read', () => {
    const streets = collectionOf([areaFeature('110108901', '', [116.3, 39.94, 116.31, 39.96])]);
    expect(readAreaFeatures('street', 'streets.geojson', streets).problems[0]).toMatchObject({ level: 'street', code: '110108901' });
  });
});
