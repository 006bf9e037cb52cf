import type { GridServant, RosterEntry } from '../../core/people/person.ts';
import type { SqlClient } from './sql-client.ts';
import type { PersonnelRepository } from './store.ts';

export function createPersonnelRepository(sql: SqlClient): PersonnelRepository {
  return {
    async replace(roster: readonly RosterEntry[]) {
      return sql.transaction(async (tx) => {
        await tx.exec('DELETE FROM assignments');
        await tx.query('UPDATE cases SET assignee_id = NULL WHERE assignee_id IS NOT NULL AND NOT (assignee_id = ANY($1::text[]))', [roster.map((p) => p.id)]);
        await tx.query('DELETE FROM personnel WHERE NOT (id = ANY($1::text[]))', [roster.map((p) => p.id)]);
        await tx.query(
          `INSERT INTO personnel (id, name, department_code, street_code, duty_zh, duty_en, phone, on_duty)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[])
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, department_code = excluded.department_code, street_code = excluded.street_code,
             duty_zh = excluded.duty_zh, duty_en = excluded.duty_en, phone = excluded.phone, on_duty = excluded.on_duty`,
          [
            roster.map((p) => p.id),
            roster.map((p) => p.name),
            roster.map((p) => p.departmentCode),
            roster.map((p) => p.streetCode),
            roster.map((p) => p.duty),
            roster.map((p) => p.dutyEn),
            roster.map((p) => p.phone),
            roster.map((p) => p.onDuty),
          ],
        );
        const people: string[] = [];
        const grids: string[] = [];
        for (const p of roster) {
          for (const g of p.gridCodes) {
            people.push(p.id);
            grids.push(g);
          }
        }
        await tx.query('INSERT INTO assignments (person_id, grid_code) SELECT * FROM unnest($1::text[], $2::text[])', [people, grids]);
        return { people: roster.length, assignments: people.length };
      });
    },

    async forGrid(gridCode) {
      const rows = await sql.query<{
        id: string; name: string; department_code: string; street_code: string; duty_zh: string; duty_en: string; phone: string; on_duty: boolean; grid_count: number;
      }>(
        `SELECT p.*, (SELECT count(*)::int FROM assignments x WHERE x.person_id = p.id) AS grid_count
         FROM assignments a JOIN personnel p ON p.id = a.person_id JOIN departments d ON d.code = p.department_code
         WHERE a.grid_code = $1 ORDER BY d.sort_order, p.id`,
        [gridCode],
      );
      return rows.map((r): GridServant => ({
        id: r.id, name: r.name, departmentCode: r.department_code, streetCode: r.street_code, duty: r.duty_zh, dutyEn: r.duty_en,
        phone: r.phone, onDuty: r.on_duty, gridCount: r.grid_count,
      }));
    },

    async count() {
      const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM personnel');
      return row?.n ?? 0;
    },
  };
}
