/**
 * The dashboard end to end: sign-in, live cases on the map (deck.gl), the case panel with its
 * timeline and commands, the wall display through a server restart, and the language switch. The
 * built page is served by real servers over one seeded store, behind a fixed address (a TCP proxy)
 * so that the wall can watch the server go away and come back on another port, and driven in
 * headless Chromium (WebGL on SwiftShader). Any request to another host fails the test that made it.
 */
import { pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '../../core/catalogue/catalogue.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import { en, zhCN } from '../../client/app/strings.ts';
import { ensureClientBuild } from '../../scripts/ensure-client-build.ts';
import { startSwitchableProxy, type SwitchableProxy } from '../fixtures/switchable-proxy.ts';
import { openTestStore, type TestStore } from '../fixtures/test-databases.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { chromiumUnavailableReason } from './chromium.ts';
import { jumpTo, openPageSession, pagePointOf, waitForMap, type PageSession } from './page-session.ts';

const WALL_VIEWPORT = { width: 1920, height: 1080 };
const ACCOUNT = { username: 'e2e-dispatcher', password: 'e2e-dispatcher-password-1', displayName: '测试调度员' } as const;

describe.skipIf(chromiumUnavailableReason() !== null)('the dashboard in headless Chromium', () => {
  let db: TestStore;
  let clientDir: string;
  let server: TestServer;
  let proxy: SwitchableProxy;
  let grids: Feature<MultiPolygon, { code: string; name: string }>[];
  let category: { code: string; zh: string; en: string };
  let reportCounter = 0;

  beforeAll(async () => {
    const [built, store] = await Promise.all([ensureClientBuild(), openTestStore('pglite')]);
    clientDir = built.dir;
    db = store;
    server = await startTestServer('pglite', { clientDir }, db);
    proxy = await startSwitchableProxy(Number(new URL(server.baseUrl).port));
    await server.server.auth.createAccount({ username: ACCOUNT.username, displayName: ACCOUNT.displayName, role: 'district-dispatcher', password: ACCOUNT.password });
    grids = (await api<{ features: Feature<MultiPolygon, { code: string; name: string }>[] }>('/api/geo/grids?limit=40&offset=600')).features;
    const catalogue = await api<Catalogue>('/api/categories');
    category = catalogue.categories.find((c) => c.severity >= 2) ?? catalogue.categories[0]!;
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await db?.dispose();
  });

  async function api<T>(path: string): Promise<T> {
    const response = await server.get(path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  /** A hotline report at a point inside the n-th test grid, filed as the test dispatcher: what a call-taker does. */
  async function fileCase(gridIndex: number, via: TestServer = server): Promise<CaseAck & { point: LngLat }> {
    const grid = grids[gridIndex % grids.length]!;
    const point = pointOnFeature(grid).geometry.coordinates as [number, number];
    reportCounter += 1;
    const body = { reportId: `e2e-dashboard-${Date.now()}-${reportCounter}`, category: category.code, lng: point[0], lat: point[1], channel: 'hotline', description: `e2e 测试案件 ${reportCounter}` };
    const response = await via.post('/api/cases', JSON.stringify(body));
    expect(response.status).toBe(201);
    return { ...((await response.json()) as CaseAck), point };
  }

  /** The page through the proxy, in a browser of its own, its traffic recorded (the test fails if it leaves the proxy's address). */
  const openPage = (path: string, viewport?: { width: number; height: number }): Promise<PageSession> => openPageSession({ server: proxy, path, viewport });

  async function signIn(page: Page, password: string = ACCOUNT.password): Promise<void> {
    const form = page.locator('[data-testid=sign-in-form]');
    // Until the page has asked the server whether it is signed in, it offers neither: the wall shows the
    // form by itself, the map page a button that opens it.
    await form.or(page.locator('[data-testid=sign-in]')).first().waitFor({ timeout: 30_000 });
    if (!(await form.isVisible())) await page.locator('[data-testid=sign-in]').click();
    await form.locator('input[name=username]').fill(ACCOUNT.username);
    await form.locator('input[name=password]').fill(password);
    await form.locator('button[type=submit]').click();
  }

  async function waitLive(page: Page, timeout = 60_000): Promise<void> {
    await page.locator('[data-testid=connection][data-state=live]').first().waitFor({ timeout });
  }

  /** The case deck.gl draws at a position (a GPU pick at its projected pixel), once the layer has drawn it. */
  async function expectDrawnAt(page: Page, point: LngLat, caseNumber: string, timeout = 10_000): Promise<void> {
    await expect
      .poll(
        () =>
          page.evaluate(([lng, lat]) => {
            const map = window.__gridCommandMap!;
            const { x, y } = map.project([lng, lat]);
            return window.__gridCommandCases?.pickAt(x, y) ?? null;
          }, point),
        { timeout },
      )
      .toBe(caseNumber);
  }

  /** Console errors other than the browser's own line for an answer the test provoked (a refusal, a wrong password). */
  const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 429: 'Too Many Requests' };
  const unexpected = (errors: readonly string[], ...allowed: number[]): string[] =>
    errors.filter((e) => !allowed.some((status) => e === `Failed to load resource: the server responded with a status of ${status} (${STATUS_TEXT[status]})`));

  const kpiValue = (page: Page, id: string): Promise<string | null> => page.locator(`[data-testid=kpi-${id}-value]`).first().textContent();

  it('signs in (saying clearly why not), shows the account, survives a reload and signs out', async () => {
    const { context, page, consoleErrors, screenshot } = await openPage('/');
    await waitForMap(page);
    // The map needs no session; live cases do.
    expect(await page.locator('[data-testid=district-summary]').textContent()).toBe(zhCN.districtSummary(29, 600, 3000));
    expect(await page.locator('[data-testid=kpis]').count()).toBe(0);

    await signIn(page, 'not-the-password');
    const error = page.locator('[data-testid=sign-in-error]');
    await expect.poll(() => error.textContent()).toBe(zhCN.wrongCredentials);
    await screenshot('command-sign-in-refused-zh');

    // A lock-out says how long to wait (faked here: a real one would lock 127.0.0.1 for the other tests).
    await context.route('**/api/session', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 429, headers: { 'retry-after': '95' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'too_many_attempts', message: 'locked', retryAfterSeconds: 95 } }) })
        : route.continue(),
    );
    await signIn(page);
    await expect.poll(() => error.getAttribute('data-code')).toBe('too_many_attempts');
    expect(await error.textContent()).toMatch(/登录失败次数过多，请在 1 分钟 后再试。|请在 \d+ 秒 后再试/);
    expect(await page.locator('[data-testid=sign-in-form] button[type=submit]').isDisabled()).toBe(true);
    await context.unroute('**/api/session');

    // The server unreachable.
    await page.reload();
    await context.route('**/api/session', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await signIn(page);
    await expect.poll(() => error.textContent()).toBe(zhCN.signInUnreachable);
    await context.unroute('**/api/session');

    await signIn(page);
    const account = page.locator('[data-testid=account]');
    await account.waitFor({ timeout: 30_000 });
    expect(await account.locator('[data-testid=account-name]').textContent()).toBe(ACCOUNT.displayName);
    expect(await account.locator('[data-testid=account-role]').textContent()).toBe(zhCN.roleName('district-dispatcher'));
    expect(await account.locator('[data-testid=account-scope]').textContent()).toBe(zhCN.scopeDistrict);
    await waitLive(page);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'gc_session')?.httpOnly).toBe(true);
    await screenshot('command-signed-in-zh');

    await page.reload();
    await page.locator('[data-testid=account]').waitFor({ timeout: 30_000 });
    await waitLive(page);

    await page.locator('[data-testid=sign-out]').click();
    await page.locator('[data-testid=sign-in]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=connection]').count()).toBe(0);
    await page.reload();
    await page.locator('[data-testid=sign-in]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=account]').count()).toBe(0);
    expect(unexpected(consoleErrors, 401, 429).filter((e) => e !== 'Failed to load resource: net::ERR_CONNECTION_REFUSED')).toEqual([]);
  });

  it('a case posted through the API is on the map within 2 s; hovering names it, a click opens its panel, timeline and commands', async () => {
    const { page, consoleErrors, screenshot } = await openPage('/');
    await signIn(page);
    await waitLive(page);
    await waitForMap(page);
    const openBefore = await page.evaluate(() => window.__gridCommandLive!.store.size);
    await expect.poll(() => kpiValue(page, 'open')).toBe(zhCN.count(openBefore));

    const ack = await fileCase(3);
    const posted = Date.now();
    // In the live feed, drawn as a row of the deck.gl layer, and counted on the tile: all within 2 s.
    await page.waitForFunction(
      ([id, rows]) => window.__gridCommandLive?.store.get(id) !== undefined && (window.__gridCommandCases?.rows ?? 0) >= rows,
      [ack.caseId, openBefore + 1] as const,
      { timeout: 2_000, polling: 25 },
    );
    await expect.poll(() => kpiValue(page, 'open'), { timeout: Math.max(100, 2_000 - (Date.now() - posted)), interval: 50 }).toBe(zhCN.count(openBefore + 1));
    expect(Date.now() - posted).toBeLessThan(2_000);

    await jumpTo(page, ack.point, 15);
    await expectDrawnAt(page, ack.point, ack.caseNumber);
    await screenshot('command-signed-in-live-case-zh');
    const at = await pagePointOf(page, ack.point);

    await page.mouse.move(at.x, at.y);
    const tooltip = page.locator(`[data-testid=case-tooltip][data-case-number="${ack.caseNumber}"]`);
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toContain(category.zh);
    expect(await tooltip.textContent()).toContain(zhCN.statusName(ack.status));
    expect(await tooltip.locator('[data-testid=tooltip-deadline]').textContent()).toMatch(/剩余|已超时|无时限/);

    await page.mouse.click(at.x, at.y);
    const panel = page.locator(`[data-testid=case-panel][data-case-number="${ack.caseNumber}"]`);
    await panel.waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('case')).toBe(ack.caseNumber);
    // The click selected the case; it did not route a grid.
    expect(await page.locator('[data-testid=grid-panel]').count()).toBe(0);
    const steps = panel.locator('[data-testid=timeline-step]');
    await expect.poll(() => steps.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await steps.first().getAttribute('data-type')).toBe('filed');
    expect(await steps.first().textContent()).toContain(zhCN.eventName('filed'));
    // The dispatch decision, in words: the same line the intake answered with.
    expect(await panel.locator('[data-testid=timeline]').textContent()).toContain(ack.dispatch.zh);
    expect(await panel.locator('[data-testid=countdown]').count()).toBeGreaterThan(0);

    // A refusal is shown in the server's words.
    await panel.locator('[data-command=merge]').click();
    await panel.locator('[data-testid=command-form] input[name=intoCaseNumber]').fill('HD20200101-0000001');
    await panel.locator('[data-testid=command-form] button[type=submit]').click();
    const refused = panel.locator('[data-testid=command-refused]');
    await refused.waitFor({ timeout: 10_000 });
    expect(await refused.textContent()).toBe(zhCN.commandRefused('there is no case HD20200101-0000001'));

    // A command given: escalated, in the timeline and on the tile.
    await panel.locator('[data-testid=command-form] .link-button').click();
    const escalatedBefore = Number((await kpiValue(page, 'escalated'))?.replace(/\D/g, '') ?? '0');
    await panel.locator('[data-command=escalate]').click();
    await panel.locator('[data-testid=command-form] textarea[name=note]').fill('e2e: 需要街镇协调');
    await panel.locator('[data-testid=command-form] button[type=submit]').click();
    await panel.locator('[data-testid=command-done]').waitFor({ timeout: 10_000 });
    await expect.poll(() => panel.locator('[data-testid=timeline-step][data-type=escalated]').count(), { timeout: 10_000 }).toBe(1);
    expect(await panel.locator('[data-testid=timeline-step][data-type=escalated]').textContent()).toContain(ACCOUNT.displayName);
    await expect.poll(() => kpiValue(page, 'escalated'), { timeout: 5_000 }).toBe(zhCN.count(escalatedBefore + 1));

    await page.mouse.move(5, 400);
    await screenshot('command-case-panel-escalated-zh');

    // A reload reopens the case from the URL.
    await page.reload();
    await page.locator(`[data-testid=case-panel][data-case-number="${ack.caseNumber}"] [data-testid=timeline]`).waitFor({ timeout: 30_000 });
    expect(unexpected(consoleErrors, 400)).toEqual([]);
  });

  it('switching the language changes the UI text, and the URL keeps it', async () => {
    const ack = await fileCase(7);
    const { page, consoleErrors, screenshot } = await openPage(`/?case=${ack.caseNumber}`);
    // A link to a case asks for a session at once.
    await page.locator('[data-testid=sign-in-form]').waitFor({ timeout: 30_000 });
    await signIn(page);
    await waitLive(page);
    const panel = page.locator(`[data-testid=case-panel][data-case-number="${ack.caseNumber}"]`);
    await panel.locator('[data-testid=timeline]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.app-header__title').textContent()).toBe(zhCN.appTitle);
    expect(await page.locator('[data-testid=kpi-open] .kpi__label').textContent()).toBe(zhCN.kpiOpen);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await waitForMap(page);
    await screenshot('command-case-panel-zh');

    await page.locator('[data-testid=switch-language]').click();
    await expect.poll(() => page.locator('.app-header__title').textContent()).toBe(en.appTitle);
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    expect(await page.locator('[data-testid=kpi-open] .kpi__label').textContent()).toBe(en.kpiOpen);
    expect(await page.locator('[data-testid=kpi-overdue]').getAttribute('title')).toBe(en.kpiOverdueHelp);
    expect(await page.locator('[data-testid=account-role]').textContent()).toBe(en.roleName('district-dispatcher'));
    expect(await page.locator('[data-testid=connection]').textContent()).toBe(en.connLive);
    expect(await panel.locator('.case-panel__category').textContent()).toBe(category.en);
    expect(await panel.locator('[data-testid=case-status]').textContent()).toBe(en.statusName(ack.status));
    expect(await panel.locator('[data-testid=timeline]').textContent()).toContain(ack.dispatch.en);
    expect(await panel.locator('[data-testid=timeline-step]').first().textContent()).toContain(en.eventName('filed'));

    await page.reload();
    await page.locator(`[data-testid=case-panel][data-case-number="${ack.caseNumber}"] [data-testid=timeline]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('.app-header__title').textContent()).toBe(en.appTitle);
    await waitForMap(page);
    await screenshot('command-case-panel-en');

    await page.locator('[data-testid=switch-language]').click();
    await expect.poll(() => page.locator('.app-header__title').textContent()).toBe(zhCN.appTitle);
    expect(new URL(page.url()).searchParams.has('lang')).toBe(false);
    expect(unexpected(consoleErrors)).toEqual([]);
  });

  it('/wall serves the wall display', async () => {
    const { page, screenshot } = await openPage('/wall');
    await page.locator('[data-testid=wall]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=sign-in-form]').waitFor({ timeout: 30_000 });
    await screenshot('wall-sign-in-zh');
  });

  it('the wall shows live KPIs and a ticker, shows an outage, reconnects by itself after a restart and shows the cases it missed', async () => {
    const { page, consoleErrors, screenshot } = await openPage('/?mode=wall', WALL_VIEWPORT);
    await page.locator('[data-testid=wall]').waitFor({ timeout: 30_000 });
    await signIn(page);
    await waitLive(page);
    await waitForMap(page);
    expect(await page.locator('[data-testid=wall-clock]').textContent()).toMatch(/\d{2}:\d{2}:\d{2}/);

    const first = await fileCase(11);
    await page.locator(`[data-testid=ticker-entry][data-case-number="${first.caseNumber}"][data-kind=new]`).waitFor({ timeout: 5_000 });
    const store = (): Promise<number> => page.evaluate(() => window.__gridCommandLive!.store.size);
    await expect.poll(async () => kpiValue(page, 'open')).toBe(zhCN.count(await store()));

    // The map flies to a new escalation and says so.
    const escalate = await server.post(`/api/cases/${first.caseNumber}/commands`, JSON.stringify({ type: 'escalate', reason: 'several-departments', note: 'e2e' }));
    expect(escalate.status).toBe(200);
    const focus = page.locator(`[data-testid=wall-focus][data-case-number="${first.caseNumber}"]`);
    await focus.waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid=ticker-entry][data-case-number="${first.caseNumber}"][data-kind=escalated]`).waitFor({ timeout: 5_000 });
    await expect
      .poll(() => page.evaluate(([lng, lat]) => window.__gridCommandMap!.getBounds().contains([lng, lat]) && window.__gridCommandMap!.getZoom() > 13, first.point), { timeout: 10_000 })
      .toBe(true);
    await screenshot('wall-escalation-focus-zh');

    // The server goes away: the wall says so at once, then "offline since HH:MM".
    const lastSeen = await page.evaluate(() => window.__gridCommandLive!.feed.watermark);
    proxy.cut();
    await server.close();
    const outage = page.locator('[data-testid=wall-outage]');
    await outage.waitFor({ timeout: 10_000 });
    expect(['reconnecting', 'offline']).toContain(await outage.getAttribute('data-state'));
    await page.locator('[data-testid=wall-outage][data-state=offline]').waitFor({ timeout: 20_000 });
    expect(await outage.textContent()).toMatch(/^自 \d{2}:\d{2} 起离线，正在自动重连$/);
    await screenshot('wall-outage-offline-zh');

    // A new server on the same store, on another port; cases arrive there before the wall is back.
    server = await startTestServer('pglite', { clientDir }, db);
    const missed = [await fileCase(17), await fileCase(23)];
    proxy.point(Number(new URL(server.baseUrl).port));

    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 30_000 });
    expect(await outage.count()).toBe(0);
    for (const ack of missed) {
      await page.locator(`[data-testid=ticker-entry][data-case-number="${ack.caseNumber}"][data-kind=new]`).waitFor({ timeout: 10_000 });
      await page.waitForFunction((id) => window.__gridCommandLive?.store.get(id) !== undefined, ack.caseId, { timeout: 10_000 });
    }
    // Caught up from where it was (the missed events), not reloaded from a snapshot.
    expect(await page.evaluate(() => window.__gridCommandLive!.feed.watermark)).toBeGreaterThan(lastSeen);
    await expect.poll(async () => kpiValue(page, 'open')).toBe(zhCN.count(await store()));
    expect(Number((await kpiValue(page, 'new'))?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.evaluate(() => window.__gridCommandCases?.rows ?? 0)).toBe(await store());
    await page.locator('[data-testid=wall-focus]').waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot('wall-live-zh');

    await page.locator('[data-testid=switch-language]').click();
    await expect.poll(() => page.locator('[data-testid=kpi-open] .kpi__label').textContent()).toBe(en.kpiOpen);
    expect(await page.locator('.wall-header__title h1').textContent()).toBe(en.wallTitle);
    await screenshot('wall-live-en');
    // The socket dropping logs nothing to the console; a failed reconnect attempt may (the browser's own WebSocket error).
    expect(unexpected(consoleErrors).filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
  });
});
