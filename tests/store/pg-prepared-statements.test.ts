import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openToolSqlClient } from '../../server/store/open-configured-store.ts';
import { openPgClient, StatementNames } from '../../server/store/pg/open-pg-client.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { openTestStore, type TestStore } from '../fixtures/test-databases.ts';

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

describe.runIf(storeDrivers().includes('pg'))('statements on the PostgreSQL server', () => {
  let db: TestStore;
  beforeAll(async () => {
    db = await openTestStore('pg');
  });
  afterAll(async () => {
    await db?.dispose();
  });

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
  });

  it('scripts of several statements still run (unnamed), in and out of a transaction', async () => {
    await db.sql.exec('CREATE TEMP TABLE prepared_test (n int); INSERT INTO prepared_test VALUES (1), (2); DROP TABLE prepared_test;');
    await db.sql.transaction(async (tx) => {
      await tx.exec('CREATE TEMP TABLE prepared_test (n int); INSERT INTO prepared_test VALUES (3);');
      expect(await tx.query<{ n: number }>('SELECT n FROM prepared_test')).toEqual([{ n: 3 }]);
    });
  });

  it('planned for the table as it is now with planEachQuery (bulk tools), not from a plan made when it was tiny', async () => {
    const text = 'SELECT k FROM growing WHERE k = ANY($1::text[]) /* plan test */';
    const planAfterGrowth = async (options: { planEachQuery?: boolean }): Promise<string> => {
      const sql = await openPgClient(db.location, 1, options);
      try {
        // One analysed row, as a store with a handful of cases; the statement runs a few times…
        await sql.exec("CREATE TEMP TABLE growing (k text PRIMARY KEY); INSERT INTO growing VALUES ('k0'); ANALYZE growing;");
        for (let i = 0; i < 8; i++) await sql.query(text, [['k0', 'k1']]);
        // …then the table grows as an import fills it, and nothing analyses it meanwhile.
        await sql.exec("INSERT INTO growing SELECT 'k' || g FROM generate_series(1, 50000) g");
        const [prepared] = await sql.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text]);
        const [plan] = await sql.query<{ 'QUERY PLAN': [{ Plan: { 'Node Type': string } }] }>(`EXPLAIN (FORMAT JSON) EXECUTE ${prepared!.name}('{k1,k2}')`);
        return plan!['QUERY PLAN'][0].Plan['Node Type'];
      } finally {
        await sql.close();
      }
    };
    // The trap: the plan cached while the table was tiny reads every row of it for every call.
    expect(await planAfterGrowth({})).toBe('Seq Scan');
    expect(await planAfterGrowth({ planEachQuery: true })).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/);
  });

  it('are planned afresh on the command-line tools\' connections, and prepared as usual on the server\'s', async () => {
    const tool = await openToolSqlClient({ databaseUrl: db.location, dataDir: '' });
    try {
      expect(await tool.query('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'force_custom_plan' }]);
    } finally {
      await tool.close();
    }
    expect(await db.sql.query('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'auto' }]);
  });
});
