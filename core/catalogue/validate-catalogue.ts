import type { Catalogue, Department } from './catalogue.ts';

const CATEGORY_CODE = /^[ECS]\d{4}$/;

/** Every reference in the catalogue resolves, codes are unique and deadlines are positive whole minutes. */
export function validateCatalogue(departments: readonly Department[], catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const departmentCodes = new Set(departments.map((d) => d.code));
  const classes = new Map(catalogue.classes.map((c) => [c.code, c]));
  const workAreas = new Set(catalogue.workAreas.map((w) => w.code));
  const seen = new Set<string>();
  for (const c of catalogue.categories) {
    const where = `category ${c.code}`;
    if (!CATEGORY_CODE.test(c.code)) problems.push(`${where}: code must be E, C or S and 4 digits`);
    if (seen.has(c.code)) problems.push(`${where}: duplicate code`);
    seen.add(c.code);
    if (!c.zh || !c.en) problems.push(`${where}: needs a Chinese and an English name`);
    const cls = classes.get(c.class);
    if (!cls) problems.push(`${where}: unknown class ${c.class}`);
    else if (cls.kind !== c.kind) problems.push(`${where}: kind ${c.kind} differs from its class's ${cls.kind}`);
    if (!workAreas.has(c.workArea)) problems.push(`${where}: unknown work area ${c.workArea}`);
    if (!departmentCodes.has(c.department)) problems.push(`${where}: unknown department ${c.department}`);
    if (![1, 2, 3, 4].includes(c.severity)) problems.push(`${where}: severity must be 1–4`);
    for (const [name, value] of [['acceptMinutes', c.acceptMinutes], ['resolveMinutes', c.resolveMinutes]] as const) {
      if (!Number.isInteger(value) || value <= 0) problems.push(`${where}: ${name} must be a positive whole number of minutes`);
    }
  }
  return problems;
}
