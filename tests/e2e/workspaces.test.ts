/**
 * The command centre's three workspaces end to end, in headless Chromium over a real server and a
 * seeded store (the reference geography and roster, a year of historic cases, live cases posted
 * through the API): the supervisor's drill-down and live queue, the view held in the URL (a reload
 * restores it), the grid panel with its staff, the analyst's figures, hexagonal bins and export, and
 * the staffing layer. Screenshots of each are kept in test-output/screenshots/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEIJING_OFFICE_HOURS } from '../../core/calendar/working-calendar.ts';
import type { Catalogue } from '../../core/catalogue/catalogue.ts';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import { en, zhCN } from '../../client/app/strings.ts';
import { ensureClientBuild } from '../../scripts/ensure-client-build.ts';
import { historicRows } from '../../scripts/interop/historic-rows.ts';
import { importHistoricCases } from '../../server/services/historic-import.service.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { chromiumUnavailableReason } from './chromium.ts';
import { openPageSession, type PageSession, waitForMap } from './page-session.ts';

const ACCOUNT = { username: 'e2e-supervisor', password: 'e2e-supervisor-password-1', displayName: '测试值班长' } as const;
const STREET = '110108011'; // 中关村街道
const HISTORIC_ROWS = 1_500;

describe.skipIf(chromiumUnavailableReason() !== null)('the workspaces in headless Chromium', () => {
  let server: TestServer;
  let dir: string;
  let streetGrids: Feature<MultiPolygon, { code: string; name: string; communityCode: string }>[];
  let category: { code: string; zh: string; en: string };
  let counter = 0;

  beforeAll(async () => {
    const [built] = await Promise.all([ensureClientBuild()]);
    server = await startTestServer('pglite', { clientDir: built.dir });
    await server.server.auth.createAccount({ username: ACCOUNT.username, displayName: ACCOUNT.displayName, role: 'district-dispatcher', password: ACCOUNT.password });
    // A year of history ending a week ago (closures stay in the past), so that the analyst's default
    // window (the last 30 days) holds some.
    dir = mkdtempSync(join(tmpdir(), 'gc-e2e-workspaces-'));
    const store = server.db.store;
    const names = new Map((await store.geography.names()).map((n) => [n.code, n.name]));
    const catalogue = await store.catalogue.catalogue();
    const csv = join(dir, 'historic.csv');
    writeFileSync(csv, [...historicRows({ grids: await store.geography.routableGrids(), names, catalogue }, { count: HISTORIC_ROWS, seed: 11, end: new Date(Date.now() - 7 * 86_400_000) })].join('\n'));
    const report = await importHistoricCases({ store, geography: server.geography, catalogue, calendar: BEIJING_OFFICE_HOURS }, csv);
    expect(report).toMatchObject({ ok: true, imported: HISTORIC_ROWS });
    streetGrids = (await api<{ features: typeof streetGrids }>(`/api/geo/grids?parent=${STREET}&limit=500`)).features;
    const categories = (await api<Catalogue>('/api/categories')).categories;
    category = categories.find((c) => c.severity >= 2) ?? categories[0]!;
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function api<T>(path: string): Promise<T> {
    const response = await server.get(path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  async function fileCase(grid: Feature<MultiPolygon, { code: string }>): Promise<CaseAck> {
    const [lng, lat] = pointOnFeature(grid).geometry.coordinates as [number, number];
    counter += 1;
    const response = await server.post('/api/cases', JSON.stringify({ reportId: `e2e-workspaces-${Date.now()}-${counter}`, category: category.code, lng, lat, channel: 'hotline', description: `e2e ${counter}` }));
    expect(response.status).toBe(201);
    return (await response.json()) as CaseAck;
  }

  async function signIn(page: Page): Promise<void> {
    await page.locator('[data-testid=sign-in]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=sign-in]').click();
    const form = page.locator('[data-testid=sign-in-form]');
    await form.locator('input[name=username]').fill(ACCOUNT.username);
    await form.locator('input[name=password]').fill(ACCOUNT.password);
    await form.locator('button[type=submit]').click();
    await page.locator('[data-testid=connection][data-state=live]').first().waitFor({ timeout: 60_000 });
  }

  const param = (page: Page, name: string): string | null => new URL(page.url()).searchParams.get(name);

  it('supervisor: drills down district → street → community → grid with breadcrumbs; the queue shows a new case within 2 s; a reload restores the view', async () => {
    const session: PageSession = await openPageSession({ server, path: '/' });
    const { page, screenshot } = session;
    await waitForMap(page);
    await signIn(page);
    const panel = page.locator('[data-testid=area-panel]');
    await panel.waitFor({ timeout: 30_000 });
    expect(await panel.getAttribute('data-area')).toBe('');
    expect(await page.locator('[data-testid=child-areas]').getAttribute('data-level')).toBe('street');
    expect(await page.locator('[data-testid=child-area]').count()).toBe(29);
    // The live fill colours the streets on its own canvas beneath the map (whose own ground steps aside).
    await expect.poll(() => page.evaluate(() => [window.__gridCommandAreas?.level, (window.__gridCommandAreas?.areas ?? 0) > 0]), { timeout: 10_000 }).toEqual(['street', true]);
    expect(await page.evaluate(() => window.__gridCommandMap!.getLayoutProperty('district-fill', 'visibility'))).toBe('none');
    await screenshot('supervisor-district-zh');
    // No fill: the canvas steps aside and the map draws its own ground again; then back.
    await page.locator('[data-testid=fill-option][data-fill=none]').click();
    await expect.poll(() => page.evaluate(() => [window.__gridCommandAreas?.level, window.__gridCommandMap!.getLayoutProperty('district-fill', 'visibility')])).toEqual([undefined, 'visible']);
    await page.locator('[data-testid=fill-option][data-fill=open]').click();
    await expect.poll(() => page.evaluate(() => window.__gridCommandAreas?.level)).toBe('street');

    // Down to the street: breadcrumbs, the URL, the child list one level down.
    await page.locator(`[data-testid=child-area][data-code="${STREET}"]`).click();
    await expect.poll(() => panel.getAttribute('data-area')).toBe(STREET);
    expect(param(page, 'area')).toBe(STREET);
    expect(await page.locator('[data-testid=breadcrumbs] li').count()).toBe(2);
    expect(await page.locator('[data-testid=child-areas]').getAttribute('data-level')).toBe('community');

    // A case filed in the street is at the head of the street's queue within 2 s.
    const grid = streetGrids[0]!;
    const ack = await fileCase(grid);
    const posted = Date.now();
    await page.locator(`[data-testid=queue-row][data-case-number="${ack.caseNumber}"]`).waitFor({ timeout: 2_000 });
    expect(Date.now() - posted).toBeLessThan(2_000);
    await screenshot('supervisor-street-queue-zh');

    // Narrowing the queue by status keeps it in the URL; a status the case is not in hides it.
    await page.locator('[data-testid=status-chip][data-status=handling]').click();
    await expect.poll(() => param(page, 'status')).toBe('handling');
    await expect.poll(() => page.locator(`[data-testid=queue-row][data-case-number="${ack.caseNumber}"]`).count()).toBe(0);
    await page.locator('[data-testid=status-chip][data-status=handling]').click();
    await expect.poll(() => param(page, 'status')).toBe(null);

    // Down to the community, then the grid: its panel with its staff.
    const community = grid.properties.communityCode;
    await page.locator(`[data-testid=child-area][data-code="${community}"]`).click();
    await expect.poll(() => panel.getAttribute('data-area')).toBe(community);
    expect(await page.locator('[data-testid=child-areas]').getAttribute('data-level')).toBe('grid');
    await page.locator(`[data-testid=child-area][data-code="${grid.properties.code}"]`).click();
    const gridPanel = page.locator(`[data-testid=grid-panel][data-grid-code="${grid.properties.code}"]`);
    await gridPanel.waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('[data-testid=person]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(param(page, 'grid')).toBe(grid.properties.code);
    expect(await page.locator('[data-testid=breadcrumbs] li').count()).toBe(4);
    await page.locator(`[data-testid=grid-cases] [data-testid=queue-row][data-case-number="${ack.caseNumber}"]`).waitFor({ timeout: 5_000 });
    // Routed there: the grid's figures count it.
    expect(Number(await page.locator('[data-testid=grid-figures] [data-measure=open] dd').textContent())).toBeGreaterThanOrEqual(1);
    await screenshot('supervisor-grid-panel-zh');

    // The same URL in a reload (what a shared link does): the same grid panel, staff and all, and the camera.
    const url = page.url();
    expect(param(page, 'at')).toMatch(/^\d+\.?\d*,\d+\.?\d*,\d+\.?\d*$/);
    await page.reload();
    await waitForMap(page);
    await gridPanel.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid=person]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(page.url()).toBe(url);
    const [lng, lat, zoom] = param(page, 'at')!.split(',').map(Number) as [number, number, number];
    const camera = await page.evaluate(() => ({ ...window.__gridCommandMap!.getCenter(), zoom: window.__gridCommandMap!.getZoom() }));
    expect(camera.lng).toBeCloseTo(lng, 3);
    expect(camera.lat).toBeCloseTo(lat, 3);
    expect(camera.zoom).toBeCloseTo(zoom, 1);

    // Back up with the breadcrumbs.
    await page.locator('[data-testid=breadcrumbs] li[data-level=district] button').click();
    await expect.poll(() => panel.getAttribute('data-area')).toBe('');
    expect(param(page, 'grid')).toBe(null);
    expect(session.consoleErrors).toEqual([]);
  });

  it('analyst: hotspots, per-area and per-department tables, hexagonal bins on the map and the filtered export', async () => {
    const { page, screenshot, consoleErrors } = await openPageSession({ server, path: '/?lang=en' });
    await waitForMap(page);
    await signIn(page);
    await page.locator('[data-testid=workspace-tab][data-workspace=analyst]').click();
    await expect.poll(() => param(page, 'mode')).toBe('analyst');
    const panel = page.locator('[data-testid=analyst-panel]');
    await panel.waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=area-table] tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=area-table] tbody tr').count()).toBe(29);
    const departments = (await api<{ departments: unknown[] }>('/api/departments')).departments.length;
    expect(await page.locator('[data-testid=department-table] tbody tr').count()).toBe(departments);
    await page.locator('[data-testid=hotspot]').first().waitFor({ timeout: 30_000 });

    // The tables add up to what the store holds for the window (likely duplicates aside).
    const windowText = await page.locator('[data-testid=analyst-window]').textContent();
    expect(windowText).toContain('Cases reported from');
    const received = (await page.locator('[data-testid=area-table] td[data-column=received]').allTextContents()).reduce((sum, text) => sum + Number(text.replace(/,/g, '')), 0);
    const areas = await api<{ rows: { received: number }[] }>('/api/analytics/areas?level=street');
    expect(received).toBe(areas.rows.reduce((sum, row) => sum + row.received, 0));
    expect(received).toBeGreaterThan(0);

    // Hexagons over the map: the bins of the viewport, drawn by deck.gl.
    await expect.poll(() => page.evaluate(() => window.__gridCommandDeckLayers?.includes('analyst-hex-bins') ?? false), { timeout: 15_000 }).toBe(true);
    await screenshot('analyst-district-en');

    // A category narrows everything, and the export link carries the same filter.
    await page.locator('[data-testid=category-filter]').selectOption(category.code);
    await expect.poll(() => param(page, 'cat')).toBe(category.code);
    const geojsonHref = await page.locator('[data-testid=export-geojson]').getAttribute('href');
    expect(geojsonHref).toContain(`category=${category.code}`);
    const exported = await page.evaluate(async (href) => (await fetch(href!)).json() as Promise<FeatureCollection<Point>>, geojsonHref);
    expect(exported.features.length).toBeGreaterThan(0);
    expect(exported.features.every((f) => f.properties!['category'] === category.code)).toBe(true);
    const csvHref = await page.locator('[data-testid=export-csv]').getAttribute('href');
    const csv = await page.evaluate(async (href) => (await fetch(href!)).text(), csvHref);
    expect(csv.trim().split('\n').length).toBe(exported.features.length + 1);

    // The last 7 days: a window the URL holds.
    await page.locator('[data-testid=window-preset][data-days="7"]').click();
    await expect.poll(() => param(page, 'from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.locator('[data-testid=hotspot-measure][data-by=repeatReports]').click();
    await page.locator('[data-testid=hotspots][data-by=repeatReports]').waitFor();
    await screenshot('analyst-filtered-en');
    expect(await page.locator('h2').allTextContents()).toContain(en.hotspotsHeading);
    expect(consoleErrors).toEqual([]);
  });

  it('staffing: coverage gaps for a department, people by load, one person’s grids linked', async () => {
    const { page, screenshot, consoleErrors } = await openPageSession({ server, path: '/?mode=staffing' });
    await waitForMap(page);
    await signIn(page);
    const panel = page.locator('[data-testid=staffing-panel]');
    await panel.waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=staffing-summary]').waitFor({ timeout: 30_000 });
    await screenshot('staffing-all-departments-zh');

    const department = (await api<{ departments: { code: string }[] }>('/api/departments')).departments[0]!.code;
    await page.locator('[data-testid=department-filter]').selectOption(department);
    await expect.poll(() => param(page, 'dept')).toBe(department);
    await expect.poll(() => panel.getAttribute('data-department')).toBe(department);
    await page.locator('[data-testid=staff-table] tbody tr').first().waitFor({ timeout: 30_000 });
    const staffing = await api<{ grids: { people: string[] }[]; people: { id: string; grids: string[] }[] }>(`/api/staffing?department=${department}`);
    const gaps = staffing.grids.filter((g) => g.people.length === 0).length;
    await expect.poll(() => page.locator('[data-testid=gap-count]').textContent()).toBe(zhCN.count(gaps));

    // Someone listed who covers several grids (一人多格): choosing them draws their grids linked.
    const listed = page.locator('[data-testid=staff-person]');
    const counts = (await listed.evaluateAll((buttons) => buttons.map((b) => Number(b.getAttribute('data-grid-count'))))) as number[];
    const index = Math.max(0, counts.findIndex((n) => n > 1));
    expect(staffing.people.some((p) => p.grids.length > 1)).toBe(true);
    await listed.nth(index).click();
    await expect.poll(() => page.evaluate(() => window.__gridCommandDeckLayers?.includes('staffing-links') ?? false), { timeout: 15_000 }).toBe(true);
    await screenshot('staffing-department-person-zh');
    expect(consoleErrors).toEqual([]);
  });
});
