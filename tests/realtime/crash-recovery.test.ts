import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ack, CaseAck, WatchResultWire } from '../../core/protocol/cases-api.ts';
import { LIVE_PROTOCOL, watchResultOf } from '../../core/protocol/live-wire.ts';
import { createRandom } from '../../scripts/geodata/seeded-random.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startServerProcess } from '../fixtures/server-process.ts';
import { buildPgliteTemplate, openTestStore, signInTestDispatcher, type Driver } from '../fixtures/test-databases.ts';
import { connect, type ClientSocket } from '../fixtures/test-watcher.ts';

const REPORTS = 3000;
const IN_FLIGHT = 100;

function reports(driver: Driver): Record<string, unknown>[] {
  const random = createRandom(99);
  const categories = ['E0102', 'E0401', 'E0201', 'C0101', 'E0501', 'S0101'];
  return Array.from({ length: REPORTS }, (_, i) => ({
    reportId: `crash-${driver}-${i}`,
    category: categories[i % categories.length],
    lng: 116.25 + random() * 0.12,
    lat: 39.92 + random() * 0.12,
    channel: 'patrol',
  }));
}

/** Sends every report with at most IN_FLIGHT awaiting their acks; stops sending when `stop()` says so. */
async function send(socket: ClientSocket, all: Record<string, unknown>[], onAck: (reportId: string, ack: Ack<CaseAck>) => void, stop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length && !stop()) {
      const report = all[next++]!;
      try {
        const ack = (await socket.timeout(20_000).emitWithAck('case:report', report)) as Ack<CaseAck>;
        onAck(report['reportId'] as string, ack);
      } catch {
        return; // the server went away: this one stays unacknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

describe.each(storeDrivers())('a server killed in the middle of a burst (%s)', (driver) => {
  it('keeps every acknowledged case, and stores no duplicate when clients retry', async () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    if (driver === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'gc-crash-'));
      cpSync(await buildPgliteTemplate(), dir, { recursive: true });
      env = { DATA_DIR: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const db = await openTestStore('pg');
      await db.store.close();
      env = { DATABASE_URL: db.location };
      cleanup = () => db.dispose();
    }
    try {
      const all = reports(driver);
      const acked = new Map<string, string>();
      const first = startServerProcess(env);
      const firstUrl = await first.url;
      const socket = connect(firstUrl, await signInTestDispatcher(firstUrl));
      let killed = false;
      await send(
        socket,
        all,
        (reportId, ack) => {
          if (ack.ok) acked.set(reportId, ack.data.caseNumber);
          if (!killed && acked.size >= 500) {
            killed = true;
            first.kill('SIGKILL');
          }
        },
        () => killed,
      );
      socket.close();
      await first.exited;
      expect(killed).toBe(true);
      expect(acked.size).toBeGreaterThanOrEqual(500);
      expect(acked.size).toBeLessThan(REPORTS);

      const second = startServerProcess(env);
      const url = await second.url;
      try {
        const token = await signInTestDispatcher(url);
        // Every acknowledged case survived the kill (read before any client retries).
        const survived = (await (await fetch(`${url}/api/cases?area=110108`, { headers: { authorization: `Bearer ${token}` } })).json()) as { cases: { number: string }[] };
        const survivors = new Set(survived.cases.map((c) => c.number));
        expect([...acked.values()].filter((number) => !survivors.has(number))).toEqual([]);
        // Clients retry everything they sent; acknowledged ones come back as the same case.
        const retry = connect(url, token);
        const answers = new Map<string, Ack<CaseAck>>();
        await send(retry, all, (reportId, ack) => answers.set(reportId, ack), () => false);
        expect(answers.size).toBe(REPORTS);
        for (const [reportId, number] of acked) expect(answers.get(reportId)).toMatchObject({ ok: true, data: { caseNumber: number, replayed: true } });
        retry.close();
        const dashboard = connect(url, token);
        const snapshot = (await dashboard.timeout(30_000).emitWithAck('area:watch', { area: '110108', protocol: LIVE_PROTOCOL })) as Ack<WatchResultWire>;
        dashboard.close();
        const data = snapshot.ok ? watchResultOf(snapshot.data) : undefined;
        const stored = data?.kind === 'snapshot' ? data.cases : [];
        expect(new Set(stored.map((c) => c.number)).size).toBe(REPORTS);
        expect(stored).toHaveLength(REPORTS);
      } finally {
        second.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await cleanup();
    }
  });
});
