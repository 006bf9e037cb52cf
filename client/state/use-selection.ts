import { useCallback, useEffect, useRef, useState } from 'react';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import { isAreaCode } from '../../core/geography/area-code.ts';
import type { ApiClient } from '../http/api-client.ts';
import { ApiError, isAbortError } from '../http/api-error.ts';
import type { RoutedAnswer } from '../../core/protocol/http-api.ts';
import { NO_SELECTION, type Selection } from './selection.ts';
import { gridCodeFromUrl, urlWithGridCode } from './selection-url.ts';

export interface SelectionControls {
  readonly selection: Selection;
  /** Routes a clicked point and selects its grid (or reports the nearest one). */
  readonly pickPoint: (point: LngLat) => void;
  /** Selects a grid by code, e.g. from a link. */
  readonly selectGrid: (gridCode: string) => void;
  readonly clearSelection: () => void;
  /** Opens the URL's grid again, e.g. after the server came back. */
  readonly reloadSelection: () => void;
}

type HistoryMode = 'push' | 'none';

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The selection, kept in step with the URL: a pick pushes a history entry (Back returns to the
 * previous grid), a reload or a shared link reopens the grid, and every new pick cancels the
 * requests of the one before.
 */
export function useSelection(api: ApiClient): SelectionControls {
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const inFlight = useRef<AbortController | null>(null);

  const startRequest = useCallback((): AbortSignal => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    return controller.signal;
  }, []);

  const writeUrl = useCallback((gridCode: string | undefined, mode: HistoryMode) => {
    if (mode === 'none') return;
    const next = urlWithGridCode(window.location.href, gridCode);
    if (next !== window.location.href) window.history.pushState(null, '', next);
  }, []);

  const openGrid = useCallback(
    (gridCode: string, mode: HistoryMode, routed?: { point: LngLat; route: RoutedAnswer }, signal: AbortSignal = startRequest()) => {
      writeUrl(gridCode, mode);
      if (!isAreaCode('grid', gridCode)) {
        setSelection({ kind: 'grid', gridCode, personnel: { status: 'failed', error: new ApiError('http', `not a grid code: ${gridCode}`, 400, 'bad_request') } });
        return;
      }
      setSelection({ kind: 'grid', gridCode, ...(routed ?? {}), personnel: { status: 'loading' } });
      api.personnel(gridCode, signal).then(
        (data) => setSelection((s) => (s.kind === 'grid' && s.gridCode === gridCode ? { ...s, personnel: { status: 'ready', data } } : s)),
        (error: unknown) => {
          if (isAbortError(error) || signal.aborted) return;
          setSelection((s) => (s.kind === 'grid' && s.gridCode === gridCode ? { ...s, personnel: { status: 'failed', error: toError(error) } } : s));
        },
      );
    },
    [api, startRequest, writeUrl],
  );

  const pickPoint = useCallback(
    (point: LngLat) => {
      const signal = startRequest();
      setSelection({ kind: 'routing', point });
      api.route(point, signal).then(
        (answer) => {
          if (signal.aborted) return;
          if (answer.routed) {
            openGrid(answer.grid.code, 'push', { point, route: answer }, signal);
          } else {
            writeUrl(undefined, 'push');
            setSelection({ kind: 'outside', point, ...(answer.nearest ? { nearest: answer.nearest } : {}) });
          }
        },
        (error: unknown) => {
          if (isAbortError(error) || signal.aborted) return;
          setSelection({ kind: 'failed', point, error: toError(error) });
        },
      );
    },
    [api, openGrid, startRequest, writeUrl],
  );

  const selectGrid = useCallback((gridCode: string) => openGrid(gridCode, 'push'), [openGrid]);

  const clearSelection = useCallback(() => {
    inFlight.current?.abort();
    writeUrl(undefined, 'push');
    setSelection(NO_SELECTION);
  }, [writeUrl]);

  const reloadSelection = useCallback(() => {
    const gridCode = gridCodeFromUrl(window.location.href);
    if (gridCode !== undefined) {
      openGrid(gridCode, 'none');
    } else {
      inFlight.current?.abort();
      setSelection(NO_SELECTION);
    }
  }, [openGrid]);

  // The URL is the source of truth on load and on Back/Forward.
  useEffect(() => {
    reloadSelection();
    window.addEventListener('popstate', reloadSelection);
    return () => {
      window.removeEventListener('popstate', reloadSelection);
      inFlight.current?.abort();
    };
  }, [reloadSelection]);

  return { selection, pickPoint, selectGrid, clearSelection, reloadSelection };
}
