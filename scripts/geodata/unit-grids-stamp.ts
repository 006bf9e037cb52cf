import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

/** What the unit grids are made from: if any of it changes, a generated set is stale. */
export function unitGridsStamp(): string {
  const hash = createHash('sha256');
  for (const f of ['district', 'streets', 'communities']) hash.update(readFileSync(join(ROOT, 'geodata/haidian', `${f}.geojson`)));
  hash.update(readFileSync(join(ROOT, 'scripts/generate-unit-grids.ts')));
  for (const f of readdirSync(join(ROOT, 'scripts/geodata')).sort()) hash.update(f).update(readFileSync(join(ROOT, 'scripts/geodata', f)));
  for (const f of ['core/geo/overlay.ts', 'package-lock.json']) hash.update(readFileSync(join(ROOT, f)));
  return hash.digest('hex').slice(0, 16);
}

export function isUnitGridsCurrent(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'stamp.txt'), 'utf8').trim() === unitGridsStamp();
  } catch {
    return false;
  }
}
