import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalogue, Department } from '../../core/catalogue/catalogue.ts';
import { validateCatalogue } from '../../core/catalogue/validate-catalogue.ts';
import type { AreaLevel } from '../../core/geography/area-code.ts';
import { readAreaFeatures } from '../../core/geography/read-area-features.ts';
import type { RosterEntry } from '../../core/people/person.ts';
import { parseCsv } from '../import/parse-csv.ts';
import type { GeographySet } from '../store/store.ts';

/** The product's starting data, as committed under geodata/ (see geodata/README.md). */
export interface ReferenceData {
  readonly source: string;
  readonly geography: GeographySet;
  readonly departments: Department[];
  readonly catalogue: Catalogue;
  readonly roster: RosterEntry[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function readGeographyDirectory(dir: string): GeographySet {
  const read = (level: AreaLevel, file: string) => {
    const path = join(dir, file);
    const result = readAreaFeatures(level, path, readJson(path));
    if (result.problems.length > 0) throw new Error(result.problems.map((p) => p.message).join('\n'));
    return result;
  };
  const district = read('district', 'district.geojson').areas[0];
  if (!district) throw new Error(`${dir}/district.geojson has no district`);
  const streets = read('street', 'streets.geojson');
  return {
    district,
    streets: streets.areas.map((s, i) => ({ ...s, kind: streets.properties[i]!['kind'] === 'town' ? 'town' : 'street' })),
    communities: read('community', 'communities.geojson').areas,
    grids: read('grid', 'grids.geojson').areas,
  };
}

export function readDepartments(path: string): Department[] {
  return (readJson(path) as { departments: Department[] }).departments;
}

export function readCatalogue(path: string, departments: readonly Department[]): Catalogue {
  const catalogue = readJson(path) as Catalogue;
  const problems = validateCatalogue(departments, catalogue);
  if (problems.length > 0) throw new Error(`${path}:\n${problems.join('\n')}`);
  return catalogue;
}

/** personnel.csv: id,name,department,street,phone,on_duty,grids[,duty,duty_en]; duty defaults to the department's. */
export function readRosterCsv(path: string, departments: readonly Department[]): RosterEntry[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) throw new Error(`${path} is empty`);
  const col = (name: string): number => header.indexOf(name);
  for (const required of ['id', 'name', 'department', 'street', 'phone', 'on_duty', 'grids']) {
    if (col(required) < 0) throw new Error(`${path}: missing column "${required}"`);
  }
  const byCode = new Map(departments.map((d) => [d.code, d]));
  return rows.map((r, i) => {
    const cell = (name: string): string => r[col(name)] ?? '';
    const department = byCode.get(cell('department'));
    if (!department) throw new Error(`${path} row ${i + 2}: unknown department "${cell('department')}"`);
    return {
      id: cell('id'),
      name: cell('name'),
      departmentCode: department.code,
      streetCode: cell('street'),
      duty: (col('duty') >= 0 && cell('duty')) || department.duty.zh,
      dutyEn: (col('duty_en') >= 0 && cell('duty_en')) || department.duty.en,
      phone: cell('phone'),
      onDuty: cell('on_duty') === '1' || cell('on_duty').toLowerCase() === 'true',
      gridCodes: cell('grids').split(';').filter((g) => g.length > 0),
    };
  });
}

export function readReferenceData(geodataDir: string): ReferenceData {
  const departments = readDepartments(join(geodataDir, 'departments.json'));
  return {
    source: 'reference: geodata/haidian (ECharts 4.9.0 outline, generated hierarchy)',
    geography: readGeographyDirectory(join(geodataDir, 'haidian')),
    departments,
    catalogue: readCatalogue(join(geodataDir, 'categories.json'), departments),
    roster: readRosterCsv(join(geodataDir, 'haidian', 'personnel.csv'), departments),
  };
}
