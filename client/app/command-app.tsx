import type { Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { ApiClient } from '../http/api-client.ts';
import type { CaseRecord } from '../live/case-record.ts';
import { LIGHT_PALETTE } from '../live/case-style.ts';
import { useLiveSession } from '../live/use-live.ts';
import { watchAreaOf } from '../live/watch-area.ts';
import { CaseLegend } from '../map/case-legend.tsx';
import { areaBBox } from '../map/map-data.ts';
import { MapView } from '../map/map-view.tsx';
import { type CaseRef, CasePanel } from '../panels/case-panel.tsx';
import { useCaseNames } from '../panels/case-facts.tsx';
import { CaseTooltip } from '../panels/case-tooltip.tsx';
import { ConnectionBadge } from '../panels/connection-badge.tsx';
import { KpiTiles } from '../panels/kpi-tiles.tsx';
import { LoadStatus } from '../panels/load-status.tsx';
import { SidePanel } from '../panels/side-panel.tsx';
import type { SessionControls } from '../session/use-session.ts';
import { SignInForm } from '../session/sign-in-form.tsx';
import { pickedPointOf, selectedGridCodeOf } from '../state/selection.ts';
import { useCatalogue } from '../state/use-catalogue.ts';
import { useGeography } from '../state/use-geography.ts';
import { useSelection } from '../state/use-selection.ts';
import { AccountBox } from './account-box.tsx';
import { caseNumberFromUrl, urlForMode, urlWithCase } from './app-mode.ts';
import { LanguageSwitch, useStrings } from './i18n.tsx';

export interface CommandAppProps {
  readonly api: ApiClient;
  readonly session: SessionControls;
}

/**
 * The command centre: a header with the account, the district map with the live cases of the
 * account's area over it, the KPI strip, and the panel for what is selected (a grid or a case).
 * The map and the grids need no session; live cases do.
 */
export function CommandApp({ api, session: { session, signIn, signOut, recheck } }: CommandAppProps) {
  const strings = useStrings();
  const { geography, retry } = useGeography(api);
  const { selection, pickPoint, selectGrid, clearSelection, reloadSelection } = useSelection(api);
  const [catalogueAttempt, setCatalogueAttempt] = useState(0);
  const catalogue = useCatalogue(api, catalogueAttempt);
  const [signingIn, setSigningIn] = useState(false);
  const [selectedCase, setSelectedCase] = useState<CaseRef | undefined>(() => {
    const number = caseNumberFromUrl(window.location.href);
    return number ? { number } : undefined;
  });
  const retryAll = (): void => {
    retry();
    reloadSelection();
    setCatalogueAttempt((n) => n + 1);
  };
  const data = geography.status === 'ready' ? geography.data : undefined;
  const actor = session.status === 'signed-in' ? session.actor : undefined;
  const area = actor && data?.districtCode ? watchAreaOf(actor, data.districtCode) : undefined;
  const { live, connection } = useLiveSession(area, LIGHT_PALETTE, recheck);
  const names = useCaseNames(catalogue.status === 'ready' ? catalogue.data : undefined, data);
  const [map, setMap] = useState<MapLibreMap>();

  // A street dispatcher or grid worker sees their own area framed once signed in (unless a link chose a grid).
  const framed = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!map || !data || !area || framed.current === area || area === data.districtCode) return;
    framed.current = area;
    if (selectedGridCodeOf(selection) !== undefined) return;
    const box = areaBBox(data, area);
    if (box) map.fitBounds([...box], { padding: 32, animate: false });
  }, [map, data, area, selection]);

  // The case in the URL (?case=…), so a reload or a link reopens it; Back closes it again.
  const openCase = useCallback((ref: CaseRef | undefined) => {
    setSelectedCase(ref);
    const next = urlWithCase(window.location.href, ref?.number);
    if (next !== window.location.href) window.history.pushState(null, '', next);
  }, []);
  useEffect(() => {
    const onPop = (): void => {
      const number = caseNumberFromUrl(window.location.href);
      setSelectedCase((current) => (number === undefined ? undefined : current?.number === number ? current : { number }));
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  // Asked to sign in when a session ends, or when a link opens a case without one; never again after Cancel.
  const endedOrLinked = session.status === 'signed-out' && (session.ended === true || caseNumberFromUrl(window.location.href) !== undefined);
  useEffect(() => {
    setSigningIn(endedOrLinked);
  }, [session, endedOrLinked]);

  const pickCase = useCallback((record: CaseRecord) => openCase({ number: record.summary.number, id: record.summary.id }), [openCase]);
  const onPick = useCallback(
    (point: LngLat) => {
      if (selectedCase) openCase(undefined);
      pickPoint(point);
    },
    [openCase, pickPoint, selectedCase],
  );
  const caseTooltip = useCallback((record: CaseRecord) => <CaseTooltip summary={record.summary} names={names} />, [names]);
  const wallUrl = useMemo(() => urlForMode(window.location.href, 'wall'), []);

  const identified = useCallback((id: number) => setSelectedCase((current) => (current && current.id === undefined ? { ...current, id } : current)), []);
  const casePanel =
    selectedCase && actor ? (
      <CasePanel key={selectedCase.number} selected={selectedCase} live={live} api={api} actor={actor} names={names} geography={data} onIdentified={identified} />
    ) : undefined;
  const needsSignIn = session.status === 'signed-out' && signingIn;
  const leave = (): void => {
    signOut()
      .catch(() => {})
      .finally(() => openCase(undefined));
  };

  return (
    <div className="app" data-mode="command">
      <header className="app-header">
        <h1 className="app-header__title">{strings.appTitle}</h1>
        <span className="app-header__subtitle">{strings.appSubtitle}</span>
        {data && (
          <span className="app-header__summary" data-testid="district-summary">
            {strings.districtSummary(data.streets.features.length, data.communities.features.length, data.grids.features.length)}
          </span>
        )}
        <div className="app-header__tools">
          {area && <ConnectionBadge state={connection} />}
          <a className="header-link" href={wallUrl} data-testid="wall-link">
            {strings.wallMode}
          </a>
          <LanguageSwitch className="header-button" />
          {actor ? (
            <AccountBox actor={actor} geography={data} onSignOut={leave} />
          ) : (
            session.status !== 'checking' && (
              <button type="button" className="header-button header-button--primary" data-testid="sign-in" onClick={() => setSigningIn(true)}>
                {strings.signIn}
              </button>
            )
          )}
        </div>
      </header>
      <main className="app-main">
        <div className="app-map">
          <MapView
            geography={data}
            selectedGridCode={selectedGridCodeOf(selection)}
            pickedPoint={pickedPointOf(selection)}
            onPick={onPick}
            cases={live?.store}
            selectedCaseId={selectedCase?.id}
            onPickCase={pickCase}
            caseTooltip={caseTooltip}
            onMap={setMap}
          />
          <LoadStatus geography={geography} onRetry={retryAll} />
          {live && (
            <div className="map-overlay map-overlay--top">
              <KpiTiles live={live} variant="bar" />
            </div>
          )}
          {live && <CaseLegend palette={LIGHT_PALETTE} className="map-overlay map-overlay--legend" />}
          {actor && data && !area && (
            <p className="map-overlay map-overlay--note" data-testid="live-unavailable">
              {strings.liveNotForRole}
            </p>
          )}
          {!actor && session.status === 'signed-out' && data && (
            <button type="button" className="map-overlay map-overlay--note live-sign-in" onClick={() => setSigningIn(true)}>
              {strings.liveNeedsSignIn}
            </button>
          )}
        </div>
        <SidePanel selection={selection} geography={data} onSelectGrid={selectGrid} onClose={clearSelection} casePanel={casePanel} onCloseCase={() => openCase(undefined)} />
      </main>
      {needsSignIn && (
        <div className="modal" role="dialog" aria-modal="true" aria-labelledby="sign-in-title">
          <SignInForm onSignIn={signIn} notice={session.status === 'signed-out' && session.ended ? strings.sessionEnded : undefined} onCancel={() => setSigningIn(false)} />
        </div>
      )}
    </div>
  );
}
