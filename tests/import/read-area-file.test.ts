import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPrj, readAreaFile } from '../../server/import/read-area-file.ts';
import { buildHierarchy, codesOf } from '../fixtures/geography-builders.ts';
import { BEIJING_1954_PRJ, shapefileFiles, tempDirForTest, UTM_50N_PRJ, writeBytes, writeGeoJson, writeShapefile, writeShapefileZip, writeZip } from '../fixtures/geography-files.ts';

// Real files on disk, no store: what each format and sidecar does to what the importer sees.

const WGS84_GEOGCS = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';
const CGCS2000_GEOGCS = 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]';
const XIAN_1980_GEOGCS = 'GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** Enough grids that the loose .shp and .dbf are over 4 KB each (see the buffer-pool bug below). */
const OVER_4_KB = { gridsPerCommunity: [20, 20, 20, 20] };

/** A property of every feature read (null where a feature has no properties at all). */
function propertyOf(collection: unknown, property: 'code' | 'name'): unknown[] {
  return (collection as { features: { properties: Record<string, unknown> | null }[] }).features.map((f) => f.properties?.[property] ?? null);
}

function namesOf(collection: unknown): unknown[] {
  return propertyOf(collection, 'name');
}

describe('checkPrj', () => {
  it('accepts WGS-84 longitude/latitude', () => {
    expect(checkPrj(WGS84_GEOGCS)).toBeUndefined();
  });

  it('accepts CGCS2000, which is within centimetres of WGS-84', () => {
    expect(checkPrj(CGCS2000_GEOGCS)).toBeUndefined();
  });

  it('refuses a UTM zone as a projected CRS, naming it', () => {
    expect(checkPrj(UTM_50N_PRJ)).toBe(
      'is in WGS_1984_UTM_Zone_50N, a projected CRS; reproject it to WGS-84 longitude/latitude (EPSG:4326) first, e.g. ogr2ogr -t_srs EPSG:4326',
    );
  });

  it('refuses a WKT2 PROJCRS as a projected CRS', () => {
    expect(checkPrj('PROJCRS["CGCS2000 / 3-degree Gauss-Kruger CM 117E",BASEGEOGCRS["China Geodetic Coordinate System 2000"]]')).toMatch(/a projected CRS/);
  });

  it('refuses Xian 1980, another datum', () => {
    expect(checkPrj(XIAN_1980_GEOGCS)).toBe('is in GCS_Xian_1980, not WGS-84; convert it to WGS-84 (EPSG:4326) first');
  });

  it('refuses a .prj that is not a CRS definition', () => {
    expect(checkPrj('hello')).toBe('has a .prj that is not a CRS definition');
  });

  // A TOWGS84[…] clause names WGS 84 inside any datum that states its shift; only the datum's own
  // name may decide, or ~100 m-off coordinates would be imported as they are.
  it('refuses Beijing 1954 even when its datum carries a TOWGS84 clause', () => {
    expect(checkPrj(BEIJING_1954_PRJ)).toMatch(/not WGS-84/);
  });
});

describe('readAreaFile', () => {
  it('reads a GeoJSON file', async () => {
    const grids = buildHierarchy().grids;
    const file = await readAreaFile(writeGeoJson(tempDirForTest(), 'grids.geojson', grids));
    expect(file).toEqual({ ok: true, collection: grids });
  });

  it('reads a .json file as GeoJSON', async () => {
    const grids = buildHierarchy().grids;
    expect(await readAreaFile(writeGeoJson(tempDirForTest(), 'grids.json', grids))).toEqual({ ok: true, collection: grids });
  });

  it('reads a loose .shp with its .dbf beside it', async () => {
    const grids = buildHierarchy(OVER_4_KB).grids;
    const file = await readAreaFile(await writeShapefile(tempDirForTest(), 'grids', grids));
    expect(file.ok && propertyOf(file.collection, 'code')).toEqual(codesOf(grids));
  });

  // A file under 4 KB is read into a slice of Node's shared 8 KB buffer pool, so the bytes handed to
  // the shapefile reader must be copied out, not taken as `.buffer` (the whole pool). Reading the same
  // small file three times makes sure at least one read lands away from the pool's start.
  it('reads a loose .shp under 4 KB correctly on every read, wherever it lands in the buffer pool', async () => {
    const grids = buildHierarchy().grids;
    const shp = await writeShapefile(tempDirForTest(), 'grids', grids);
    for (let read = 0; read < 3; read++) {
      const file = await readAreaFile(shp);
      expect(file.ok && propertyOf(file.collection, 'code')).toEqual(codesOf(grids));
    }
  });

  it('finds a sidecar whose extension is upper case', async () => {
    const grids = buildHierarchy(OVER_4_KB).grids;
    const dir = tempDirForTest();
    const shp = await writeShapefile(dir, 'grids', grids);
    renameSync(join(dir, 'grids.dbf'), join(dir, 'grids.DBF'));
    const file = await readAreaFile(shp);
    expect(file.ok && namesOf(file.collection)).toEqual(namesOf(grids));
  });

  it('refuses a .shp without its .dbf', async () => {
    const dir = tempDirForTest();
    const shp = await writeShapefile(dir, 'grids', buildHierarchy().grids);
    renameSync(join(dir, 'grids.dbf'), join(dir, 'elsewhere.dbf'));
    expect(await readAreaFile(shp)).toEqual({ ok: false, message: 'grids.shp: the .dbf with the attributes (code, name) is missing' });
  });

  it('refuses a loose .shp whose .prj is a UTM zone', async () => {
    const file = await readAreaFile(await writeShapefile(tempDirForTest(), 'grids', buildHierarchy().grids, { prj: UTM_50N_PRJ }));
    expect(file.ok ? '' : file.message).toMatch(/^grids\.shp is in WGS_1984_UTM_Zone_50N, a projected CRS/);
  });

  it('reads a zipped shapefile', async () => {
    const grids = buildHierarchy().grids;
    const file = await readAreaFile(await writeShapefileZip(tempDirForTest(), 'grids.zip', grids));
    expect(file.ok && propertyOf(file.collection, 'code')).toEqual(codesOf(grids));
  });

  it('reads UTF-8 Chinese names from a .dbf with no .cpg', async () => {
    const grids = buildHierarchy().grids;
    const file = await readAreaFile(await writeShapefileZip(tempDirForTest(), 'grids.zip', grids, { encoding: 'utf-8' }));
    expect(file.ok && namesOf(file.collection)).toEqual(namesOf(grids));
  });

  it('reads GBK Chinese names when the .cpg says GBK', async () => {
    const grids = buildHierarchy().grids;
    const file = await readAreaFile(await writeShapefileZip(tempDirForTest(), 'grids.zip', grids, { encoding: 'gbk', cpg: 'GBK' }));
    expect(file.ok && namesOf(file.collection)).toEqual(namesOf(grids));
  });

  it('reads a .cpg of 936 as GBK', async () => {
    const grids = buildHierarchy().grids;
    const file = await readAreaFile(await writeShapefileZip(tempDirForTest(), 'grids.zip', grids, { encoding: 'gbk', cpg: '936\r\n' }));
    expect(file.ok && namesOf(file.collection)).toEqual(namesOf(grids));
  });

  it('garbles GBK names when no .cpg says so, since it then reads UTF-8', async () => {
    const grids = buildHierarchy().grids;
    const file = await readAreaFile(await writeShapefileZip(tempDirForTest(), 'grids.zip', grids, { encoding: 'gbk' }));
    expect(file.ok).toBe(true);
    expect(file.ok && namesOf(file.collection)[0]).not.toBe(namesOf(grids)[0]);
  });

  it('refuses a .cpg naming an encoding it does not know, saying so', async () => {
    const file = await readAreaFile(await writeShapefileZip(tempDirForTest(), 'grids.zip', buildHierarchy().grids, { cpg: 'KLINGON-8' }));
    expect(file.ok ? '' : file.message).toBe('grids.zip: the .cpg names an unknown encoding "KLINGON-8"');
  });

  it('reads a .cpg written the ArcGIS way, "ANSI 1252", as Windows-1252', async () => {
    const file = await readAreaFile(await writeShapefileZip(tempDirForTest(), 'grids.zip', buildHierarchy().grids, { cpg: 'ANSI 1252' }));
    expect(file.ok).toBe(true);
  });

  it('finds the shapefile in a folder inside the zip', async () => {
    const files = await shapefileFiles(buildHierarchy().grids, { layer: 'grids' });
    const nested = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`export/${name}`, bytes]));
    expect((await readAreaFile(writeZip(tempDirForTest(), 'grids.zip', nested))).ok).toBe(true);
  });

  it('ignores the __MACOSX copies of a zipped shapefile', async () => {
    const files = await shapefileFiles(buildHierarchy().grids, { layer: 'grids' });
    const withResourceForks = { ...files, '__MACOSX/._grids.shp': new Uint8Array([0, 5, 22, 7]) };
    expect((await readAreaFile(writeZip(tempDirForTest(), 'grids.zip', withResourceForks))).ok).toBe(true);
  });

  it('refuses a zip holding two shapefiles', async () => {
    const files = { ...(await shapefileFiles(buildHierarchy().grids, { layer: 'a' })), ...(await shapefileFiles(buildHierarchy().grids, { layer: 'b' })) };
    expect(await readAreaFile(writeZip(tempDirForTest(), 'grids.zip', files))).toEqual({ ok: false, message: 'grids.zip must hold exactly one .shp, found 2' });
  });

  it('refuses a .zip that is not a zip', async () => {
    const file = await readAreaFile(writeBytes(tempDirForTest(), 'grids.zip', 'not a zip at all'));
    expect(file.ok ? '' : file.message).toMatch(/^grids\.zip is not a readable zip: /);
  });

  it('refuses a zip whose .shp is junk', async () => {
    const junk = Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919) % 251);
    const file = await readAreaFile(writeZip(tempDirForTest(), 'grids.zip', { 'grids.shp': junk, 'grids.dbf': junk }));
    expect(file.ok ? '' : file.message).toMatch(/^grids\.zip is not a readable shapefile: /);
  });

  it('refuses a file larger than the limit', async () => {
    const path = writeGeoJson(tempDirForTest(), 'grids.geojson', buildHierarchy().grids);
    const file = await readAreaFile(path, 100);
    expect(file.ok ? '' : file.message).toMatch(/^grids\.geojson is \d+ MB; the limit is \d+ MB$/);
  });

  it('refuses a file type it does not read, naming the ones it does', async () => {
    const file = await readAreaFile(writeBytes(tempDirForTest(), 'grids.kml', '<kml/>'));
    expect(file).toEqual({ ok: false, message: 'grids.kml: unsupported file type ".kml"; use GeoJSON (.geojson), a shapefile (.shp) or a zipped shapefile (.zip)' });
  });
});
