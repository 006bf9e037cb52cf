import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHashInput } from '../../../core/audit/canonical-json.ts';

interface HashedEvent {
  prevHash: string | null;
  seq: number;
  caseId: number;
  type: string;
  actor: string;
  at: string;
  data: unknown;
}

function buildHashedEvent(overrides: Partial<HashedEvent> = {}): HashedEvent {
  return {
    prevHash: 'a'.repeat(64),
    seq: 17,
    caseId: 4,
    type: 'filed',
    actor: 'intake',
    at: '2026-11-27T09:03:00.000Z',
    data: { reportId: 'r-0001', channel: 'hotline', crs: 'WGS84', gridCode: '110108011003007', nearBoundary: null },
    ...overrides,
  };
}

describe('canonicalJson: scalars', () => {
  it.each([
    ['a string', 'grid 网格 "7"', '"grid 网格 \\"7\\""'],
    ['an integer', 42, '42'],
    ['a fraction', 0.1, '0.1'],
    ['a negative number', -3.5, '-3.5'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['null', null, 'null'],
  ])('writes %s as JSON does', (_label, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('writes undefined at the top level as null', () => {
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes NaN as null, as JSON does', () => {
    expect(canonicalJson(Number.NaN)).toBe('null');
  });

  it('writes negative zero as 0, as JSON does', () => {
    expect(canonicalJson(-0)).toBe('0');
  });
});

describe('canonicalJson: objects', () => {
  it('sorts the keys of an object', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    expect(canonicalJson({ gridCode: 'g', assigneeId: 'p', queue: { kind: 'person', personId: 'p' } })).toBe(
      canonicalJson({ queue: { personId: 'p', kind: 'person' }, gridCode: 'g', assigneeId: 'p' }),
    );
  });

  it('sorts the keys of nested objects at every level', () => {
    expect(canonicalJson({ z: { y: { b: 1, a: 2 }, x: 0 }, a: null })).toBe('{"a":null,"z":{"x":0,"y":{"a":2,"b":1}}}');
  });

  it('sorts keys by code unit, capitals before lower case', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, A: 4 })).toBe('{"A":4,"B":2,"a":3,"b":1}');
  });

  it('sorts a numeric-looking key as text', () => {
    expect(canonicalJson({ 10: 'ten', 9: 'nine', a: 'a' })).toBe('{"10":"ten","9":"nine","a":"a"}');
  });

  it('drops keys whose value is undefined', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined, e: 2 } })).toBe('{"a":1,"c":{"e":2}}');
  });

  it('gives an object with an undefined key the same text as one without it', () => {
    expect(canonicalJson({ duplicateOf: undefined, reason: 'x' })).toBe(canonicalJson({ reason: 'x' }));
  });

  it('keeps keys whose value is null', () => {
    expect(canonicalJson({ nearBoundary: null })).toBe('{"nearBoundary":null}');
  });

  it('escapes keys that need escaping', () => {
    expect(canonicalJson({ 'a"b': 1, 'line\nbreak': 2 })).toBe('{"a\\"b":1,"line\\nbreak":2}');
  });

  it('writes an empty object as {}', () => {
    expect(canonicalJson({})).toBe('{}');
  });
});

describe('canonicalJson: arrays', () => {
  it('keeps the order of array elements', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('sorts the keys of objects inside arrays', () => {
    expect(canonicalJson([{ b: 1, a: 2 }, [{ d: 1, c: 2 }]])).toBe('[{"a":2,"b":1},[{"c":2,"d":1}]]');
  });

  it('writes undefined inside an array as null, as JSON does', () => {
    expect(canonicalJson([1, undefined, 2])).toBe('[1,null,2]');
  });

  it('writes an empty array as []', () => {
    expect(canonicalJson([])).toBe('[]');
  });

  // Array.prototype.map skips holes: the canonical form must still be JSON, as JSON.stringify writes it.
  it('writes a hole in a sparse array as null, as JSON does', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , 3])).toBe('[1,null,3]');
  });
});

describe('canonicalJson: agreement with JSON', () => {
  const samples: [string, unknown][] = [
    ['a dispatch reason', { code: 'least-loaded', gridCode: '110108011003007', departmentCode: 'CG', candidates: 2, openCases: 3 }],
    ['a queue', { kind: 'street', streetCode: '110108011' }],
    ['a point', [116.3913, 39.9075]],
    ['nested lists and objects', { a: [{ b: [1, { c: 'd' }] }], e: { f: [] } }],
    ['Chinese text and emoji', { description: '井盖缺失 🚧', name: '王芳' }],
  ];

  it.each(samples)('parses back to the same value for %s', (_label, value) => {
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it.each(samples)('gives the same text after a JSON round trip for %s', (_label, value) => {
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('gives the same text for a value and its reordered jsonb-style copy', () => {
    // PostgreSQL jsonb orders keys by length, then bytes.
    const written = { reportId: 'r-1', channel: 'hotline', crs: 'WGS84', gridCode: null, nearBoundary: { gridCode: 'g', distanceMeters: 2.5 } };
    const readBack = { crs: 'WGS84', channel: 'hotline', gridCode: null, reportId: 'r-1', nearBoundary: { gridCode: 'g', distanceMeters: 2.5 } };
    expect(canonicalJson(readBack)).toBe(canonicalJson(written));
  });

  // A Date has no own keys: without toJSON it would be "{}", every Date would hash alike, and a value
  // built with a Date would differ from the same value read back from jsonb.
  it('writes a Date as its ISO string, as JSON does', () => {
    expect(canonicalJson({ at: new Date('2026-11-27T09:03:00Z') })).toBe('{"at":"2026-11-27T09:03:00.000Z"}');
  });
});

describe('eventHashInput', () => {
  it('joins the chain position and the event with newlines, data last as canonical JSON', () => {
    const input = eventHashInput(buildHashedEvent({ data: { b: 2, a: 1 } }));
    expect(input).toBe(`${'a'.repeat(64)}\n17\n4\nfiled\nintake\n2026-11-27T09:03:00.000Z\n{"a":1,"b":2}`);
  });

  it('writes an empty previous hash for the first event of the chain', () => {
    expect(eventHashInput(buildHashedEvent({ prevHash: null })).startsWith('\n17\n')).toBe(true);
  });

  it('is stable across key order of the data', () => {
    const one = eventHashInput(buildHashedEvent({ data: { queue: { kind: 'person', personId: 'P1' }, assigneeId: 'P1', reason: { code: 'least-loaded' } } }));
    const two = eventHashInput(buildHashedEvent({ data: { reason: { code: 'least-loaded' }, assigneeId: 'P1', queue: { personId: 'P1', kind: 'person' } } }));
    expect(one).toBe(two);
  });

  it('is stable across a JSON round trip of the data', () => {
    const event = buildHashedEvent();
    expect(eventHashInput({ ...event, data: JSON.parse(JSON.stringify(event.data)) })).toBe(eventHashInput(event));
  });

  it('gives the same text for the same event computed twice', () => {
    expect(eventHashInput(buildHashedEvent())).toBe(eventHashInput(buildHashedEvent()));
  });

  it.each([
    ['prevHash', { prevHash: 'b'.repeat(64) }],
    ['seq', { seq: 18 }],
    ['caseId', { caseId: 5 }],
    ['type', { type: 'dispatched' }],
    ['actor', { actor: 'dispatcher:7' }],
    ['at', { at: '2026-11-27T09:03:00.001Z' }],
    ['data', { data: { reportId: 'r-0002' } }],
  ] as const)('changes when %s changes', (_field, change) => {
    expect(eventHashInput(buildHashedEvent(change))).not.toBe(eventHashInput(buildHashedEvent()));
  });

  it('writes empty data as {} after the time', () => {
    expect(eventHashInput(buildHashedEvent({ prevHash: null, data: {} }))).toBe('\n17\n4\nfiled\nintake\n2026-11-27T09:03:00.000Z\n{}');
  });
});

describe('canonicalJson: the same text as its plain definition', () => {
  /** Sorted entries at every level, undefined dropped, as first written: stored hashes were computed with it. */
  const reference = (value: unknown): string => {
    if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return reference((value as { toJSON: () => unknown }).toJSON());
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${Array.from(value, (v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  };

  /** A small deterministic generator of JSON-like values with awkward keys and leaves. */
  const valueOf = (seed: number, depth: number): unknown => {
    let state = seed;
    const next = (): number => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const leaves = [null, undefined, 0, -0, 1.5, -7, Number.NaN, '', '网格 "7"', 'a\nb', '🚧', true, false, new Date(Date.UTC(2026, 10, 29))];
    const keys = ['a', 'B', 'b', '10', '9', 'é', 'a"b', '', 'gridCode', 'Z', '网格', '🚧'];
    const build = (level: number): unknown => {
      const roll = next();
      if (level >= depth || roll < 0.4) return leaves[Math.floor(next() * leaves.length)];
      if (roll < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => build(level + 1));
      const object: Record<string, unknown> = {};
      for (let k = Math.floor(next() * 6); k > 0; k--) object[keys[Math.floor(next() * keys.length)]!] = build(level + 1);
      return object;
    };
    return build(0);
  };

  it('for 2,000 generated values: nested objects and arrays, undefined, NaN, dates, escapes, code-unit order', () => {
    for (let seed = 1; seed <= 2_000; seed++) {
      const value = valueOf(seed, 4);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });
});
