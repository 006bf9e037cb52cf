import { describe, expect, it } from 'vitest';
import { CHANNELS_ALLOWED_OUTSIDE, parseReport, REPORT_LIMITS } from '../../../core/cases/report.ts';
import { toWgs84 } from '../../../core/geo/convert-crs.ts';
import type { LngLat } from '../../../core/geo/lng-lat.ts';
import { BURST_CATEGORIES } from '../../../scripts/simulator/category-weights.ts';
import { createReportStream, type PlannedReport, type StreamOptions } from '../../../scripts/simulator/generator.ts';
import { metersBetween } from '../../../scripts/simulator/geography.ts';
import { beijingHour } from '../../../scripts/simulator/rhythm.ts';
import { buildCategories, buildSimGeography, buildTinyCategories } from './simulator-fixtures.ts';

const geography = buildSimGeography();
const categories = buildCategories();
const known = new Set(categories.map((c) => c.code));
/** 10:00 in Beijing: the morning peak. */
const TEN_AM = Date.parse('2026-11-27T02:00:00Z');

function take(n: number, options: Partial<StreamOptions> = {}, cats = categories): PlannedReport[] {
  const stream = createReportStream(cats, geography, { seed: 11, rate: 50, clockStart: TEN_AM, ...options });
  return Array.from({ length: n }, () => stream.next());
}

/** The WGS-84 point the server will see for a report. */
function serverPoint(p: PlannedReport): LngLat {
  const { lng, lat, crs } = p.report;
  return toWgs84([lng as number, lat as number], crs === 'GCJ-02' ? 'GCJ02' : 'WGS84');
}

describe('createReportStream', () => {
  const stream = take(6000);
  const byId = new Map<string, PlannedReport>();
  for (const p of stream) if (!byId.has(p.report.reportId)) byId.set(p.report.reportId, p);

  it('gives the same stream for the same seed and start, another for another seed', () => {
    expect(take(3000)).toEqual(take(3000));
    expect(take(200, { seed: 12 })).not.toEqual(take(200));
  });

  it('is in time order, numbered from 0', () => {
    stream.forEach((p, i) => {
      expect(p.seq).toBe(i);
      if (i > 0) expect(p.at).toBeGreaterThanOrEqual(stream[i - 1]!.at);
    });
  });

  it('sends well-formed reports with known categories inside the district for the good share', () => {
    const good = stream.filter((p) => p.origin.kind !== 'bad');
    expect(good.length / stream.length).toBeGreaterThan(0.95);
    for (const p of good) {
      const parsed = parseReport(p.report, (code) => known.has(code));
      expect(parsed.ok, JSON.stringify(p.report)).toBe(true);
      expect(known.has(p.report.category)).toBe(true);
      expect(p.report.description.length).toBeGreaterThan(4);
      expect(p.report.description.length).toBeLessThanOrEqual(REPORT_LIMITS.descriptionChars);
      const inside = geography.isInside(serverPoint(p));
      if (p.origin.kind === 'unrouted') {
        expect(inside).toBe(false);
        expect(CHANNELS_ALLOWED_OUTSIDE.has(p.report.channel)).toBe(true);
        expect(p.expect).toEqual({ outcome: 'stored', routed: false });
      } else {
        expect(inside, JSON.stringify(p.report)).toBe(true);
        expect(p.gridCode).toBe(geography.grids[geography.gridAt(serverPoint(p))]!.code);
        expect(metersBetween(serverPoint(p), p.point!)).toBeLessThan(1);
      }
    }
  });

  it('sends a small share of bad reports, each refused for the reason it was made', () => {
    const bad = stream.filter((p) => p.origin.kind === 'bad');
    expect(bad.length / stream.length).toBeGreaterThan(0.01);
    expect(bad.length / stream.length).toBeLessThan(0.03);
    const reasons = new Set<string>();
    for (const p of bad) {
      if (p.origin.kind !== 'bad') continue;
      reasons.add(p.origin.reason);
      const parsed = parseReport(p.report, (code) => known.has(code));
      if (p.origin.reason === 'outside-district') {
        expect(parsed.ok).toBe(true);
        expect(p.report.channel).toBe('resident-app');
        expect(geography.isInside(serverPoint(p))).toBe(false);
        expect(p.expect).toEqual({ outcome: 'refused', code: 'outside_district' });
      } else {
        expect(parsed.ok, `${p.origin.reason}: ${JSON.stringify(p.report).slice(0, 200)}`).toBe(false);
        expect(p.expect).toEqual({ outcome: 'refused', code: 'invalid_report' });
      }
    }
    expect([...reasons].sort()).toEqual(['long-description', 'non-numeric', 'out-of-range', 'outside-district', 'unknown-category']);
  });

  it('sends likely duplicates a little later, within 30 m, same category, from another channel', () => {
    const duplicates = stream.filter((p) => p.origin.kind === 'duplicate');
    expect(duplicates.length / stream.length).toBeGreaterThan(0.02);
    for (const p of duplicates) {
      if (p.origin.kind !== 'duplicate') continue;
      const original = byId.get(p.origin.of)!;
      expect(original.seq).toBeLessThan(p.seq);
      expect(p.report.reportId).not.toBe(original.report.reportId);
      expect(p.report.category).toBe(original.report.category);
      expect(p.report.channel).not.toBe(original.report.channel);
      expect(metersBetween(serverPoint(p), serverPoint(original))).toBeLessThan(30);
      expect(p.at - original.at).toBeGreaterThanOrEqual(3000);
      expect(p.at - original.at).toBeLessThanOrEqual(45_000);
      expect(p.expect).toEqual({ outcome: 'linked' });
    }
  });

  it('sends retries: the same report again, from a phone, seconds later', () => {
    const retries = stream.filter((p) => p.origin.kind === 'retry');
    expect(retries.length).toBeGreaterThan(50);
    for (const p of retries) {
      const original = byId.get(p.report.reportId)!;
      expect(original).not.toBe(p);
      expect(original.repeated).toBe(true);
      expect(p.report).toEqual(original.report);
      expect(['resident-app', 'patrol', 'open311']).toContain(p.report.channel);
      expect(p.at - original.at).toBeLessThan(5000);
      expect(p.expect).toEqual({ outcome: 'replayed' });
    }
  });

  it('mixes channels, with reporters for hotline callers and GCJ-02 from part of the resident app', () => {
    const count = (f: (p: PlannedReport) => boolean): number => stream.filter(f).length;
    for (const channel of ['patrol', 'hotline', 'resident-app', 'sensor', 'video']) expect(count((p) => p.report.channel === channel), channel).toBeGreaterThan(stream.length * 0.02);
    const hotline = stream.filter((p) => p.report.channel === 'hotline' && p.origin.kind !== 'bad');
    expect(hotline.filter((p) => p.report.reporter?.phone).length / hotline.length).toBeGreaterThan(0.7);
    const app = stream.filter((p) => p.report.channel === 'resident-app' && p.origin.kind !== 'bad');
    const gcj = app.filter((p) => p.report.crs === 'GCJ-02').length / app.length;
    expect(gcj).toBeGreaterThan(0.25);
    expect(gcj).toBeLessThan(0.55);
    expect(count((p) => p.report.crs !== undefined && p.report.channel !== 'resident-app')).toBe(0);
  });

  it('clusters around hotspots', () => {
    const s = createReportStream(categories, geography, { seed: 11, rate: 50, clockStart: TEN_AM });
    const hotspotReports: PlannedReport[] = [];
    for (let i = 0; i < 3000; i++) {
      const p = s.next();
      if (p.origin.kind === 'hotspot') hotspotReports.push(p);
    }
    expect(hotspotReports.length / 3000).toBeGreaterThan(0.4);
    const near = hotspotReports.filter((p) => {
      const h = s.hotspots[(p.origin as { hotspot: number }).hotspot]!;
      return metersBetween(p.point!, h.center) <= 4 * h.sigmaMeters;
    });
    expect(near.length / hotspotReports.length).toBeGreaterThan(0.95);
  });

  it('sends at the given daily mean rate, everything included, following the rhythm', () => {
    // A day in 24 minutes (×60): rate 2/s → ~2,880 reports; no bursts here (tested below).
    const s = createReportStream(categories, geography, { seed: 3, rate: 2, clockStart: TEN_AM, daySpeed: 60, burstsPerHour: 0 });
    const dayMs = 86_400_000 / 60;
    let n = 0;
    const byHour = new Array<number>(24).fill(0);
    for (let p = s.next(); p.at < dayMs; p = s.next()) {
      n++;
      byHour[Math.floor(beijingHour(TEN_AM + p.at * 60))]!++;
    }
    expect(n / (dayMs / 1000)).toBeGreaterThan(2 * 0.93);
    expect(n / (dayMs / 1000)).toBeLessThan(2 * 1.07);
    expect(byHour[10]!).toBeGreaterThan(8 * byHour[3]!);
    expect(byHour[16]!).toBeGreaterThan(byHour[13]!);
  });

  it('keeps the mean rate with bursts, and confines each burst to its area and categories', () => {
    const s = createReportStream(categories, geography, { seed: 5, rate: 1, clockStart: TEN_AM, daySpeed: 24, burstsPerHour: 6 });
    const hours = 20;
    let n = 0;
    let burstReports = 0;
    for (let p = s.next(); p.at < hours * 3_600_000; p = s.next()) {
      n++;
      if (p.origin.kind !== 'burst') continue;
      burstReports++;
      const burst = s.bursts[p.origin.burst]!;
      expect(p.at).toBeGreaterThanOrEqual(burst.start);
      expect(p.at).toBeLessThan(burst.end);
      const category = categories.find((c) => c.code === p.report.category)!;
      expect(category.zh).toMatch(BURST_CATEGORIES[burst.kind]);
      const grid = geography.grids[geography.gridAt(p.point!)]!;
      expect(burst.kind === 'storm' ? grid.streetCode : grid.communityCode).toBe(burst.areaCode);
    }
    expect(s.bursts.length).toBeGreaterThan(80);
    expect(new Set(s.bursts.map((b) => b.kind))).toEqual(new Set(['storm', 'outage']));
    for (const b of s.bursts) {
      expect(b.multiplier).toBeGreaterThanOrEqual(2.5);
      expect((b.end - b.start) / 1000).toBeGreaterThanOrEqual(60);
    }
    expect(burstReports / n).toBeGreaterThan(0.03);
    expect(n / (hours * 3600)).toBeGreaterThan(0.94);
    expect(n / (hours * 3600)).toBeLessThan(1.06);
  });

  it('starts the first burst within two minutes, so that a demo sees one', () => {
    const s = createReportStream(categories, geography, { seed: 8, rate: 20, clockStart: TEN_AM });
    while (s.bursts.length === 0) s.next();
    expect(s.bursts[0]!.start).toBeGreaterThanOrEqual(20_000);
    expect(s.bursts[0]!.start).toBeLessThanOrEqual(120_000);
  });

  it('works on another catalogue: its categories only, and no bursts without storm or outage categories', () => {
    const tiny = buildTinyCategories();
    const codes = new Set(tiny.map((c) => c.code));
    const s = createReportStream(tiny, geography, { seed: 1, rate: 20, clockStart: TEN_AM });
    for (let i = 0; i < 3000; i++) {
      const p = s.next();
      if (p.origin.kind === 'bad' && p.origin.reason === 'unknown-category') expect(codes.has(p.report.category)).toBe(false);
      else expect(codes.has(p.report.category)).toBe(true);
    }
    expect(s.bursts).toEqual([]);
  });

  it('uses reportIds the server accepts, unique except for retries', () => {
    const ids = stream.filter((p) => p.origin.kind !== 'retry').map((p) => p.report.reportId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._:@-]{1,100}$/);
    expect(take(1, { seed: 77, idPrefix: 'run-a' })[0]!.report.reportId).toBe('run-a-0');
  });
});
