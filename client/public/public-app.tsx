import { useCallback, useEffect, useRef, useState } from 'react';
import type { Catalogue } from '../../core/catalogue/catalogue.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { PublicGridAnswer } from '../../core/protocol/http-api.ts';
import { createApiClient } from '../http/api-client.ts';
import { ApiError, isAbortError } from '../http/api-error.ts';
import { MapView } from '../map/map-view.tsx';
import type { Loadable } from '../state/loadable.ts';
import { useGeography } from '../state/use-geography.ts';
import { CoordinateForm } from './coordinate-form.tsx';
import { describePublicError } from './describe-public-error.ts';
import { GridCard } from './grid-card.tsx';
import { fetchCatalogue, fetchPublicGrid, OutsideDistrictError } from './public-api.ts';
import { type PublicLang, publicStrings } from './public-strings.ts';
import { ReportForm } from './report-form.tsx';

const api = createApiClient();

/** What the panel shows for the point last clicked or typed. */
type Lookup =
  | { readonly kind: 'none' }
  | { readonly kind: 'locating'; readonly point: LngLat }
  | { readonly kind: 'grid'; readonly point: LngLat; readonly answer: PublicGridAnswer }
  | { readonly kind: 'failed'; readonly point: LngLat; readonly error: Error };

/** ?lang=en opens the page in English; anything else (or nothing) is Chinese. */
function initialLang(): PublicLang {
  return new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'zh';
}

/** Loads the category catalogue once, for the report form. */
function useCatalogue(): Loadable<Catalogue> {
  const [catalogue, setCatalogue] = useState<Loadable<Catalogue>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    fetchCatalogue(controller.signal)
      .then((data) => setCatalogue({ status: 'ready', data }))
      .catch((error: unknown) => {
        if (isAbortError(error) || controller.signal.aborted) return;
        setCatalogue({ status: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      });
    return () => controller.abort();
  }, []);
  return catalogue;
}

/**
 * The public disclosure page (实名制公示), no sign-in: the district map; a click or a pair of
 * coordinates shows the grid there and the people who serve it, and a form files a report there.
 */
export function PublicApp() {
  const [lang, setLang] = useState<PublicLang>(initialLang);
  const strings = publicStrings[lang];
  const { geography, retry } = useGeography(api);
  const catalogue = useCatalogue();
  const [lookup, setLookup] = useState<Lookup>({ kind: 'none' });
  const inFlight = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    document.documentElement.lang = strings.locale;
    document.title = strings.title;
  }, [strings]);

  const switchLanguage = (): void => {
    const next: PublicLang = lang === 'zh' ? 'en' : 'zh';
    setLang(next);
    const url = new URL(window.location.href);
    if (next === 'en') url.searchParams.set('lang', 'en');
    else url.searchParams.delete('lang');
    window.history.replaceState(null, '', url);
  };

  const find = useCallback((point: LngLat): void => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setLookup({ kind: 'locating', point });
    fetchPublicGrid(point, controller.signal)
      .then((answer) => setLookup({ kind: 'grid', point, answer }))
      .catch((error: unknown) => {
        if (isAbortError(error) || controller.signal.aborted) return;
        setLookup({ kind: 'failed', point, error: error instanceof Error ? error : new Error(String(error)) });
      });
  }, []);
  useEffect(() => () => inFlight.current?.abort(), []);

  const data = geography.status === 'ready' ? geography.data : undefined;
  const pickedPoint = lookup.kind === 'none' ? undefined : lookup.point;
  const selectedGridCode = lookup.kind === 'grid' ? lookup.answer.grid.code : undefined;
  // A new point is a new report: the form (and its report id) starts afresh.
  const reportKey = pickedPoint ? pickedPoint.join(',') : '';

  return (
    <div className="app public-app" data-lang={lang}>
      <header className="app-header">
        <h1 className="app-header__title" data-testid="public-title">
          {strings.title}
        </h1>
        <span className="app-header__subtitle">{strings.subtitle}</span>
        <button type="button" className="public-lang" data-testid="switch-language" lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={strings.switchLanguageLabel} onClick={switchLanguage}>
          {strings.switchLanguage}
        </button>
      </header>
      <main className="app-main">
        <div className="app-map">
          <MapView geography={data} selectedGridCode={selectedGridCode} pickedPoint={pickedPoint} onPick={find} />
          {geography.status === 'loading' && (
            <div className="load-status" data-testid="loading" role="status">
              <span className="spinner" aria-hidden="true" />
              {strings.loadingMap}
            </div>
          )}
          {geography.status === 'failed' && (
            <div className="load-status load-status--error" data-testid="load-error" role="alert">
              <p className="load-status__title">{strings.mapLoadFailed}</p>
              <p className="load-status__detail">{describePublicError(geography.error, strings)}</p>
              <button type="button" className="button" onClick={retry}>
                {strings.retry}
              </button>
            </div>
          )}
        </div>
        <aside className="side-panel public-panel" aria-label={strings.panelLabel} aria-live="polite">
          <CoordinateForm strings={strings} onFind={find} />
          {lookup.kind === 'none' && (
            <div className="panel-hint" data-testid="panel-hint">
              <p className="panel-hint__title">{strings.hintTitle}</p>
              <p>{strings.hintDetail}</p>
            </div>
          )}
          {lookup.kind === 'locating' && (
            <p className="panel-note" data-testid="locating">
              {strings.locating}
            </p>
          )}
          {lookup.kind === 'failed' && (
            <div
              className={lookup.error instanceof OutsideDistrictError ? 'outside' : 'panel-error'}
              role="alert"
              data-testid={lookup.error instanceof OutsideDistrictError ? 'outside-message' : 'lookup-error'}
              data-unreachable={lookup.error instanceof ApiError && lookup.error.reason === 'unreachable' ? 'true' : 'false'}
            >
              <p>{describePublicError(lookup.error, strings)}</p>
            </div>
          )}
          {lookup.kind === 'grid' && (
            <>
              <GridCard answer={lookup.answer} lang={lang} strings={strings} />
              <ReportForm key={reportKey} point={lookup.point} catalogue={catalogue} lang={lang} strings={strings} />
            </>
          )}
        </aside>
      </main>
    </div>
  );
}
