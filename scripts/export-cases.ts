/**
 * npm run export:cases -- --format geojson|csv|fgb --out FILE [--area CODE] [--category CODE]
 *                          [--status open|closed|all] [--from TIME|DATE] [--to TIME|DATE]
 *
 * The same export as GET /api/cases/export, straight from the store (DATABASE_URL, else the
 * embedded store in DATA_DIR: stop a server using it first), streamed to FILE. No reporter data.
 * Exit status: 0 written; 2 a bad option; 1 failed. The last line is one JSON object.
 */
import { createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { readPolicyFiles } from '../server/reference/read-policy-files.ts';
import { EXPORT_FORMATS, exportCases, parseExportRequest, type ExportFormat } from '../server/services/case-export.service.ts';
import { openCliStore, seconds } from './interop/cli-store.ts';

const { values } = parseArgs({
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    area: { type: 'string' },
    category: { type: 'string' },
    status: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format) || !values.out) {
    console.error(`usage: npm run export:cases -- --format ${EXPORT_FORMATS.join('|')} --out FILE [--area CODE] [--category CODE] [--status open|closed|all] [--from …] [--to …]`);
    process.exit(2);
  }
  const { config, store } = await openCliStore();
  try {
    const { calendar } = readPolicyFiles(config);
    const names = new Set((await store.geography.names()).map((n) => n.code));
    const categories = new Set((await store.catalogue.catalogue()).categories.map((c) => c.code));
    const parsed = parseExportRequest(values, { isArea: (c) => names.has(c), isCategory: (c) => categories.has(c), utcOffsetMinutes: calendar.utcOffsetMinutes });
    if (!parsed.ok) {
      console.error(`✗ ${parsed.message}`);
      process.exitCode = 2;
      return;
    }
    const started = performance.now();
    // Written beside the target and renamed when complete: a failed export leaves no half file.
    const partial = `${values.out}.partial`;
    try {
      await pipeline(Readable.from(exportCases(store, parsed.filter, format)), createWriteStream(partial));
      renameSync(partial, values.out);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    const bytes = statSync(values.out).size;
    const took = (performance.now() - started) / 1000;
    console.log(`✓ ${values.out}: ${(bytes / 1e6).toFixed(1)} MB of ${format} in ${seconds(took)}`);
    console.log(JSON.stringify({ ok: true, file: values.out, format, filter: parsed.filter, bytes, seconds: took }));
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
