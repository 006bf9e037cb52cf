import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementNames } from '../../server/store/pg/open-pg-client.ts';
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
});
