import * as polyclip from 'polyclip-ts';
import type { MultiPolygonRings } from './lng-lat.ts';

type Geom = polyclip.Geom;

// Thin typed wrappers: polyclip-ts wants mutable arrays, the rest of the code keeps readonly ones.
export function intersect(a: MultiPolygonRings, b: MultiPolygonRings): MultiPolygonRings {
  return polyclip.intersection(a as unknown as Geom, b as unknown as Geom) as unknown as MultiPolygonRings;
}

export function unite(...parts: MultiPolygonRings[]): MultiPolygonRings {
  if (parts.length === 0) return [];
  const [first, ...rest] = parts as unknown as Geom[];
  return polyclip.union(first!, ...rest) as unknown as MultiPolygonRings;
}

export function xor(a: MultiPolygonRings, b: MultiPolygonRings): MultiPolygonRings {
  return polyclip.xor(a as unknown as Geom, b as unknown as Geom) as unknown as MultiPolygonRings;
}

export function subtract(a: MultiPolygonRings, b: MultiPolygonRings): MultiPolygonRings {
  return polyclip.difference(a as unknown as Geom, b as unknown as Geom) as unknown as MultiPolygonRings;
}
