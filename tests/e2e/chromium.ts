import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The system Chromium (Debian's `chromium` package); no browser is ever downloaded. */
export const CHROMIUM_PATH = process.env['GC_CHROMIUM_PATH'] || '/usr/bin/chromium';

/**
 * Headless Chromium with WebGL on the CPU: ANGLE over SwiftShader (no GPU needed; 'unsafe' only in
 * that it runs shaders in-process, which is fine for our own test page), and nothing that phones home.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
] as const;

export function chromiumUnavailableReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set GC_CHROMIUM_PATH)`;
}

/** A fresh browser with a throwaway profile (playwright's default temporary user-data dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
}
