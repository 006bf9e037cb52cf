/**
 * The analyst's hexbin layer: the server bins the cases of the window (GET /api/analytics/bins, for
 * the viewport only), the client draws the hexagons, coloured by hex-ramp.ts; bins with overdue cases
 * get a dark outline.
 */
import { PolygonLayer } from '@deck.gl/layers';
import type { HexBin, HexBinsAnswer } from '../../core/protocol/analytics-api.ts';
import { hexColor } from './hex-ramp.ts';

export const HEX_LAYER_ID = 'analyst-hex-bins';

export function hexBinLayer(answer: HexBinsAnswer): PolygonLayer<HexBin> {
  return new PolygonLayer<HexBin>({
    id: HEX_LAYER_ID,
    data: answer.bins as HexBin[],
    getPolygon: (bin) => bin.ring as [number, number][],
    getFillColor: (bin) => hexColor(bin.count, answer.maxCount),
    getLineColor: (bin) => (bin.overdueNow > 0 ? [80, 20, 20, 220] : [255, 255, 255, 90]),
    getLineWidth: (bin) => (bin.overdueNow > 0 ? 2 : 1),
    lineWidthUnits: 'pixels',
    stroked: true,
    filled: true,
    pickable: true,
    updateTriggers: { getFillColor: answer.maxCount },
  });
}
