/**
 * Choropleths: streets, communities or grids coloured by a value each (open cases, overdue, time to
 * the nearest deadline, on-duty coverage…). They are drawn on a canvas of their own beneath the
 * map's lines (see area-canvas.ts), coloured here, so that a live update repaints that canvas only.
 */

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

/**
 * The top of the colour scale for a fill's max: rounded up to 1, 2, 2.5 or 5 times a power of ten,
 * so that a live max creeping up does not shift every area's colour (and the legend) at every
 * update, only when it passes such a step. The legend shows the same.
 */
export function scaleMax(max: number): number {
  if (!(max > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= max - 1e-9) return m * step;
  return 10 * step;
}

type Rgb = readonly [number, number, number];

const rgbOf = (hex: string): Rgb => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
const RAMPS_RGB: Readonly<Record<AreaFillScheme, readonly Rgb[]>> = {
  count: AREA_FILL_RAMPS.count.map(rgbOf),
  alert: AREA_FILL_RAMPS.alert.map(rgbOf),
  coverage: AREA_FILL_RAMPS.coverage.map(rgbOf),
};
const GAP_RGB = rgbOf(COVERAGE_GAP_COLOR);

/** The colour of one value as the map draws it: the scheme's ramp (linear in RGB) from 0 (coverage: 1) to scaleMax(max). */
export function areaFillRgb(scheme: AreaFillScheme, max: number, value: number): Rgb {
  const colors = RAMPS_RGB[scheme];
  const top = scaleMax(max);
  let t: number;
  if (scheme === 'coverage') {
    if (value < 1) return GAP_RGB;
    t = top > 1 ? (value - 1) / (top - 1) : 1;
  } else {
    t = value / top;
  }
  t = Math.max(0, Math.min(1, t)) * (colors.length - 1);
  const i = Math.min(colors.length - 2, Math.floor(t));
  const a = colors[i]!;
  const b = colors[i + 1]!;
  const f = t - i;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** The same colour as #rrggbb (for the legend). */
export function areaFillColorOf(scheme: AreaFillScheme, max: number, value: number): string {
  return `#${areaFillRgb(scheme, max, value)
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

/**
 * The areas of `all` that have a value: `previous` itself when it holds the same areas (in the same
 * order), so that a drawing of them only recolours instead of taking in new shapes.
 */
export function areasWithValues<F extends { readonly properties: { readonly code: string } }>(all: readonly F[], values: ReadonlyMap<string, number>, previous: readonly F[] | undefined): readonly F[] {
  const next = all.filter((f) => values.has(f.properties.code));
  if (previous && previous.length === next.length && next.every((f, i) => f === previous[i])) return previous;
  return next;
}
