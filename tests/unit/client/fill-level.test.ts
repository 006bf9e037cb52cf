import { describe, expect, it } from 'vitest';
import { fillLevelAt } from '../../../client/supervisor/use-live-fill.ts';

describe('what the live fill colours at each zoom', () => {
  it('streets zoomed out, then communities, then grids, never grids the map has not loaded', () => {
    expect([8, 11.4, 11.5, 13.4, 13.5, 16].map((zoom) => fillLevelAt(zoom))).toEqual(['street', 'street', 'community', 'community', 'grid', 'grid']);
    expect(fillLevelAt(undefined)).toBe('street');
    // Unit grids load by view from zoom 14: until then communities stay coloured.
    expect([13.5, 13.9, 14].map((zoom) => fillLevelAt(zoom, 14))).toEqual(['community', 'community', 'grid']);
  });
});
