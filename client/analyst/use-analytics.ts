import type { Layer } from '@deck.gl/core';
import { useEffect, useMemo, useState } from 'react';
import type { AreaFiguresAnswer, DepartmentFiguresAnswer, HotspotMeasure, HotspotsAnswer } from '../../core/protocol/analytics-api.ts';
import { HOTSPOT_MEASURES } from '../../core/protocol/analytics-api.ts';
import type { AnalyticsClient, AnalyticsQuery, Bbox } from '../http/analytics-client.ts';
import { isAbortError, toError } from '../http/api-error.ts';
import type { Loadable } from '../state/loadable.ts';
import { hexCellMeters } from './analyst-window.ts';

export interface AnalystFigures {
  readonly areas: Loadable<AreaFiguresAnswer>;
  readonly departments: Loadable<DepartmentFiguresAnswer>;
  readonly hotspots: Loadable<Readonly<Record<HotspotMeasure, HotspotsAnswer>>>;
}

const HOTSPOT_ROWS = 10;

function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | undefined, key: string): Loadable<T> {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  useEffect(() => {
    if (!load) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (data) => setState({ status: 'ready', data }),
      (error: unknown) => {
        if (!isAbortError(error) && !controller.signal.aborted) setState({ status: 'failed', error: toError(error) });
      },
    );
    return () => controller.abort();
    // `key` stands for everything `load` closes over.
  }, [key]);
  return state;
}

/** The analyst's tables and hotspots for a filter; reloaded when the filter changes (and on `attempt`). */
export function useAnalystFigures(client: AnalyticsClient | undefined, level: 'street' | 'community' | 'grid', query: AnalyticsQuery, attempt: number): AnalystFigures {
  const key = JSON.stringify([level, query.within, query.categories, query.from, query.to, attempt, client !== undefined]);
  const areas = useLoad(client && ((signal) => client.areas(level, query, signal)), key);
  const departments = useLoad(client && ((signal) => client.departments(query, signal)), key);
  const hotspots = useLoad(
    client &&
      (async (signal) => {
        const answers = await Promise.all(HOTSPOT_MEASURES.map((by) => client.hotspots(by, HOTSPOT_ROWS, query, signal)));
        return Object.fromEntries(answers.map((answer) => [answer.by, answer])) as Record<HotspotMeasure, HotspotsAnswer>;
      }),
    key,
  );
  return { areas, departments, hotspots };
}

/** Waits this long after the camera stops before asking for the bins of the new viewport. */
const BINS_DEBOUNCE_MS = 250;

/**
 * The hexbin layer for the viewport: asked again when the camera settles somewhere new or the
 * filter changes, the earlier request cancelled. deck.gl's layer classes load with the map's
 * overlay (after sign-in), so the layer factory is imported on first use.
 */
export interface HexBinState {
  readonly layer: Layer | undefined;
  readonly cellMeters: number | undefined;
  /** The busiest bin's count (the top of the legend's scale). */
  readonly maxCount: number;
  readonly failed: Error | undefined;
}

export function useHexBinLayer(client: AnalyticsClient | undefined, camera: { bbox: Bbox; zoom: number; center: readonly [number, number] } | undefined, query: AnalyticsQuery): HexBinState {
  const [state, setState] = useState<HexBinState>({ layer: undefined, cellMeters: undefined, maxCount: 0, failed: undefined });
  const cell = camera ? hexCellMeters(camera.zoom, camera.center[1]) : undefined;
  const bboxKey = camera ? camera.bbox.map((n) => n.toFixed(4)).join(',') : '';
  const queryKey = JSON.stringify([query.within, query.categories, query.from, query.to]);
  const request = useMemo(() => (camera && cell ? { bbox: camera.bbox, cell } : undefined), [bboxKey, cell]);
  useEffect(() => {
    if (!client || !request) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      Promise.all([client.bins(request.bbox, request.cell, query, controller.signal), import('./hex-bin-layer.ts')]).then(
        ([answer, { hexBinLayer }]) => setState({ layer: hexBinLayer(answer), cellMeters: answer.cellMeters, maxCount: answer.maxCount, failed: undefined }),
        (error: unknown) => {
          if (!isAbortError(error) && !controller.signal.aborted) setState((s) => ({ ...s, failed: toError(error) }));
        },
      );
    }, BINS_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, request, queryKey]);
  return state;
}
