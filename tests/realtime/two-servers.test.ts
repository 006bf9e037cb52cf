import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseAck } from '../../core/protocol/cases-api.ts';
import { createRandom } from '../../scripts/geodata/seeded-random.ts';
import { redisAvailable, storeDrivers } from '../fixtures/drivers.ts';
import { startServerProcess, type ServerProcess } from '../fixtures/server-process.ts';
import { openTestStore, redisUrl, signInTestDispatcher, type TestStore } from '../fixtures/test-databases.ts';
import { connect, reportOverSocket, Watcher, type ClientSocket } from '../fixtures/test-watcher.ts';

describe.runIf(storeDrivers().includes('pg') && redisAvailable())('two server processes behind one database and Redis', () => {
  let db: TestStore;
  let a: ServerProcess;
  let b: ServerProcess;
  let urlA: string;
  let urlB: string;
  /** One session, good on both servers: they share the database. */
  let token: string;

  beforeAll(async () => {
    db = await openTestStore('pg');
    const env = { DATABASE_URL: db.location, REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `gc-test-${process.pid}-${Date.now()}` };
    a = startServerProcess(env);
    b = startServerProcess(env);
    [urlA, urlB] = await Promise.all([a.url, b.url]);
    token = await signInTestDispatcher(urlA);
  });
  afterAll(async () => {
    for (const p of [a, b]) p?.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await db?.dispose();
  });

  it('a case sent to one server reaches a dashboard connected to the other, once', async () => {
    const watcher = await Watcher.start(urlB, '110108', token);
    const reporter = connect(urlA, token);
    try {
      const ack = (await reportOverSocket(reporter, { reportId: 'across-1', category: 'E0102', lng: 116.31, lat: 39.98 })) as { ok: true; data: CaseAck };
      expect(ack.ok).toBe(true);
      await watcher.waitFor(() => watcher.createdNumbers().includes(ack.data.caseNumber), 10_000, 'the case on the other server');
      await new Promise((r) => setTimeout(r, 300));
      expect(watcher.createdNumbers().filter((n) => n === ack.data.caseNumber)).toHaveLength(1);
      // Pushed through Redis, not fetched from the database to fill a gap.
      const seqs = watcher.applied.filter((e) => e.case.number === ack.data.caseNumber).map((e) => e.seq);
      expect(seqs.every((seq) => watcher.pushed.has(seq))).toBe(true);
      expect(watcher.rangeRequests).toBe(0);
    } finally {
      watcher.close();
      reporter.close();
    }
  });

  it('bursts into both servers at once reach dashboards on both, complete, in sequence order, each once', async () => {
    const watchers = await Promise.all([Watcher.start(urlA, '110108', token), Watcher.start(urlB, '110108', token)]);
    const reporters: ClientSocket[] = [connect(urlA, token), connect(urlB, token), connect(urlA, token), connect(urlB, token)];
    const random = createRandom(3);
    try {
      const reports = Array.from({ length: 600 }, (_, i) => ({ reportId: `both-${i}`, category: ['E0102', 'E0401', 'C0101'][i % 3], lng: 116.25 + random() * 0.12, lat: 39.92 + random() * 0.12, channel: 'patrol' }));
      const acks = await Promise.all(reports.map((r, i) => reportOverSocket(reporters[i % reporters.length]!, r)));
      expect(acks.every((x) => x.ok)).toBe(true);
      const numbers = acks.map((x) => (x as { data: CaseAck }).data.caseNumber);
      for (const w of watchers) await w.expectAllInSequenceOnce(numbers, 30_000);
      // Every event also arrived pushed (through Redis for the other server's), even where a gap
      // between the two servers' batches was filled from the database first.
      await new Promise((r) => setTimeout(r, 500));
      // (A broadcast carries each case once per tick, as its latest event.)
      for (const w of watchers) {
        const latest = new Map<number, number>();
        for (const e of w.applied) latest.set(e.case.id, Math.max(latest.get(e.case.id) ?? 0, e.seq));
        expect([...latest.values()].filter((seq) => !w.pushed.has(seq))).toEqual([]);
      }
      // Both dashboards end with the same cases at the same events. (Not the same list of events: a gap
      // filled from the database brings every event in it, where a pushed tick carries each case once.)
      const finalState = (w: (typeof watchers)[number]): [number, number][] => {
        const latest = new Map<number, number>();
        for (const e of w.applied) latest.set(e.case.id, Math.max(latest.get(e.case.id) ?? 0, e.seq));
        return [...latest.entries()].sort((a, b) => a[0] - b[0]);
      };
      expect(finalState(watchers[0]!)).toEqual(finalState(watchers[1]!));
    } finally {
      for (const w of watchers) w.close();
      for (const r of reporters) r.close();
    }
  });
});
