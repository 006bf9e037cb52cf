import type { FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { BBox, LngLat } from '../../core/geo/lng-lat.ts';
import { ringsOf } from '../../core/geo/geojson-rings.ts';
import { bboxOf } from '../../core/geo/multipolygon-measures.ts';
import type { GeographyData } from '../state/geography-data.ts';
import { STREET_FILL_COLORS } from './basemap-style.ts';
import { assignColorIndexes } from './street-colors.ts';

/** Streets with the `colorIndex` that the streets-fill layer reads. */
export function streetsWithColors(geography: GeographyData): FeatureCollection<MultiPolygon> {
  const features = geography.streets.features;
  const colors = assignColorIndexes(features.map((f) => f.geometry), STREET_FILL_COLORS.length);
  return { type: 'FeatureCollection', features: features.map((f, i) => ({ ...f, properties: { ...f.properties, colorIndex: colors[i] } })) };
}

export function pointCollection(point: LngLat | undefined): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: point ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [point[0], point[1]] } }] : [],
  };
}

export function districtBBox(geography: GeographyData): BBox | undefined {
  const district = geography.district.features[0];
  return district ? bboxOf(ringsOf(district.geometry)) : undefined;
}

export function gridBBox(geography: GeographyData, gridCode: string): BBox | undefined {
  const grid = geography.grids.features.find((f) => f.properties.code === gridCode);
  return grid ? bboxOf(ringsOf(grid.geometry)) : undefined;
}

/** The frame of any area the page knows: the district, a street/town, a community or a grid. */
export function areaBBox(geography: GeographyData, code: string): BBox | undefined {
  const collections = [geography.district, geography.streets, geography.communities, geography.grids] as const;
  for (const collection of collections) {
    const feature = (collection.features as readonly { properties: { code: string }; geometry: MultiPolygon }[]).find((f) => f.properties.code === code);
    if (feature) return bboxOf(ringsOf(feature.geometry));
  }
  return undefined;
}
