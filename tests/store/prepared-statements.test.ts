import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseBatchOn } from '../../server/store/cases.repository.ts';
import { drawForBatch } from '../../server/store/identity-sequences.ts';
import { openToolSqlClient } from '../../server/store/open-configured-store.ts';
import { openPgClient } from '../../server/store/pg/open-pg-client.ts';
import { openPgliteClient, pruneArrayParsers } from '../../server/store/pglite/open-pglite-client.ts';
import type { SqlClient } from '../../server/store/sql-client.ts';
import { StatementNames } from '../../server/store/statement-names.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { openTestStore, pgliteTemplateDir, type TestStore } from '../fixtures/test-databases.ts';

describe('StatementNames', () => {
  it('names each text once, the same name each time, and no more texts than its cap', () => {
    const names = new StatementNames(2);
    const a = names.nameOf('SELECT 1');
    const b = names.nameOf('SELECT $1::int');
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
    expect(names.nameOf('SELECT 1')).toBe(a);
    // Past the cap a text goes unnamed (run as before, planned each time), and named texts keep their names.
    expect(names.nameOf('SELECT 2')).toBeUndefined();
    expect(names.nameOf('SELECT $1::int')).toBe(b);
  });
});

describe("the embedded driver's type parsers", () => {
  it('keep the arrays whose element type has a parser and drop the ~290 others PGlite copies for every statement it runs itself', async () => {
    const db = await PGlite.create();
    try {
      const before = Object.keys(db.parsers).length;
      await pruneArrayParsers(db);
      const after = Object.keys(db.parsers).length;
      expect(before).toBeGreaterThan(300);
      expect(after).toBeLessThan(50);
      // Through PGlite's own path, which copies the table: kept arrays parsed, a dropped one as text.
      const { rows } = await db.query<{ ints: number[]; words: string[]; boxes: unknown }>("SELECT ARRAY[1, 2] AS ints, ARRAY['a'] AS words, ARRAY[box '((0,0),(1,1))'] AS boxes");
      expect(rows).toEqual([{ ints: [1, 2], words: ['a'], boxes: '{(1,1),(0,0)}' }]);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe.each(storeDrivers())('statements on %s', (driver) => {
  let db: TestStore;
  const folders: string[] = [];
  beforeAll(async () => {
    db = await openTestStore(driver);
  }, 120_000);
  afterAll(async () => {
    await db?.dispose();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** A second connection to a copy of the test database, as a tool or another server would open it. */
  async function connect(options: { planEachQuery?: boolean }): Promise<SqlClient> {
    if (driver === 'pg') return openPgClient(db.location, 1, options);
    const folder = mkdtempSync(join(tmpdir(), 'gc-prepared-'));
    folders.push(folder);
    cpSync(pgliteTemplateDir(), folder, { recursive: true });
    return openPgliteClient(folder, options);
  }

  it('are prepared once per connection and reused, with their answers unchanged', async () => {
    const text = 'SELECT $1::int + 1 AS n /* prepared-statements test */';
    const seen = await db.sql.transaction(async (tx) => {
      const answers = [await tx.query<{ n: number }>(text, [1]), await tx.query<{ n: number }>(text, [41])];
      const prepared = await tx.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements');
      return { answers, prepared };
    });
    expect(seen.answers).toEqual([[{ n: 2 }], [{ n: 42 }]]);
    const mine = seen.prepared.filter((p) => p.statement === text);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.name).toMatch(/^gc\d+$/);
    // Outside a transaction the same statement is reused too, and still answers no rows as no rows.
    expect(await db.sql.query(text, [9])).toEqual([{ n: 10 }]);
    expect(await db.sql.query('SELECT n FROM generate_series(1, 3) n WHERE n > $1', [5])).toEqual([]);
    const after = await db.sql.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text]);
    expect(after).toHaveLength(1);
    // Without parameters PostgreSQL keeps a statement's first plan until an ANALYZE; the embedded
    // store has no autovacuum to run one as tables grow, so there such statements are planned afresh.
    const parameterless = 'SELECT 41 + 1 AS n /* parameterless */';
    expect(await db.sql.query(parameterless)).toEqual([{ n: 42 }]);
    expect(await db.sql.query(parameterless)).toEqual([{ n: 42 }]);
    const named = await db.sql.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [parameterless]);
    expect(named).toHaveLength(driver === 'pglite' ? 0 : 1);
  });

  it('keep the connection usable after a statement fails, in and out of a transaction', async () => {
    await expect(db.sql.query('SELEC $1::int', [1])).rejects.toMatchObject({ code: '42601' });
    await expect(db.sql.query('SELECT ST_GeomFromText($1) AS g', ['POINT(1'])).rejects.toThrow(/parse error|invalid geometry/i);
    expect(await db.sql.query('SELECT $1::int AS n', [7])).toEqual([{ n: 7 }]);
    // A statement that could not be prepared (its table not there yet) is prepared again once it can be.
    const later = 'SELECT n FROM prepared_later WHERE n = $1';
    await expect(db.sql.query(later, [1])).rejects.toMatchObject({ code: '42P01' });
    await db.sql.exec('CREATE TEMP TABLE prepared_later (n int); INSERT INTO prepared_later VALUES (1)');
    expect(await db.sql.query(later, [1])).toEqual([{ n: 1 }]);
    expect(await db.sql.query(later, [2])).toEqual([]);
    await db.sql.exec('DROP TABLE prepared_later');
    await db.sql.exec('CREATE TEMP TABLE prepared_fail (n int PRIMARY KEY)');
    const failed = await db.sql.transaction(async (tx) => {
      await tx.query('INSERT INTO prepared_fail VALUES ($1)', [1]);
      await tx.query('INSERT INTO prepared_fail VALUES ($1)', [1]);
    }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: '23505' });
    // The failed transaction left nothing, and the same statements run again.
    expect(await db.sql.query('SELECT count(*)::int AS n FROM prepared_fail')).toEqual([{ n: 0 }]);
    await db.sql.query('INSERT INTO prepared_fail VALUES ($1)', [2]);
    expect(await db.sql.query('SELECT n FROM prepared_fail')).toEqual([{ n: 2 }]);
    await db.sql.exec('DROP TABLE prepared_fail');
  });

  it('scripts of several statements still run (unnamed), in and out of a transaction', async () => {
    await db.sql.exec('CREATE TEMP TABLE prepared_test (n int); INSERT INTO prepared_test VALUES (1), (2); DROP TABLE prepared_test;');
    await db.sql.transaction(async (tx) => {
      await tx.exec('CREATE TEMP TABLE prepared_test (n int); INSERT INTO prepared_test VALUES (3);');
      expect(await tx.query<{ n: number }>('SELECT n FROM prepared_test')).toEqual([{ n: 3 }]);
    });
  });

  it('read arrays as arrays, the same on both drivers, with and without parameters, in and out of a transaction', async () => {
    // The embedded driver keeps only the array parsers whose element type has one (pruneArrayParsers).
    const text = `SELECT ARRAY['a', 'b c']::text[] AS texts, ARRAY[1, 2]::int[] AS ints, ARRAY[3, 4]::bigint[] AS bigints,
      ARRAY[1.5]::float8[] AS floats, ARRAY[true, false] AS bools, ARRAY['{"a": 1}'::jsonb] AS docs, ARRAY['x1'::varchar] AS codes,
      ARRAY['2026-01-01T00:00:00Z'::timestamptz] AS times /* arrays test */`;
    const expected = {
      texts: ['a', 'b c'],
      ints: [1, 2],
      bigints: [3, 4],
      floats: [1.5],
      bools: [true, false],
      docs: [{ a: 1 }],
      codes: ['x1'],
      times: [new Date('2026-01-01T00:00:00Z')],
    };
    expect(await db.sql.query(text)).toEqual([expected]);
    expect(await db.sql.query(`${text} WHERE $1::boolean`, [true])).toEqual([expected]);
    await db.sql.transaction(async (tx) => {
      expect(await tx.query(text)).toEqual([expected]);
      expect(await tx.query(`${text} WHERE $1::boolean`, [true])).toEqual([expected]);
    });
  });

  it("keep one plan for an intake batch's draw of numbers and its dispatch candidates, whatever the counts", async () => {
    // Both were planned afresh for every batch: PostgreSQL's generic plan assumed 1,000 rows from
    // generate_series(1, $1) and 10 from unnest($1::text[]), and a batch of one case costs less.
    const pairs = await db.sql.query<{ gridCode: string; departmentCode: string }>('SELECT grid_code AS "gridCode", department_code AS "departmentCode" FROM assignments ORDER BY person_id LIMIT 8');
    const plans = await db.sql.transaction(async (tx) => {
      const batch = caseBatchOn(tx);
      for (let i = 0; i < 8; i++) {
        await drawForBatch(tx, 1 + i, 2 + 3 * i);
        await batch.candidates(pairs.slice(0, 1 + (i % 3)));
      }
      return tx.query<{ statement: string; generic_plans: number }>(
        "SELECT statement, generic_plans FROM pg_prepared_statements WHERE (statement LIKE '%row_to_json(c) AS c%' OR statement LIKE '%CROSS JOIN LATERAL%') AND statement NOT LIKE '%pg_prepared_statements%' AND $1::boolean",
        [true],
      );
    });
    expect(plans).toHaveLength(2);
    for (const plan of plans) expect(plan.generic_plans, plan.statement.slice(0, 60)).toBeGreaterThan(0);
  });

  it('planned for the table as it is now with planEachQuery (bulk tools), not from a plan made when it was tiny', async () => {
    const text = 'SELECT k FROM growing WHERE k = ANY($1::text[]) /* plan test */';
    const afterGrowth = async (options: { planEachQuery?: boolean }): Promise<{ kept: string | undefined; now: string }> => {
      const sql = await connect(options);
      try {
        // One analysed row, as a store with a handful of cases; the statement runs a few times…
        await sql.exec("CREATE TEMP TABLE growing (k text PRIMARY KEY); INSERT INTO growing VALUES ('k0'); ANALYZE growing;");
        for (let i = 0; i < 8; i++) await sql.query(text, [['k0', 'k1']]);
        // …then the table grows as an import fills it, and nothing analyses it meanwhile.
        await sql.exec("INSERT INTO growing SELECT 'k' || g FROM generate_series(1, 50000) g");
        type Plan = { 'QUERY PLAN': [{ Plan: { 'Node Type': string } }] };
        const [prepared] = await sql.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text]);
        const [kept] = prepared ? await sql.query<Plan>(`EXPLAIN (FORMAT JSON) EXECUTE ${prepared.name}('{k1,k2}')`) : [];
        // What a call planned now gets (an unnamed statement, as the tools' calls are).
        const [now] = await sql.query<Plan>(`EXPLAIN (FORMAT JSON) ${text}`, [['k1', 'k2']]);
        return { kept: kept?.['QUERY PLAN'][0].Plan['Node Type'], now: now!['QUERY PLAN'][0].Plan['Node Type'] };
      } finally {
        await sql.close();
      }
    };
    const INDEXED = /^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/;
    // The trap: the plan cached while the table was tiny reads every row of it for every call.
    const server = await afterGrowth({});
    expect(server.kept).toBe('Seq Scan');
    const tool = await afterGrowth({ planEachQuery: true });
    expect(tool.kept).toBeUndefined();
    expect(tool.now).toMatch(INDEXED);
  }, 120_000);

  it("are planned afresh on the command-line tools' connections, and prepared as usual on the server's", async () => {
    let tool: SqlClient;
    if (driver === 'pg') {
      tool = await openToolSqlClient({ databaseUrl: db.location, dataDir: '' });
    } else {
      const folder = mkdtempSync(join(tmpdir(), 'gc-prepared-'));
      folders.push(folder);
      cpSync(pgliteTemplateDir(), folder, { recursive: true });
      tool = await openToolSqlClient({ databaseUrl: undefined, dataDir: folder });
    }
    const text = 'SELECT $1::int * 2 AS n /* tool test */';
    try {
      for (const n of [1, 2, 3, 4, 5, 6]) expect(await tool.query(text, [n])).toEqual([{ n: 2 * n }]);
      expect(await tool.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text])).toEqual([]);
      // Not by plan_cache_mode for the session: that re-planned PostgreSQL's own foreign-key checks
      // for every row a tool inserted.
      expect(await tool.query('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'auto' }]);
    } finally {
      await tool.close();
    }
    await db.sql.query(text, [1]);
    expect(await db.sql.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text])).toHaveLength(1);
  }, 120_000);
});
