import type { Layer } from '@deck.gl/core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StaffMember } from '../../core/protocol/analytics-api.ts';
import { AnalystPanel } from '../analyst/analyst-panel.tsx';
import { HexLegend } from '../analyst/hex-legend.tsx';
import { analyticsWindow } from '../analyst/analyst-window.ts';
import { useAnalystFigures, useHexBinLayer } from '../analyst/use-analytics.ts';
import { createAnalyticsClient } from '../http/analytics-client.ts';
import type { AreaFill } from '../map/area-fill.ts';
import { AreaFillLegend } from '../map/area-fill-legend.tsx';
import type { MapCamera } from '../map/map-camera.ts';
import { communityCoverage, coverageOf, linksOf } from '../staffing/staffing-figures.ts';
import { StaffingPanel } from '../staffing/staffing-panel.tsx';
import { useStaffing } from '../staffing/use-staffing.ts';
import { useView } from '../state/use-view.ts';
import { workspacesOf, workspaceToShow } from '../state/workspaces.ts';
import { AreaBreadcrumbs } from '../supervisor/area-breadcrumbs.tsx';
import { AreaPanel } from '../supervisor/area-panel.tsx';
import { GridCases } from '../supervisor/grid-cases.tsx';
import { COMMUNITY_FILL_BELOW_ZOOM, useLiveFill } from '../supervisor/use-live-fill.ts';
import { WorkspaceTabs } from './workspace-tabs.tsx';
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

  // The view (workspace, area, filters, camera) lives in the URL: a link or a reload restores it.
  const { view, changeView, moveCamera } = useView();
  const [camera, setCamera] = useState<MapCamera>();
  const onViewChange = useCallback(
    (next: MapCamera) => {
      setCamera(next);
      moveCamera({ center: next.center, zoom: next.zoom });
    },
    [moveCamera],
  );
  const initialCamera = useMemo(() => view.camera, []);
  const workspaces = workspacesOf(actor, area !== undefined);
  const workspace = workspaceToShow(view.workspace, workspaces);
  // One client for the page; handed out only while signed in (the session re-check renews `actor`).
  const analyticsClient = useMemo(() => createAnalyticsClient(), []);
  const analytics = actor ? analyticsClient : undefined;
  // A street dispatcher stands in their street unless they drilled elsewhere in it.
  const focusArea = view.area ?? (actor?.role === 'street-dispatcher' ? (actor.streetCode ?? undefined) : undefined);
  const [focusCode, setFocusCode] = useState<string>();
  const goToArea = useCallback(
    (code: string | undefined) => {
      clearSelection();
      openCase(undefined);
      changeView({ area: code });
      setFocusCode(code ?? data?.districtCode);
    },
    // openCase (below) is stable: a useCallback with no dependencies.
    [clearSelection, changeView, data],
  );
  const goToGrid = useCallback(
    (gridCode: string) => {
      selectGrid(gridCode);
      setFocusCode(gridCode);
    },
    [selectGrid],
  );

  // Supervisor: the live figures colour the map. Analyst: hexagonal bins of the filtered window.
  // Staffing: coverage per grid (gaps per community when zoomed out) and a chosen person's grids.
  const gridMinZoom = data?.gridMinZoom ?? 0;
  const liveFill = useLiveFill(workspace === 'supervisor' ? live : undefined, view.fill, camera?.zoom, gridMinZoom, data?.grids);
  const analystLevel = !focusArea ? 'street' : focusArea.length === 9 ? 'community' : 'grid';
  const analystQuery = useMemo(
    () => ({ within: focusArea, categories: view.categories, ...analyticsWindow(view.from, view.to) }),
    [focusArea, view.categories, view.from, view.to],
  );
  const [analyticsAttempt, setAnalyticsAttempt] = useState(0);
  const analystFigures = useAnalystFigures(workspace === 'analyst' ? analytics : undefined, analystLevel, analystQuery, analyticsAttempt);
  const hexBins = useHexBinLayer(workspace === 'analyst' ? analytics : undefined, camera, analystQuery);
  const staffing = useStaffing(workspace === 'staffing' ? analytics : undefined, view.department, focusArea, analyticsAttempt);
  const [person, setPerson] = useState<StaffMember>();
  const [personLayers, setPersonLayers] = useState<Layer[]>();
  useEffect(() => {
    if (workspace !== 'staffing' || !person || staffing.status !== 'ready') {
      setPersonLayers(undefined);
      return;
    }
    let gone = false;
    const { points, links } = linksOf(person, staffing.data);
    import('../staffing/staffing-layers.ts')
      .then(({ personLayers: layersOf }) => {
        if (!gone) setPersonLayers(layersOf(points, links));
      })
      .catch(() => setPersonLayers(undefined));
    return () => {
      gone = true;
    };
  }, [workspace, person, staffing]);
  const staffingFill = useMemo((): AreaFill | undefined => {
    if (workspace !== 'staffing' || staffing.status !== 'ready') return undefined;
    if ((camera?.zoom ?? 0) >= Math.max(COMMUNITY_FILL_BELOW_ZOOM, gridMinZoom)) {
      const values = coverageOf(staffing.data);
      let max = 1;
      for (const value of values.values()) if (value > max) max = value;
      return { level: 'grid', values, max, scheme: 'coverage' };
    }
    return { level: 'community', values: communityCoverage(staffing.data), max: 1, scheme: 'coverage' };
  }, [workspace, staffing, camera?.zoom, gridMinZoom]);
  const areaFill = workspace === 'supervisor' ? liveFill : workspace === 'staffing' ? staffingFill : undefined;
  const deckLayers = workspace === 'analyst' ? (hexBins.layer ? [hexBins.layer] : undefined) : workspace === 'staffing' ? personLayers : undefined;

  // A street dispatcher or grid worker sees their own area framed once signed in (unless a link chose a grid).
  const framed = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!map || !data || !area || framed.current === area || area === data.districtCode) return;
    framed.current = area;
    if (selectedGridCodeOf(selection) !== undefined || initialCamera !== undefined) return;
    const box = areaBBox(data, area);
    if (box) map.fitBounds([...box], { padding: 32, animate: false });
  }, [map, data, area, selection, initialCamera]);

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

  const pickCase = useCallback((record: CaseRecord) => openCase({ number: record.number, id: record.id }), [openCase]);
  const onPick = useCallback(
    (point: LngLat) => {
      if (selectedCase) openCase(undefined);
      pickPoint(point);
    },
    [openCase, pickPoint, selectedCase],
  );
  const caseTooltip = useCallback((record: CaseRecord) => <CaseTooltip record={record} names={names} />, [names]);
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

  const gridCode = selectedGridCodeOf(selection);
  const retryAnalytics = (): void => setAnalyticsAttempt((n) => n + 1);
  const catalogueData = catalogue.status === 'ready' ? catalogue.data : undefined;
  let overview: ReactNode;
  if (workspace === 'supervisor') {
    overview = (
      <AreaPanel
        geography={data}
        live={live}
        catalogue={catalogueData}
        names={names}
        area={focusArea}
        fill={view.fill}
        categories={view.categories}
        statuses={view.statuses}
        selectedCaseId={selectedCase?.id}
        onArea={goToArea}
        onSelectGrid={goToGrid}
        onFill={(fill) => changeView({ fill })}
        onCategories={(categories) => changeView({ categories })}
        onStatuses={(statuses) => changeView({ statuses })}
        onOpenCase={pickCase}
      />
    );
  } else if (workspace === 'analyst' && analytics) {
    overview = (
      <AnalystPanel
        geography={data}
        catalogue={catalogueData}
        names={names}
        client={analytics}
        area={focusArea}
        categories={view.categories}
        from={view.from}
        to={view.to}
        figures={analystFigures}
        level={analystLevel}
        exportQuery={{ within: focusArea, categories: view.categories, from: view.from, to: view.to }}
        onArea={goToArea}
        onSelectGrid={goToGrid}
        onCategories={(categories) => changeView({ categories })}
        onWindow={(from, to) => changeView({ from, to })}
        onRetry={retryAnalytics}
      />
    );
  } else if (workspace === 'staffing') {
    overview = (
      <StaffingPanel
        geography={data}
        area={focusArea}
        department={view.department}
        staffing={staffing}
        selectedPersonId={person?.id}
        onArea={goToArea}
        onDepartment={(department) => {
          setPerson(undefined);
          changeView({ department });
        }}
        onSelectGrid={goToGrid}
        onSelectPerson={setPerson}
        onRetry={retryAnalytics}
      />
    );
  }

  return (
    <div className="app" data-mode="command" data-workspace={workspace ?? 'none'}>
      <header className="app-header">
        <h1 className="app-header__title">{strings.appTitle}</h1>
        <span className="app-header__subtitle">{strings.appSubtitle}</span>
        {workspace && <WorkspaceTabs workspace={workspace} available={workspaces} onWorkspace={(w) => changeView({ workspace: w })} />}
        {data && (
          <span className="app-header__summary" data-testid="district-summary">
            {strings.districtSummary(data.streets.features.length, data.communities.features.length, data.gridCount)}
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
            cases={workspace === 'supervisor' ? live?.store : undefined}
            selectedCaseId={selectedCase?.id}
            areaFill={areaFill}
            deckLayers={deckLayers}
            onViewChange={onViewChange}
            initialCamera={initialCamera}
            focusAreaCode={focusCode}
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
          {live && workspace === 'supervisor' && <CaseLegend palette={LIGHT_PALETTE} className="map-overlay map-overlay--legend" />}
          {areaFill && (
            <AreaFillLegend
              fill={areaFill}
              title={workspace === 'staffing' ? strings.staffingFillTitle(areaFill.level === 'grid', view.department !== undefined) : strings.liveFillTitle(strings.fillName(view.fill), strings.areaLevelName(areaFill.level))}
              className="map-overlay map-overlay--fill-legend"
            />
          )}
          {workspace === 'analyst' && hexBins.cellMeters !== undefined && <HexLegend cellMeters={hexBins.cellMeters} maxCount={hexBins.maxCount} className="map-overlay map-overlay--legend" />}
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
        <SidePanel
          selection={selection}
          geography={data}
          onSelectGrid={goToGrid}
          onClose={clearSelection}
          casePanel={casePanel}
          onCloseCase={() => openCase(undefined)}
          overview={overview}
          gridHeader={gridCode && actor ? <AreaBreadcrumbs geography={data} area={undefined} gridCode={gridCode} onArea={goToArea} /> : undefined}
          gridDetail={gridCode && actor ? <GridCases gridCode={gridCode} live={live} names={names} analytics={workspaces.includes('analyst') ? analytics : undefined} selectedCaseId={selectedCase?.id} onOpenCase={pickCase} /> : undefined}
        />
      </main>
      {needsSignIn && (
        <div className="modal" role="dialog" aria-modal="true" aria-labelledby="sign-in-title">
          <SignInForm onSignIn={signIn} notice={session.status === 'signed-out' && session.ended ? strings.sessionEnded : undefined} onCancel={() => setSigningIn(false)} />
        </div>
      )}
    </div>
  );
}
