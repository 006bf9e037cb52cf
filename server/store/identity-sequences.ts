import type { SqlClient } from './sql-client.ts';

/**
 * Numbers drawn ahead from the identity sequences of `cases.id` and `case_events.seq` (rows get their
 * id and sequence number before they are written). The sequences go by the names PostgreSQL gives an
 * identity column's (table_column_seq): a literal name is resolved once per plan, whereas
 * `nextval(pg_get_serial_sequence(…))` looks it up again for every number (nine times slower for a
 * batch of 5,000; a store test holds the names to pg_get_serial_sequence).
 */
export const IDENTITY_SEQUENCES = { caseId: 'cases_id_seq', eventSeq: 'case_events_seq_seq' } as const;

async function draw(sql: SqlClient, sequence: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await sql.query<{ v: number }>(`SELECT nextval('${sequence}'::regclass)::bigint AS v FROM generate_series(1, $1)`, [count]);
  return rows.map((r) => r.v).sort((a, b) => a - b);
}

/** Case ids: unique whoever draws them (no lock needed). */
export function drawCaseIds(sql: SqlClient, count: number): Promise<number[]> {
  return draw(sql, IDENTITY_SEQUENCES.caseId, count);
}

/** Event sequence numbers: drawn under the intake lock, so that sequence order is commit order. */
export function drawEventSeqs(sql: SqlClient, count: number): Promise<number[]> {
  return draw(sql, IDENTITY_SEQUENCES.eventSeq, count);
}
