import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { BulkResult, CaseAck } from '../../core/protocol/cases-api.ts';
import { pointsInStreet } from '../fixtures/case-points.ts';
import { MAX_EVENTS_PER_FRAME } from '../../server/realtime/broadcaster.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { connect, reportOverSocket, Watcher } from '../fixtures/test-watcher.ts';

const STREET = '110108016'; // 香山街道: roomy enough for 1,042 points 60 m apart
const QUIET_STREET = '110108017'; // where none of these tests reports

function numbersOf(body: BulkResult): string[] {
  return body.results.map((r) => (r as { data: CaseAck }).data.caseNumber);
}

describe.each(storeDrivers())('catching up after a disconnect (%s)', (driver) => {
  let server: TestServer;
  let points: LngLat[];

  beforeAll(async () => {
    server = await startTestServer(driver, { broadcastTickMs: 20 });
    points = await pointsInStreet(server.db.store, server.geography, STREET, 1_042, 60, 5);
  });
  afterAll(() => server?.close());

  it('a dashboard disconnected while 500 cases arrive gets all 500, in order, once, after reconnecting', async () => {
    const watcher = await Watcher.start(server.baseUrl, STREET, server.token);
    try {
      watcher.disconnect();
      const body = (await (
        await server.post('/api/cases/bulk', points.slice(0, 500).map(([lng, lat], i) => JSON.stringify({ reportId: `missed-${driver}-${i}`, category: 'E0102', lng, lat })).join('\n'), 'application/x-ndjson')
      ).json()) as BulkResult;
      expect(body.accepted).toBe(500);
      await watcher.reconnect();
      await watcher.waitFor(() => watcher.createdNumbers().length >= 500, 20_000, '500 cases');
      expect(watcher.createdNumbers()).toEqual(numbersOf(body));
      const seqs = watcher.applied.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(watcher.feed.cases.size).toBeGreaterThanOrEqual(500);
    } finally {
      watcher.close();
    }
  });

  it('a burst bigger than one frame reaches a watching dashboard pushed, in parts, nothing fetched', async () => {
    const watcher = await Watcher.start(server.baseUrl, STREET, server.token);
    const quiet = await Watcher.start(server.baseUrl, QUIET_STREET, server.token);
    try {
      const body = (await (
        await server.post('/api/cases/bulk', points.slice(742, 1_042).map(([lng, lat], i) => JSON.stringify({ reportId: `frames-${driver}-${i}`, category: 'E0102', lng, lat })).join('\n'), 'application/x-ndjson')
      ).json()) as BulkResult;
      // More than a frame holds (256), in one intake batch.
      expect(300).toBeGreaterThan(MAX_EVENTS_PER_FRAME);
      expect(body.accepted).toBe(300);
      await watcher.expectAllInSequenceOnce(numbersOf(body));
      expect(watcher.rangeRequests).toBe(0);
      expect(watcher.applied.every((e) => watcher.pushed.has(e.seq))).toBe(true);
      expect(Math.max(...watcher.frameSizes)).toBeLessThanOrEqual(MAX_EVENTS_PER_FRAME);
      expect(watcher.frameSizes.reduce((a, b) => a + b, 0)).toBe(300);
      expect(watcher.frameSizes.length).toBeGreaterThan(1);
      // Every frame is complete for its part of the range, and the parts follow one another, so the
      // busy street's watcher applies each as it comes and gets no marks on their own; the quiet
      // street's gets only marks (one per range, each range one frame or more), and follows the same ranges.
      expect(watcher.completeFrames).toBe(watcher.frameSizes.length);
      watcher.frameRanges.forEach((range, k) => {
        expect(range.to).toBeGreaterThanOrEqual(range.from);
        if (k > 0) expect(range.from).toBeGreaterThan(watcher.frameRanges[k - 1]!.to);
      });
      expect(watcher.marks).toBe(0);
      await quiet.waitFor(() => quiet.feed.watermark >= watcher.feed.watermark, 10_000, 'the quiet street to follow');
      expect(quiet.frameSizes.length).toBe(0);
      expect(quiet.marks).toBeGreaterThanOrEqual(1);
      expect(quiet.marks).toBeLessThanOrEqual(watcher.frameSizes.length);
    } finally {
      watcher.close();
      quiet.close();
    }
  });

  it('a dashboard that missed more than the catch-up limit gets a fresh snapshot instead', async () => {
    const small = await startTestServer(driver, { broadcastTickMs: 20, catchUpLimit: 50 }, server.db);
    try {
      const watcher = await Watcher.start(small.baseUrl, STREET, small.token);
      watcher.disconnect();
      const body = (await (
        await small.post('/api/cases/bulk', points.slice(700, 740).map(([lng, lat], i) => JSON.stringify({ reportId: `limit-${driver}-${i}`, category: 'E0102', lng, lat })).join('\n'), 'application/x-ndjson')
      ).json()) as BulkResult;
      await watcher.reconnect();
      expect(watcher.lastWatch).toBe('snapshot');
      const open = new Set([...watcher.feed.cases.values()].map((c) => c.number));
      expect(numbersOf(body).every((n) => open.has(n))).toBe(true);
      watcher.close();
    } finally {
      await small.close();
    }
  });

  it('a wall of dashboards asking for snapshots at once, every one a big answer that waits its turn, all get them whole', async () => {
    // Every snapshot counts as big here, so the eight answers queue two at a time at the server's
    // turnstile (its order is tested in tests/unit/realtime/turnstile.test.ts); a stall fails this.
    const gated = await startTestServer(driver, { broadcastTickMs: 20, bigSnapshotCases: 0 }, server.db);
    const watchers: Watcher[] = [];
    try {
      watchers.push(...(await Promise.all(Array.from({ length: 8 }, () => Watcher.start(gated.baseUrl, STREET, gated.token)))));
      expect(watchers.every((w) => w.lastWatch === 'snapshot')).toBe(true);
      const [open] = await server.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE street_code = $1 AND closed_at IS NULL", [STREET]);
      expect(open!.n).toBeGreaterThan(0);
      for (const w of watchers) expect(w.feed.cases.size).toBe(open!.n);
      // The street's last snapshot was big, so the second wave takes its turns before reading: each
      // answer still comes whole and none stalls (a turn taken twice would never be let through).
      const second = await Promise.all(Array.from({ length: 8 }, () => Watcher.start(gated.baseUrl, STREET, gated.token)));
      watchers.push(...second);
      for (const w of second) expect([w.lastWatch, w.feed.cases.size]).toEqual(['snapshot', open!.n]);
    } finally {
      for (const w of watchers) w.close();
      await gated.close();
    }
  });

  it('a dashboard that missed a little gets exactly the events it missed, not a snapshot', async () => {
    const [watcher, witness] = await Promise.all([Watcher.start(server.baseUrl, STREET, server.token), Watcher.start(server.baseUrl, STREET, server.token)]);
    try {
      watcher.disconnect();
      const [lng, lat] = points[740]!;
      const ack = (await (await server.post('/api/cases', JSON.stringify({ reportId: `little-${driver}`, category: 'E0102', lng, lat }))).json()) as CaseAck;
      // Once a dashboard that stayed has seen it, the broadcast is over and cannot race the catch-up.
      await witness.expectAllInSequenceOnce([ack.caseNumber]);
      await watcher.reconnect();
      expect(watcher.lastWatch).toBe('events');
      expect(watcher.applied.map((e) => e.type)).toEqual(['filed', 'dispatched']);
    } finally {
      watcher.close();
      witness.close();
    }
  });

  it('a dashboard whose new connection hears a broadcast before it asks to watch still gets what it missed', async () => {
    const [watcher, witness] = await Promise.all([Watcher.start(server.baseUrl, STREET, server.token), Watcher.start(server.baseUrl, STREET, server.token)]);
    try {
      watcher.disconnect();
      const [lng, lat] = points[741]!;
      let number = '';
      await watcher.reconnect(undefined, async () => {
        // Connected, not yet watching: the broadcast of this case must not tell the feed its range is done.
        const ack = (await (await server.post('/api/cases', JSON.stringify({ reportId: `window-${driver}`, category: 'E0102', lng, lat }))).json()) as CaseAck;
        number = ack.caseNumber;
        await witness.expectAllInSequenceOnce([number]);
      });
      expect(watcher.lastWatch).toBe('events');
      expect(watcher.applied.map((e) => e.type)).toEqual(['filed', 'dispatched']);
      expect(watcher.createdNumbers()).toEqual([number]);
    } finally {
      watcher.close();
      witness.close();
    }
  });

  it("stores a new case's payload once per batch, and catch-up gives each of its events the case as broadcast", async () => {
    // Three reports at one spot in one batch: an original (filed, dispatched or queued, me-too) and two
    // likely duplicates (filed, linked). Only each case's last event of the batch stores the case. The
    // bulk's first report is written alone (group commit: the first waits for nothing); the three
    // queue behind it and go together.
    const [lng, lat] = points[0]!;
    const [blockerLng, blockerLat] = points[1]!;
    const lines = [JSON.stringify({ reportId: `shared-${driver}-first`, category: 'E0401', lng: blockerLng, lat: blockerLat })];
    for (const i of [0, 1, 2]) lines.push(JSON.stringify({ reportId: `shared-${driver}-${i}`, category: 'E0202', lng, lat: lat + i * 1e-5 }));
    const body = (await (await server.post('/api/cases/bulk', lines.join('\n'), 'application/x-ndjson')).json()) as BulkResult;
    expect(body.accepted).toBe(4);
    const acks = body.results.slice(1).map((r) => (r as { data: CaseAck }).data);
    const stored = await server.db.sql.query<{ seq: number; number: string; type: string; stored: boolean }>(
      `SELECT e.seq::int, c.case_number AS number, e.type, e.payload IS NOT NULL AS stored FROM case_events e JOIN cases c ON c.id = e.case_id
       WHERE c.report_id = ANY($1::text[]) ORDER BY e.seq`,
      [[0, 1, 2].map((i) => `shared-${driver}-${i}`)],
    );
    const [original, ...duplicates] = acks.map((a) => a.caseNumber);
    const of = (number: string | undefined): [string, boolean][] => stored.filter((r) => r.number === number).map((r) => [r.type, r.stored]);
    expect(of(original)).toEqual([['filed', false], [acks[0]!.status, false], ['me-too', true]]);
    for (const number of duplicates) expect(of(number)).toEqual([['filed', false], ['linked', true]]);

    const events = await server.db.store.cases.events(STREET, stored[0]!.seq, stored[stored.length - 1]!.seq, 1_000);
    const ours = events!.filter((e) => acks.some((a) => a.caseNumber === e.case.number));
    expect(ours.map((e) => e.seq)).toEqual(stored.map((r) => r.seq));
    for (const ack of acks) {
      const cases = ours.filter((e) => e.case.number === ack.caseNumber).map((e) => e.case);
      for (const c of cases) expect(c).toEqual(cases[cases.length - 1]);
      expect(cases[0]).toMatchObject({ id: ack.caseId, status: ack.status, assignee: ack.assignee, duplicateOf: ack.duplicateOf });
    }
    expect(ours.find((e) => e.case.number === original)!.case.reportsCount).toBe(3);
  });

  it('leaves a payload NULL only where the same case\'s next event of the statement carries that very payload', async () => {
    const lines = [2, 3].map((i) => JSON.stringify({ reportId: `payload-rule-${driver}-${i}`, category: 'C0101', lng: points[i]![0], lat: points[i]![1] }));
    const body = (await (await server.post('/api/cases/bulk', lines.join('\n'), 'application/x-ndjson')).json()) as BulkResult;
    const [a, b] = await Promise.all(numbersOf(body).map((n) => server.db.store.cases.byNumber(n)));
    const p = { ...a!, reportsCount: 7 };
    const q = { ...a!, reportsCount: 8 };
    const r = { ...b!, reportsCount: 9 };
    // Interleaved: a p, b r, a q, a p, b r. Only b's first r may lean on a later row: a's first p
    // is followed by a's q, so a reader taking a's next payload would get the wrong case.
    const plan = [p, r, q, p, r];
    const [last] = await server.db.sql.query<{ hash: string }>('SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1');
    const seqs = await server.db.store.cases.batch(async (batch) => {
      const drawn = await batch.drawForBatch(0, plan.length);
      expect(drawn.lastEventHash).toBe(last!.hash);
      await batch.insertEvents(
        plan.map((payload, k) => ({
          seq: drawn.seqs[k]!,
          caseId: payload.id,
          type: 'me-too',
          kind: 'case:updated',
          actor: 'test',
          at: new Date(),
          data: { added: 1, reportsCount: payload.reportsCount },
          payload,
          prevHash: null,
          hash: `test-${driver}-${k}`,
        })),
      );
      return drawn.seqs;
    });
    const stored = await server.db.sql.query<{ stored: boolean }>('SELECT payload IS NOT NULL AS stored FROM case_events WHERE seq = ANY($1::bigint[]) ORDER BY seq', [seqs]);
    expect(stored.map((row) => row.stored)).toEqual([true, false, true, true, true]);
    const events = await server.db.store.cases.events('110108', seqs[0]!, seqs[4]!, 100);
    expect(events!.map((e) => [e.case.id, e.case.reportsCount])).toEqual(plan.map((c) => [c.id, c.reportsCount]));
  });

  it('every dashboard sees a burst from many reporters complete, in sequence order, each event once', async () => {
    const watchers = await Promise.all([Watcher.start(server.baseUrl, STREET, server.token), Watcher.start(server.baseUrl, '110108', server.token), Watcher.start(server.baseUrl, STREET, server.token)]);
    const reporters = Array.from({ length: 8 }, () => connect(server.baseUrl, server.token));
    try {
      const reports = points.slice(500, 700).map(([lng, lat], i) => ({ reportId: `burst-${driver}-${i}`, category: 'E0102', lng, lat }));
      const acks = await Promise.all(reports.map((r, i) => reportOverSocket(reporters[i % reporters.length]!, r)));
      expect(acks.every((a) => a.ok)).toBe(true);
      const numbers = acks.map((a) => (a as { data: CaseAck }).data.caseNumber);
      for (const w of watchers) await w.expectAllInSequenceOnce(numbers);
    } finally {
      for (const w of watchers) w.close();
      for (const r of reporters) r.close();
    }
  });
});
