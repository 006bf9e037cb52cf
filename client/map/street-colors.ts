import type { MultiPolygon } from 'geojson';

/**
 * A tint index for each area such that areas sharing a boundary differ where `colorCount` allows:
 * greedy colouring, most-connected first (Welsh–Powell). Two areas are neighbours when they share a
 * vertex, which holds for the reference geography, whose levels tile without gaps.
 */
export function assignColorIndexes(geometries: readonly MultiPolygon[], colorCount: number): number[] {
  const byVertex = new Map<string, Set<number>>();
  geometries.forEach((geometry, index) => {
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) {
        for (const [lng, lat] of ring) {
          const key = `${lng!.toFixed(6)},${lat!.toFixed(6)}`;
          let owners = byVertex.get(key);
          if (!owners) byVertex.set(key, (owners = new Set()));
          owners.add(index);
        }
      }
    }
  });
  const neighbours = geometries.map(() => new Set<number>());
  for (const owners of byVertex.values()) {
    if (owners.size < 2) continue;
    for (const a of owners) for (const b of owners) if (a !== b) neighbours[a]!.add(b);
  }
  const order = geometries.map((_, index) => index).sort((a, b) => neighbours[b]!.size - neighbours[a]!.size || a - b);
  const colors = new Array<number>(geometries.length).fill(-1);
  for (const index of order) {
    const taken = new Set([...neighbours[index]!].map((n) => colors[n]));
    let color = 0;
    while (color < colorCount && taken.has(color)) color += 1;
    colors[index] = color < colorCount ? color : index % colorCount;
  }
  return colors;
}
