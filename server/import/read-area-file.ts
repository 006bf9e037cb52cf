import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { unzipSync } from 'fflate';
import * as shapefile from 'shapefile';

export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export type ReadAreaFile = { readonly ok: true; readonly collection: unknown } | { readonly ok: false; readonly message: string };

/**
 * A .prj's WKT says which CRS a shapefile is in. Only geographic WGS-84 (or CGCS2000, within a few
 * centimetres of it) is taken as is; a projected CRS or another datum (Beijing 1954, Xian 1980, whose
 * offsets reach ~100 m) is refused with a hint to reproject, never silently misplaced.
 */
export function checkPrj(wkt: string): string | undefined {
  const text = wkt.trim();
  const name = (keyword: RegExp): string | undefined => keyword.exec(text)?.[1];
  if (/^PROJ(CS|CRS)\[/i.test(text)) {
    return `is in ${name(/^PROJ(?:CS|CRS)\["([^"]+)"/i) ?? 'a projected CRS'}, a projected CRS; reproject it to WGS-84 longitude/latitude (EPSG:4326) first, e.g. ogr2ogr -t_srs EPSG:4326`;
  }
  if (!/^GEOG(CS|CRS)\[/i.test(text)) return 'has a .prj that is not a CRS definition';
  // Judge the datum by its name only: a TOWGS84[…] clause names WGS 84 in every datum that has one.
  const datum = name(/DATUM\["([^"]+)"/i) ?? name(/^GEOG(?:CS|CRS)\["([^"]+)"/i) ?? '';
  if (/^(D_)?WGS[ _]?(19)?84$|^(D_)?(CGCS[ _]?2000|China[ _]2000|China[ _]Geodetic[ _]Coordinate[ _]System[ _]2000)$/i.test(datum)) return undefined;
  const crsName = name(/^GEOG(?:CS|CRS)\["([^"]+)"/i) ?? datum;
  return `is in ${crsName || 'an unknown datum'}, not WGS-84; convert it to WGS-84 (EPSG:4326) first`;
}

/** A .cpg names the dbf's code page in the forms ArcGIS and QGIS write; undefined when unknown. */
export function dbfEncoding(cpg: string | undefined): string | undefined {
  const raw = (cpg ?? '').trim().toLowerCase();
  if (raw === '') return 'utf-8';
  const name = raw === '936' || raw === 'cp936' ? 'gbk' : raw === 'utf8' ? 'utf-8' : /^(ansi |cp)?(12\d\d)$/.test(raw) ? `windows-${raw.replace(/\D/g, '')}` : raw;
  try {
    return new TextDecoder(name).encoding;
  } catch {
    return undefined;
  }
}

/** A standalone copy: Node pools small file reads into one shared buffer, so `.buffer` alone is not the file. */
function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function readShapefile(name: string, shp: Uint8Array, dbf: Uint8Array | undefined, prj: string | undefined, cpg: string | undefined): Promise<ReadAreaFile> {
  if (!dbf) return { ok: false, message: `${name}: the .dbf with the attributes (code, name) is missing` };
  if (prj !== undefined) {
    const problem = checkPrj(prj);
    if (problem) return { ok: false, message: `${name} ${problem}` };
  }
  // Chinese shapefiles are often GBK; a .cpg says so. Without one, UTF-8.
  const encoding = dbfEncoding(cpg);
  if (!encoding) return { ok: false, message: `${name}: the .cpg names an unknown encoding "${cpg?.trim()}"` };
  try {
    const collection = await shapefile.read(ownArrayBuffer(shp), ownArrayBuffer(dbf), { encoding });
    return { ok: true, collection };
  } catch (error) {
    return { ok: false, message: `${name} is not a readable shapefile: ${(error as Error).message}` };
  }
}

/** Reads one level's file: GeoJSON (.geojson/.json), a shapefile (.shp beside .dbf/.prj/.cpg) or a .zip holding one. */
export async function readAreaFile(path: string, maxBytes = MAX_IMPORT_BYTES): Promise<ReadAreaFile> {
  const name = basename(path);
  if (!existsSync(path)) return { ok: false, message: `${path} does not exist` };
  const size = statSync(path).size;
  if (size > maxBytes) return { ok: false, message: `${name} is ${(size / 1e6).toFixed(0)} MB; the limit is ${(maxBytes / 1e6).toFixed(0)} MB` };
  if (size === 0) return { ok: false, message: `${name} is empty` };
  const ext = extname(path).toLowerCase();
  if (ext === '.geojson' || ext === '.json') {
    try {
      return { ok: true, collection: JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) };
    } catch (error) {
      return { ok: false, message: `${name} is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (ext === '.shp') {
    const sidecar = (e: string): string | undefined => {
      const p = path.slice(0, -4) + e;
      return existsSync(p) ? p : existsSync(path.slice(0, -4) + e.toUpperCase()) ? path.slice(0, -4) + e.toUpperCase() : undefined;
    };
    const dbf = sidecar('.dbf');
    const prj = sidecar('.prj');
    const cpg = sidecar('.cpg');
    return readShapefile(name, readFileSync(path), dbf ? readFileSync(dbf) : undefined, prj ? readFileSync(prj, 'utf8') : undefined, cpg ? readFileSync(cpg, 'utf8') : undefined);
  }
  if (ext === '.zip') {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(readFileSync(path));
    } catch (error) {
      return { ok: false, message: `${name} is not a readable zip: ${(error as Error).message}` };
    }
    const shps = Object.keys(entries).filter((e) => e.toLowerCase().endsWith('.shp') && !e.startsWith('__MACOSX'));
    if (shps.length !== 1) return { ok: false, message: `${name} must hold exactly one .shp, found ${shps.length}` };
    const stem = shps[0]!.slice(0, -4);
    const find = (e: string): Uint8Array | undefined => entries[Object.keys(entries).find((k) => k.toLowerCase() === (stem + e).toLowerCase()) ?? ''];
    const text = (bytes: Uint8Array | undefined): string | undefined => (bytes ? new TextDecoder().decode(bytes) : undefined);
    return readShapefile(name, entries[shps[0]!]!, find('.dbf'), text(find('.prj')), text(find('.cpg')));
  }
  return { ok: false, message: `${name}: unsupported file type "${ext}"; use GeoJSON (.geojson), a shapefile (.shp) or a zipped shapefile (.zip)` };
}
