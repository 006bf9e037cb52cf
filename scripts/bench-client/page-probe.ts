/**
 * What the client benchmark measures inside the page, installed before any of the page's own
 * scripts run (Playwright's addInitScript): every animation frame's timestamp while recording, and
 * every long task (PerformanceObserver 'longtask', over 50 ms on the main thread) with its start.
 * The script is a plain function: Playwright serialises it into the page.
 */

export interface PageProbe {
  recording: boolean;
  /** rAF timestamps (performance.now(), ms) while recording. */
  frames: number[];
  /** [startTime, duration] of every long task since navigation. */
  longTasks: [number, number][];
  /** When (performance.now(), the first frame it was seen in) the product page got there: a breakdown of the first render. */
  milestones: { map?: number; cases?: number; caseLayer?: number };
}

declare global {
  interface Window {
    __bench?: PageProbe;
  }
}

/**
 * Installs `window.__bench` (a PageProbe). A script text, not a function: the bundler that runs this
 * file may wrap named functions in helpers that do not exist in the page.
 */
export const PAGE_PROBE_SCRIPT = `(() => {
  const probe = { recording: false, frames: [], longTasks: [], milestones: {} };
  window.__bench = probe;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    // No long-task timing in this browser: the figure stays empty.
  }
  function loop(t) {
    if (probe.recording) probe.frames.push(t);
    const m = probe.milestones;
    if (m.map === undefined && window.__gridCommandMap) m.map = t;
    if (m.cases === undefined && window.__gridCommandLive && window.__gridCommandLive.store.size > 0) m.cases = t;
    if (m.caseLayer === undefined && window.__gridCommandCases && window.__gridCommandCases.draws > 0) m.caseLayer = t;
    requestAnimationFrame(loop);
  }
  requestAnimationFrame(loop);
})();`;

/** The product's page is completely drawn: map framed and idle, the view's grids in, every open case in the deck.gl layer. */
export function productDrawn(): number | false {
  const root = document.querySelector('[data-testid=map]');
  const map = window.__gridCommandMap;
  const live = window.__gridCommandLive;
  const cases = window.__gridCommandCases;
  if (!root || !map || !live || !cases) return false;
  if (root.getAttribute('data-ready') !== 'true' || root.getAttribute('data-grids-loading') === 'true') return false;
  if (live.store.size === 0 || cases.rows !== live.store.size || cases.draws === 0) return false;
  if (!map.loaded() || map.isMoving()) return false;
  return performance.now();
}

/** The naive page is completely drawn: everything set and the map idle once. */
export function naiveDrawn(): number | false {
  const naive = (window as unknown as { __naive?: { ready?: number; error?: string } }).__naive;
  if (naive?.error) throw new Error(naive.error);
  return naive?.ready ?? false;
}

/** Two animation frames from now (what was set has been painted), as performance.now(). */
export function afterTwoFrames(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))));
}
