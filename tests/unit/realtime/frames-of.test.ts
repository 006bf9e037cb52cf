import { describe, expect, it } from 'vitest';
import { framesOf, MAX_EVENTS_PER_FRAME } from '../../../server/realtime/broadcaster.ts';

const events = (...seqs: number[]) => seqs.map((seq) => ({ seq }));
const seqOf = (e: { seq: number }) => e.seq;

describe('framesOf: a room\'s events of one range as frames, each complete for its part', () => {
  it('one frame covers the whole range when the events fit', () => {
    expect(framesOf(events(12, 15), 10, 20, seqOf)).toEqual([{ from: 10, to: 20, events: events(12, 15) }]);
  });

  it('the parts tile the range: each ends at its last event, the next starts after it, the last ends at the range\'s end', () => {
    expect(framesOf(events(11, 13, 14, 18, 19), 10, 25, seqOf, 2)).toEqual([
      { from: 10, to: 13, events: events(11, 13) },
      { from: 14, to: 18, events: events(14, 18) },
      { from: 19, to: 25, events: events(19) },
    ]);
  });

  it('a range whose events fill the last frame exactly ends there at the range\'s end', () => {
    expect(framesOf(events(1, 2, 3, 4), 1, 9, seqOf, 2)).toEqual([
      { from: 1, to: 2, events: events(1, 2) },
      { from: 3, to: 9, events: events(3, 4) },
    ]);
  });

  it('frames of MAX_EVENTS_PER_FRAME by default, every event in exactly one frame within its part', () => {
    const seqs = Array.from({ length: 2 * MAX_EVENTS_PER_FRAME + 7 }, (_, i) => 100 + 3 * i);
    const frames = framesOf(events(...seqs), 99, 5_000, seqOf);
    expect(frames.map((f) => f.events.length)).toEqual([MAX_EVENTS_PER_FRAME, MAX_EVENTS_PER_FRAME, 7]);
    expect(frames.flatMap((f) => f.events.map((e) => e.seq))).toEqual(seqs);
    expect(frames[0]!.from).toBe(99);
    expect(frames.at(-1)!.to).toBe(5_000);
    frames.forEach((f, k) => {
      for (const e of f.events) expect(e.seq >= f.from && e.seq <= f.to).toBe(true);
      if (k > 0) expect(f.from).toBe(frames[k - 1]!.to + 1);
    });
  });
});
