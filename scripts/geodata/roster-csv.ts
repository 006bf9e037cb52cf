import type { RosterEntry } from '../../core/people/person.ts';

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * One row per person; `grids` lists the codes they serve, separated by ';'. The duty column is left
 * out: a person's duty is their department's (geodata/departments.json) unless a roster says otherwise.
 */
export function rosterToCsv(roster: readonly RosterEntry[]): string {
  const lines = ['id,name,department,street,phone,on_duty,grids'];
  for (const p of roster) {
    lines.push([p.id, p.name, p.departmentCode, p.streetCode, p.phone, p.onDuty ? '1' : '0', p.gridCodes.join(';')].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
