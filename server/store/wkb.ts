import type { MultiPolygonRings, PolygonRings } from '../../core/geo/lng-lat.ts';

const WKB_POLYGON = 3;
const WKB_MULTIPOLYGON = 6;

/**
 * Geometry crosses the driver boundary as WKB in both directions, never as GeoJSON text: text would
 * round coordinates (ST_AsGeoJSON defaults to 9 decimals), and the in-process router must see the
 * very doubles PostGIS stores to agree with it on every point.
 */
export function encodeMultiPolygonWkb(rings: MultiPolygonRings): Uint8Array {
  let size = 1 + 4 + 4;
  for (const polygon of rings) {
    size += 1 + 4 + 4;
    for (const ring of polygon) size += 4 + ring.length * 16;
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let o = 0;
  const header = (type: number, count: number): void => {
    view.setUint8(o, 1);
    view.setUint32(o + 1, type, true);
    view.setUint32(o + 5, count, true);
    o += 9;
  };
  header(WKB_MULTIPOLYGON, rings.length);
  for (const polygon of rings) {
    header(WKB_POLYGON, polygon.length);
    for (const ring of polygon) {
      view.setUint32(o, ring.length, true);
      o += 4;
      for (const [x, y] of ring) {
        view.setFloat64(o, x, true);
        view.setFloat64(o + 8, y, true);
        o += 16;
      }
    }
  }
  return bytes;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decodes WKB Polygon or MultiPolygon (either byte order, 2D) as produced by ST_AsBinary. */
export function decodeMultiPolygonWkb(bytes: Uint8Array): MultiPolygonRings {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const header = (): { type: number; little: boolean } => {
    const little = view.getUint8(o) === 1;
    const type = view.getUint32(o + 1, little);
    o += 5;
    return { type, little };
  };
  const readPolygon = (little: boolean): PolygonRings => {
    const ringCount = view.getUint32(o, little);
    o += 4;
    const polygon = [];
    for (let r = 0; r < ringCount; r++) {
      const n = view.getUint32(o, little);
      o += 4;
      const ring: [number, number][] = new Array(n);
      for (let i = 0; i < n; i++) {
        ring[i] = [view.getFloat64(o, little), view.getFloat64(o + 8, little)];
        o += 16;
      }
      polygon.push(ring);
    }
    return polygon;
  };
  const top = header();
  if (top.type === WKB_POLYGON) return [readPolygon(top.little)];
  if (top.type !== WKB_MULTIPOLYGON) throw new Error(`expected WKB (Multi)Polygon, got type ${top.type}`);
  const count = view.getUint32(o, top.little);
  o += 4;
  const result: PolygonRings[] = [];
  for (let p = 0; p < count; p++) {
    const part = header();
    if (part.type !== WKB_POLYGON) throw new Error(`expected WKB Polygon inside MultiPolygon, got type ${part.type}`);
    result.push(readPolygon(part.little));
  }
  return result;
}

const POINT_4326_EWKB_PREFIX = '0101000020e6100000';
const pointBytes = Buffer.alloc(16);

/** A point as hex EWKB with SRID 4326: what PostGIS reads fastest from COPY text (exact doubles, no WKT parse). */
export function pointEwkbHex(lng: number, lat: number): string {
  pointBytes.writeDoubleLE(lng, 0);
  pointBytes.writeDoubleLE(lat, 8);
  return POINT_4326_EWKB_PREFIX + pointBytes.toString('hex');
}
