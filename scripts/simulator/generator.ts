/**
 * The report stream: an endless, time-ordered sequence of reports as the field would send them,
 * a pure function of the seed, the catalogue, the geography, the rate and the local clock it starts
 * at. No I/O and no real clock: `next()` says what to send and when (milliseconds after the start);
 * the runner keeps the time.
 *
 * - Arrivals: a Poisson process whose intensity follows the daily rhythm (thinning), plus bursts
 *   (a storm over one street: fallen trees and waterlogging; a water or heating outage in one
 *   community), each several times the normal rate for a minute or two.
 * - Places: ~40 hotspots (markets, schools, construction sites, hubs, old compounds, parks) that
 *   bias the categories around them, and a background weighted toward dense grids.
 * - Follow-ups: likely duplicates (the same problem reported again a little later, within ~30 m,
 *   from another channel) and retries (a flaky phone sending the same reportId twice).
 * - A small share of bad reports that the server must refuse, and staff reports just outside the
 *   district that it must store unrouted.
 */
import gcoord from 'gcoord';
import type { Category } from '../../core/catalogue/catalogue.ts';
import type { Channel, Reporter } from '../../core/cases/report.ts';
import { toWgs84 } from '../../core/geo/convert-crs.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { BURST_CATEGORIES, BURST_KINDS, categoryWeights, channelWeights, SIM_CHANNELS, type BurstKind, type HotspotKind, type MixContext } from './category-weights.ts';
import { describe, reporterFor } from './descriptions.ts';
import { offsetMeters, type SimGeography } from './geography.ts';
import { generateHotspots, shortPlaceName, type Hotspot } from './hotspots.ts';
import { createRng, weightedTable, type Rng, type WeightedTable } from './random.ts';
import { beijingHour, isNightHour, RHYTHM_MAX, rhythmAt } from './rhythm.ts';

/** A report as it goes on the wire: usually well-formed, sometimes wrong on purpose. */
export interface WireReport {
  readonly reportId: string;
  readonly category: string;
  readonly lng: number | string;
  readonly lat: number | string;
  readonly crs?: 'GCJ-02';
  readonly description: string;
  readonly channel: Channel;
  readonly reporter?: Reporter;
  readonly photos?: readonly string[];
}

export const BAD_REASONS = ['unknown-category', 'out-of-range', 'non-numeric', 'outside-district', 'long-description'] as const;
export type BadReason = (typeof BAD_REASONS)[number];

/** Why this report is in the stream. */
export type Origin =
  | { readonly kind: 'background' }
  | { readonly kind: 'hotspot'; readonly hotspot: number; readonly hotspotKind: HotspotKind }
  | { readonly kind: 'burst'; readonly burst: number; readonly burstKind: BurstKind }
  | { readonly kind: 'duplicate'; readonly of: string; readonly distanceMeters: number }
  | { readonly kind: 'retry'; readonly of: string }
  | { readonly kind: 'unrouted' }
  | { readonly kind: 'bad'; readonly reason: BadReason };

/** What the server should answer. */
export type Expectation =
  | { readonly outcome: 'stored'; readonly routed: boolean }
  | { readonly outcome: 'linked' }
  | { readonly outcome: 'replayed' }
  | { readonly outcome: 'refused'; readonly code: 'invalid_report' | 'outside_district' };

export interface PlannedReport {
  /** Position in the stream, from 0. */
  readonly seq: number;
  /** When to send it: milliseconds after the stream's start. */
  readonly at: number;
  readonly report: WireReport;
  readonly origin: Origin;
  readonly expect: Expectation;
  /** The WGS-84 point meant (absent where the coordinates are deliberately broken). */
  readonly point?: LngLat;
  /** The stream sends this reportId again later (a planned retry). */
  readonly repeated?: true;
  /** The grid the server should route it to (well-formed reports inside the district). */
  readonly gridCode?: string;
}

export interface Burst {
  readonly id: number;
  readonly kind: BurstKind;
  /** Milliseconds after the stream's start. */
  readonly start: number;
  readonly end: number;
  /** Total rate during the burst, as a multiple of the normal rate there and then. */
  readonly multiplier: number;
  readonly areaCode: string;
  readonly areaName: string;
}

export interface StreamOptions {
  readonly seed: number;
  /** Mean reports per second over a whole day (bursts included). */
  readonly rate: number;
  /** The local clock at the start (epoch ms): drives the daily rhythm. */
  readonly clockStart: number;
  /** How fast the local clock runs: 1 = real time, 1440 = a day per minute. */
  readonly daySpeed?: number;
  /** reportIds read PREFIX-N; default "sim-SEED". */
  readonly idPrefix?: string;
  readonly hotspotCount?: number;
  /** Of well-formed new reports, how many come from hotspots (the rest: background). */
  readonly hotspotShare?: number;
  /** Of well-formed new reports, how many get a likely duplicate later. */
  readonly duplicateShare?: number;
  /** Of reports from phones (resident app, patrol, Open311), how many are sent twice. */
  readonly retryShare?: number;
  readonly badShare?: number;
  /** Staff reports just outside the district (stored unrouted). */
  readonly unroutedShare?: number;
  /** Of resident-app reports, how many arrive in GCJ-02 (as AMap and Tencent maps give them). */
  readonly gcjShare?: number;
  readonly burstsPerHour?: number;
}

export const STREAM_DEFAULTS = {
  daySpeed: 1,
  hotspotCount: 40,
  hotspotShare: 0.55,
  duplicateShare: 0.05,
  retryShare: 0.06,
  badShare: 0.02,
  unroutedShare: 0.005,
  gcjShare: 0.4,
  burstsPerHour: 2,
} as const;

/** Longest description the server takes (REPORT_LIMITS.descriptionChars). */
const DESCRIPTION_LIMIT = 4000;

const BURST_MIX: Readonly<Record<BurstKind, number>> = { storm: 0.7, outage: 0.3 };
const BURST_SECONDS: Readonly<Record<BurstKind, readonly [number, number]>> = { storm: [60, 120], outage: [60, 120] };
const BURST_MULTIPLIER: readonly [number, number] = [2.5, 4];
/** A second report of the same problem comes a little later: 3 s plus ~7 s on average, at most 45 s. */
const DUPLICATE_DELAY_S = { min: 3, mean: 7, max: 45 } as const;
const DUPLICATE_METERS: readonly [number, number] = [3, 28];
const RETRY_DELAY_S: readonly [number, number] = [0.2, 4];
const PHONE_CHANNELS: ReadonlySet<Channel> = new Set(['resident-app', 'patrol', 'open311']);

/** Bursts add (multiplier − 1) × the normal rate for their duration: the share they add on average. */
export function burstExtraShare(burstsPerHour: number): number {
  let extra = 0;
  for (const kind of BURST_KINDS) {
    const [lo, hi] = BURST_SECONDS[kind];
    extra += BURST_MIX[kind] * ((lo + hi) / 2) * ((BURST_MULTIPLIER[0] + BURST_MULTIPLIER[1]) / 2 - 1);
  }
  return (burstsPerHour / 3600) * extra;
}

/**
 * Follow-ups (duplicates, retries) sent per arrival, on average: well-formed arrivals times the
 * duplicate share, plus the retry share of those from phones (by the background's category mix).
 */
export function followUpShare(categories: readonly Category[], options: Pick<StreamOptions, 'badShare' | 'unroutedShare' | 'duplicateShare' | 'retryShare'>): number {
  const o = { ...STREAM_DEFAULTS, ...options };
  const weights = categoryWeights(categories, 'background', false);
  const total = weights.reduce((a, b) => a + b, 0);
  let phone = 0;
  categories.forEach((c, i) => {
    const channels = channelWeights(c);
    const sum = channels.reduce((a, b) => a + b, 0);
    const phones = channels.reduce((a, w, j) => a + (PHONE_CHANNELS.has(SIM_CHANNELS[j]!) ? w : 0), 0);
    if (total > 0 && sum > 0) phone += (weights[i]! / total) * (phones / sum);
  });
  return (1 - o.badShare - o.unroutedShare) * (o.duplicateShare + o.retryShare * phone);
}

export interface ReportStream {
  readonly hotspots: readonly Hotspot[];
  /** Bursts begun so far (in stream order). */
  readonly bursts: readonly Burst[];
  next(): PlannedReport;
}

/** A planned report before the agenda stamps its time and position. */
type Draft = Omit<PlannedReport, 'seq' | 'at'>;

interface Pending {
  readonly at: number;
  readonly order: number;
  readonly run: () => Draft | undefined;
}

/** A binary min-heap on (at, order). */
class Agenda {
  private readonly items: Pending[] = [];
  private order = 0;

  push(at: number, run: Pending['run']): void {
    const items = this.items;
    items.push({ at, order: this.order++, run });
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(items[i]!, items[p]!)) break;
      [items[i], items[p]] = [items[p]!, items[i]!];
      i = p;
    }
  }

  pop(): Pending | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

interface Good {
  readonly category: Category;
  readonly channel: Channel;
  readonly point: LngLat;
  readonly place: string;
}

export function createReportStream(categories: readonly Category[], geography: SimGeography, options: StreamOptions): ReportStream {
  const o = { ...STREAM_DEFAULTS, ...options };
  if (!(o.rate > 0)) throw new Error('rate must be positive');
  if (categories.length === 0) throw new Error('the catalogue has no categories');
  const idPrefix = o.idPrefix ?? `sim-${o.seed >>> 0}`;
  const root = createRng(o.seed, 'report-stream');
  const hotspots = generateHotspots(geography, root.fork('hotspots'), o.hotspotCount);
  const arrivals = root.fork('arrivals');
  const burstClock = root.fork('bursts');
  const content = root.fork('content');


  // One category table per context and day/night; bursts only where the catalogue has their categories.
  const tables = new Map<string, WeightedTable<Category> | null>();
  const tableFor = (context: MixContext, night: boolean): WeightedTable<Category> | null => {
    const key = `${context}:${night}`;
    let table = tables.get(key);
    if (table === undefined) {
      const weights = categoryWeights(categories, context, night);
      table = weights.some((w) => w > 0) ? weightedTable(categories, weights) : null;
      tables.set(key, table);
    }
    return table;
  };
  const channelTables = new Map<string, number[]>(categories.map((c) => [c.code, channelWeights(c)]));
  // --rate counts everything sent: the arrivals, the bursts on top of them and the follow-ups.
  const baseRate = o.rate / ((1 + burstExtraShare(o.burstsPerHour)) * (1 + followUpShare(categories, o))); // per second
  const lambdaMax = (baseRate * RHYTHM_MAX) / 1000; // per millisecond
  const localClock = (t: number): number => o.clockStart + t * o.daySpeed;
  const normalRate = (t: number): number => (baseRate * rhythmAt(localClock(t))) / 1000;
  const hotspotTable = weightedTable(hotspots, hotspots.map((h) => h.intensity));
  const knownCodes = new Set(categories.map((c) => c.code));
  const burstKinds = BURST_KINDS.filter((k) => categories.some((c) => BURST_CATEGORIES[k].test(c.zh)));

  const agenda = new Agenda();
  const bursts: Burst[] = [];
  let seq = 0;
  let nextId = 0;
  let burstCount = 0;
  const newId = (): string => `${idPrefix}-${nextId++}`;
  const isNight = (t: number): boolean => isNightHour(beijingHour(localClock(t)));

  const pickChannel = (category: Category, rng: Rng, except?: Channel): Channel | undefined => {
    const weights = channelTables.get(category.code)!.map((w, i) => (SIM_CHANNELS[i] === except ? 0 : w));
    return weights.some((w) => w > 0) ? SIM_CHANNELS[rng.weighted(weights)] : undefined;
  };

  /** The grid the server should route a point to, as `{ gridCode }` to spread into a report (none outside). */
  const gridOf = (point: LngLat): { gridCode?: string } => {
    const grid = geography.grids[geography.gridAt(point)];
    return grid ? { gridCode: grid.code } : {};
  };

  const placeName = (point: LngLat): string => {
    const g = geography.gridAt(point);
    const community = geography.communityOf(g);
    return community?.name ?? shortPlaceName(geography.streetOf(g)?.name ?? geography.districtName);
  };

  const photosFor = (channel: Channel): readonly string[] | undefined => {
    const share = channel === 'patrol' ? 0.5 : channel === 'resident-app' ? 0.4 : 0;
    if (!content.chance(share)) return undefined;
    return Array.from({ length: content.int(1, 3) }, () => `upload:${content.int(0, 0xffffffff).toString(16).padStart(8, '0')}`);
  };

  /**
   * The wire form of a good report: coordinates to 7 decimals (about 1 cm), as a phone sends them;
   * part of the resident app's in GCJ-02. The server must see a point in the same grid as the one
   * meant: one within a centimetre of an edge goes as it is, in WGS-84.
   */
  const wire = (good: Good, reportId: string): WireReport => {
    const target = geography.gridAt(good.point);
    let lng = round(good.point[0]);
    let lat = round(good.point[1]);
    let crs: 'GCJ-02' | undefined;
    if (good.channel === 'resident-app' && content.chance(o.gcjShare)) {
      const [gx, gy] = gcoord.transform([good.point[0], good.point[1]], gcoord.WGS84, gcoord.GCJ02) as [number, number];
      const gcj: LngLat = [round(gx), round(gy)];
      // The server converts back; keep it only if that lands in the same grid.
      if (geography.gridAt(toWgs84(gcj, 'GCJ02')) === target) {
        [lng, lat] = gcj;
        crs = 'GCJ-02';
      }
    }
    if (!crs && geography.gridAt([lng, lat]) !== target) [lng, lat] = good.point;
    const reporter = reporterFor(content, good.channel);
    const photos = photosFor(good.channel);
    return {
      reportId,
      category: good.category.code,
      lng,
      lat,
      ...(crs ? { crs } : {}),
      description: describe(content, good.category, good.channel, good.place),
      channel: good.channel,
      ...(reporter ? { reporter } : {}),
      ...(photos ? { photos } : {}),
    };
  };

  /** A new well-formed report, with its follow-ups (duplicate, retry) put on the agenda. */
  const fresh = (t: number, good: Good, origin: Origin): Draft => {
    const report = wire(good, newId());
    const repeated = PHONE_CHANNELS.has(good.channel) && content.chance(o.retryShare);
    if (repeated) {
      agenda.push(t + content.between(RETRY_DELAY_S[0], RETRY_DELAY_S[1]) * 1000, () => ({ report, origin: { kind: 'retry', of: report.reportId }, expect: { outcome: 'replayed' }, point: good.point, ...gridOf(good.point) }));
    }
    if (content.chance(o.duplicateShare)) {
      const later = t + Math.min(DUPLICATE_DELAY_S.max, DUPLICATE_DELAY_S.min + content.exponential(DUPLICATE_DELAY_S.mean)) * 1000;
      agenda.push(later, () => duplicate(good, report.reportId));
    }
    return { report, origin, expect: { outcome: 'stored', routed: true }, point: good.point, ...gridOf(good.point), ...(repeated ? { repeated } : {}) };
  };

  const duplicate = (original: Good, of: string): Draft | undefined => {
    const channel = pickChannel(original.category, content, original.channel);
    if (!channel) return undefined;
    for (let tries = 0; tries < 10; tries++) {
      const distance = content.between(DUPLICATE_METERS[0], DUPLICATE_METERS[1]);
      const bearing = content.between(0, 2 * Math.PI);
      const point = offsetMeters(original.point, distance * Math.sin(bearing), distance * Math.cos(bearing));
      if (!geography.isInside(point)) continue;
      const report = wire({ ...original, channel, point }, newId());
      return { report, origin: { kind: 'duplicate', of, distanceMeters: Math.round(distance * 10) / 10 }, expect: { outcome: 'linked' }, point, ...gridOf(point) };
    }
    return undefined;
  };

  const goodAt = (t: number, context: MixContext, point: LngLat, place: string | undefined): Good | undefined => {
    const table = tableFor(context, isNight(t));
    if (!table) return undefined;
    const category = table.draw(content);
    const channel = pickChannel(category, content)!;
    return { category, channel, point, place: place ?? placeName(point) };
  };

  const bad = (): Draft => {
    const reason = content.pick(BAD_REASONS);
    const category = tableFor('background', false)!.draw(content);
    const point = geography.gridWeightedPoint(content);
    const base = { reportId: newId(), category: category.code, lng: round(point[0]), lat: round(point[1]), description: describe(content, category, 'patrol', placeName(point)), channel: content.pick(['patrol', 'hotline', 'resident-app'] as const) };
    const origin: Origin = { kind: 'bad', reason };
    const invalid = { outcome: 'refused', code: 'invalid_report' } as const;
    switch (reason) {
      case 'unknown-category': {
        let code = content.pick(['Z9999', 'E9999', 'X0001', '乱扔垃圾', 'garbage']);
        while (knownCodes.has(code)) code = `${code}9`;
        return { report: { ...base, category: code }, origin, expect: invalid, point };
      }
      case 'out-of-range':
        // Latitude and longitude swapped (a classic), or a digit too many.
        return { report: content.chance(0.5) ? { ...base, lng: base.lat, lat: base.lng } : { ...base, lng: round(point[0] + 100) }, origin, expect: invalid };
      case 'non-numeric':
        return { report: { ...base, lng: content.chance(0.8) ? String(base.lng) : 'NaN', lat: String(base.lat) }, origin, expect: invalid };
      case 'outside-district': {
        const outside = geography.outsidePoint(content, 2_000, 20_000);
        return { report: { ...base, channel: 'resident-app', lng: round(outside[0]), lat: round(outside[1]) }, origin, expect: { outcome: 'refused', code: 'outside_district' }, point: outside };
      }
      case 'long-description': {
        let description = base.description;
        while (description.length <= DESCRIPTION_LIMIT) description += `。${describe(content, category, 'resident-app', placeName(point))}`;
        const length = content.int(DESCRIPTION_LIMIT + 1, DESCRIPTION_LIMIT + 1200);
        description = description.padEnd(length, '！').slice(0, length);
        return { report: { ...base, description }, origin, expect: invalid, point };
      }
    }
  };

  const unrouted = (t: number): Draft | undefined => {
    const point = geography.outsidePoint(content, 30, 1_500);
    const category = tableFor('background', isNight(t))!.draw(content);
    const channel = content.pick(['patrol', 'hotline', 'video'] as const);
    const report = wire({ category, channel, point, place: `${geography.districtName}边界外` }, newId());
    return { report, origin: { kind: 'unrouted' }, expect: { outcome: 'stored', routed: false }, point };
  };

  /** One arrival of the normal process at t. */
  const arrival = (t: number): Draft | undefined => {
    const r = content.next();
    if (r < o.badShare) return bad();
    if (r < o.badShare + o.unroutedShare) return unrouted(t);
    if (hotspots.length > 0 && content.chance(o.hotspotShare)) {
      const hotspot = hotspotTable.draw(content);
      const point = geography.pointNear(content, hotspot.center, hotspot.sigmaMeters);
      const good = goodAt(t, hotspot.kind, point, hotspot.name);
      return good && fresh(t, good, { kind: 'hotspot', hotspot: hotspot.id, hotspotKind: hotspot.kind });
    }
    // Background: mostly where grids are dense (people), some anywhere.
    const point = content.chance(0.75) ? geography.gridWeightedPoint(content) : geography.uniformPoint(content);
    const good = goodAt(t, 'background', point, undefined);
    return good && fresh(t, good, { kind: 'background' });
  };

  // The normal process, by thinning: candidates at the peak rate, kept in proportion to the rhythm.
  const scheduleArrival = (from: number): void => {
    let t = from;
    for (;;) {
      t += arrivals.exponential(1 / lambdaMax);
      if (arrivals.next() * lambdaMax <= normalRate(t)) break;
    }
    const at = t;
    agenda.push(at, () => {
      scheduleArrival(at);
      return arrival(at);
    });
  };

  const burstArrival = (burst: Burst, grids: readonly number[], from: number): void => {
    const extraMax = (burst.multiplier - 1) * lambdaMax;
    let t = from;
    for (;;) {
      t += arrivals.exponential(1 / extraMax);
      if (t >= burst.end) return;
      if (arrivals.next() * extraMax <= (burst.multiplier - 1) * normalRate(t)) break;
    }
    const at = t;
    agenda.push(at, () => {
      burstArrival(burst, grids, at);
      const point = geography.pointInGrid(content, content.pick(grids));
      const good = goodAt(at, burst.kind, point, undefined);
      return good && fresh(at, good, { kind: 'burst', burst: burst.id, burstKind: burst.kind });
    });
  };

  const scheduleBurst = (from: number, first: boolean): void => {
    if (!(o.burstsPerHour > 0) || burstKinds.length === 0) return;
    // The first comes soon (a demo should see one); then on average burstsPerHour an hour.
    const start = first ? from + burstClock.between(20_000, 120_000) : from + burstClock.exponential(3_600_000 / o.burstsPerHour);
    const kind = burstKinds[burstClock.weighted(burstKinds.map((k) => BURST_MIX[k]))]!;
    const [lo, hi] = BURST_SECONDS[kind];
    const duration = burstClock.between(lo, hi) * 1000;
    const multiplier = burstClock.between(BURST_MULTIPLIER[0], BURST_MULTIPLIER[1]);
    let areaCode: string;
    let areaName: string;
    let grids: readonly number[];
    if (kind === 'storm') {
      const street = burstClock.pick(geography.streets);
      [areaCode, areaName, grids] = [street.code, street.name, street.grids];
    } else {
      // A water or heating outage hits one community, more likely a dense one.
      const chosen = geography.communityOf(geography.gridAt(geography.gridWeightedPoint(burstClock))) ?? burstClock.pick(geography.communities);
      [areaCode, areaName, grids] = [chosen.code, chosen.name, chosen.grids];
    }
    const burst: Burst = { id: burstCount++, kind, start, end: start + duration, multiplier, areaCode, areaName };
    agenda.push(start, () => {
      bursts.push(burst);
      burstArrival(burst, grids, start);
      scheduleBurst(start, false);
      return undefined;
    });
  };

  scheduleArrival(0);
  scheduleBurst(0, true);

  return {
    hotspots,
    bursts,
    next() {
      for (;;) {
        const item = agenda.pop()!;
        const planned = item.run();
        if (planned) return { ...planned, at: item.at, seq: seq++ };
      }
    },
  };
}

/** Coordinates to 7 decimals (about 1 cm), as a phone would send them. */
function round(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** The kinds of origin, for summaries. */
export const ORIGIN_KINDS = ['background', 'hotspot', 'burst', 'duplicate', 'retry', 'unrouted', 'bad'] as const satisfies readonly Origin['kind'][];
