import { describe, expect, it } from 'vitest';
import { CASE_COMMAND_TYPES, COMMAND_TEXT_LIMIT, parseCaseCommand, type CaseCommandType } from '../../../core/case-loop/case-command.ts';
import { GRID, ORIGINAL_CASE_NUMBER } from './case-builders.ts';

/** One valid command of each type, as JSON from a client, and what it parses to. */
const VALID: { readonly [T in CaseCommandType]: { readonly input: Record<string, unknown>; readonly parsed: Record<string, unknown> } } = {
  reject: { input: { type: 'reject', reason: '  Not ours  ' }, parsed: { type: 'reject', reason: 'Not ours' } },
  merge: { input: { type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER }, parsed: { type: 'merge', intoCaseNumber: ORIGINAL_CASE_NUMBER } },
  unlink: { input: { type: 'unlink' }, parsed: { type: 'unlink' } },
  dispatch: { input: { type: 'dispatch', personId: 'P201' }, parsed: { type: 'dispatch', personId: 'P201', note: '' } },
  accept: { input: { type: 'accept' }, parsed: { type: 'accept' } },
  return: { input: { type: 'return', reason: 'Wrong department' }, parsed: { type: 'return', reason: 'Wrong department' } },
  'request-extension': {
    input: { type: 'request-extension', until: '2026-12-01T17:30:00+08:00', reason: 'Waiting for a part' },
    parsed: { type: 'request-extension', until: '2026-12-01T09:30:00.000Z', reason: 'Waiting for a part' },
  },
  'decide-extension': { input: { type: 'decide-extension', approve: false }, parsed: { type: 'decide-extension', approve: false } },
  feedback: { input: { type: 'feedback', result: 'Done', photos: ['photo://1.jpg', 'photo://2.jpg'] }, parsed: { type: 'feedback', result: 'Done', photos: ['photo://1.jpg', 'photo://2.jpg'] } },
  'handle-on-spot': { input: { type: 'handle-on-spot', result: 'Done' }, parsed: { type: 'handle-on-spot', result: 'Done', photos: [] } },
  verify: { input: { type: 'verify', passed: true, note: 'ok' }, parsed: { type: 'verify', passed: true, note: 'ok' } },
  rate: { input: { type: 'rate', score: 3, fixed: true }, parsed: { type: 'rate', score: 3, comment: '', fixed: true } },
  escalate: { input: { type: 'escalate', reason: 'several-departments' }, parsed: { type: 'escalate', reason: 'several-departments', note: '' } },
  'mark-overdue': { input: { type: 'mark-overdue', which: 'resolve' }, parsed: { type: 'mark-overdue', which: 'resolve' } },
  'set-formal-deadline': {
    input: { type: 'set-formal-deadline', unit: 'Property company', dueAt: '2026-12-04T09:00Z', requirements: 'Repair the gate' },
    parsed: { type: 'set-formal-deadline', unit: 'Property company', dueAt: '2026-12-04T09:00:00.000Z', requirements: 'Repair the gate' },
  },
  'answer-reporter': { input: { type: 'answer-reporter', answer: 'Repaired' }, parsed: { type: 'answer-reporter', answer: 'Repaired' } },
  move: { input: { type: 'move', gridCode: GRID }, parsed: { type: 'move', gridCode: GRID } },
};

function refusal(input: unknown): string {
  const result = parseCaseCommand(input);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(input)}`);
  return result.message;
}

describe('parseCaseCommand: valid commands', () => {
  it('has a sample for every command type', () => {
    expect(Object.keys(VALID).sort()).toEqual([...CASE_COMMAND_TYPES].sort());
  });

  it.each(CASE_COMMAND_TYPES)('parses %s from JSON', (type) => {
    const { input, parsed } = VALID[type];
    expect(parseCaseCommand(JSON.parse(JSON.stringify(input)))).toEqual({ ok: true, command: parsed });
  });

  it('accepts text of exactly the limit, every escalation reason and every score', () => {
    expect(parseCaseCommand({ type: 'reject', reason: 'x'.repeat(COMMAND_TEXT_LIMIT) }).ok).toBe(true);
    for (const reason of ['accept-overdue', 'resolve-overdue', 'several-departments', 'dispatcher']) expect(parseCaseCommand({ type: 'escalate', reason }).ok).toBe(true);
    for (const score of [1, 2, 3, 4, 5]) expect(parseCaseCommand({ type: 'rate', score, fixed: false }).ok).toBe(true);
    expect(parseCaseCommand({ type: 'feedback', result: 'r', photos: Array.from({ length: 9 }, (_, i) => `photo://${i}`) }).ok).toBe(true);
  });

  it('accepts times with seconds, fractions and any zone, and gives them in UTC', () => {
    expect(parseCaseCommand({ type: 'answer-reporter', answer: 'a' }).ok).toBe(true);
    for (const [time, utc] of [
      ['2026-12-01T17:30:00.250+08:00', '2026-12-01T09:30:00.250Z'],
      ['2026-12-01T09:30Z', '2026-12-01T09:30:00.000Z'],
      ['2026-12-01T04:30:00-05:00', '2026-12-01T09:30:00.000Z'],
      ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ] as const) {
      expect(parseCaseCommand({ type: 'request-extension', until: time, reason: 'r' })).toEqual({ ok: true, command: { type: 'request-extension', until: utc, reason: 'r' } });
    }
  });
});

describe('parseCaseCommand: refusals name the field', () => {
  it.each([null, 'accept', 42, [], [{ type: 'accept' }]])('refuses %j: not a command object', (input) => {
    expect(refusal(input)).toMatch(/JSON object with a "type"/);
  });

  it.each([{}, { type: 'close' }, { type: 7 }, { type: 'ACCEPT' }])('refuses %j: unknown type', (input) => {
    expect(refusal(input)).toMatch(/^type must be one of reject, merge/);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])('refuses the type %s that every object has', (type) => {
    // Found by this test: `type in FIELDS` looked through the prototype, so these parsed as commands
    // (with no fields) and made `transition` throw a TypeError, a 500 for any client.
    expect(refusal(JSON.parse(`{"type":"${type}"}`))).toMatch(/^type must be one of/);
  });

  it('refuses unknown fields, naming each', () => {
    expect(refusal({ type: 'accept', note: 'hi' })).toBe('unknown field for accept: note');
    expect(refusal({ type: 'reject', reason: 'r', by: 'x', at: 'y' })).toBe('unknown fields for reject: by, at');
  });

  it.each(['toString', '__proto__', 'constructor'])('refuses the unknown field %s that every object has', (field) => {
    expect(refusal(JSON.parse(`{"type":"accept","${field}":1}`))).toBe(`unknown field for accept: ${field}`);
  });

  it.each([
    [{ type: 'reject', reason: 3 }, 'reason must be a string'],
    [{ type: 'reject' }, 'reason must be a string'],
    [{ type: 'dispatch', personId: 'P1', note: null }, 'note must be a string'],
    [{ type: 'dispatch', personId: 12 }, 'personId must be a roster person id'],
    [{ type: 'dispatch', personId: '' }, 'personId must be a roster person id'],
    [{ type: 'dispatch', personId: 'P'.repeat(65) }, 'personId must be a roster person id'],
    [{ type: 'merge', intoCaseNumber: 7 }, 'intoCaseNumber must be a case number'],
    [{ type: 'merge', intoCaseNumber: '' }, 'intoCaseNumber must be a case number'],
    [{ type: 'decide-extension', approve: 'yes' }, 'approve must be true or false'],
    [{ type: 'decide-extension' }, 'approve must be true or false'],
    [{ type: 'verify', passed: 1 }, 'passed must be true or false'],
    [{ type: 'rate', score: 3, fixed: 'no' }, 'fixed must be true or false'],
    [{ type: 'escalate', reason: 'because' }, 'reason must be one of accept-overdue, resolve-overdue, several-departments, dispatcher'],
    [{ type: 'mark-overdue', which: 'both' }, 'which must be one of accept, resolve'],
    [{ type: 'move', gridCode: 110108011003007 }, 'gridCode must be a 15-digit grid code'],
    [{ type: 'move', gridCode: '11010801100300' }, 'gridCode must be a 15-digit grid code'],
    [{ type: 'move', gridCode: '11010801100300x' }, 'gridCode must be a 15-digit grid code'],
    [{ type: 'feedback', result: 'r', photos: 'photo://1' }, 'photos must be a list'],
    [{ type: 'feedback', result: 'r', photos: [1] }, 'photos must be a list'],
    [{ type: 'feedback', result: 'r', photos: [''] }, 'photos must be a list'],
    [{ type: 'feedback', result: 'r', photos: ['x'.repeat(2049)] }, 'photos must be a list'],
  ])('refuses %j: wrong type', (input, message) => {
    expect(refusal(input)).toContain(message);
  });

  it.each([
    ['reject', 'reason'],
    ['return', 'reason'],
    ['request-extension', 'reason'],
    ['feedback', 'result'],
    ['handle-on-spot', 'result'],
    ['set-formal-deadline', 'unit'],
    ['set-formal-deadline', 'requirements'],
    ['answer-reporter', 'answer'],
  ] as const)('refuses %s with an empty or blank %s', (type, field) => {
    for (const blank of ['', '   ', '\n\t']) {
      const input = { ...VALID[type].input, [field]: blank };
      expect(refusal(input)).toBe(`${field} must not be empty`);
    }
  });

  it.each([
    ['reject', 'reason'],
    ['dispatch', 'note'],
    ['verify', 'note'],
    ['rate', 'comment'],
    ['escalate', 'note'],
    ['feedback', 'result'],
    ['set-formal-deadline', 'requirements'],
    ['answer-reporter', 'answer'],
  ] as const)('refuses %s with a %s over the text limit', (type, field) => {
    const input = { ...VALID[type].input, [field]: 'x'.repeat(COMMAND_TEXT_LIMIT + 1) };
    expect(refusal(input)).toBe(`${field} is longer than 4000 characters`);
  });

  it.each([
    '2026-12-01T17:30:00',
    '2026-12-01 17:30:00+08:00',
    '2026-12-01',
    '2026-12-01T17:30+0800',
    'tomorrow',
    '',
    '2026-13-01T00:00:00Z',
    '2026-12-32T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T23:60:00Z',
    '2026-12-01T23:59:60Z',
    '2026-12-01T10:00:00+25:00',
    '2026-12-01T10:00:00+08:60',
  ])('refuses the time %j', (time) => {
    expect(refusal({ type: 'request-extension', until: time, reason: 'r' })).toBe('until must be an ISO 8601 time with a zone, e.g. 2026-12-01T17:30:00+08:00');
    expect(refusal({ type: 'set-formal-deadline', unit: 'u', dueAt: time, requirements: 'r' })).toMatch(/^dueAt must be an ISO 8601 time with a zone/);
  });

  it('refuses a time that is not a string', () => {
    expect(refusal({ type: 'request-extension', until: 1_800_000_000_000, reason: 'r' })).toMatch(/^until must be an ISO 8601 time/);
  });

  it('refuses more than nine photos', () => {
    expect(refusal({ type: 'feedback', result: 'r', photos: Array.from({ length: 10 }, (_, i) => `photo://${i}`) })).toBe('photos must be a list of at most 9 references (each up to 2048 characters)');
  });

  it.each([0, 6, -1, 2.5, '3', null, Number.NaN])('refuses the score %j', (score) => {
    expect(refusal({ type: 'rate', score, fixed: true })).toBe('score must be a whole number from 1 to 5');
  });

  it('lists every problem at once', () => {
    const message = refusal({ type: 'rate', score: 9, fixed: 'x', extra: 1 });
    expect(message.split('; ')).toEqual(['unknown field for rate: extra', 'score must be a whole number from 1 to 5', 'fixed must be true or false']);
  });
});
