import type { GridServant, RosterEntry } from '../../core/people/person.ts';
import { caseBatchOn, INTAKE_LOCK } from './cases.repository.ts';
import type { SqlClient } from './sql-client.ts';
import type { CaseLeftByRoster, PersonnelRepository } from './store.ts';

/**
 * The open cases whose assignee `roster` takes off them, by case id: gone from the roster, in
 * another department, or no longer serving the case's grid (one the current roster has them
 * serve: a case a dispatcher gave them outside their grids stays with them).
 */
async function casesLeftBy(sql: SqlClient, roster: readonly RosterEntry[]): Promise<CaseLeftByRoster[]> {
  const people: string[] = [];
  const grids: string[] = [];
  for (const p of roster) {
    for (const g of p.gridCodes) {
      people.push(p.id);
      grids.push(g);
    }
  }
  const rows = await sql.query<{ id: number; case_number: string; grid_code: string | null; person_id: string; name: string; department_code: string; next_department: string | null }>(
    `SELECT c.id, c.case_number, c.grid_code, p.id AS person_id, p.name, p.department_code, n.department_code AS next_department
     FROM cases c
     JOIN personnel p ON p.id = c.assignee_id
     LEFT JOIN unnest($1::text[], $2::text[]) AS n(id, department_code) ON n.id = p.id
     LEFT JOIN assignments a ON a.person_id = p.id AND a.grid_code = c.grid_code
     LEFT JOIN unnest($3::text[], $4::text[]) AS g(person_id, grid_code) ON g.person_id = p.id AND g.grid_code = c.grid_code
     WHERE c.closed_at IS NULL
       AND (n.id IS NULL OR n.department_code <> p.department_code OR (a.person_id IS NOT NULL AND g.person_id IS NULL))
     ORDER BY c.id`,
    [roster.map((p) => p.id), roster.map((p) => p.departmentCode), people, grids],
  );
  return rows.map((r): CaseLeftByRoster => ({
    caseId: r.id,
    caseNumber: r.case_number,
    gridCode: r.grid_code,
    person: { id: r.person_id, name: r.name, departmentCode: r.department_code },
    change:
      r.next_department === null
        ? { kind: 'left-roster' }
        : r.next_department !== r.department_code
          ? { kind: 'changed-department', to: r.next_department }
          : { kind: 'left-grid', gridCode: r.grid_code! },
  }));
}

export function createPersonnelRepository(sql: SqlClient): PersonnelRepository {
  return {
    async replace(roster, requeue) {
      return sql.transaction(async (tx) => {
        // The cases' events and the roster change commit together, in the one line of the hash chain.
        await tx.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_LOCK]);
        const left = await casesLeftBy(tx, roster);
        if (left.length > 0) {
          if (!requeue) throw new Error(`${left.length} open case${left.length === 1 ? '' : 's'} (${left[0]!.caseNumber}…) would lose ${left.length === 1 ? 'its' : 'their'} assignee without an event; import the roster with importRoster, which re-queues them`);
          await requeue(caseBatchOn(tx), left);
        }
        await tx.exec('DELETE FROM assignments');
        // Nothing open is assigned to anyone removed now. They stay, off the roster (migration 008), so
        // that the closed cases they held still fold to their rows and timelines keep their names.
        await tx.query('UPDATE personnel SET on_roster = false, on_duty = false WHERE on_roster AND NOT (id = ANY($1::text[]))', [roster.map((p) => p.id)]);
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

    casesLeftBy(roster) {
      return casesLeftBy(sql, roster);
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
      const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM personnel WHERE on_roster');
      return row?.n ?? 0;
    },
  };
}
