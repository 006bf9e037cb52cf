/**
 * Which screen the page is: the command centre (`/`) or the wall display (`/?mode=wall`, also
 * served at `/wall`: the server answers any page path with the same shell). The mode stays in the
 * URL, so a wall's browser is pointed at it once and reopens it after every restart.
 */
export type AppMode = 'command' | 'wall';

export const MODE_PARAM = 'mode';

export function modeFromUrl(href: string): AppMode {
  const url = new URL(href);
  if (url.searchParams.get(MODE_PARAM) === 'wall') return 'wall';
  return /^\/wall\/?$/.test(url.pathname) ? 'wall' : 'command';
}

/** The same page in the other mode (language kept; the wall drops the grid/case selection). */
export function urlForMode(href: string, mode: AppMode): string {
  const url = new URL(href);
  const lang = url.searchParams.get('lang');
  const next = new URL('/', url);
  if (mode === 'wall') next.searchParams.set(MODE_PARAM, 'wall');
  if (lang) next.searchParams.set('lang', lang);
  return next.toString();
}

export const CASE_PARAM = 'case';

export function caseNumberFromUrl(href: string): string | undefined {
  return new URL(href).searchParams.get(CASE_PARAM)?.trim() || undefined;
}

export function urlWithCase(href: string, caseNumber: string | undefined): string {
  const url = new URL(href);
  if (caseNumber === undefined) url.searchParams.delete(CASE_PARAM);
  else url.searchParams.set(CASE_PARAM, caseNumber);
  return url.toString();
}
