import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Feature, Geometry } from 'geojson';

/** GeoJSON with one feature per line: small diffs in git, still one JSON document. */
export function writeFeatureCollection(path: string, features: readonly Feature<Geometry, unknown>[], extra: Record<string, unknown> = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const head = JSON.stringify({ type: 'FeatureCollection', ...extra }).slice(0, -1);
  const body = features.map((f) => JSON.stringify(f)).join(',\n');
  writeFileSync(path, `${head},"features":[\n${body}\n]}\n`);
}
