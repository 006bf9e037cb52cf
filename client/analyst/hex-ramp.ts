/**
 * The hexagons' colours, pale yellow to deep red, by the square root of the share of the busiest bin
 * (a few very busy bins should not wash every other one out). Kept apart from the deck.gl layer so
 * the legend can draw it without loading deck.gl.
 */
export type Rgba = readonly [number, number, number, number];

export const HEX_RAMP: readonly Rgba[] = [
  [255, 237, 160, 150],
  [254, 178, 76, 170],
  [240, 59, 32, 190],
  [165, 15, 21, 210],
];

export function hexColor(count: number, maxCount: number): [number, number, number, number] {
  if (maxCount <= 0) return [...HEX_RAMP[0]!];
  const t = Math.sqrt(Math.min(1, count / maxCount)) * (HEX_RAMP.length - 1);
  const i = Math.min(HEX_RAMP.length - 2, Math.floor(t));
  const f = t - i;
  const a = HEX_RAMP[i]!;
  const b = HEX_RAMP[i + 1]!;
  return [0, 1, 2, 3].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number, number];
}
