/**
 * Choropleths: streets, communities or grids coloured by a value each (open cases, overdue, time to
 * the nearest deadline, on-duty coverage…). The colours are maplibre expressions over the feature's
 * state, so a live update of a few values is a few `setFeatureState` calls, not new data.
 */
import type { ExpressionSpecification } from 'maplibre-gl';

/** count: sequential blues; alert: yellow → red; coverage: 0 is a red gap, 1 and more are greens. */
export type AreaFillScheme = 'count' | 'alert' | 'coverage';

export interface AreaFill {
  readonly level: 'street' | 'community' | 'grid';
  /** Area code → value (0..max). Areas without a value are not filled. */
  readonly values: ReadonlyMap<string, number>;
  readonly max: number;
  readonly scheme: AreaFillScheme;
}

/** The colour stops of a scheme over 0..1 of the range (coverage: over 1..max, with 0 apart). */
export const AREA_FILL_RAMPS: Readonly<Record<AreaFillScheme, readonly string[]>> = {
  count: ['#deebf7', '#9ecae1', '#4292c6', '#08519c'],
  alert: ['#ffe066', '#fd8d3c', '#e03131', '#8f0e1f'],
  coverage: ['#c3e6cb', '#74c476', '#31a354', '#006d2c'],
};

/** Coverage: no one at all. */
export const COVERAGE_GAP_COLOR = '#e03131';

/** The feature-state key the value is kept under. */
export const AREA_FILL_STATE = 'fill';

const VALUE: ExpressionSpecification = ['to-number', ['feature-state', AREA_FILL_STATE], 0];
const HAS_VALUE: ExpressionSpecification = ['==', ['typeof', ['feature-state', AREA_FILL_STATE]], 'number'];

function ramp(t: ExpressionSpecification, colors: readonly string[]): ExpressionSpecification {
  const stops = colors.flatMap((color, i) => [i / (colors.length - 1), color]);
  return ['interpolate', ['linear'], ['max', 0, ['min', 1, t]], ...stops] as ExpressionSpecification;
}

/** fill-color for an area fill: the scheme's ramp over the value in the feature's state, up to `max` (give it scaleMax of the fill's). */
export function areaFillColor(scheme: AreaFillScheme, max: number): ExpressionSpecification {
  const colors = AREA_FILL_RAMPS[scheme];
  if (scheme === 'coverage') {
    const top = Math.max(max, 1);
    const t: ExpressionSpecification = top > 1 ? ['/', ['-', VALUE, 1], top - 1] : ['literal', 1];
    return ['case', ['<', VALUE, 1], COVERAGE_GAP_COLOR, ramp(t, colors)];
  }
  const t: ExpressionSpecification = max > 0 ? ['/', VALUE, max] : ['literal', 0];
  return ramp(t, colors);
}

/** fill-opacity: areas with a value only. */
export function areaFillOpacity(opacity: number): ExpressionSpecification {
  return ['case', HAS_VALUE, opacity, 0];
}

/**
 * The top of the colour scale for a fill's max: rounded up to 1, 2, 2.5 or 5 times a power of ten,
 * so that a live max creeping up does not change the map's paint (which makes maplibre re-tile the
 * source) at every update, only when it passes such a step. The legend shows the same.
 */
export function scaleMax(max: number): number {
  if (!(max > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= max - 1e-9) return m * step;
  return 10 * step;
}

/** The colour of one value, as the map draws it (for the legend). */
export function areaFillColorOf(scheme: AreaFillScheme, max: number, value: number): string {
  const colors = AREA_FILL_RAMPS[scheme];
  const top = scaleMax(max);
  let t: number;
  if (scheme === 'coverage') {
    if (value < 1) return COVERAGE_GAP_COLOR;
    t = top > 1 ? (value - 1) / (top - 1) : 1;
  } else {
    t = value / top;
  }
  t = Math.max(0, Math.min(1, t)) * (colors.length - 1);
  const i = Math.min(colors.length - 2, Math.floor(t));
  const mix = (a: string, b: string, f: number): string => {
    const channel = (hex: string, k: number): number => parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16);
    const out = [0, 1, 2].map((k) => Math.round(channel(a, k) + (channel(b, k) - channel(a, k)) * f));
    return `#${out.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  };
  return mix(colors[i]!, colors[i + 1]!, t - i);
}

/**
 * What changed between two fills of the same level: the codes whose value is new or different,
 * and the codes that lost their value. Everything when the level changed.
 */
export function areaFillChanges(
  before: AreaFill | undefined,
  after: AreaFill | undefined,
): { readonly set: readonly (readonly [string, number])[]; readonly cleared: readonly string[] } {
  const previous = before && after && before.level === after.level ? before.values : undefined;
  const set: [string, number][] = [];
  const cleared: string[] = [];
  if (after) for (const [code, value] of after.values) if (previous?.get(code) !== value) set.push([code, value]);
  if (before) {
    const keep = before.level === after?.level ? after.values : undefined;
    for (const code of before.values.keys()) if (!keep?.has(code)) cleared.push(code);
  }
  return { set, cleared };
}
