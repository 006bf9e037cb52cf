/**
 * The selected grid lives in the URL (`?grid=110108011001001`), so a reload or a shared link opens
 * the same grid. `#grid=…` is read too, for links written by hand or by tools that keep the query.
 */
export const GRID_PARAM = 'grid';

/** The grid code a URL selects, if any (not validated: a bad code is shown as such). */
export function gridCodeFromUrl(href: string): string | undefined {
  const url = new URL(href);
  const fromQuery = url.searchParams.get(GRID_PARAM)?.trim();
  if (fromQuery) return fromQuery;
  const fromHash = new URLSearchParams(url.hash.replace(/^#/, '')).get(GRID_PARAM)?.trim();
  return fromHash || undefined;
}

/** The same URL selecting `gridCode` (or nothing), with any `#grid=` folded into the query. */
export function urlWithGridCode(href: string, gridCode: string | undefined): string {
  const url = new URL(href);
  if (gridCode === undefined) url.searchParams.delete(GRID_PARAM);
  else url.searchParams.set(GRID_PARAM, gridCode);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  if (hash.has(GRID_PARAM)) {
    hash.delete(GRID_PARAM);
    url.hash = hash.toString();
  }
  return url.toString();
}
