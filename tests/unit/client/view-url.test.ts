import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, urlWithView, viewFromUrl } from '../../../client/state/view-url.ts';

const BASE = 'http://wall.local/';

describe('the view in the URL', () => {
  it('round-trips every part and keeps the other parameters', () => {
    const view = {
      workspace: 'analyst',
      area: '110108003',
      fill: 'overdue',
      categories: ['road-damage', 'illegal-parking'],
      statuses: ['queued', 'handling'],
      from: '2026-10-01',
      to: '2026-11-01',
      department: 'cg',
      camera: { center: [116.301234567, 39.98765432], zoom: 13.456 },
    } as const;
    const href = urlWithView(`${BASE}?grid=110108003001001&lang=en`, view);
    const url = new URL(href);
    expect(url.searchParams.get('grid')).toBe('110108003001001');
    expect(url.searchParams.get('lang')).toBe('en');
    expect(url.searchParams.get('at')).toBe('116.30123,39.98765,13.46');
    expect(viewFromUrl(href)).toEqual({ ...view, camera: { center: [116.30123, 39.98765], zoom: 13.46 } });
  });

  it('writes nothing for the defaults', () => {
    expect(urlWithView(BASE, DEFAULT_VIEW)).toBe(BASE);
    expect(viewFromUrl(BASE)).toEqual(DEFAULT_VIEW);
  });

  it('drops the bad parts of a hand-edited link and keeps the good ones', () => {
    const view = viewFromUrl(`${BASE}?mode=hack&area=110108003001001&fill=everything&cat=road-damage,<script>&status=closed,queued&from=yesterday&to=2026-11-01&at=200,40,12&dept=cg`);
    expect(view).toEqual({ ...DEFAULT_VIEW, categories: ['road-damage'], statuses: ['queued'], to: '2026-11-01', department: 'cg' });
  });

  it('never overwrites the wall mode', () => {
    expect(new URL(urlWithView(`${BASE}?mode=wall`, { ...DEFAULT_VIEW, workspace: 'analyst' })).searchParams.get('mode')).toBe('wall');
  });
});
