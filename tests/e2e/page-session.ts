/**
 * One page of the built web client in a headless Chromium of its own, for a browser test:
 *
 *   const session = await openPageSession({ server, path: '/?grid=110108011001001' });
 *   await waitForMap(session.page);
 *   await session.screenshot('command-signed-out-grid-panel-zh'); // test-output/screenshots/command-signed-out-grid-panel-zh.png
 *   expect(session.consoleErrors).toEqual([]);
 *
 * Each session launches Chromium (the flags of chromium.ts: WebGL on SwiftShader, nothing that phones
 * home) on a fresh user-data folder, so no cookie, cache or storage survives from another test; records
 * every request (HTTP and WebSocket) and every console error; and ends by itself when the test ends
 * (`onTestFinished`), failing that test if the page asked any host but the server for anything.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, onTestFinished } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

/**
 * Where `screenshot(name)` writes (git-ignored). Each run overwrites the files it takes; nothing is
 * emptied first, so that two runs at once on one machine do not delete each other's pictures.
 */
export const SCREENSHOT_DIR = join(fileURLToPath(new URL('../../', import.meta.url)), 'test-output', 'screenshots');

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 } as const;

export interface PageSessionOptions {
  /** What the page is served by: a test server, or a proxy in front of one. Its origin is the only host the page may reach. */
  readonly server: { readonly baseUrl: string };
  /** Path and query to open, such as `/public?lang=en`. */
  readonly path: string;
  /** CSS pixels; 1280 × 800 unless given. */
  readonly viewport?: { readonly width: number; readonly height: number } | undefined;
  /** Runs before the page opens: to route or fail requests from the very first one. */
  readonly prepare?: ((context: BrowserContext) => Promise<unknown>) | undefined;
}

export interface PageSession {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every URL the page asked for (HTTP and WebSocket), in order. */
  readonly requests: readonly string[];
  /** Console errors and uncaught page errors (`pageerror: …`), in order. */
  readonly consoleErrors: readonly string[];
  /** The requests so far to any host but the server's (`data:` and `blob:` URLs stay in the page). */
  readonly foreignRequests: () => string[];
  /** Writes the viewport as `test-output/screenshots/NAME.png` (NAME: lower-case words and hyphens); returns the path. */
  readonly screenshot: (name: string) => Promise<string>;
  /**
   * Closes the browser and removes its profile, then fails if the page reached another host. Runs by
   * itself when the test ends; calling it earlier is fine, and a second call does nothing.
   */
  readonly close: () => Promise<void>;
}

const SCREENSHOT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Opens `path` on `server` in a new Chromium with a new profile; call it inside a test. */
export async function openPageSession({ server, path, viewport = DEFAULT_VIEWPORT, prepare }: PageSessionOptions): Promise<PageSession> {
  const origin = new URL(server.baseUrl);
  const own = [`${origin.origin}/`, `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}/`];
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const foreignRequests = (): string[] => requests.filter((url) => !own.some((prefix) => url.startsWith(prefix)) && !url.startsWith('data:') && !url.startsWith('blob:'));

  const userDataDir = mkdtempSync(join(tmpdir(), 'grid-command-chromium-'));
  const launching = chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    headless: true,
    viewport: { width: viewport.width, height: viewport.height },
    serviceWorkers: 'block',
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closing) return Promise.resolve();
    closing = (async () => {
      try {
        // Also when the test ended while the browser was still starting.
        await (await launching.catch(() => undefined))?.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      }
      expect(foreignRequests(), 'requests that left the test server').toEqual([]);
    })();
    return closing;
  };
  try {
    onTestFinished(close);
  } catch (error) {
    await close(); // not inside a test: nothing would close it
    throw error;
  }
  const context = await launching;

  const page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (socket) => requests.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  if (prepare) await prepare(context);
  await page.goto(server.baseUrl + path);

  return {
    page,
    context,
    requests,
    consoleErrors,
    foreignRequests,
    screenshot: async (name) => {
      if (!SCREENSHOT_NAME.test(name)) throw new Error(`screenshot name "${name}": use lower-case words joined by hyphens, such as command-signed-in-zh`);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    close,
  };
}

/** A point on the page, in CSS pixels. */
export interface PagePoint {
  readonly x: number;
  readonly y: number;
}

/** Until the map page says its map has loaded (`data-ready`). */
export async function waitForMap(page: Page): Promise<void> {
  await page.locator('[data-testid=map][data-ready=true]').waitFor({ timeout: 60_000 });
}

/** Moves the map's camera at once and waits until it has drawn there. */
export function jumpTo(page: Page, center: LngLat, zoom: number): Promise<void> {
  return page.evaluate(
    ([lng, lat, z]) =>
      new Promise<void>((resolve) => {
        const map = window.__gridCommandMap!;
        map.once('idle', () => resolve());
        map.jumpTo({ center: [lng, lat], zoom: z });
      }),
    [center[0], center[1], zoom] as const,
  );
}

/** Where a position is on the page, in CSS pixels, at the map's current camera. */
export function pagePointOf(page: Page, lngLat: LngLat): Promise<PagePoint> {
  return page.evaluate(([lng, lat]) => {
    const map = window.__gridCommandMap!;
    const point = map.project([lng, lat]);
    const box = map.getCanvas().getBoundingClientRect();
    return { x: box.left + point.x, y: box.top + point.y };
  }, lngLat);
}

/** The position under a page pixel: exactly what a click there looks up. */
export function lngLatAt(page: Page, at: PagePoint): Promise<LngLat> {
  return page.evaluate(({ x, y }) => {
    const map = window.__gridCommandMap!;
    const box = map.getCanvas().getBoundingClientRect();
    const { lng, lat } = map.unproject([x - box.left, y - box.top]);
    return [lng, lat] as const;
  }, at);
}
