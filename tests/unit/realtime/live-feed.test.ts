import { describe, expect, it } from 'vitest';
import { LiveFeed } from '../../../core/realtime/live-feed.ts';
import { buildBatch, buildCaseSummary, buildEvent, buildRange, buildSnapshot, createRecordedFeed, createStartedFeed, OTHER } from './live-feed-builders.ts';

describe('LiveFeed: before the first snapshot', () => {
  it('starts with watermark -1 and no cases', () => {
    const { feed } = createRecordedFeed();
    expect([feed.watermark, feed.cases.size]).toEqual([-1, 0]);
  });

  it('applies nothing and asks for nothing when marks with gaps arrive before the snapshot', () => {
    const { feed, requests, applied } = createRecordedFeed();
    feed.receiveEvents(buildBatch(5, 6, [buildEvent(5)]));
    feed.receiveMark({ from: 5, to: 6 });
    expect([applied.length, requests.length, feed.watermark]).toEqual([0, 0, -1]);
  });

  it('ignores heartbeats before the snapshot', () => {
    const { feed, requests } = createRecordedFeed();
    feed.receiveWatermark(10);
    expect(requests).toEqual([]);
  });
});

describe('LiveFeed: snapshots', () => {
  it('takes the cases and the sequence of a snapshot', () => {
    const { feed, caseIds } = createRecordedFeed();
    feed.receiveWatch(buildSnapshot(42, [buildCaseSummary({ id: 7 }), buildCaseSummary({ id: 9 })]));
    expect([feed.watermark, caseIds()]).toEqual([42, [7, 9]]);
  });

  it('does not report snapshot cases as applied events', () => {
    const { feed, applied } = createRecordedFeed();
    feed.receiveWatch(buildSnapshot(42, [buildCaseSummary({ id: 7 })]));
    expect(applied).toEqual([]);
  });

  it('replaces the cases it had with those of a later snapshot', () => {
    const { feed, caseIds } = createStartedFeed(3, [buildCaseSummary({ id: 1 }), buildCaseSummary({ id: 2 })]);
    feed.receiveWatch(buildSnapshot(20, [buildCaseSummary({ id: 2 }), buildCaseSummary({ id: 15 })]));
    expect(caseIds()).toEqual([2, 15]);
  });

  it('applies the events buffered above a late snapshot once their mark is in, skipping those it covers', () => {
    const { feed, appliedSeqs } = createRecordedFeed();
    feed.receiveEvents(buildBatch(3, 4, [buildEvent(3), buildEvent(4)]));
    feed.receiveMark({ from: 3, to: 4 });
    feed.receiveEvents(buildBatch(5, 6, [buildEvent(5), buildEvent(6)]));
    feed.receiveMark({ from: 5, to: 6 });
    feed.receiveWatch(buildSnapshot(4, [buildCaseSummary({ id: 3 }), buildCaseSummary({ id: 4 })]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[5, 6], 6]);
  });

  it('keeps the snapshot cases and adds the buffered events above it', () => {
    const { feed, caseIds } = createRecordedFeed();
    feed.receiveEvents(buildBatch(5, 6, [buildEvent(5)]));
    feed.receiveMark({ from: 5, to: 6 });
    feed.receiveWatch(buildSnapshot(4, [buildCaseSummary({ id: 2 })]));
    expect(caseIds()).toEqual([2, 5]);
  });

  it('drops buffered events a snapshot already covers, even when their mark comes later', () => {
    const { feed, applied } = createRecordedFeed();
    feed.receiveEvents(buildBatch(3, 4, [buildEvent(3)]));
    feed.receiveWatch(buildSnapshot(8));
    feed.receiveMark({ from: 3, to: 4 });
    expect([applied.length, feed.watermark]).toEqual([0, 8]);
  });

  it('holds events above the snapshot until their mark arrives', () => {
    const { feed, appliedSeqs } = createRecordedFeed();
    feed.receiveEvents(buildBatch(9, 9, [buildEvent(9)]));
    feed.receiveWatch(buildSnapshot(8));
    expect(appliedSeqs()).toEqual([]);
    feed.receiveMark({ from: 9, to: 9 });
    expect(appliedSeqs()).toEqual([9]);
  });

  it('asks for the gap between a snapshot and an earlier-received later mark', () => {
    const { feed, requests } = createRecordedFeed();
    feed.receiveMark({ from: 12, to: 14 });
    feed.receiveWatch(buildSnapshot(8));
    expect(requests).toEqual([[9, 11]]);
  });
});

describe('LiveFeed: in-order delivery', () => {
  it('applies a batch\'s events when its mark arrives', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 3, [buildEvent(1), buildEvent(3)]));
    feed.receiveMark({ from: 1, to: 3 });
    expect([appliedSeqs(), feed.watermark]).toEqual([[1, 3], 3]);
  });

  it('applies a range whose last frame says it is complete, without a separate mark', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 4, [buildEvent(1), buildEvent(3)]));
    expect(appliedSeqs()).toEqual([]);
    feed.receiveEvents({ ...buildBatch(1, 4, [buildEvent(4)]), complete: true });
    expect([appliedSeqs(), feed.watermark]).toEqual([[1, 3, 4], 4]);
  });

  it('applies whole frames that follow each other at once, one call each, asking for nothing', () => {
    const { feed, applyCalls, requests } = createStartedFeed();
    feed.receiveEvents({ ...buildBatch(1, 3, [buildEvent(1), buildEvent(3)]), complete: true });
    feed.receiveEvents({ ...buildBatch(4, 6, []), complete: true });
    feed.receiveEvents({ ...buildBatch(7, 9, [buildEvent(8)]), complete: true });
    expect([applyCalls, feed.watermark, requests]).toEqual([[[1, 3], [8]], 9, []]);
    expect([...feed.cases.keys()]).toEqual([1, 3, 8]);
  });

  it('applies only the newer events of a whole frame that overlaps what it has', () => {
    const { feed, appliedSeqs } = createStartedFeed(5);
    feed.receiveEvents({ ...buildBatch(4, 8, [buildEvent(4), buildEvent(5), buildEvent(6), buildEvent(8)]), complete: true });
    expect([appliedSeqs(), feed.watermark]).toEqual([[6, 8], 8]);
  });

  it('applies a whole frame whose events are out of order, sorted, and one that skips ahead only after the gap', () => {
    const { feed, appliedSeqs, requests } = createStartedFeed();
    feed.receiveEvents({ ...buildBatch(1, 3, [buildEvent(3), buildEvent(1)]), complete: true });
    expect([appliedSeqs(), feed.watermark]).toEqual([[1, 3], 3]);
    feed.receiveEvents({ ...buildBatch(6, 7, [buildEvent(7)]), complete: true });
    expect([appliedSeqs(), feed.watermark, requests]).toEqual([[1, 3], 3, [[4, 5]]]);
    feed.receiveWatch(buildRange(4, 5, [buildEvent(4)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[1, 3, 4, 7], 7]);
  });

  it('takes no mark from another area\'s complete frame', () => {
    const { feed, applied } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 3, [buildEvent(1)]));
    feed.receiveEvents({ ...buildBatch(1, 3, [buildEvent(2)], OTHER), complete: true });
    expect([applied.length, feed.watermark]).toEqual([0, 0]);
  });

  it('does not apply events before their mark', () => {
    const { feed, applied } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 3, [buildEvent(1), buildEvent(3)]));
    expect([applied.length, feed.watermark]).toEqual([0, 0]);
  });

  it('applies consecutive batches in sequence order and asks for nothing', () => {
    const { feed, appliedSeqs, requests } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 3, [buildEvent(1), buildEvent(2)]));
    feed.receiveMark({ from: 1, to: 3 });
    feed.receiveEvents(buildBatch(4, 5, [buildEvent(5)]));
    feed.receiveMark({ from: 4, to: 5 });
    expect([appliedSeqs(), requests]).toEqual([[1, 2, 5], []]);
  });

  it('sorts a batch\'s events by sequence number before applying them', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 4, [buildEvent(4), buildEvent(1), buildEvent(3)]));
    feed.receiveMark({ from: 1, to: 4 });
    expect(appliedSeqs()).toEqual([1, 3, 4]);
  });

  it('moves the watermark over a quiet range whose mark carries no events for the area', () => {
    const { feed, applied, requests } = createStartedFeed(10);
    feed.receiveMark({ from: 11, to: 20 });
    expect([feed.watermark, applied.length, requests.length]).toEqual([20, 0, 0]);
  });

  it('applies only up to the mark, keeping later buffered events for the next mark', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(2)]));
    feed.receiveEvents(buildBatch(3, 4, [buildEvent(3)]));
    feed.receiveMark({ from: 1, to: 2 });
    expect(appliedSeqs()).toEqual([2]);
    feed.receiveMark({ from: 3, to: 4 });
    expect(appliedSeqs()).toEqual([2, 3]);
  });

  it('ignores a mark for a range already applied', () => {
    const { feed, requests, applied } = createStartedFeed(10);
    feed.receiveMark({ from: 4, to: 6 });
    expect([feed.watermark, requests.length, applied.length]).toEqual([10, 0, 0]);
  });
});

describe('LiveFeed: several servers interleaved', () => {
  // Server A commits 1..2 and 5..6; server B commits 3..4 and 7..8. Each server's events come
  // before its mark, but the two servers' messages interleave.
  function deliverInterleaved() {
    const recorded = createStartedFeed();
    const { feed } = recorded;
    feed.receiveEvents(buildBatch(3, 4, [buildEvent(3), buildEvent(4)]));
    feed.receiveMark({ from: 3, to: 4 });
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(1), buildEvent(2)]));
    feed.receiveEvents(buildBatch(7, 8, [buildEvent(7), buildEvent(8)]));
    feed.receiveMark({ from: 1, to: 2 });
    feed.receiveMark({ from: 7, to: 8 });
    feed.receiveEvents(buildBatch(5, 6, [buildEvent(5), buildEvent(6)]));
    feed.receiveMark({ from: 5, to: 6 });
    return recorded;
  }

  it('applies every event exactly once, in sequence order', () => {
    const { appliedSeqs } = deliverInterleaved();
    expect(appliedSeqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('ends with the watermark at the last mark', () => {
    expect(deliverInterleaved().feed.watermark).toBe(8);
  });

  it('asks for each gap a mark out of order revealed', () => {
    expect(deliverInterleaved().requests).toEqual([
      [1, 2],
      [5, 6],
    ]);
  });

  it('applies nothing twice when the answers to those requests arrive after the live batches', () => {
    const { feed, appliedSeqs } = deliverInterleaved();
    feed.receiveWatch(buildRange(1, 2, [buildEvent(1), buildEvent(2)]));
    feed.receiveWatch(buildRange(5, 6, [buildEvent(5), buildEvent(6)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], 8]);
  });

  it('waits at a gap until the earlier server\'s mark arrives, then applies both batches', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(4, 6, [buildEvent(5)]));
    feed.receiveMark({ from: 4, to: 6 });
    expect(appliedSeqs()).toEqual([]);
    feed.receiveEvents(buildBatch(1, 3, [buildEvent(2)]));
    feed.receiveMark({ from: 1, to: 3 });
    expect(appliedSeqs()).toEqual([2, 5]);
  });

  it('applies events that arrive after a later mark once their own mark is in', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveMark({ from: 3, to: 3 });
    feed.receiveEvents(buildBatch(3, 3, [buildEvent(3)]));
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(1)]));
    feed.receiveMark({ from: 1, to: 2 });
    expect(appliedSeqs()).toEqual([1, 3]);
  });

  it('hands the events of both marks to the listeners in one call per mark, in order', () => {
    const { feed, applyCalls } = createStartedFeed();
    feed.receiveEvents(buildBatch(3, 4, [buildEvent(4), buildEvent(3)]));
    feed.receiveMark({ from: 3, to: 4 });
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(2), buildEvent(1)]));
    feed.receiveMark({ from: 1, to: 2 });
    expect(applyCalls).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('LiveFeed: gaps filled from the store', () => {
  it('asks for the missing range when a mark starts beyond watermark + 1', () => {
    const { feed, requests } = createStartedFeed(2);
    feed.receiveMark({ from: 6, to: 8 });
    expect(requests).toEqual([[3, 5]]);
  });

  it('asks for the same gap only once however many later marks arrive', () => {
    const { feed, requests } = createStartedFeed(2);
    feed.receiveMark({ from: 6, to: 8 });
    feed.receiveMark({ from: 9, to: 9 });
    feed.receiveMark({ from: 10, to: 12 });
    expect(requests).toEqual([[3, 5]]);
  });

  it('recovers a lost batch from the range answer, then applies the later batch', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    // Batch 1..2 (events and mark) is lost; batch 3..4 arrives.
    feed.receiveEvents(buildBatch(3, 4, [buildEvent(3), buildEvent(4)]));
    feed.receiveMark({ from: 3, to: 4 });
    feed.receiveWatch(buildRange(1, 2, [buildEvent(1), buildEvent(2)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[1, 2, 3, 4], 4]);
  });

  it('applies events whose mark was lost once, from the range answer, not again from the buffer', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(1), buildEvent(2)]));
    // The mark 1..2 is lost.
    feed.receiveEvents(buildBatch(3, 3, [buildEvent(3)]));
    feed.receiveMark({ from: 3, to: 3 });
    feed.receiveWatch(buildRange(1, 2, [buildEvent(1), buildEvent(2)]));
    expect(appliedSeqs()).toEqual([1, 2, 3]);
  });

  it('applies an unasked-for range that starts at watermark + 1', () => {
    const { feed, appliedSeqs } = createStartedFeed(5);
    feed.receiveWatch(buildRange(6, 9, [buildEvent(7), buildEvent(9)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[7, 9], 9]);
  });

  it('asks again for the rest after a partial range answer', () => {
    const { feed, requests } = createStartedFeed();
    feed.receiveMark({ from: 11, to: 12 });
    feed.receiveWatch(buildRange(1, 6, [buildEvent(4)]));
    expect(requests).toEqual([
      [1, 10],
      [7, 10],
    ]);
  });

  it('applies everything once after a partial answer and the answer to the second request', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(11, 12, [buildEvent(12)]));
    feed.receiveMark({ from: 11, to: 12 });
    feed.receiveWatch(buildRange(1, 6, [buildEvent(4)]));
    feed.receiveWatch(buildRange(7, 10, [buildEvent(8)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[4, 8, 12], 12]);
  });

  it('ignores a range answer that starts beyond watermark + 1 and asks for the gap again', () => {
    const { feed, requests, applied } = createStartedFeed(2);
    feed.receiveMark({ from: 10, to: 10 });
    feed.receiveWatch(buildRange(5, 9, [buildEvent(6)]));
    expect([applied.length, feed.watermark, requests]).toEqual([
      0,
      2,
      [
        [3, 9],
        [3, 9],
      ],
    ]);
  });

  it('asks only for what is still missing when a slow server\'s mark fills part of a requested gap', () => {
    const { feed, requests, appliedSeqs } = createStartedFeed();
    feed.receiveMark({ from: 6, to: 6 });
    feed.receiveEvents(buildBatch(1, 3, [buildEvent(2)]));
    feed.receiveMark({ from: 1, to: 3 });
    expect([appliedSeqs(), feed.watermark, requests]).toEqual([[2], 3, [[1, 5]]]);
  });

  it('asks for a new gap that the outstanding request does not cover', () => {
    const { feed, requests } = createStartedFeed();
    feed.receiveMark({ from: 4, to: 4 });
    feed.receiveMark({ from: 1, to: 3 });
    feed.receiveMark({ from: 8, to: 9 });
    expect(requests).toEqual([
      [1, 3],
      [5, 7],
    ]);
  });

  it('takes a snapshot answering a range request (too much missed): cases replaced, watermark moved', () => {
    const { feed, caseIds } = createStartedFeed(0, [buildCaseSummary({ id: 1 })]);
    feed.receiveMark({ from: 9000, to: 9001 });
    feed.receiveWatch(buildSnapshot(9001, [buildCaseSummary({ id: 8999 })]));
    expect([feed.watermark, caseIds()]).toEqual([9001, [8999]]);
  });
});

describe('LiveFeed: duplicates', () => {
  it('applies a range delivered twice only once', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    const range = buildRange(1, 3, [buildEvent(1), buildEvent(3)]);
    feed.receiveWatch(range);
    feed.receiveWatch(range);
    expect(appliedSeqs()).toEqual([1, 3]);
  });

  it('keeps the watermark when an old range arrives again', () => {
    const { feed } = createStartedFeed();
    feed.receiveWatch(buildRange(1, 10, [buildEvent(4)]));
    feed.receiveWatch(buildRange(1, 3, [buildEvent(2)]));
    expect(feed.watermark).toBe(10);
  });

  it('applies only the new part of an overlapping range', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveWatch(buildRange(1, 3, [buildEvent(1), buildEvent(3)]));
    feed.receiveWatch(buildRange(1, 5, [buildEvent(1), buildEvent(3), buildEvent(5)]));
    expect(appliedSeqs()).toEqual([1, 3, 5]);
  });

  it('ignores a live batch delivered again after its mark', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    const batch = buildBatch(1, 2, [buildEvent(1)]);
    feed.receiveEvents(batch);
    feed.receiveMark({ from: 1, to: 2 });
    feed.receiveEvents(batch);
    feed.receiveMark({ from: 1, to: 2 });
    expect(appliedSeqs()).toEqual([1]);
  });

  it('applies an event once when it arrives both live and in a range answer', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(3, 3, [buildEvent(3)]));
    feed.receiveWatch(buildRange(1, 3, [buildEvent(2), buildEvent(3)]));
    feed.receiveMark({ from: 3, to: 3 });
    expect(appliedSeqs()).toEqual([2, 3]);
  });
});

describe('LiveFeed: other areas', () => {
  it('ignores events for another area', () => {
    const { feed, applied } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 1, [buildEvent(1, { case: { streetCode: OTHER } })], OTHER));
    feed.receiveMark({ from: 1, to: 1 });
    expect(applied).toEqual([]);
  });

  it('still moves the watermark over a range whose events were all for another area', () => {
    const { feed } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 1, [buildEvent(1)], OTHER));
    feed.receiveMark({ from: 1, to: 1 });
    expect(feed.watermark).toBe(1);
  });

  it('keeps the watched area\'s events of a range that also carried another area\'s', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(2)], OTHER));
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(1)]));
    feed.receiveMark({ from: 1, to: 2 });
    expect(appliedSeqs()).toEqual([1]);
  });
});

describe('LiveFeed: reconnecting', () => {
  it('applies a catch-up range from watermark + 1 and carries on with live batches', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 5, [buildEvent(2)]));
    feed.receiveMark({ from: 1, to: 5 });
    // Disconnected: 6..9 happen meanwhile; on reconnect area:watch {since: 5} answers 6..9.
    feed.receiveWatch(buildRange(6, 9, [buildEvent(7), buildEvent(9)]));
    feed.receiveEvents(buildBatch(10, 10, [buildEvent(10)]));
    feed.receiveMark({ from: 10, to: 10 });
    expect([appliedSeqs(), feed.watermark]).toEqual([[2, 7, 9, 10], 10]);
  });

  it('applies once the live events that arrive on the new socket before the catch-up answer', () => {
    const { feed, appliedSeqs } = createStartedFeed(5);
    feed.receiveEvents(buildBatch(10, 10, [buildEvent(10)]));
    feed.receiveMark({ from: 10, to: 10 });
    // The catch-up answer was read after the join, so it holds 10 as well.
    feed.receiveWatch(buildRange(6, 10, [buildEvent(8), buildEvent(10)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[8, 10], 10]);
  });

  it('takes a catch-up range as the starting point when it has had no snapshot', () => {
    const { feed, appliedSeqs } = createRecordedFeed();
    feed.receiveWatch(buildRange(1, 4, [buildEvent(3)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[3], 4]);
  });

  it('forgets an outstanding request once a catch-up answer arrives, so a gap can be asked again', () => {
    const { feed, requests } = createStartedFeed(2);
    feed.receiveMark({ from: 10, to: 10 });
    // The request for 3..9 is lost with the old socket; the catch-up answers only 3..5.
    feed.receiveWatch(buildRange(3, 5, []));
    expect(requests).toEqual([
      [3, 9],
      [6, 9],
    ]);
  });
});

describe('LiveFeed: heartbeats', () => {
  it('asks for nothing at the first heartbeat that is ahead: that batch may still be on its way', () => {
    const { feed, requests } = createStartedFeed(5);
    feed.receiveWatermark(9);
    expect(requests).toEqual([]);
  });

  it('asks for what the previous heartbeat announced and has still not arrived', () => {
    const { feed, requests } = createStartedFeed(5);
    feed.receiveWatermark(9);
    feed.receiveWatermark(12);
    expect(requests).toEqual([[6, 9]]);
  });

  it('asks for nothing when what the previous heartbeat announced has arrived since', () => {
    const { feed, requests } = createStartedFeed(5);
    feed.receiveWatermark(9);
    feed.receiveEvents(buildBatch(6, 9, [buildEvent(7)]));
    feed.receiveMark({ from: 6, to: 9 });
    feed.receiveWatermark(9);
    expect(requests).toEqual([]);
  });

  it('asks for nothing when the heartbeat is at the watermark', () => {
    const { feed, requests } = createStartedFeed(9);
    feed.receiveWatermark(9);
    expect(requests).toEqual([]);
  });

  it('asks for nothing when the heartbeat is behind the watermark', () => {
    const { feed, requests } = createStartedFeed(9);
    feed.receiveWatermark(4);
    expect(requests).toEqual([]);
  });

  it('does not ask twice for the same heartbeat', () => {
    const { feed, requests } = createStartedFeed(5);
    feed.receiveWatermark(9);
    feed.receiveWatermark(9);
    feed.receiveWatermark(9);
    expect(requests).toEqual([[6, 9]]);
  });

  it('asks again at the next heartbeat after a range request failed', () => {
    const { feed, requests } = createStartedFeed(5);
    feed.receiveWatermark(9);
    feed.receiveWatermark(9);
    feed.requestFailed();
    feed.receiveWatermark(9);
    expect(requests).toEqual([
      [6, 9],
      [6, 9],
    ]);
  });

  it('recovers the last batch, whose mark was lost, through the heartbeat', () => {
    const { feed, appliedSeqs } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(1), buildEvent(2)]));
    feed.receiveWatermark(2);
    feed.receiveWatermark(2);
    feed.receiveWatch(buildRange(1, 2, [buildEvent(1), buildEvent(2)]));
    expect([appliedSeqs(), feed.watermark]).toEqual([[1, 2], 2]);
  });
});

describe('LiveFeed: cases and listeners', () => {
  it('adds a filed case to the cases', () => {
    const { feed } = createStartedFeed();
    feed.receiveWatch(buildRange(1, 1, [buildEvent(1, { case: { id: 77 } })]));
    expect(feed.cases.get(77)?.id).toBe(77);
  });

  it('replaces a case with its state after an update', () => {
    const { feed } = createStartedFeed(0, [buildCaseSummary({ id: 5, reportsCount: 1 })]);
    feed.receiveWatch(buildRange(1, 1, [buildEvent(1, { kind: 'case:updated', type: 'me-too', case: { id: 5, reportsCount: 3 } })]));
    expect(feed.cases.get(5)?.reportsCount).toBe(3);
  });

  it('removes a case when an event closes it', () => {
    const { feed, caseIds } = createStartedFeed(0, [buildCaseSummary({ id: 5 }), buildCaseSummary({ id: 6 })]);
    feed.receiveWatch(buildRange(1, 1, [buildEvent(1, { kind: 'case:updated', type: 'dispatched', case: { id: 5, status: 'closed' } })]));
    expect(caseIds()).toEqual([6]);
  });

  it('still tells listeners about the event that closed a case', () => {
    const { feed, appliedSeqs } = createStartedFeed(0, [buildCaseSummary({ id: 5 })]);
    feed.receiveWatch(buildRange(1, 1, [buildEvent(1, { kind: 'case:updated', case: { id: 5, status: 'closed' } })]));
    expect(appliedSeqs()).toEqual([1]);
  });

  it('keeps the last state of a case updated twice in one batch', () => {
    const { feed } = createStartedFeed();
    feed.receiveEvents(buildBatch(1, 2, [buildEvent(2, { kind: 'case:updated', case: { id: 9, status: 'queued' } }), buildEvent(1, { case: { id: 9, status: 'dispatched' } })]));
    feed.receiveMark({ from: 1, to: 2 });
    expect(feed.cases.get(9)?.status).toBe('queued');
  });

  it('calls every listener with the same events', () => {
    const { feed } = createStartedFeed();
    const seen: number[][] = [[], []];
    feed.onApply((events) => seen[0]!.push(...events.map((e) => e.seq)));
    feed.onApply((events) => seen[1]!.push(...events.map((e) => e.seq)));
    feed.receiveWatch(buildRange(1, 2, [buildEvent(1), buildEvent(2)]));
    expect(seen).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const feed = new LiveFeed('110108011', { requestRange: () => {} });
    const seen: number[] = [];
    const unsubscribe = feed.onApply((events) => seen.push(...events.map((e) => e.seq)));
    feed.receiveWatch(buildSnapshot(0));
    feed.receiveWatch(buildRange(1, 1, [buildEvent(1)]));
    unsubscribe();
    feed.receiveWatch(buildRange(2, 2, [buildEvent(2)]));
    expect(seen).toEqual([1]);
  });

  it('does not call listeners for a mark that applies no events', () => {
    const { feed, applyCalls } = createStartedFeed();
    feed.receiveMark({ from: 1, to: 5 });
    expect(applyCalls).toEqual([]);
  });
});
