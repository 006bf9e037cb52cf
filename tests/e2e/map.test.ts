/**
 * The web client end to end: the built page served by a real server over a seeded store, driven in
 * headless Chromium (WebGL on SwiftShader). Every page must stay on the test server: any request to
 * another host fails the test that made it.
 */
import { pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department } from '../../core/catalogue/catalogue.ts';
import type { GridPersonnel, RouteAnswer } from '../../core/protocol/http-api.ts';
import { strings } from '../../client/app/strings.ts';
import { LAYER } from '../../client/map/basemap-style.ts';
import { startTestClientServer } from '../fixtures/test-client-server.ts';
import type { TestServer } from '../fixtures/test-server.ts';
import { chromiumUnavailableReason } from './chromium.ts';
import { jumpTo, lngLatAt, openPageSession, pagePointOf, waitForMap, type PagePoint, type PageSession, type PageSessionOptions } from './page-session.ts';

const PEOPLE_PER_GRID = 14;

describe.skipIf(chromiumUnavailableReason() !== null)('web client in headless Chromium', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestClientServer('pglite');
  });
  afterAll(async () => {
    await server?.close();
  });

  async function api<T>(path: string): Promise<T> {
    const response = await server.get(path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  /** The page in a browser of its own, its traffic recorded (the test fails if it leaves the server). */
  const openPage = (path: string, prepare?: PageSessionOptions['prepare']): Promise<PageSession> => openPageSession({ server, path, prepare });

  /** Pixel statistics of a PNG, decoded by the browser itself. */
  function inkOf(page: Page, png: Buffer): Promise<{ pixels: number; dark: number; background: number; colors: number }> {
    return page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      let dark = 0;
      let background = 0;
      const colors = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        if (r < 90 && g < 90 && b < 100) dark += 1;
        if (Math.abs(r - 0xcf) < 6 && Math.abs(g - 0xd6) < 6 && Math.abs(b - 0xdf) < 6) background += 1;
        colors.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
      }
      return { pixels: data.length / 4, dark, background, colors: colors.size };
    }, png.toString('base64'));
  }

  async function expectGridPanel(page: Page, gridCode: string): Promise<void> {
    const panel = page.locator(`[data-testid=grid-panel][data-grid-code="${gridCode}"]`);
    await panel.waitFor({ timeout: 30_000 });
    await expect.poll(() => panel.locator('[data-testid=person]').count(), { timeout: 30_000 }).toBe(PEOPLE_PER_GRID);
    expect(await panel.locator('[data-testid=people-count]').textContent()).toBe(String(PEOPLE_PER_GRID));
  }

  it('draws the district from the local server only, with no console errors', async () => {
    const { page, requests, consoleErrors, screenshot } = await openPage('/');
    await waitForMap(page);

    const canvas = page.locator('canvas.maplibregl-canvas');
    const box = await canvas.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(box?.height).toBeGreaterThan(600);
    const ink = await inkOf(page, await canvas.screenshot());
    // The background shows around the district, the dark outlines of district and streets are drawn,
    // and the street tints and grid lines make for many colours (a blank or failed canvas has one).
    expect(ink.background / ink.pixels).toBeGreaterThan(0.05);
    expect(ink.dark).toBeGreaterThan(2_000);
    expect(ink.colors).toBeGreaterThan(50);

    await expect.poll(() => page.locator('[data-testid=district-summary]').textContent()).toBe(strings.districtSummary(29, 600, 3000));
    await expect.poll(() => page.locator('[data-testid=panel-hint]').isVisible()).toBe(true);
    await screenshot('command-signed-out-zh');

    expect(requests.some((url) => url.includes('/api/geo/grids'))).toBe(true);
    // Signed out, the page still asks whether it is signed in, and that is not an error (no 401 in the console).
    expect(requests.some((url) => url.endsWith('/api/session'))).toBe(true);
    expect(requests.some((url) => /\/assets\/.*worker.*\.mjs/.test(url)), 'the maplibre worker is served by the app').toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('a click inside the district routes the point, highlights its grid and lists its 14 people', async () => {
    const [grid] = (await api<{ features: Feature<MultiPolygon, { code: string }>[] }>('/api/geo/grids?limit=1&offset=1234')).features;
    const target = pointOnFeature(grid!).geometry.coordinates as [number, number];
    const { page, consoleErrors, screenshot } = await openPage('/');
    await waitForMap(page);
    await jumpTo(page, target, 15);

    const at = await pagePointOf(page, target);
    await page.mouse.click(at.x, at.y);
    const clicked = await lngLatAt(page, at);
    const route = await api<RouteAnswer>(`/api/route?lng=${clicked[0]}&lat=${clicked[1]}`);
    if (!route.routed) throw new Error(`the click at ${clicked.join(',')} did not route`);
    expect(route.grid.code).toBe(grid!.properties.code);

    await expectGridPanel(page, route.grid.code);
    const panel = page.locator('[data-testid=grid-panel]');
    expect(await panel.locator('[data-level=street]').getAttribute('data-code')).toBe(route.street.code);
    expect(await panel.locator('[data-level=community]').getAttribute('data-code')).toBe(route.community.code);
    expect(await panel.locator('[data-level=grid] .hierarchy__name').textContent()).toBe(route.grid.name);

    // Each person shows a department name in Chinese, a duty, a phone, an on-duty state and a grid count.
    const { departments } = await api<{ departments: Department[] }>('/api/departments');
    const { people } = await api<GridPersonnel>(`/api/personnel?grid=${route.grid.code}`);
    const cards = panel.locator('[data-testid=person]');
    for (const [index, person] of people.entries()) {
      const card = cards.nth(index);
      expect(await card.locator('.person__name').textContent()).toBe(person.name);
      expect(await card.locator('.person__department').textContent()).toBe(departments.find((d) => d.code === person.departmentCode)?.zh);
      expect(await card.locator('.person__duty').textContent()).toBe(person.duty);
      expect(await card.locator('.person__phone').textContent()).toBe(person.phone);
      expect(await card.locator('[data-on-duty]').textContent()).toBe(person.onDuty ? strings.onDuty : strings.offDuty);
      expect(await card.locator('.person__grids').textContent()).toBe(strings.servesGrids(person.gridCount));
    }

    expect(new URL(page.url()).searchParams.get('grid')).toBe(route.grid.code);
    const filter = await page.evaluate((layer) => window.__gridCommandMap!.getFilter(layer), LAYER.gridsSelectedFill);
    expect(JSON.stringify(filter)).toContain(route.grid.code);
    await screenshot('command-signed-out-grid-panel-zh');
    expect(consoleErrors).toEqual([]);
  });

  it('a link with ?grid= reopens that grid: panel, highlight and camera', async () => {
    const [grid] = (await api<{ features: Feature<MultiPolygon, { code: string }>[] }>('/api/geo/grids?limit=1&offset=321')).features;
    const code = grid!.properties.code;
    const { grid: details } = await api<GridPersonnel>(`/api/personnel?grid=${code}`);
    const { page, consoleErrors } = await openPage(`/?grid=${code}`);

    await expectGridPanel(page, code);
    const panel = page.locator('[data-testid=grid-panel]');
    expect(await panel.locator('[data-level=grid] .hierarchy__name').textContent()).toBe(details.name);
    expect(await panel.locator('[data-level=community] .hierarchy__name').textContent()).toBe(details.communityName);
    expect(await panel.locator('[data-level=street] .hierarchy__name').textContent()).toBe(details.streetName);

    await waitForMap(page);
    const camera = await page.evaluate(
      ([lng, lat, layer]) => {
        const map = window.__gridCommandMap!;
        return { zoom: map.getZoom(), showsGrid: map.getBounds().contains([lng, lat]), filter: JSON.stringify(map.getFilter(layer)) };
      },
      [...(pointOnFeature(grid!).geometry.coordinates as [number, number]), LAYER.gridsSelectedFill] as const,
    );
    expect(camera.zoom).toBeGreaterThan(12);
    expect(camera.showsGrid).toBe(true);
    expect(camera.filter).toContain(code);
    expect(consoleErrors).toEqual([]);
  });

  it('a link with #grid= opens that grid too', async () => {
    const [grid] = (await api<{ features: Feature<MultiPolygon, { code: string }>[] }>('/api/geo/grids?limit=1&offset=2999')).features;
    const { page } = await openPage(`/#grid=${grid!.properties.code}`);
    await expectGridPanel(page, grid!.properties.code);
  });

  it('a click outside the district names the nearest grid and its distance, and opens it on request', async () => {
    const { page, consoleErrors, screenshot } = await openPage('/');
    await waitForMap(page);
    const box = (await page.locator('canvas.maplibregl-canvas').boundingBox())!;
    // The district is framed with the background around it; find a corner that lies outside it.
    const corners: PagePoint[] = [
      { x: box.x + box.width - 20, y: box.y + box.height - 20 },
      { x: box.x + 20, y: box.y + box.height - 20 },
      { x: box.x + box.width - 20, y: box.y + 20 },
    ];
    let outside: { at: PagePoint; route: Extract<RouteAnswer, { routed: false }> } | undefined;
    for (const at of corners) {
      const [lng, lat] = await lngLatAt(page, at);
      const route = await api<RouteAnswer>(`/api/route?lng=${lng}&lat=${lat}`);
      if (!route.routed) {
        outside = { at, route };
        break;
      }
    }
    if (!outside?.route.nearest) throw new Error('no corner of the map lies outside the district');
    const { grid, distanceMeters } = outside.route.nearest;

    await page.mouse.click(outside.at.x, outside.at.y);
    const message = page.locator('[data-testid=outside-message]');
    await message.waitFor({ timeout: 30_000 });
    expect(await message.getAttribute('data-nearest-grid-code')).toBe(grid.code);
    expect(await message.locator('p').textContent()).toBe(strings.outsideNearest(grid.name, strings.meters(Math.round(distanceMeters))));
    expect(new URL(page.url()).searchParams.has('grid')).toBe(false);
    expect(await page.locator('[data-testid=grid-panel]').count()).toBe(0);
    await screenshot('command-signed-out-outside-district-zh');

    await message.getByRole('button', { name: strings.openNearest }).click();
    await expectGridPanel(page, grid.code);
    expect(new URL(page.url()).searchParams.get('grid')).toBe(grid.code);
    expect(consoleErrors).toEqual([]);
  });

  it('shows that the server is unreachable when every API request fails', async () => {
    const { page, screenshot } = await openPage('/', (context) => context.route('**/api/**', (route) => route.abort('connectionrefused')));
    const error = page.locator('[data-testid=load-error]');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.locator('.load-status__title').textContent()).toBe(strings.serverUnreachable);
    expect(await error.getByRole('button', { name: strings.retry }).isVisible()).toBe(true);
    expect(await page.locator('[data-testid=map][data-ready=true]').count()).toBe(0);
    await screenshot('command-server-unreachable-zh');
  });

  it('Retry loads the map and the linked grid once the server answers again', async () => {
    const [grid] = (await api<{ features: Feature<MultiPolygon, { code: string }>[] }>('/api/geo/grids?limit=1&offset=42')).features;
    const code = grid!.properties.code;
    const { context, page } = await openPage(`/?grid=${code}`, (c) => c.route('**/api/**', (route) => route.abort('connectionrefused')));
    await page.locator('[data-testid=load-error]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=grid-error]').waitFor({ timeout: 30_000 });
    await context.unroute('**/api/**');
    await page.getByRole('button', { name: strings.retry }).click();
    await waitForMap(page);
    await expectGridPanel(page, code);
    expect(await page.locator('[data-testid=load-error]').count()).toBe(0);
  });
});
