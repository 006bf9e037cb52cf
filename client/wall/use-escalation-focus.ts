import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { BBox, LngLat } from '../../core/geo/lng-lat.ts';
import type { LiveSession } from '../live/use-live.ts';

/** How long the wall stays on an escalated case before flying back. */
export const FOCUS_MS = 9_000;
const FLY_MS = 2_200;
const FOCUS_ZOOM = 14.5;
/** At most this many escalations wait their turn; older ones are skipped (the ticker lists them all). */
const QUEUE_LIMIT = 4;
/** Escalations older than this when they reach the screen (a catch-up backlog) are not flown to. */
const FRESH_MS = 10 * 60_000;

interface Focus {
  readonly caseId: number;
  readonly number: string;
  readonly point: LngLat;
}

/**
 * The wall flies to each new escalation, holds there, and flies back to the area's frame. One
 * flight at a time, a short queue, and every timer cleared when the wall goes away.
 */
export function useEscalationFocus(live: LiveSession | undefined, map: MapLibreMap | undefined, home: BBox | undefined, padding: number): Focus | undefined {
  const [focus, setFocus] = useState<Focus>();
  const queue = useRef<Focus[]>([]);
  const homeRef = useRef(home);
  useEffect(() => {
    homeRef.current = home;
  });

  useEffect(() => {
    if (!live || !map) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: Focus | undefined;
    const goHome = (): void => {
      const box = homeRef.current;
      if (box) map.fitBounds([...box], { padding, duration: FLY_MS });
    };
    const next = (): void => {
      timer = undefined;
      current = queue.current.shift();
      setFocus(current);
      if (!current) {
        goHome();
        return;
      }
      map.flyTo({ center: [current.point[0], current.point[1]], zoom: FOCUS_ZOOM, duration: FLY_MS, essential: true });
      timer = setTimeout(next, FOCUS_MS);
    };
    const unsubscribe = live.onEvents((events) => {
      const now = Date.now();
      for (const event of events) {
        if (event.type !== 'escalated' || now - event.atMs > FRESH_MS) continue;
        if (queue.current.some((f) => f.caseId === event.case.id) || current?.caseId === event.case.id) continue;
        queue.current.push({ caseId: event.case.id, number: event.case.number, point: event.case.point });
        if (queue.current.length > QUEUE_LIMIT) queue.current.shift();
      }
      if (timer === undefined && queue.current.length > 0) next();
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      queue.current = [];
      setFocus(undefined);
    };
  }, [live, map, padding]);

  return focus;
}
