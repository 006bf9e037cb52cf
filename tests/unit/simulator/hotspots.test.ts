import { describe, expect, it } from 'vitest';
import { metersBetween } from '../../../scripts/simulator/geography.ts';
import { generateHotspots, HOTSPOT_MIX, shortPlaceName } from '../../../scripts/simulator/hotspots.ts';
import { createRng } from '../../../scripts/simulator/random.ts';
import { buildSimGeography } from './simulator-fixtures.ts';

describe('generateHotspots', () => {
  const geography = buildSimGeography();

  it('places 40 hotspots inside the district, in the default mix of kinds', () => {
    const hotspots = generateHotspots(geography, createRng(1));
    expect(hotspots).toHaveLength(40);
    for (const h of hotspots) {
      expect(geography.isInside(h.center)).toBe(true);
      expect(h.gridIndex).toBe(geography.gridAt(h.center));
      expect(h.sigmaMeters).toBeGreaterThan(20);
      expect(h.intensity).toBeGreaterThan(0);
    }
    const counts: Record<string, number> = {};
    for (const h of hotspots) counts[h.kind] = (counts[h.kind] ?? 0) + 1;
    expect(counts).toEqual(HOTSPOT_MIX);
    expect(new Set(hotspots.map((h) => h.name)).size).toBe(40);
  });

  it('is deterministic from the seed', () => {
    expect(generateHotspots(geography, createRng(9))).toEqual(generateHotspots(geography, createRng(9)));
    expect(generateHotspots(geography, createRng(9))).not.toEqual(generateHotspots(geography, createRng(10)));
  });

  it('keeps a smaller set in the mix, and spreads them out where it can', () => {
    const few = generateHotspots(geography, createRng(2), 5, 300);
    expect(new Set(few.map((h) => h.kind)).size).toBe(5);
    for (let i = 0; i < few.length; i++) for (let j = i + 1; j < few.length; j++) expect(metersBetween(few[i]!.center, few[j]!.center)).toBeGreaterThanOrEqual(300);
  });

  it('names places without their administrative suffix', () => {
    expect(shortPlaceName('万寿路街道')).toBe('万寿路');
    expect(shortPlaceName('西北旺地区')).toBe('西北旺');
    expect(shortPlaceName('福海路社区')).toBe('福海路');
    expect(shortPlaceName('街道')).toBe('街道');
  });
});
