import { describe, expect, it } from 'vitest';
import type { CaseEventMessage } from '../../../core/cases/case-summary.ts';
import type { EventBatchWire } from '../../../core/protocol/cases-api.ts';
import { BRIEF_LENGTH, briefOf, CASE_ROW_FIELDS, caseRowOf, eventBatchOf, eventRowOf, liveCaseOf, liveEventOf, packedEventsOf, watchResultOf } from '../../../core/protocol/live-wire.ts';
import { buildCaseSummary } from './live-feed-builders.ts';

const ms = (iso: string): number => Date.parse(iso);

describe('the live wire (cases as rows)', () => {
  it('carries every live field of a case, through JSON, as the summary had it', () => {
    const summary = buildCaseSummary({
      id: 987_654,
      point: [116.312345678, 39.987654321],
      status: 'handling',
      tier: 'street',
      queue: { kind: 'street', streetCode: '110108011' },
      assignee: { id: 'P042', name: '王芳', departmentCode: 'D01' },
      departmentCode: 'D01',
      reportsCount: 3,
      description: '路边暴露垃圾',
      reportedAt: '2026-11-27T09:03:00.123Z',
      acceptDueAt: '2026-11-27T09:33:00.000Z',
      resolveDueAt: '2026-11-28T09:03:00.000Z',
      acceptedAt: '2026-11-27T09:10:00.000Z',
      closedAt: null,
      overdueAcceptAt: null,
      overdueResolveAt: '2026-11-28T09:04:00.000Z',
      escalatedAt: '2026-11-28T09:05:00.000Z',
    });
    const row = JSON.parse(JSON.stringify(caseRowOf(summary))) as ReturnType<typeof caseRowOf>;
    expect(row).toHaveLength(CASE_ROW_FIELDS.length);
    expect(liveCaseOf(row)).toEqual({
      id: 987_654,
      number: summary.number,
      category: 'E0102',
      severity: 2,
      point: [116.3123457, 39.9876543],
      gridCode: summary.gridCode,
      communityCode: summary.communityCode,
      streetCode: summary.streetCode,
      status: 'handling',
      tier: 'street',
      queue: { kind: 'street', streetCode: '110108011' },
      assignee: { id: 'P042', name: '王芳', departmentCode: 'D01' },
      departmentCode: 'D01',
      reportsCount: 3,
      brief: '路边暴露垃圾',
      reportedMs: ms('2026-11-27T09:03:00.123Z'),
      acceptDueMs: ms('2026-11-27T09:33:00.000Z'),
      resolveDueMs: ms('2026-11-28T09:03:00.000Z'),
      acceptedMs: ms('2026-11-27T09:10:00.000Z'),
      closedMs: null,
      overdueAcceptMs: null,
      overdueResolveMs: ms('2026-11-28T09:04:00.000Z'),
      escalatedMs: ms('2026-11-28T09:05:00.000Z'),
    });
  });

  it('keeps each kind of queue, and a case nobody holds', () => {
    for (const queue of [{ kind: 'person', personId: 'P7' }, { kind: 'street', streetCode: '110108012' }, { kind: 'district' }] as const) {
      expect(liveCaseOf(caseRowOf(buildCaseSummary({ queue, assignee: null }))).queue).toEqual(queue);
    }
    expect(liveCaseOf(caseRowOf(buildCaseSummary({ assignee: null, gridCode: null, communityCode: null, streetCode: null })))).toMatchObject({
      assignee: null,
      gridCode: null,
      communityCode: null,
      streetCode: null,
    });
  });

  it('cuts a long description to a brief (whole where short), by characters, never through one', () => {
    expect(briefOf('短')).toBe('短');
    const exact = 'x'.repeat(BRIEF_LENGTH);
    expect(briefOf(exact)).toBe(exact);
    const long = '井盖缺失'.repeat(40);
    expect(briefOf(long)).toBe(`${long.slice(0, BRIEF_LENGTH)}…`);
    // Characters are code points (as the database counts them): an emoji is one, never halved.
    const straddling = `${'a'.repeat(BRIEF_LENGTH - 1)}🚧 and more`;
    expect(briefOf(straddling)).toBe(`${'a'.repeat(BRIEF_LENGTH - 1)}🚧…`);
    const emoji = '🚧'.repeat(BRIEF_LENGTH);
    expect(briefOf(emoji)).toBe(emoji);
  });

  it('carries events and batches, and both kinds of watch answer', () => {
    const event: CaseEventMessage = { seq: 41, kind: 'case:created', type: 'dispatched', at: '2026-11-27T09:03:01.000Z', case: buildCaseSummary({ id: 5 }) };
    const updated: CaseEventMessage = { ...event, seq: 42, kind: 'case:updated', type: 'accepted' };
    expect(liveEventOf(eventRowOf(event))).toEqual({ seq: 41, kind: 'case:created', type: 'dispatched', atMs: ms(event.at), case: liveCaseOf(caseRowOf(event.case)) });
    expect(liveEventOf(eventRowOf(updated)).kind).toBe('case:updated');
    // Through JSON, as socket.io carries it.
    const wire = JSON.parse(JSON.stringify({ from: 41, to: 43, area: '110108011', ...packedEventsOf([eventRowOf(event), eventRowOf(updated)]), complete: true })) as EventBatchWire;
    const batch = eventBatchOf(wire);
    expect(batch).toMatchObject({ from: 41, to: 43, area: '110108011', complete: true });
    expect(batch.events).toEqual([liveEventOf(eventRowOf(event)), liveEventOf(eventRowOf(updated))]);
    expect(() => eventBatchOf({ ...wire, count: 3 })).toThrow(/3 packed events came as 2/);
    // A snapshot's rows come as the bytes of one JSON array: a Buffer in Node, an ArrayBuffer in a browser.
    const bytes = Buffer.from(JSON.stringify([caseRowOf(event.case)]));
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    for (const rows of [bytes, arrayBuffer]) {
      expect(watchResultOf({ kind: 'snapshot', area: '110108', seq: 42, count: 1, rows })).toEqual({ kind: 'snapshot', area: '110108', seq: 42, cases: [liveCaseOf(caseRowOf(event.case))] });
    }
    expect(() => watchResultOf({ kind: 'snapshot', area: '110108', seq: 42, count: 2, rows: bytes })).toThrow(/2 cases came with 1 rows/);
    expect(watchResultOf({ kind: 'events', area: '110108', from: 41, to: 42, ...packedEventsOf([eventRowOf(event)]) })).toMatchObject({ kind: 'events', from: 41, to: 42, events: [{ seq: 41 }] });
    expect(watchResultOf({ kind: 'events', area: '110108', from: 43, to: 42, ...packedEventsOf([]) })).toEqual({ kind: 'events', area: '110108', from: 43, to: 42, events: [] });
  });

  it('is well under half the bytes of the summary for a typical case', () => {
    const summary = buildCaseSummary({ id: 123_456, description: '路边暴露垃圾，影响市容，请尽快处理', acceptDueAt: '2026-11-27T09:33:00.000Z', resolveDueAt: '2026-11-28T09:03:00.000Z' });
    const event: CaseEventMessage = { seq: 123_456, kind: 'case:created', type: 'dispatched', at: '2026-11-27T09:03:01.000Z', case: summary };
    const rowBytes = Buffer.byteLength(JSON.stringify(eventRowOf(event)));
    const summaryBytes = Buffer.byteLength(JSON.stringify(event));
    expect(rowBytes / summaryBytes).toBeLessThan(0.45);
  });
});
