// Builders for the simulator's unit tests: a small L-shaped district (12 square grids in 2 streets
// and 3 communities, with a notch so that its bounding box holds ground outside every grid) and
// the real catalogue from geodata/. Each call returns fresh data.
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import catalogueJson from '../../../geodata/categories.json';
import type { Catalogue, Category } from '../../../core/catalogue/catalogue.ts';
import type { GeographyInput } from '../../../scripts/simulator/geography.ts';
import { createSimGeography, type SimGeography } from '../../../scripts/simulator/geography.ts';

export const ORIGIN = [116.2, 39.95] as const;
/** Cell size in degrees (about 850 m east–west, 1.1 km north–south). */
export const STEP = 0.01;

function rect(west: number, south: number, east: number, north: number): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: [[[[west, south], [east, south], [east, north], [west, north], [west, south]]]] };
}

function feature<P>(geometry: MultiPolygon, properties: P): Feature<MultiPolygon, P> {
  return { type: 'Feature', geometry, properties };
}

function collection<P>(features: Feature<MultiPolygon, P>[]): FeatureCollection<MultiPolygon, P> {
  return { type: 'FeatureCollection', features };
}

/** Is the cell (col, row) of the 4×4 block part of the district? (the north-east 2×2 is not) */
export function inDistrict(col: number, row: number): boolean {
  return !(col >= 2 && row >= 2);
}

export function buildGeographyInput(): GeographyInput {
  const [x0, y0] = ORIGIN;
  const grids: Feature<MultiPolygon, { code: string; name: string; communityCode: string; streetCode: string }>[] = [];
  const communityOf = (col: number, row: number): string => (col < 2 ? (row < 2 ? '110108001001' : '110108001002') : '110108002001');
  const counters = new Map<string, number>();
  for (let col = 0; col < 4; col++) {
    for (let row = 0; row < 4; row++) {
      if (!inDistrict(col, row)) continue;
      const community = communityOf(col, row);
      const n = (counters.get(community) ?? 0) + 1;
      counters.set(community, n);
      const west = x0 + col * STEP;
      const south = y0 + row * STEP;
      grids.push(feature(rect(west, south, west + STEP, south + STEP), { code: `${community}${String(n).padStart(3, '0')}`, name: `网格${n}`, communityCode: community, streetCode: community.slice(0, 9) }));
    }
  }
  return {
    district: collection([feature(rect(x0, y0, x0 + 4 * STEP, y0 + 4 * STEP), { code: '110108', name: '测试区' })]),
    streets: collection([
      feature(rect(x0, y0, x0 + 2 * STEP, y0 + 4 * STEP), { code: '110108001', name: '东风街道' }),
      feature(rect(x0 + 2 * STEP, y0, x0 + 4 * STEP, y0 + 2 * STEP), { code: '110108002', name: '红旗地区' }),
    ]),
    communities: collection([
      feature(rect(x0, y0, x0 + 2 * STEP, y0 + 2 * STEP), { code: '110108001001', name: '福海路社区', streetCode: '110108001' }),
      feature(rect(x0, y0 + 2 * STEP, x0 + 2 * STEP, y0 + 4 * STEP), { code: '110108001002', name: '阳光新村社区', streetCode: '110108001' }),
      feature(rect(x0 + 2 * STEP, y0, x0 + 4 * STEP, y0 + 2 * STEP), { code: '110108002001', name: '玉泉村', streetCode: '110108002' }),
    ]),
    grids: collection(grids),
  };
}

export function buildSimGeography(): SimGeography {
  return createSimGeography(buildGeographyInput());
}

/** The reference catalogue (89 categories), as GET /api/categories serves it. */
export function buildCatalogue(): Catalogue {
  return structuredClone(catalogueJson) as unknown as Catalogue;
}

export function buildCategories(): Category[] {
  return [...buildCatalogue().categories];
}

/** A different, tiny catalogue: no storm or outage categories, one of each kind. */
export function buildTinyCategories(): Category[] {
  const base = { acceptMinutes: 30, resolveMinutes: 240, workingTime: false, department: 'street-office' } as const;
  return [
    { ...base, code: 'T01', zh: '暴露垃圾', en: 'Garbage', kind: 'event', class: 'event-01', workArea: 'city-operations', severity: 1 },
    { ...base, code: 'T02', zh: '井盖缺失', en: 'Manhole', kind: 'component', class: 'component-01', workArea: 'city-operations', severity: 3 },
    { ...base, code: 'T03', zh: '邻里纠纷', en: 'Dispute', kind: 'social', class: 'social-01', workArea: 'disputes', severity: 1 },
  ];
}
