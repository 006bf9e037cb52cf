import { describe, expect, it } from 'vitest';
import type { CaseEventMessage, CaseSummary } from '../../../core/cases/case-summary.ts';
import { base64Of, base64OfPortable, bytesOfBase64Portable, bytesOfBase64Reused } from '../../../core/protocol/base64.ts';
import { LIVE_COLUMNS_VERSION, packEvents, unpackEvents } from '../../../core/protocol/live-columns.ts';
import type { EventBatchWire } from '../../../core/protocol/cases-api.ts';
import { eventBatchOf, eventRowOf, liveEventOf, packedEventsOf, type EventRow } from '../../../core/protocol/live-wire.ts';
import { buildCaseSummary } from './live-feed-builders.ts';

function eventOf(seq: number, overrides: Partial<CaseSummary> = {}, kind: CaseEventMessage['kind'] = 'case:created'): EventRow {
  return eventRowOf({ seq, kind, type: kind === 'case:created' ? 'dispatched' : 'accepted', at: '2026-11-27T09:03:01.123Z', case: buildCaseSummary({ id: seq * 3, ...overrides }) });
}

/** Every shape a live case takes: each queue, nobody holding it, no area, every time set or null, text of every width. */
const VARIED: EventRow[] = [
  eventOf(1),
  eventOf(2, { queue: { kind: 'street', streetCode: '110108012' }, assignee: null, status: 'queued', tier: 'street', description: '井盖缺失'.repeat(30) }, 'case:updated'),
  eventOf(3, { queue: { kind: 'district' }, assignee: null, gridCode: null, communityCode: null, streetCode: null, departmentCode: null, status: 'queued', description: '🚧 emoji and "quotes", back\\slash, tab\tnew\nline' }),
  eventOf(4, {
    id: 2 ** 40 + 1,
    point: [-179.9999999, -89.9999999],
    severity: 3,
    reportsCount: 4_000_000,
    reportedAt: '1999-12-31T23:59:59.999Z',
    acceptDueAt: '2026-11-27T09:33:00.000Z',
    resolveDueAt: '2026-11-28T09:03:00.000Z',
    acceptedAt: '2026-11-27T09:10:00.000Z',
    closedAt: '2026-11-28T08:00:00.000Z',
    overdueAcceptAt: '2026-11-27T09:34:00.000Z',
    overdueResolveAt: '2026-11-28T09:04:00.000Z',
    escalatedAt: '2026-11-28T09:05:00.000Z',
    assignee: { id: 'P042', name: '王芳', departmentCode: 'D01' },
  }),
  eventOf(5, { description: '' }),
];

describe('live columns (how events travel)', () => {
  it('gives back every event exactly as its row says, whatever the case holds', () => {
    expect(unpackEvents(packEvents(VARIED))).toEqual(VARIED.map(liveEventOf));
    expect(unpackEvents(packEvents([]))).toEqual([]);
  });

  it('reads bytes wherever they sit in memory (a Node Buffer is a slice of a pool)', () => {
    const packed = packEvents(VARIED);
    for (const shift of [1, 3, 4, 8]) {
      const backing = new Uint8Array(packed.length + shift);
      backing.set(packed, shift);
      expect(unpackEvents(backing.subarray(shift))).toEqual(VARIED.map(liveEventOf));
    }
  });

  it('stores each distinct string once and switches to wide indexes past 65,534 of them', () => {
    const repeated = Array.from({ length: 100 }, (_, i) => eventOf(10 + i, { number: 'HD-SAME', description: 'same' }));
    const repeatedBytes = packEvents(repeated).length;
    expect(packEvents(repeated.slice(0, 1)).length * 100).toBeGreaterThan(repeatedBytes * 1.5);
    // Every case its own number and brief: 2 × 33,000 distinct strings.
    const many = Array.from({ length: 33_000 }, (_, i) => eventOf(i + 1, { description: `说明 ${i}` }));
    const packed = packEvents(many);
    expect(new DataView(packed.buffer).getUint32(8, true)).toBe(4);
    const back = unpackEvents(packed);
    expect(back).toHaveLength(33_000);
    expect(back[32_999]).toEqual(liveEventOf(many[32_999]!));
    expect(back[12_345]!.case.brief).toBe('说明 12345');
  });

  it('refuses what it cannot carry and bytes that are not its own', () => {
    expect(() => packEvents([eventOf(1, { description: 'nul \u0000 inside' })])).toThrow(/U\+0000/);
    const packed = packEvents(VARIED);
    expect(() => unpackEvents(packed.subarray(0, 10))).toThrow(/too short/);
    expect(() => unpackEvents(packed.subarray(0, packed.length - 1))).toThrow(/should be \d+ bytes/);
    const otherVersion = packed.slice();
    new DataView(otherVersion.buffer).setUint32(0, LIVE_COLUMNS_VERSION + 1, true);
    expect(() => unpackEvents(otherVersion)).toThrow(/version/);
    const badWidth = packed.slice();
    new DataView(badWidth.buffer).setUint32(8, 3, true);
    expect(() => unpackEvents(badWidth)).toThrow(/3-byte/);
    // A string index past the table (the type column of the first event).
    const badIndex = packed.slice();
    const n = VARIED.length;
    const indexesAt = (16 + 11 * n * 8 + 3 * n * 4 + 7) & ~7;
    new DataView(badIndex.buffer).setUint16(indexesAt + n * 2, 60_000, true);
    expect(() => unpackEvents(badIndex)).toThrow(/string 60000 of event 0 is not in the table/);
  });

  it('is a tenth smaller than the same events as JSON rows, base64 included', () => {
    const typical = Array.from({ length: 128 }, (_, i) =>
      eventOf(1000 + i, { description: `bench p=rate1000 t=${1_780_000_000_000 + i} 路边暴露垃圾，影响市容，请尽快处理`, assignee: { id: `P${i % 9}`, name: '李强', departmentCode: 'D01' }, acceptDueAt: '2026-11-27T09:33:00.000Z', resolveDueAt: '2026-11-28T09:03:00.000Z' }),
    );
    const jsonBytes = Buffer.byteLength(JSON.stringify(typical));
    expect(base64Of(packEvents(typical)).length).toBeLessThan(jsonBytes * 0.9);
  });
});

describe('packed events on the wire', () => {
  it('decodes a small frame after a big one (the decoder reuses its buffer) and leaves nothing of it in the events', () => {
    const big = Array.from({ length: 300 }, (_, i) => eventOf(100 + i, { description: `大的 ${i}` }));
    const wire = (rows: EventRow[]): EventBatchWire => JSON.parse(JSON.stringify({ from: 1, to: 999, area: '110108011', ...packedEventsOf(rows) })) as EventBatchWire;
    const first = eventBatchOf(wire(big)).events;
    const second = eventBatchOf(wire(VARIED)).events;
    expect(second).toEqual(VARIED.map(liveEventOf));
    expect(first).toEqual(big.map(liveEventOf));
    expect(eventBatchOf(wire([])).events).toEqual([]);
    expect(() => eventBatchOf({ ...wire(VARIED), packed: 'AAAA' })).toThrow(/too short/);
  });
});

describe('base64', () => {
  it('agrees with Node for every length and byte', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 255);
      const text = Buffer.from(bytes).toString('base64');
      expect(base64OfPortable(bytes)).toBe(text);
      expect(base64Of(bytes)).toBe(text);
      expect(bytesOfBase64Portable(text)).toEqual(bytes);
      expect(bytesOfBase64Portable(text, new Uint8Array(100).fill(7))).toEqual(bytes);
      expect(new Uint8Array(bytesOfBase64Reused(text))).toEqual(bytes);
    }
  });

  it('refuses text that is not base64', () => {
    expect(() => bytesOfBase64Portable('abc')).toThrow(/3 characters/);
    expect(() => bytesOfBase64Reused('abcde')).toThrow(/5 characters/);
    expect(() => bytesOfBase64Portable('ab!d')).toThrow(/"!" at 2/);
    expect(() => bytesOfBase64Portable('ab中d')).toThrow(/at 2/);
  });
});
