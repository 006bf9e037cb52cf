/**
 * The public disclosure page (/public) end to end: the built page served by a real server over a
 * seeded store, driven in headless Chromium (WebGL on SwiftShader), set up exactly as map.test.ts.
 * Every page must stay on the test server: any request to another host fails the test that made it.
 */
import { pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../core/cases/case-summary.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { PublicGridAnswer, RouteAnswer } from '../../core/protocol/http-api.ts';
import { en, zhCN } from '../../client/public/public-strings.ts';
import { LAYER } from '../../client/map/basemap-style.ts';
import { startTestClientServer } from '../fixtures/test-client-server.ts';
import type { TestServer } from '../fixtures/test-server.ts';
import { chromiumUnavailableReason } from './chromium.ts';
import { jumpTo, lngLatAt, openPageSession, pagePointOf, waitForMap, type PageSession } from './page-session.ts';

const PEOPLE_PER_GRID = 14;

describe.skipIf(chromiumUnavailableReason() !== null)('public disclosure page in headless Chromium', () => {
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
  const openPage = (path: string): Promise<PageSession> => openPageSession({ server, path });

  /** Opens the page, clicks inside grid number `offset`, and returns what the click looked up. */
  async function clickIntoGrid(offset: number): Promise<{ opened: PageSession; board: PublicGridAnswer; clicked: LngLat }> {
    const [grid] = (await api<{ features: Feature<MultiPolygon, { code: string }>[] }>(`/api/geo/grids?limit=1&offset=${offset}`)).features;
    const target = pointOnFeature(grid!).geometry.coordinates as [number, number];
    const opened = await openPage('/public');
    const { page } = opened;
    await waitForMap(page);
    await jumpTo(page, target, 15);
    const at = await pagePointOf(page, target);
    await page.mouse.click(at.x, at.y);
    const clicked = await lngLatAt(page, at);
    const board = await api<PublicGridAnswer>(`/api/public/grid?lng=${clicked[0]}&lat=${clicked[1]}`);
    expect(board.grid.code).toBe(grid!.properties.code);
    await expectGridCard(page, board, 'zh');
    return { opened, board, clicked };
  }

  /** The card shows the board's three names and its people, row by row, in the page's language. */
  async function expectGridCard(page: Page, board: PublicGridAnswer, lang: 'zh' | 'en'): Promise<void> {
    const card = page.locator(`[data-testid=grid-card][data-grid-code="${board.grid.code}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('[data-level=street] dd').textContent()).toBe(board.street.name);
    expect(await card.locator('[data-level=community] dd').textContent()).toBe(board.community.name);
    expect(await card.locator('[data-level=grid] dd').textContent()).toBe(board.grid.name);
    expect(await card.locator('[data-testid=people-count]').textContent()).toBe(String(PEOPLE_PER_GRID));
    const rows = card.locator('[data-testid=person]');
    expect(await rows.count()).toBe(board.people.length);
    for (const [index, person] of board.people.entries()) {
      const row = rows.nth(index);
      expect(await row.locator('.public-people__name').textContent()).toBe(person.name);
      expect(await row.locator('.public-people__department').textContent()).toBe(lang === 'zh' ? person.department.name : person.department.nameEn);
      expect(await row.locator('.public-people__duty').textContent()).toBe(lang === 'zh' ? person.duty : person.dutyEn);
      const phone = row.locator('.public-people__phone');
      expect(await phone.textContent()).toBe(person.phone);
      expect(await phone.getAttribute('href')).toBe(`tel:${person.phone.replace(/[^\d+]/g, '')}`);
    }
  }

  it('loads from the local server only, in Chinese, with no console errors', async () => {
    const { page, requests, consoleErrors, screenshot } = await openPage('/public');
    await waitForMap(page);
    expect(await page.locator('[data-testid=public-title]').textContent()).toBe(zhCN.title);
    expect(await page.title()).toBe(zhCN.title);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('[data-testid=panel-hint] .panel-hint__title').textContent()).toBe(zhCN.hintTitle);
    const box = await page.locator('canvas.maplibregl-canvas').boundingBox();
    expect(box?.width).toBeGreaterThan(500);
    await screenshot('public-zh');

    expect(requests.some((url) => url.includes('/api/geo/grids'))).toBe(true);
    expect(requests.some((url) => url.endsWith('/api/categories'))).toBe(true);
    expect(requests.some((url) => /\/assets\/.*worker.*\.mjs/.test(url)), 'the maplibre worker is served by the app').toBe(true);
    // The public page never asks for staff data.
    expect(requests.filter((url) => /\/api\/(personnel|route|cases)/.test(url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('a click inside the district shows the grid card with its people, and highlights the grid', async () => {
    const { opened, board } = await clickIntoGrid(1234);
    const { page, consoleErrors } = opened;
    const filter = await page.evaluate((layer) => window.__gridCommandMap!.getFilter(layer), LAYER.gridsSelectedFill);
    expect(JSON.stringify(filter)).toContain(board.grid.code);
    // Nothing but name, department, duty and phone: no on-duty state, no grid counts.
    expect(await page.locator('[data-on-duty], .person__grids').count()).toBe(0);
    await opened.screenshot('public-grid-card-zh');
    expect(opened.requests.filter((url) => /\/api\/(personnel|route)/.test(url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('"find by coordinates" shows the same card, and a point outside names the nearest grid', async () => {
    const { page, consoleErrors, screenshot } = await openPage('/public');
    await waitForMap(page);
    const form = page.locator('[data-testid=find-form]');
    await form.locator('input[name=lng]').fill('116.31');
    await form.locator('input[name=lat]').fill('39.98');
    await form.getByRole('button', { name: zhCN.find }).click();
    await expectGridCard(page, await api<PublicGridAnswer>('/api/public/grid?lng=116.31&lat=39.98'), 'zh');

    const route = await api<RouteAnswer>('/api/route?lng=116.5&lat=39.9');
    if (route.routed || !route.nearest) throw new Error('116.5, 39.9 should lie outside the district');
    await form.locator('input[name=lng]').fill('116.5');
    await form.locator('input[name=lat]').fill('39.9');
    await form.getByRole('button', { name: zhCN.find }).click();
    const message = page.locator('[data-testid=outside-message]');
    await message.waitFor({ timeout: 30_000 });
    expect(await message.textContent()).toBe(zhCN.outsideNearest(route.nearest.grid.name, Math.round(route.nearest.distanceMeters)));
    expect(await page.locator('[data-testid=grid-card]').count()).toBe(0);
    expect(await page.locator('[data-testid=report-form]').count()).toBe(0);
    await screenshot('public-outside-district-zh');

    await form.locator('input[name=lng]').fill('abc');
    await form.getByRole('button', { name: zhCN.find }).click();
    expect(await page.locator('[data-testid=find-error]').textContent()).toBe(zhCN.coordinatesInvalid);
    // The outside answer is a 404 by design, which Chromium logs; nothing else may be.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });

  it('filing a report shows the case number and deadlines only, and the case is stored', async () => {
    const { opened, board } = await clickIntoGrid(321);
    const { page, consoleErrors } = opened;
    const form = page.locator('[data-testid=report-form]');
    await expect.poll(() => form.locator('select[name=category] optgroup').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await form.locator('select[name=category]').selectOption('E0102');
    await form.locator('textarea[name=description]').fill('路边垃圾堆放多日无人清理');
    await form.locator('input[name=reporter-name]').fill('王女士');
    await form.locator('input[name=reporter-phone]').fill('13900000000');
    const posted = page.waitForRequest((request) => request.url().endsWith('/api/cases') && request.method() === 'POST');
    await form.getByRole('button', { name: zhCN.submit }).click();

    const sent = JSON.parse((await posted).postData() ?? '{}') as Record<string, unknown>;
    expect(sent).toMatchObject({ channel: 'resident-app', category: 'E0102', description: '路边垃圾堆放多日无人清理', reporter: { name: '王女士', phone: '13900000000' } });
    expect(sent['reportId']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const result = page.locator('[data-testid=report-result]');
    await result.waitFor({ timeout: 30_000 });
    const caseNumber = await result.getAttribute('data-case-number');
    expect(caseNumber).toMatch(/^[A-Z]{1,8}\d{8}-\d{7,}$/);
    expect(await result.locator('[data-testid=case-number]').textContent()).toBe(caseNumber);

    const stored = await api<CaseSummary>(`/api/cases/${caseNumber}`);
    expect(stored).toMatchObject({ number: caseNumber, category: 'E0102', channel: 'resident-app', gridCode: board.grid.code, description: '路边垃圾堆放多日无人清理' });
    for (const [testId, due] of [['accept-due', stored.acceptDueAt], ['resolve-due', stored.resolveDueAt]] as const) {
      const text = await result.locator(`[data-testid=${testId}]`).textContent();
      expect(text, testId).not.toBe('');
      if (due !== null) expect(text, testId).not.toBe(zhCN.noDeadline);
    }
    // The answer shows nothing of the dispatch: not who got the case, not why.
    const shown = (await result.textContent()) ?? '';
    if (stored.assignee) expect(shown).not.toContain(stored.assignee.name);
    expect(shown).not.toContain(board.grid.code);
    await opened.screenshot('public-report-filed-zh');
    expect(consoleErrors).toEqual([]);
  });

  it('switching to English changes the interface text, the card included, and back', async () => {
    const { opened, board } = await clickIntoGrid(42);
    const { page, consoleErrors } = opened;
    await page.locator('[data-testid=switch-language]').click();
    await expect.poll(() => page.locator('[data-testid=public-title]').textContent()).toBe(en.title);
    expect(await page.title()).toBe(en.title);
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    expect(await page.locator('[data-testid=people] th').allTextContents()).toEqual([en.columnName, en.columnDepartment, en.columnDuty, en.columnPhone]);
    expect(await page.locator('[data-testid=find-form] h2').textContent()).toBe(en.findHeading);
    expect(await page.locator('[data-testid=report-form] h2').textContent()).toBe(en.reportHeading);
    await expectGridCard(page, board, 'en');
    await opened.screenshot('public-grid-card-en');

    await page.locator('[data-testid=switch-language]').click();
    await expect.poll(() => page.locator('[data-testid=public-title]').textContent()).toBe(zhCN.title);
    expect(await page.locator('[data-testid=people] th').allTextContents()).toEqual([zhCN.columnName, zhCN.columnDepartment, zhCN.columnDuty, zhCN.columnPhone]);
    expect(new URL(page.url()).searchParams.has('lang')).toBe(false);
    expect(consoleErrors).toEqual([]);
  });

  it('?lang=en opens in English, and an unreachable server is said plainly', async () => {
    const { context, page, screenshot } = await openPage('/public?lang=en');
    await waitForMap(page);
    expect(await page.locator('[data-testid=public-title]').textContent()).toBe(en.title);
    await screenshot('public-en');
    await context.route('**/api/public/**', (route) => route.abort('connectionrefused'));
    const form = page.locator('[data-testid=find-form]');
    await form.locator('input[name=lng]').fill('116.31');
    await form.locator('input[name=lat]').fill('39.98');
    await form.getByRole('button', { name: en.find }).click();
    const error = page.locator('[data-testid=lookup-error]');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toBe(en.serverUnreachable);
    await screenshot('public-server-unreachable-en');
  });
});
