import type { SqlClient } from './sql-client.ts';

/**
 * Numbers drawn ahead from the identity sequences of `cases.id` and `case_events.seq` (rows get their
 * id and sequence number before they are written). The sequences go by the names PostgreSQL gives an
 * identity column's (table_column_seq): a literal name is resolved once per plan, whereas
 * `nextval(pg_get_serial_sequence(…))` looks it up again for every number (nine times slower for a
 * batch of 5,000; a store test holds the names to pg_get_serial_sequence).
 */
export const IDENTITY_SEQUENCES = { caseId: 'cases_id_seq', eventSeq: 'case_events_seq_seq' } as const;

/**
 * Drawn alone, the numbers are one run (first..last): only that comes back, not a row per number
 * (parsing 5,000 rows was ~2 µs per imported case). Where another session drew some meanwhile,
 * ours have gaps and all of them come back. One row per number by unnesting an array of `count`
 * zeros, not generate_series(1, count): for that PostgreSQL's generic plan assumes 1,000 rows, so it
 * judged each custom plan cheaper and planned an intake batch's draw afresh every time (~150 µs a
 * batch on either store); an array parameter it takes for 10 rows, and keeps one plan.
 */
const drawn = (sequence: string, countParam: string): string =>
  `SELECT min(v)::bigint AS first, max(v)::bigint AS last, count(*)::int AS n,
          CASE WHEN max(v) - min(v) + 1 <> count(*) THEN array_agg(v ORDER BY v) END AS all
   FROM (SELECT nextval('${sequence}'::regclass) AS v FROM unnest(array_fill(0, ARRAY[(${countParam})::int])) n) s`;

interface Drawn {
  first: number;
  last: number;
  n: number;
  all: number[] | null;
}

function numbersOf(row: Drawn | undefined, count: number, sequence: string): number[] {
  if (!row || row.n !== count) throw new Error(`drew ${row?.n ?? 0} of ${count} numbers from ${sequence}`);
  if (count === 0) return [];
  if (row.all) return row.all.map(Number);
  return Array.from({ length: count }, (_, k) => row.first + k);
}

async function draw(sql: SqlClient, sequence: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const [row] = await sql.query<Drawn>(drawn(sequence, '$1'), [count]);
  return numbersOf(row, count, sequence);
}

/** Case ids: unique whoever draws them (no lock needed). */
export function drawCaseIds(sql: SqlClient, count: number): Promise<number[]> {
  return draw(sql, IDENTITY_SEQUENCES.caseId, count);
}

/** Event sequence numbers: drawn under the intake lock, so that sequence order is commit order. */
export function drawEventSeqs(sql: SqlClient, count: number): Promise<number[]> {
  return draw(sql, IDENTITY_SEQUENCES.eventSeq, count);
}

/**
 * What a batch of case events draws (intake, a case-loop command, a roster change), in one statement:
 * its new case ids, its events' sequence numbers and the hash its chain goes on from (the caller
 * holds the intake lock). Each statement is a round trip to
 * the server and, on the embedded store, ~0.3–0.5 ms of the server's one thread however small.
 */
export async function drawForBatch(sql: SqlClient, caseCount: number, seqCount: number): Promise<{ caseIds: number[]; seqs: number[]; lastEventHash: string | null }> {
  const [row] = await sql.query<{ c: Drawn; e: Drawn; hash: string | null }>(
    `SELECT row_to_json(c) AS c, row_to_json(e) AS e, (SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1) AS hash
     FROM (${drawn(IDENTITY_SEQUENCES.caseId, '$1::int')}) c, (${drawn(IDENTITY_SEQUENCES.eventSeq, '$2::int')}) e`,
    [caseCount, seqCount],
  );
  return { caseIds: numbersOf(row?.c, caseCount, IDENTITY_SEQUENCES.caseId), seqs: numbersOf(row?.e, seqCount, IDENTITY_SEQUENCES.eventSeq), lastEventHash: row?.hash ?? null };
}
