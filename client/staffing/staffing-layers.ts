/**
 * The selected person's grids on the map: a dot per grid and a line from their first grid to each
 * other one (deck.gl, drawn in the map's overlay beneath the cases).
 */
import { LineLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { GridLink } from './staffing-figures.ts';

const LINK_COLOR: [number, number, number, number] = [25, 113, 194, 230];

export function personLayers(points: readonly (readonly [number, number])[], links: readonly GridLink[]): Layer[] {
  return [
    new LineLayer<GridLink>({
      id: 'staffing-links',
      data: links as GridLink[],
      getSourcePosition: (link) => link.from as [number, number],
      getTargetPosition: (link) => link.to as [number, number],
      getColor: LINK_COLOR,
      getWidth: 3,
      widthUnits: 'pixels',
    }),
    new ScatterplotLayer<readonly [number, number]>({
      id: 'staffing-person-grids',
      data: points as (readonly [number, number])[],
      getPosition: (point) => point as [number, number],
      getFillColor: [255, 255, 255, 255],
      getLineColor: LINK_COLOR,
      getRadius: 7,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      stroked: true,
    }),
  ];
}
