import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { GridPersonnel, NearestGrid, RoutedAnswer } from '../../core/protocol/http-api.ts';
import type { Loadable } from './loadable.ts';

/**
 * What the user is looking at. A click routes a point ('routing'), which lands in a grid ('grid')
 * or outside every grid ('outside'); a URL or a link selects a grid directly.
 */
export type Selection =
  | { readonly kind: 'none' }
  | { readonly kind: 'routing'; readonly point: LngLat }
  | {
      readonly kind: 'grid';
      readonly gridCode: string;
      /** The clicked point and its route, when the grid was picked on the map. */
      readonly point?: LngLat;
      readonly route?: RoutedAnswer;
      readonly personnel: Loadable<GridPersonnel>;
    }
  | { readonly kind: 'outside'; readonly point: LngLat; readonly nearest?: NearestGrid }
  | { readonly kind: 'failed'; readonly point?: LngLat; readonly error: Error };

export const NO_SELECTION: Selection = { kind: 'none' };

export function selectedGridCodeOf(selection: Selection): string | undefined {
  return selection.kind === 'grid' ? selection.gridCode : undefined;
}

export function pickedPointOf(selection: Selection): LngLat | undefined {
  return selection.kind === 'none' ? undefined : selection.point;
}
