import type { Catalogue, Category, CategoryClass, Department, Severity, WorkArea } from '../../core/catalogue/catalogue.ts';
import { SEVERITIES } from '../../core/catalogue/severities.ts';
import type { SqlClient } from './sql-client.ts';
import type { CatalogueRepository } from './store.ts';

export function createCatalogueRepository(sql: SqlClient): CatalogueRepository {
  return {
    async replace(departments: readonly Department[], catalogue: Catalogue) {
      await sql.transaction(async (tx) => {
        // Personnel and categories refer to departments, so departments are upserted, never dropped here.
        await tx.query(
          `INSERT INTO departments (code, name_zh, name_en, duty_zh, duty_en, sort_order)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
           ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
             duty_zh = excluded.duty_zh, duty_en = excluded.duty_en, sort_order = excluded.sort_order`,
          [
            departments.map((d) => d.code),
            departments.map((d) => d.zh),
            departments.map((d) => d.en),
            departments.map((d) => d.duty.zh),
            departments.map((d) => d.duty.en),
            departments.map((_, i) => i),
          ],
        );
        await tx.exec('DELETE FROM categories WHERE code NOT IN (SELECT DISTINCT category_code FROM cases)');
        await tx.query(
          `INSERT INTO work_areas (code, name_zh, name_en, sort_order) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
           ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, sort_order = excluded.sort_order`,
          [catalogue.workAreas.map((w) => w.code), catalogue.workAreas.map((w) => w.zh), catalogue.workAreas.map((w) => w.en), catalogue.workAreas.map((_, i) => i)],
        );
        await tx.query(
          `INSERT INTO category_classes (code, kind, name_zh, name_en) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
           ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name_zh = excluded.name_zh, name_en = excluded.name_en`,
          [catalogue.classes.map((c) => c.code), catalogue.classes.map((c) => c.kind), catalogue.classes.map((c) => c.zh), catalogue.classes.map((c) => c.en)],
        );
        const c = catalogue.categories;
        await tx.query(
          `INSERT INTO categories (code, kind, class_code, work_area_code, name_zh, name_en, department_code, severity, accept_minutes, resolve_minutes, working_time)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::int[], $10::int[], $11::boolean[])
           ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, class_code = excluded.class_code, work_area_code = excluded.work_area_code,
             name_zh = excluded.name_zh, name_en = excluded.name_en, department_code = excluded.department_code, severity = excluded.severity,
             accept_minutes = excluded.accept_minutes, resolve_minutes = excluded.resolve_minutes, working_time = excluded.working_time`,
          [
            c.map((x) => x.code),
            c.map((x) => x.kind),
            c.map((x) => x.class),
            c.map((x) => x.workArea),
            c.map((x) => x.zh),
            c.map((x) => x.en),
            c.map((x) => x.department),
            c.map((x) => x.severity),
            c.map((x) => x.acceptMinutes),
            c.map((x) => x.resolveMinutes),
            c.map((x) => x.workingTime),
          ],
        );
      });
    },

    async departments() {
      const rows = await sql.query<{ code: string; name_zh: string; name_en: string; duty_zh: string; duty_en: string }>(
        'SELECT code, name_zh, name_en, duty_zh, duty_en FROM departments ORDER BY sort_order, code',
      );
      return rows.map((r) => ({ code: r.code, zh: r.name_zh, en: r.name_en, duty: { zh: r.duty_zh, en: r.duty_en } }));
    },

    async catalogue(): Promise<Catalogue> {
      const workAreas = await sql.query<{ code: string; name_zh: string; name_en: string }>('SELECT code, name_zh, name_en FROM work_areas ORDER BY sort_order');
      const classes = await sql.query<{ code: string; kind: CategoryClass['kind']; name_zh: string; name_en: string }>('SELECT code, kind, name_zh, name_en FROM category_classes ORDER BY code');
      const categories = await sql.query<{
        code: string; kind: Category['kind']; class_code: string; work_area_code: string; name_zh: string; name_en: string;
        department_code: string; severity: Severity['level']; accept_minutes: number; resolve_minutes: number; working_time: boolean;
      }>('SELECT * FROM categories ORDER BY code');
      return {
        severities: SEVERITIES,
        workAreas: workAreas.map((w): WorkArea => ({ code: w.code, zh: w.name_zh, en: w.name_en })),
        classes: classes.map((c): CategoryClass => ({ code: c.code, kind: c.kind, zh: c.name_zh, en: c.name_en })),
        categories: categories.map((c): Category => ({
          code: c.code, kind: c.kind, class: c.class_code, workArea: c.work_area_code, zh: c.name_zh, en: c.name_en,
          department: c.department_code, severity: c.severity, acceptMinutes: c.accept_minutes, resolveMinutes: c.resolve_minutes, workingTime: c.working_time,
        })),
      };
    },
  };
}
