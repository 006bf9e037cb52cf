import type { Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { LanguageSwitch, useStrings } from '../app/i18n.tsx';
import { urlForMode } from '../app/app-mode.ts';
import type { ApiClient } from '../http/api-client.ts';
import { DARK_PALETTE } from '../live/case-style.ts';
import { useLiveSession } from '../live/use-live.ts';
import { watchAreaOf } from '../live/watch-area.ts';
import { CaseLegend } from '../map/case-legend.tsx';
import { areaBBox } from '../map/map-data.ts';
import { MapView } from '../map/map-view.tsx';
import { useCaseNames } from '../panels/case-facts.tsx';
import { ConnectionBadge, useConnectionDisplay } from '../panels/connection-badge.tsx';
import { KpiTiles } from '../panels/kpi-tiles.tsx';
import { LoadStatus } from '../panels/load-status.tsx';
import type { SessionControls } from '../session/use-session.ts';
import { SignInForm } from '../session/sign-in-form.tsx';
import { useCatalogue } from '../state/use-catalogue.ts';
import { useGeography } from '../state/use-geography.ts';
import { useEscalationFocus } from './use-escalation-focus.ts';
import { WallClock } from './wall-clock.tsx';
import { WallTicker } from './wall-ticker.tsx';

const WALL_FIT_PADDING = 48;
const noop = (): void => {};

/**
 * The wall display (/?mode=wall): full screen, dark, legible from across the room. The area's live
 * cases on the map, the KPI tiles, a ticker of new and escalated cases, a clock, and the connection
 * state in large type; the map flies to each new escalation and back. It signs in once (the session
 * cookie outlives restarts of the browser and the server) and recovers from outages by itself.
 */
export function WallApp({ api, session: { session, signIn, recheck } }: { readonly api: ApiClient; readonly session: SessionControls }) {
  const strings = useStrings();
  const { geography, retry } = useGeography(api);
  const [catalogueAttempt, setCatalogueAttempt] = useState(0);
  const catalogue = useCatalogue(api, catalogueAttempt);
  const data = geography.status === 'ready' ? geography.data : undefined;
  const actor = session.status === 'signed-in' ? session.actor : undefined;
  const area = actor && data?.districtCode ? watchAreaOf(actor, data.districtCode) : undefined;
  const { live, connection } = useLiveSession(area, DARK_PALETTE, recheck);
  const names = useCaseNames(catalogue.status === 'ready' ? catalogue.data : undefined, data);
  const [map, setMap] = useState<MapLibreMap>();
  const home = useMemo(() => (data && area ? areaBBox(data, area) : undefined), [data, area]);
  const focus = useEscalationFocus(live, map, home, WALL_FIT_PADDING);
  const shown = useConnectionDisplay(area ? connection : undefined);
  const areaName =
    area === undefined || !data
      ? undefined
      : area === data.districtCode
        ? (data.district.features[0]?.properties.name ?? area)
        : area.length === 9
          ? names.street(area)
          : area.length === 12
            ? (data.communityNames.get(area) ?? area)
            : names.grid(area);
  const commandUrl = useMemo(() => urlForMode(window.location.href, 'command'), []);

  // The wall frames its own area (a street dispatcher's street, say), not always the district.
  useEffect(() => {
    if (map && home) map.fitBounds([...home], { padding: WALL_FIT_PADDING, animate: false });
  }, [map, home]);

  // A wall runs unattended: retry the geography and the catalogue until they load.
  useEffect(() => {
    if (geography.status !== 'failed' && catalogue.status !== 'failed') return;
    const timer = setTimeout(() => {
      if (geography.status === 'failed') retry();
      if (catalogue.status === 'failed') setCatalogueAttempt((n) => n + 1);
    }, 10_000);
    return () => clearTimeout(timer);
  }, [geography.status, catalogue.status, retry]);

  const fullScreen = useCallback(() => {
    void document.documentElement.requestFullscreen?.().catch(() => {});
  }, []);

  return (
    <div className="wall" data-mode="wall" data-testid="wall">
      <header className="wall-header">
        <div className="wall-header__title">
          <h1>{strings.wallTitle}</h1>
          {areaName && (
            <span className="wall-header__area" data-testid="wall-area">
              {strings.wallArea(areaName)}
            </span>
          )}
        </div>
        <WallClock />
        <div className="wall-header__tools">
          {area && <ConnectionBadge state={connection} className="connection--wall" />}
          <LanguageSwitch className="wall-button" />
          <button type="button" className="wall-button" onClick={fullScreen}>
            {strings.fullScreen}
          </button>
          <a className="wall-button" href={commandUrl}>
            {strings.commandMode}
          </a>
        </div>
      </header>
      <main className="wall-main">
        <div className="wall-map" data-stale={shown && shown.display !== 'live' && shown.display !== 'connecting' ? 'true' : 'false'}>
          <MapView geography={data} selectedGridCode={undefined} pickedPoint={undefined} onPick={noop} theme="dark" interactive={false} cases={live?.store} onMap={setMap} fitPadding={WALL_FIT_PADDING} />
          <LoadStatus geography={geography} onRetry={retry} />
          {live && <CaseLegend palette={DARK_PALETTE} className="wall-legend" />}
          {focus && (
            <div className="wall-focus" data-testid="wall-focus" data-case-number={focus.number}>
              {strings.focusing(focus.number)}
            </div>
          )}
          {shown && shown.display !== 'live' && (
            <div className={`wall-outage wall-outage--${shown.display}`} data-testid="wall-outage" data-state={shown.display} role="alert">
              {shown.text}
            </div>
          )}
          {actor && data && !area && <p className="wall-outage">{strings.liveNotForRole}</p>}
        </div>
        <aside className="wall-side">
          <KpiTiles live={live} variant="wall" />
          <WallTicker live={live} names={names} />
        </aside>
      </main>
      {session.status === 'signed-out' && (
        <div className="wall-sign-in">
          <SignInForm onSignIn={signIn} notice={session.ended ? strings.sessionEnded : undefined} variant="wall" />
        </div>
      )}
    </div>
  );
}
