import { describe, expect, it } from 'vitest';
import type { Ack, CaseAck } from '../../../core/protocol/cases-api.ts';
import type { PlannedReport } from '../../../scripts/simulator/generator.ts';
import { LatencyHistogram, shares, SimStats } from '../../../scripts/simulator/stats.ts';

function planned(overrides: Partial<PlannedReport> = {}): PlannedReport {
  return {
    seq: 0,
    at: 0,
    report: { reportId: 'sim-1-0', category: 'E0102', lng: 116.3, lat: 40, description: '有暴露垃圾', channel: 'patrol' },
    origin: { kind: 'background' },
    expect: { outcome: 'stored', routed: true },
    ...overrides,
  };
}

function ack(overrides: Partial<CaseAck> = {}): Ack<CaseAck> {
  return {
    ok: true,
    data: {
      caseNumber: 'HD20261127-0000001',
      caseId: 1,
      replayed: false,
      status: 'dispatched',
      grid: { code: '110108001001001', name: '网格1' },
      community: null,
      street: null,
      assignee: null,
      queue: { tier: 'grid', code: '110108001001001' } as unknown as CaseAck['queue'],
      dispatch: { reason: { code: 'least-loaded' } as unknown as CaseAck['dispatch']['reason'], zh: '', en: '' },
      acceptDueAt: null,
      resolveDueAt: null,
      nearBoundary: null,
      duplicateOf: null,
      ...overrides,
    },
  };
}

const refused = (code: string): Ack<CaseAck> => ({ ok: false, error: { code, message: code } });

describe('LatencyHistogram', () => {
  it('gives the mean exactly and quantiles within 5 %', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.add(i);
    expect(h.mean()).toBeCloseTo(500.5, 9);
    expect(h.quantile(0.5) / 500).toBeGreaterThan(0.97);
    expect(h.quantile(0.5) / 500).toBeLessThan(1.06);
    expect(h.quantile(0.95) / 950).toBeGreaterThan(0.97);
    expect(h.quantile(0.95) / 950).toBeLessThan(1.06);
    expect(h.quantile(1)).toBe(1000);
    expect(new LatencyHistogram().quantile(0.95)).toBe(0);
  });
});

describe('SimStats', () => {
  it('counts stored, linked, unrouted, replayed and refused answers as expected', () => {
    const s = new SimStats();
    s.answered(planned(), ack(), 5);
    s.answered(planned({ origin: { kind: 'duplicate', of: 'x', distanceMeters: 10 }, expect: { outcome: 'linked' } }), ack({ duplicateOf: 'HD1' }), 5);
    s.answered(planned({ origin: { kind: 'unrouted' }, expect: { outcome: 'stored', routed: false } }), ack({ grid: null }), 5);
    s.answered(planned({ origin: { kind: 'retry', of: 'sim-1-0' }, expect: { outcome: 'replayed' } }), ack({ replayed: true }), 5);
    s.answered(planned({ origin: { kind: 'bad', reason: 'non-numeric' }, expect: { outcome: 'refused', code: 'invalid_report' } }), refused('invalid_report'), 5);
    s.answered(planned({ origin: { kind: 'bad', reason: 'outside-district' }, expect: { outcome: 'refused', code: 'outside_district' } }), refused('outside_district'), 5);
    const c = s.counters;
    expect([c.stored, c.linked, c.unrouted, c.replayed, c.refused, c.errors]).toEqual([3, 1, 1, 1, 2, 0]);
    expect(c.planned).toMatchObject({ duplicatesLinked: 1, retriesReplayed: 1, badRefused: 2, unroutedStored: 1 });
    expect(s.refusedByCode).toEqual({ invalid_report: 1, outside_district: 1 });
    expect(s.unexpected).toEqual([]);
  });

  it('counts surprises as errors, and failures by code', () => {
    const s = new SimStats();
    s.answered(planned({ origin: { kind: 'bad', reason: 'unknown-category' }, expect: { outcome: 'refused', code: 'invalid_report' } }), ack(), 5);
    s.answered(planned(), refused('invalid_report'), 5);
    s.answered(planned(), refused('internal'), 5);
    expect(s.counters.errors).toBe(3);
    expect(s.errorsByCode).toEqual({ internal: 1 });
    expect(s.unexpected.map((u) => `${u.expected} → ${u.got}`)).toEqual(['refused invalid_report → stored', 'stored → refused invalid_report']);
  });

  it('takes the benign answers in its stride: a chance link, an unlinked duplicate, a retry that overtook its original, a replay after a re-send', () => {
    const s = new SimStats();
    s.answered(planned(), ack({ duplicateOf: 'HD1' }), 5);
    s.answered(planned({ origin: { kind: 'duplicate', of: 'x', distanceMeters: 10 }, expect: { outcome: 'linked' } }), ack(), 5);
    s.answered(planned({ repeated: true }), ack({ replayed: true }), 5);
    s.answered(planned({ origin: { kind: 'retry', of: 'sim-1-0' }, expect: { outcome: 'replayed' } }), ack(), 5);
    // A re-send after a lost ack: the first send was stored, the re-send replays.
    s.answered(planned({ report: { ...planned().report, reportId: 'sim-1-9' } }), ack({ replayed: true }), 5, true);
    expect(s.counters.errors).toBe(0);
    expect(s.replayMismatches).toBe(0);
  });

  it('notices when the two sends of one reportId get different cases', () => {
    const s = new SimStats();
    s.answered(planned({ repeated: true }), ack(), 5);
    s.answered(planned({ origin: { kind: 'retry', of: 'sim-1-0' }, expect: { outcome: 'replayed' } }), ack({ replayed: true, caseNumber: 'HD-other' }), 5);
    expect(s.replayMismatches).toBe(1);
  });

  it('notices a case routed to another grid than expected', () => {
    const s = new SimStats();
    s.answered(planned({ gridCode: '110108001001001' }), ack(), 5);
    s.answered(planned({ gridCode: '110108001001002' }), ack(), 5);
    expect(s.gridMismatches).toBe(1);
  });

  it('tallies what was sent by channel, origin and place', () => {
    const s = new SimStats();
    s.sent(planned());
    s.sent(planned({ report: { ...planned().report, channel: 'hotline' }, origin: { kind: 'hotspot', hotspot: 0, hotspotKind: 'market' } }));
    s.sent(planned({ origin: { kind: 'bad', reason: 'non-numeric' } }));
    expect(s.counters.sent).toBe(3);
    expect(s.byChannel).toEqual({ patrol: 2, hotline: 1 });
    expect(s.byHotspotKind).toEqual({ market: 1 });
    expect(shares(s.byOrigin)).toEqual({ background: 33.3, hotspot: 33.3, bad: 33.3 });
  });
});
