/**
 * How plausible each catalogue category is as a report, from what the catalogue says about it (kind,
 * work area, severity) and what its name says (street-scene problems are reported all day long,
 * fires and road collapses almost never). Works on any catalogue: the structural weights apply to
 * every category, the name patterns only sharpen the mix where they match. Pure.
 */
import type { Category } from '../../core/catalogue/catalogue.ts';
import type { Channel } from '../../core/cases/report.ts';

/** What a hotspot is: it biases the categories reported around it. */
export const HOTSPOT_KINDS = ['market', 'school', 'construction', 'hub', 'residential', 'park'] as const;
export type HotspotKind = (typeof HOTSPOT_KINDS)[number];

/** Where a report's category mix comes from: the background, a hotspot's kind, or a burst. */
export type MixContext = 'background' | HotspotKind | BurstKind;

export const BURST_KINDS = ['storm', 'outage'] as const;
export type BurstKind = (typeof BURST_KINDS)[number];

type Bias = readonly (readonly [RegExp, number])[];

const KIND_WEIGHT: Readonly<Record<string, number>> = { event: 1, component: 0.55, social: 0.3 };

const WORK_AREA_WEIGHT: Readonly<Record<string, number>> = {
  'city-operations': 1,
  'resident-demands': 1,
  'public-order': 0.8,
  'work-safety': 0.6,
  'population-housing': 0.6,
  disputes: 0.6,
  'social-services': 0.5,
  'basic-data': 0.4,
  'social-participation': 0.25,
  'corrections-assistance': 0.15,
};

/** Severity 4 (fire, gas leak, road collapse, flooding) is rare; 3 uncommon. */
export const SEVERITY_WEIGHT: Readonly<Record<number, number>> = { 1: 1, 2: 0.45, 3: 0.12, 4: 0.015 };

/** The everyday street scene, reported far more than anything else. */
const EVERYDAY: Bias = [
  [/暴露垃圾/, 8],
  [/机动车乱停放|乱停车/, 8],
  [/小广告/, 7],
  [/占道经营|店外经营/, 6],
  [/游商/, 5],
  [/共享单车/, 4],
  [/道路保洁|垃圾箱/, 3],
  [/路灯|废弃家具|噪声/, 2],
  [/户外广告|建筑垃圾|渣土|绿地保洁/, 1.8],
  [/遛狗|私搭乱建/, 1.5],
];

/** Around each kind of hotspot, these categories are far more likely than elsewhere. */
export const HOTSPOT_BIAS: Readonly<Record<HotspotKind, Bias>> = {
  market: [
    [/占道|店外经营|游商|无证照食品/, 12],
    [/消费投诉/, 8],
    [/暴露垃圾|垃圾箱|垃圾收集站|道路保洁/, 6],
    [/餐饮场所燃气/, 5],
    [/小广告/, 4],
    [/乱停放/, 3],
  ],
  school: [
    [/交通|信号灯|护栏|标志/, 8],
    [/可疑/, 8],
    [/乱停放/, 6],
    [/游商|无证照食品/, 5],
    [/共享单车/, 4],
    [/小广告|黑车|流浪犬|遛狗/, 3],
  ],
  construction: [
    [/施工|扬尘|渣土|建筑垃圾|工地/, 20],
    [/拖欠.*工资/, 10],
    [/噪声/, 4],
    [/道路保洁/, 3],
  ],
  hub: [
    [/黑车/, 20],
    [/共享单车|流浪乞讨/, 10],
    [/乱停放|公交站亭/, 8],
    [/游商/, 6],
    [/小广告/, 5],
    [/可疑|暴露垃圾/, 3],
  ],
  residential: [
    [/入户充电|消防通道/, 10],
    [/群租|出租房屋|流动人口|地下空间/, 8],
    [/电梯|停水|供暖|邻里|家庭纠纷/, 8],
    [/独居老人|私搭乱建/, 6],
    [/噪声/, 5],
    [/废弃家具|暴露垃圾|垃圾/, 3],
    [/乱停放/, 3],
  ],
  park: [
    [/绿地|古树|行道树/, 12],
    [/遛狗|流浪犬/, 10],
    [/公共厕所/, 8],
    [/垃圾箱/, 4],
    [/游商/, 3],
  ],
};

/** What a burst is about: only these categories, by name. */
export const BURST_CATEGORIES: Readonly<Record<BurstKind, RegExp>> = {
  storm: /倒伏|断枝|积水|内涝/,
  outage: /停水|供暖/,
};

/** At night (21:00–05:00) noise and night-time construction dominate the complaints. */
const NIGHT_BIAS: Bias = [
  [/噪声|施工扰民/, 5],
  [/乱停放|黑车/, 1.5],
];

function biasOf(bias: Bias, name: string): number {
  for (const [pattern, factor] of bias) if (pattern.test(name)) return factor;
  return 1;
}

/** A category's plausibility anywhere in the district, in the daytime. */
export function baseWeight(category: Category): number {
  return (KIND_WEIGHT[category.kind] ?? 0.5) * (WORK_AREA_WEIGHT[category.workArea] ?? 0.5) * (SEVERITY_WEIGHT[category.severity] ?? 0.1) * biasOf(EVERYDAY, category.zh);
}

/** Around a hotspot, this share of reports is about the hotspot's own problems; the rest is the background mix. */
export const HOTSPOT_OWN_SHARE = 0.7;

function normalised(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return total > 0 ? weights.map((w) => w / total) : weights;
}

/**
 * Weights of the categories (same order) in a context, by day or night. Background: the base
 * weights. A hotspot: HOTSPOT_OWN_SHARE from the categories its kind is known for (weighted by how
 * typical they are there and by severity), the rest the background's mix; just the background when
 * the catalogue has none of them. A burst: only its own categories (a storm does bring down trees,
 * whatever their severity); all zeros when the catalogue has none.
 */
export function categoryWeights(categories: readonly Category[], context: MixContext, night: boolean): number[] {
  if (context === 'storm' || context === 'outage') {
    const pattern = BURST_CATEGORIES[context];
    return categories.map((c) => (pattern.test(c.zh) ? (c.severity >= 4 ? 0.5 : 1) : 0));
  }
  const nightFactor = (c: Category): number => (night ? biasOf(NIGHT_BIAS, c.zh) : 1);
  const background = normalised(categories.map((c) => baseWeight(c) * nightFactor(c)));
  if (context === 'background') return background;
  const bias = HOTSPOT_BIAS[context];
  const own = normalised(categories.map((c) => (bias.some(([pattern]) => pattern.test(c.zh)) ? biasOf(bias, c.zh) * (SEVERITY_WEIGHT[c.severity] ?? 0.1) * nightFactor(c) : 0)));
  if (!own.some((w) => w > 0)) return background;
  return categories.map((_, i) => HOTSPOT_OWN_SHARE * own[i]! + (1 - HOTSPOT_OWN_SHARE) * background[i]!);
}

/** The channels the simulator uses for well-formed reports, in a fixed order. */
export const SIM_CHANNELS = ['patrol', 'hotline', 'resident-app', 'sensor', 'video', 'referral', 'open311'] as const satisfies readonly Channel[];

const SENSOR = /积水|内涝|井盖|路灯|燃气泄漏|火灾|扬尘|噪声|信号灯|供水管道/;
const VIDEO = /占道|店外经营|游商|乱停放|暴露垃圾|黑车|小广告|共享单车|流浪乞讨|遛狗|积水|倒伏|火灾|消防通道|施工|渣土/;
const STAFF_ONLY_AREAS = new Set(['basic-data', 'corrections-assistance']);

/**
 * How a category tends to arrive, weights in SIM_CHANNELS order: grid patrols find most street and
 * facility problems, residents call 12345 or use the app for what bothers them, sensors report what
 * they can measure (water, gas, noise, dust, lights), cameras see the street scene.
 */
export function channelWeights(category: Category): number[] {
  const social = category.kind === 'social';
  const staffOnly = STAFF_ONLY_AREAS.has(category.workArea);
  const demands = category.workArea === 'resident-demands';
  const patrol = staffOnly ? 10 : social ? 3 : 4;
  const hotline = staffOnly ? 0.3 : demands ? 5 : social ? 3 : category.kind === 'event' ? 2 : 1.5;
  const app = staffOnly ? 0.2 : demands ? 3.5 : social ? 1.5 : category.kind === 'event' ? 2.5 : 1.5;
  const sensor = SENSOR.test(category.zh) ? 4 : 0;
  const video = VIDEO.test(category.zh) ? 2.2 : 0;
  const referral = social ? 0.25 : 0.1;
  const open311 = staffOnly ? 0 : 0.15;
  return [patrol, hotline, app, sensor, video, referral, open311];
}
