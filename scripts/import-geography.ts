/**
 * Replaces the stored geography with a city's own, after validating all of it:
 *   npm run import:geography -- --dir path/to/folder        # district.*, streets.*, communities.*, grids.*
 *   npm run import:geography -- --streets s.shp --communities c.zip --grids g.geojson [--district d.geojson]
 * Files: GeoJSON, shapefiles (.shp with .dbf/.prj[/.cpg]) or zipped shapefiles, in WGS-84.
 * Options: --code-field CODE --name-field NAME --kind-field TYPE --district-name 海淀区 --dry-run --json
 * Uses the same store as the server (DATABASE_URL, else the embedded store in DATA_DIR; stop a server
 * using the embedded store first). Exit code 0: imported (or valid, with --dry-run); 2: rejected.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../server/config.ts';
import { openConfiguredStore } from '../server/store/open-configured-store.ts';
import { importGeography, type GeographySources } from '../server/services/geography-import.service.ts';
import type { Store } from '../server/store/store.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    district: { type: 'string' },
    streets: { type: 'string' },
    communities: { type: 'string' },
    grids: { type: 'string' },
    'code-field': { type: 'string', default: 'code' },
    'name-field': { type: 'string', default: 'name' },
    'kind-field': { type: 'string' },
    'district-name': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const PLURAL: Record<string, string> = { street: 'streets/towns', community: 'communities', grid: 'grids' };

function findInDir(dir: string, stem: string): string | undefined {
  for (const ext of ['.geojson', '.json', '.zip', '.shp']) {
    const path = join(dir, stem + ext);
    if (existsSync(path)) return path;
  }
  return undefined;
}

function sources(): GeographySources {
  const dir = values.dir;
  const pick = (stem: string, explicit: string | undefined): string | undefined => explicit ?? (dir ? findInDir(dir, stem) : undefined);
  const streets = pick('streets', values.streets);
  const communities = pick('communities', values.communities);
  const grids = pick('grids', values.grids);
  const district = pick('district', values.district);
  const missing = [['streets', streets], ['communities', communities], ['grids', grids]].filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) {
    console.error(`missing ${missing.join(', ')}: give --dir with streets.*, communities.*, grids.* or each file with --streets/--communities/--grids`);
    process.exit(2);
  }
  return { streets: streets!, communities: communities!, grids: grids!, ...(district ? { district } : {}) };
}

async function main(): Promise<void> {
  const config = readConfig();
  const files = sources();
  let store: Store | undefined;
  if (!values['dry-run']) store = await openConfiguredStore(config);
  try {
    const report = await importGeography(store, files, {
      fields: { code: values['code-field'], name: values['name-field'] },
      ...(values['kind-field'] ? { kindField: values['kind-field'] } : {}),
      ...(values['district-name'] ? { districtName: values['district-name'] } : {}),
      dryRun: values['dry-run'],
    });
    if (values.json) {
      console.log(JSON.stringify(report));
    } else if (report.ok) {
      const levels = report.validation?.levels ?? {};
      for (const [level, s] of Object.entries(levels)) {
        console.log(`✓ ${s.count} ${PLURAL[level] ?? level}, ${(s.squareMeters / 1e6).toFixed(3)} km², overlaps ${s.overlapSquareMeters.toFixed(3)} m², gaps ${s.gapSquareMeters.toFixed(3)} m²`);
      }
      if (report.stored) {
        console.log(`✓ stored as geography version ${report.stored.version}; roster assignments kept ${report.stored.assignmentsKept}, dropped ${report.stored.assignmentsDropped}`);
      } else {
        console.log('✓ valid (dry run: nothing stored)');
      }
    } else {
      console.error(`✗ rejected: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; nothing was changed`);
      for (const p of report.problems.slice(0, 200)) console.error(`  - ${p.message}`);
      if (report.problems.length > 200) console.error(`  … and ${report.problems.length - 200} more`);
    }
    process.exitCode = report.ok ? 0 : 2;
  } finally {
    await store?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
