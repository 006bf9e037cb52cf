import { describe, expect, it } from 'vitest';
import type { Category } from '../../../core/catalogue/catalogue.ts';
import { baseWeight, categoryWeights, channelWeights, HOTSPOT_KINDS, SIM_CHANNELS, type MixContext } from '../../../scripts/simulator/category-weights.ts';
import { buildCategories, buildTinyCategories } from './simulator-fixtures.ts';

const categories = buildCategories();
const byZh = (zh: string): Category => {
  const c = categories.find((x) => x.zh === zh);
  if (!c) throw new Error(`no category ${zh}`);
  return c;
};

/** Each category's share in a context, by code. */
function sharesIn(context: MixContext, night = false): Map<string, number> {
  const w = categoryWeights(categories, context, night);
  const total = w.reduce((a, b) => a + b, 0);
  return new Map(categories.map((c, i) => [c.code, w[i]! / total]));
}

function topNames(context: MixContext, n: number): string[] {
  const shares = sharesIn(context);
  return [...shares].sort((a, b) => b[1] - a[1]).slice(0, n).map(([code]) => categories.find((c) => c.code === code)!.zh);
}

describe('category weights', () => {
  it('puts the everyday street scene far ahead of fires and road collapses', () => {
    for (const everyday of ['暴露垃圾', '非法小广告', '店外经营', '机动车乱停放']) {
      for (const rare of ['火灾', '道路塌陷', '燃气泄漏']) expect(baseWeight(byZh(everyday))).toBeGreaterThan(100 * baseWeight(byZh(rare)));
    }
    const top = topNames('background', 5);
    for (const zh of ['暴露垃圾', '机动车乱停放', '非法小广告']) expect(top).toContain(zh);
    expect(top.some((zh) => zh === '店外经营' || zh === '无照经营游商')).toBe(true);
  });

  it('keeps severity 4 rare (under 1 %) and severity 1 the bulk', () => {
    const shares = sharesIn('background');
    const bySeverity = [0, 0, 0, 0, 0];
    for (const c of categories) bySeverity[c.severity]! += shares.get(c.code)!;
    expect(bySeverity[4]).toBeLessThan(0.01);
    expect(bySeverity[1]).toBeGreaterThan(0.7);
  });

  it('biases each hotspot kind toward its own problems', () => {
    const expected: Record<(typeof HOTSPOT_KINDS)[number], RegExp> = {
      construction: /施工|扬尘|渣土|建筑垃圾/,
      market: /占道|店外经营|游商|暴露垃圾|无证照食品/,
      school: /乱停放|交通|信号灯|护栏|标志|可疑/,
      hub: /黑车|乱停放|共享单车/,
      residential: /群租|出租|流动人口|电梯|邻里|充电|消防通道|噪声|垃圾|停水|供暖|私搭/,
      park: /绿地|遛狗|流浪犬|树|公共厕所/,
    };
    for (const kind of HOTSPOT_KINDS) {
      const top = topNames(kind, 3);
      expect(top.filter((zh) => expected[kind].test(zh)).length, `${kind}: ${top.join(', ')}`).toBeGreaterThanOrEqual(2);
    }
    // Construction sites: nuisance, dust and muck make up most of what is reported there.
    const shares = sharesIn('construction');
    const construction = categories.filter((c) => /施工扰民|扬尘|渣土/.test(c.zh)).reduce((a, c) => a + shares.get(c.code)!, 0);
    expect(construction).toBeGreaterThan(0.35);
    expect(sharesIn('hub').get(byZh('黑车拉客').code)! / sharesIn('background').get(byZh('黑车拉客').code)!).toBeGreaterThan(10);
  });

  it('has noise complaints rise at night', () => {
    const code = byZh('夜间噪声扰民').code;
    expect(sharesIn('background', true).get(code)!).toBeGreaterThan(3 * sharesIn('background', false).get(code)!);
  });

  it('gives bursts only their own categories (and none when the catalogue has none)', () => {
    const storm = categoryWeights(categories, 'storm', false);
    const names = categories.filter((_, i) => storm[i]! > 0).map((c) => c.zh);
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const zh of names) expect(zh).toMatch(/倒伏|断枝|积水|内涝/);
    expect(categoryWeights(buildTinyCategories(), 'storm', false).every((w) => w === 0)).toBe(true);
  });

  it('gives every category some channel, sensors only where they can measure', () => {
    const sensor = SIM_CHANNELS.indexOf('sensor');
    for (const c of categories) {
      const w = channelWeights(c);
      expect(w.length).toBe(SIM_CHANNELS.length);
      expect(w.some((x) => x > 0)).toBe(true);
      if (c.kind === 'social') expect(w[sensor]).toBe(0);
    }
    expect(channelWeights(byZh('路面积水'))[sensor]).toBeGreaterThan(0);
    expect(channelWeights(byZh('邻里纠纷'))[sensor]).toBe(0);
  });
});
