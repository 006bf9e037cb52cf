/**
 * Hotspots: the places where reports cluster (markets, schools, construction sites, transport hubs,
 * old residential compounds, parks), drawn deterministically from the seed inside the district,
 * denser where grids are small (where people are many). Each has a kind that biases the categories
 * reported around it, a spread, an intensity and a name for descriptions. Pure.
 */
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { HotspotKind } from './category-weights.ts';
import { metersBetween, type SimGeography } from './geography.ts';
import type { Rng } from './random.ts';

export interface Hotspot {
  readonly id: number;
  readonly kind: HotspotKind;
  readonly name: string;
  readonly center: LngLat;
  /** Standard deviation of report positions around the centre, metres. */
  readonly sigmaMeters: number;
  /** Relative share of hotspot reports that come from here. */
  readonly intensity: number;
  readonly gridIndex: number;
}

/** How many of each kind in the default 40. */
export const HOTSPOT_MIX: Readonly<Record<HotspotKind, number>> = { market: 8, school: 8, construction: 7, hub: 7, residential: 6, park: 4 };

const SPREAD_METERS: Readonly<Record<HotspotKind, number>> = { market: 70, school: 60, construction: 45, hub: 90, residential: 110, park: 140 };

const NOUNS: Readonly<Record<HotspotKind, readonly string[]>> = {
  market: ['农贸市场', '便民市场', '菜市场', '早市', '批发市场'],
  school: ['小学', '中学', '实验学校', '幼儿园', '第二小学'],
  construction: ['项目工地', '住宅项目工地', '地铁施工现场', '道路改造工地', '综合体工地'],
  hub: ['地铁站', '公交枢纽', '公交场站', '地铁站B口', '换乘站'],
  residential: ['小区', '家属院', '老旧小区', '南里小区', '北里'],
  park: ['公园', '街心公园', '绿地', '游园', '滨河公园'],
};

/** "万寿路街道" → "万寿路", "西北旺地区" → "西北旺", "福海路社区" → "福海路". */
export function shortPlaceName(name: string): string {
  const short = name.replace(/(街道办事处|街道|地区办事处|地区|镇|乡|社区居委会|社区|村委会|村)$/u, '');
  return short.length > 0 ? short : name;
}

/** The order the kinds are placed in (interleaved, so a smaller count keeps the mix). */
function kindSequence(count: number): HotspotKind[] {
  const total = Object.values(HOTSPOT_MIX).reduce((a, b) => a + b, 0);
  const kinds: HotspotKind[] = [];
  const placed: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    // The kind furthest behind its share so far.
    let best: HotspotKind = 'market';
    let bestLag = -Infinity;
    for (const [kind, n] of Object.entries(HOTSPOT_MIX) as [HotspotKind, number][]) {
      const lag = ((i + 1) * n) / total - (placed[kind] ?? 0);
      if (lag > bestLag) {
        bestLag = lag;
        best = kind;
      }
    }
    placed[best] = (placed[best] ?? 0) + 1;
    kinds.push(best);
  }
  return kinds;
}

/** `count` hotspots, at least `minSeparationMeters` apart where the district allows. */
export function generateHotspots(geography: SimGeography, rng: Rng, count = 40, minSeparationMeters = 600): Hotspot[] {
  const hotspots: Hotspot[] = [];
  const names = new Set<string>();
  for (const kind of kindSequence(count)) {
    let center = geography.gridWeightedPoint(rng);
    for (let tries = 0; tries < 50 && hotspots.some((h) => metersBetween(h.center, center) < minSeparationMeters); tries++) {
      center = geography.gridWeightedPoint(rng);
    }
    const gridIndex = geography.gridAt(center);
    const street = geography.streetOf(gridIndex);
    const community = geography.communityOf(gridIndex);
    const noun = rng.pick(NOUNS[kind]);
    let name = `${shortPlaceName(street?.name ?? geography.districtName)}${noun}`;
    if (names.has(name)) name = `${shortPlaceName(community?.name ?? '')}${noun}`;
    if (names.has(name)) name = `${name}${hotspots.length + 1}号`;
    names.add(name);
    hotspots.push({
      id: hotspots.length,
      kind,
      name,
      center,
      sigmaMeters: SPREAD_METERS[kind] * rng.between(0.7, 1.4),
      intensity: Math.exp(0.6 * rng.normal()),
      gridIndex,
    });
  }
  return hotspots;
}
