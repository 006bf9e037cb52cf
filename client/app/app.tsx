import { createApiClient } from '../http/api-client.ts';
import { MapView } from '../map/map-view.tsx';
import { LoadStatus } from '../panels/load-status.tsx';
import { SidePanel } from '../panels/side-panel.tsx';
import { pickedPointOf, selectedGridCodeOf } from '../state/selection.ts';
import { useGeography } from '../state/use-geography.ts';
import { useSelection } from '../state/use-selection.ts';
import { strings } from './strings.ts';

const api = createApiClient();

/** The page: a header, the district map, and the panel for what is selected on it. */
export function App() {
  const { geography, retry } = useGeography(api);
  const { selection, pickPoint, selectGrid, clearSelection, reloadSelection } = useSelection(api);
  const retryAll = (): void => {
    retry();
    reloadSelection();
  };
  const data = geography.status === 'ready' ? geography.data : undefined;

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-header__title">{strings.appTitle}</h1>
        <span className="app-header__subtitle">{strings.appSubtitle}</span>
        {data && (
          <span className="app-header__summary" data-testid="district-summary">
            {strings.districtSummary(data.streets.features.length, data.communities.features.length, data.grids.features.length)}
          </span>
        )}
      </header>
      <main className="app-main">
        <div className="app-map">
          <MapView geography={data} selectedGridCode={selectedGridCodeOf(selection)} pickedPoint={pickedPointOf(selection)} onPick={pickPoint} />
          <LoadStatus geography={geography} onRetry={retryAll} />
        </div>
        <SidePanel selection={selection} geography={data} onSelectGrid={selectGrid} onClose={clearSelection} />
      </main>
    </div>
  );
}
