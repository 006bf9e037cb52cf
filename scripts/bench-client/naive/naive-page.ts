/**
 * The naive baseline of `npm run bench:client`: what a first version of the live map would do with
 * plain maplibre. Every grid of the district and every open case in ONE GeoJSON source (a fill and
 * a line layer for the grids, a circle layer for the cases, coloured by status), loaded whole at
 * start; live events from the same socket the product uses, and for each incoming case the whole
 * collection rebuilt and handed to `setData`. No tiles, no aggregation, no batching.
 *
 * The page opens at `?view=district` (the district framed, as the product does) or
 * `?lng=&lat=&zoom=` (a street view). It reports to the benchmark through `window.__naive`.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature, FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import { type GeoJSONSource, Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { io } from 'socket.io-client';
import type { Ack, EventBatchWire, WatchResultWire } from '../../../core/protocol/cases-api.ts';
import { eventBatchOf, LIVE_PROTOCOL, type LiveCase, watchResultOf } from '../../../core/protocol/live-wire.ts';

setWorkerUrl(workerUrl);

interface NaiveProbe {
  /** performance.now() when everything was first drawn (the first idle after the data was set). */
  ready?: number;
  grids: number;
  cases: number;
  /** Events applied (each one a setData of everything). */
  events: number;
  error?: string;
}

declare global {
  interface Window {
    __naive: NaiveProbe;
    __naiveMap?: MapLibreMap;
  }
}

const probe: NaiveProbe = { grids: 0, cases: 0, events: 0 };
window.__naive = probe;

const CLOSED = new Set(['closed', 'rejected', 'merged']);

function caseFeature(summary: LiveCase): Feature {
  const overdue = summary.overdueAcceptMs !== null || summary.overdueResolveMs !== null || (summary.resolveDueMs !== null && summary.resolveDueMs < Date.now());
  return {
    type: 'Feature',
    id: summary.id,
    properties: { number: summary.number, status: summary.status, severity: summary.severity, overdue, escalated: summary.escalatedMs !== null },
    geometry: { type: 'Point', coordinates: [summary.point[0], summary.point[1]] },
  };
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function bboxOf(geometry: MultiPolygon): [number, number, number, number] {
  let box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of geometry.coordinates) for (const ring of polygon) for (const [x, y] of ring) box = [Math.min(box[0], x!), Math.min(box[1], y!), Math.max(box[2], x!), Math.max(box[3], y!)];
  return box;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const map = new MapLibreMap({
    container: 'map',
    style: {
      version: 8,
      sources: { all: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#cfd6df' } },
        { id: 'grids-fill', type: 'fill', source: 'all', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'fill-color': '#f8f9fb', 'fill-opacity': 0.9 } },
        { id: 'grids-line', type: 'line', source: 'all', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#7d8a9c', 'line-width': 0.6 } },
        {
          id: 'cases',
          type: 'circle',
          source: 'all',
          filter: ['==', ['geometry-type'], 'Point'],
          paint: {
            'circle-radius': ['+', 3.5, ['get', 'severity']],
            'circle-color': ['case', ['get', 'overdue'], '#e03131', ['match', ['get', 'status'], 'queued', '#f59f00', 'dispatched', '#1c7ed6', 'handling', '#0ca678', 'feedback', '#7048e8', '#868e96']],
            'circle-stroke-color': ['case', ['get', 'escalated'], '#141414', '#ffffff'],
            'circle-stroke-width': ['case', ['get', 'escalated'], 3, 1],
          },
        },
      ],
    },
    center: [116.22, 40.03],
    zoom: 9.6,
    attributionControl: false,
  });
  window.__naiveMap = map;
  const loaded = new Promise<void>((resolve) => map.once('load', () => resolve()));

  const district = await getJson<FeatureCollection<MultiPolygon, { code: string }>>('/api/geo/district');
  const districtFeature = district.features[0]!;
  const area = districtFeature.properties.code;
  const grids = await getJson<FeatureCollection<Geometry>>('/api/geo/grids?limit=50000');
  probe.grids = grids.features.length;

  // Every open case of the district, from the same socket the product uses (cookie session).
  const cases = new Map<number, Feature>();
  const socket = io({ transports: ['websocket'], withCredentials: true });
  const snapshot = await new Promise<readonly LiveCase[]>((resolve, reject) => {
    socket.emit('area:watch', { area, protocol: LIVE_PROTOCOL }, (result: Ack<WatchResultWire>) => {
      const data = result.ok ? watchResultOf(result.data) : undefined;
      if (data?.kind === 'snapshot') resolve(data.cases);
      else reject(new Error(result.ok ? 'area:watch answered no snapshot' : result.error.message));
    });
  });
  for (const summary of snapshot) if (!CLOSED.has(summary.status)) cases.set(summary.id, caseFeature(summary));
  probe.cases = cases.size;

  await loaded;
  const source = map.getSource<GeoJSONSource>('all')!;
  const everything = (): FeatureCollection => ({ type: 'FeatureCollection', features: [...grids.features, ...cases.values()] });
  const view = params.get('view');
  if (view === 'district') map.fitBounds(bboxOf(districtFeature.geometry), { padding: 32, animate: false });
  else map.jumpTo({ center: [Number(params.get('lng')), Number(params.get('lat'))], zoom: Number(params.get('zoom')) });
  await source.setData(everything());
  map.once('idle', () => {
    probe.ready = performance.now();
  });

  // Live: each incoming case rebuilds the whole collection and sets it again.
  socket.on('case:events', (wire: EventBatchWire) => {
    for (const event of eventBatchOf(wire).events) {
      const summary = event.case;
      if (CLOSED.has(summary.status)) cases.delete(summary.id);
      else cases.set(summary.id, caseFeature(summary));
      probe.cases = cases.size;
      probe.events += 1;
      void source.setData(everything());
    }
  });
}

main().catch((error: unknown) => {
  probe.error = error instanceof Error ? error.message : String(error);
  console.error(error);
});
