/**
 * What a dashboard spends to take in live events: `npm run bench:live-wire`.
 *
 * One process plays 180 district dashboards (as bench:ingest's) receiving the same `case:events`
 * frames: each frame's socket.io text is turned into a string, parsed, its events decoded and handed
 * to the dashboard's LiveFeed (keepCases: false, as the web client), which applies them. Frames of
 * 50 and 256 events (a 50 ms tick at 1,000 cases/s; the largest frame the server sends) of realistic
 * cases: the district's grids, its roster, the catalogue, Chinese briefs. Measured against the
 * naive baseline in the same run: the same events as JSON rows (the wire before packed events).
 * Prints CPU per delivered event (this process's user + system time, the collector's threads
 * included) and bytes per event; the last line is one JSON object.
 *   BENCH_LIVE_WIRE_ROUNDS=N  (default 3) rounds of 40 frames per size and encoding
 */
import { join } from 'node:path';
import { eventBatchOf, type EventRow, liveEventOf, packedEventsOf } from '../core/protocol/live-wire.ts';
import type { EventBatch } from '../core/protocol/cases-api.ts';
import { LiveFeed } from '../core/realtime/live-feed.ts';
import { readReferenceData } from '../server/reference/read-reference-data.ts';
import { ROOT } from './bench/processes.ts';
import { MAX_EVENTS_PER_FRAME } from '../server/realtime/broadcaster.ts';

const DASHBOARDS = 180;
const FRAMES = 40;
const ROUNDS = Math.max(1, Math.floor(Number(process.env['BENCH_LIVE_WIRE_ROUNDS'] ?? 3)));
const SIZES = [50, MAX_EVENTS_PER_FRAME] as const;
const BRIEFS = ['路边暴露垃圾，影响市容，请尽快处理', '井盖缺失，行人车辆通行存在安全隐患', '占道经营，早市摊贩堵塞人行道', '绿化带内树木倒伏，压住了非机动车道', '道路积水严重，车辆无法通行'];

const reference = readReferenceData(join(ROOT, 'geodata'));
const grids = reference.geography.grids.map((g) => g.code);
const people = reference.roster;
const categories = reference.catalogue.categories;

/** A random but realistic event row, as the server makes it before encoding. */
function eventRow(seq: number, at: number): EventRow {
  const grid = grids[(seq * 7919) % grids.length]!;
  const category = categories[(seq * 31) % categories.length]!;
  const person = people[(seq * 104_729) % people.length]!;
  const brief = `${BRIEFS[seq % BRIEFS.length]!}（${(seq % 97) + 1}号楼）`;
  return [
    seq,
    seq % 4 === 0 ? 'u' : 'c',
    seq % 4 === 0 ? 'accepted' : 'dispatched',
    at,
    [
      seq, `HD20261129-${String(seq).padStart(7, '0')}`, category.code, category.severity, Math.round((116.2 + ((seq * 0.618) % 0.2)) * 1e7) / 1e7, Math.round((39.9 + ((seq * 0.414) % 0.1)) * 1e7) / 1e7,
      grid, grid.slice(0, 12), grid.slice(0, 9), seq % 4 === 0 ? 'handling' : 'dispatched', 'grid',
      'person', person.id, person.id, person.name, person.departmentCode, category.department,
      1 + (seq % 3 === 0 ? 1 : 0), brief,
      at - 40, at + 1_800_000, at + 86_400_000, seq % 4 === 0 ? at : null, null, null, null, null,
    ],
  ];
}

type Encoding = 'json-rows' | 'packed';

/** The frame as socket.io sends it: `42["case:events",{…}]`, in UTF-8. */
function frameOf(encoding: Encoding, rows: readonly EventRow[]): Buffer {
  const head = { from: rows[0]![0], to: rows[rows.length - 1]![0], area: reference.geography.district.code };
  const body = encoding === 'packed' ? { ...head, ...packedEventsOf(rows), complete: true } : { ...head, events: rows, complete: true };
  return Buffer.from(`42${JSON.stringify(['case:events', body])}`);
}

function decode(encoding: Encoding, frame: Buffer): EventBatch {
  const [, wire] = JSON.parse(frame.toString('utf8').slice(2)) as [string, Record<string, unknown>];
  if (encoding === 'packed') return eventBatchOf(wire as unknown as Parameters<typeof eventBatchOf>[0]);
  const { from, to, area, events } = wire as { from: number; to: number; area: string; events: EventRow[] };
  return { from, to, area, events: events.map(liveEventOf), complete: true };
}

interface Measured {
  readonly encoding: Encoding;
  readonly eventsPerFrame: number;
  readonly deliveries: number;
  readonly cpuNsPerDelivery: number;
  readonly wallNsPerDelivery: number;
  readonly bytesPerEvent: number;
}

function measure(encoding: Encoding, size: number): Measured {
  const now = Date.now();
  const frames = Array.from({ length: FRAMES }, (_, f) => frameOf(encoding, Array.from({ length: size }, (_, i) => eventRow(1 + f * size + i, now + f))));
  let applied = 0;
  let deliveries = 0;
  const run = (): void => {
    const feeds = Array.from({ length: DASHBOARDS }, () => {
      const feed = new LiveFeed(reference.geography.district.code, { requestRange: () => undefined }, { keepCases: false });
      feed.receiveWatch({ kind: 'events', area: reference.geography.district.code, from: 1, to: 0, events: [] });
      // What a dashboard does with an event at the least: look at it.
      feed.onApply((events) => {
        for (const e of events) if (e.case.brief.length > 0 && e.kind === 'case:created') applied++;
      });
      return feed;
    });
    for (const frame of frames) for (const feed of feeds) feed.receiveEvents(decode(encoding, frame));
    deliveries += DASHBOARDS * FRAMES * size;
  };
  run(); // warm-up: compiled code, grown heap
  deliveries = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) run();
  const wallNs = Number(process.hrtime.bigint() - started);
  const used = process.cpuUsage(cpu);
  if (applied === 0) throw new Error('no event was applied');
  return {
    encoding,
    eventsPerFrame: size,
    deliveries,
    cpuNsPerDelivery: Math.round(((used.user + used.system) * 1000) / deliveries),
    wallNsPerDelivery: Math.round(wallNs / deliveries),
    bytesPerEvent: Math.round(frames.reduce((a, f) => a + f.length, 0) / (FRAMES * size)),
  };
}

const results: Measured[] = [];
for (const size of SIZES) {
  for (const encoding of ['json-rows', 'packed'] as const) {
    const m = measure(encoding, size);
    results.push(m);
    process.stderr.write(`${String(size).padStart(3)} events/frame  ${encoding.padEnd(9)}  ${m.cpuNsPerDelivery.toLocaleString('en')} ns CPU per event per dashboard (wall ${m.wallNsPerDelivery.toLocaleString('en')})  ${m.bytesPerEvent} bytes per event\n`);
  }
}
const ratios = Object.fromEntries(
  SIZES.map((size) => {
    const naive = results.find((r) => r.encoding === 'json-rows' && r.eventsPerFrame === size)!;
    const packed = results.find((r) => r.encoding === 'packed' && r.eventsPerFrame === size)!;
    return [`frame${size}`, { cpuNaiveOverPacked: Math.round((naive.cpuNsPerDelivery / packed.cpuNsPerDelivery) * 100) / 100, bytesPackedOverNaive: Math.round((packed.bytesPerEvent / naive.bytesPerEvent) * 100) / 100 }];
  }),
);
for (const [frame, r] of Object.entries(ratios)) process.stderr.write(`${frame}: packed takes ${r.cpuNaiveOverPacked}× less CPU than JSON rows, at ${r.bytesPackedOverNaive}× the bytes\n`);
process.stdout.write(`${JSON.stringify({ benchmark: 'live-wire', dashboards: DASHBOARDS, rounds: ROUNDS, results, ratios })}\n`);
