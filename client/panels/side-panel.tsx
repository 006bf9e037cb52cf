import type { ReactNode } from 'react';
import { useStrings } from '../app/i18n.tsx';
import type { GeographyData } from '../state/geography-data.ts';
import type { Selection } from '../state/selection.ts';
import { describeError } from './describe-error.ts';
import { GridPanel } from './grid-panel.tsx';

export interface SidePanelProps {
  readonly selection: Selection;
  readonly geography: GeographyData | undefined;
  readonly onSelectGrid: (gridCode: string) => void;
  readonly onClose: () => void;
  /** A selected case's panel: shown instead of the grid selection while there is one. */
  readonly casePanel?: ReactNode;
  readonly onCloseCase?: () => void;
  /** Shown when nothing is selected (the supervisor's drill-down, the analyst's or the staffing view) instead of the hint. */
  readonly overview?: ReactNode;
  /** Shown above a selected grid's panel (where the grid stands), and below it (its cases and figures). */
  readonly gridHeader?: ReactNode;
  readonly gridDetail?: ReactNode;
}

/** The panel beside the map: a hint, the routing state, the selected grid, or why there is none. */
export function SidePanel({ selection, geography, onSelectGrid, onClose, casePanel, onCloseCase, overview, gridHeader, gridDetail }: SidePanelProps) {
  const strings = useStrings();
  if (casePanel) {
    return (
      <aside className="side-panel side-panel--case" aria-label={strings.casePanelLabel}>
        <button type="button" className="side-panel__close" onClick={onCloseCase} aria-label={strings.clearSelection} title={strings.clearSelection} data-testid="close-case">
          ×
        </button>
        {casePanel}
      </aside>
    );
  }
  return (
    <aside className="side-panel" aria-label={strings.panelLabel} aria-live="polite">
      {selection.kind !== 'none' && (
        <button type="button" className="side-panel__close" onClick={onClose} aria-label={strings.clearSelection} title={strings.clearSelection}>
          ×
        </button>
      )}
      {selection.kind === 'none' && overview}
      {selection.kind === 'none' && !overview && (
        <div className="panel-hint" data-testid="panel-hint">
          <p className="panel-hint__title">{strings.hint}</p>
          <p>{strings.hintDetail}</p>
        </div>
      )}
      {selection.kind === 'routing' && (
        <p className="panel-note" data-testid="routing">
          {strings.routing}
        </p>
      )}
      {selection.kind === 'grid' && (
        <>
          {gridHeader}
          <GridPanel selection={selection} geography={geography} />
          {gridDetail}
        </>
      )}
      {selection.kind === 'outside' && (
        <div className="outside" data-testid="outside-message" data-nearest-grid-code={selection.nearest?.grid.code ?? ''} data-distance-meters={selection.nearest ? Math.round(selection.nearest.distanceMeters) : ''}>
          {selection.nearest ? (
            <>
              <p>{strings.outsideNearest(selection.nearest.grid.name, strings.meters(Math.round(selection.nearest.distanceMeters)))}</p>
              <button type="button" className="link-button" onClick={() => onSelectGrid(selection.nearest!.grid.code)}>
                {strings.openNearest}
              </button>
            </>
          ) : (
            <p>{strings.outsideNoNearest}</p>
          )}
        </div>
      )}
      {selection.kind === 'failed' && (
        <p className="panel-error" role="alert" data-testid="route-error">
          {describeError(selection.error, strings)}
        </p>
      )}
    </aside>
  );
}
