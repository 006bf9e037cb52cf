import { ESCALATION_REASONS, type EscalationReason } from './case-events.ts';

/** What a user (or the scheduler) asks of a case. `transition` decides whether it may happen. */
export type CaseCommand =
  | { readonly type: 'reject'; readonly reason: string }
  | { readonly type: 'merge'; readonly intoCaseNumber: string }
  | { readonly type: 'unlink' }
  | { readonly type: 'dispatch'; readonly personId: string; readonly note: string }
  | { readonly type: 'accept' }
  | { readonly type: 'return'; readonly reason: string }
  | { readonly type: 'request-extension'; readonly until: string; readonly reason: string }
  | { readonly type: 'decide-extension'; readonly approve: boolean }
  | { readonly type: 'feedback'; readonly result: string; readonly photos: readonly string[] }
  | { readonly type: 'handle-on-spot'; readonly result: string; readonly photos: readonly string[] }
  | { readonly type: 'verify'; readonly passed: boolean; readonly note: string }
  | { readonly type: 'rate'; readonly score: 1 | 2 | 3 | 4 | 5; readonly comment: string; readonly fixed: boolean }
  | { readonly type: 'escalate'; readonly reason: EscalationReason; readonly note: string }
  | { readonly type: 'mark-overdue'; readonly which: 'accept' | 'resolve' }
  | { readonly type: 'set-formal-deadline'; readonly unit: string; readonly dueAt: string; readonly requirements: string }
  | { readonly type: 'answer-reporter'; readonly answer: string }
  | { readonly type: 'move'; readonly gridCode: string };

export type CaseCommandType = CaseCommand['type'];

export const CASE_COMMAND_TYPES: readonly CaseCommandType[] = [
  'reject', 'merge', 'unlink', 'dispatch', 'accept', 'return', 'request-extension', 'decide-extension', 'feedback',
  'handle-on-spot', 'verify', 'rate', 'escalate', 'mark-overdue', 'set-formal-deadline', 'answer-reporter', 'move',
];

export const COMMAND_TEXT_LIMIT = 4_000;
const MAX_PHOTOS = 9;
const PHOTO_URL_LIMIT = 2_048;

export type ParsedCommand = { readonly ok: true; readonly command: CaseCommand } | { readonly ok: false; readonly message: string };

type Fields = Record<string, unknown>;

/** PostgreSQL stores no NUL character in text or JSON: refused here as bad input rather than failing the write. */
const hasNul = (v: string): boolean => v.includes('\u0000');

/** Each command's fields: name → reader (returns the value or a problem). Unknown fields are refused. */
const text =
  (name: string, required: boolean) =>
  (f: Fields): string | { problem: string } => {
    const v = f[name];
    if (v === undefined && !required) return '';
    if (typeof v !== 'string') return { problem: `${name} must be a string` };
    if (required && v.trim() === '') return { problem: `${name} must not be empty` };
    if (v.length > COMMAND_TEXT_LIMIT) return { problem: `${name} is longer than ${COMMAND_TEXT_LIMIT} characters` };
    if (hasNul(v)) return { problem: `${name} must not contain NUL characters` };
    return v.trim();
  };
const bool = (name: string) => (f: Fields): boolean | { problem: string } => (typeof f[name] === 'boolean' ? (f[name] as boolean) : { problem: `${name} must be true or false` });
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** A real calendar time: Date.parse alone rolls 2026-02-30 over to 2 March and 24:00 to the next day. */
function isRealTime(v: string): boolean {
  const m = ISO_TIME.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second, zoneHours, zoneMinutes] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && zoneHours <= 23 && zoneMinutes <= 59 && !Number.isNaN(Date.parse(v));
}
const isoTime = (name: string) => (f: Fields): string | { problem: string } => {
  const v = f[name];
  if (typeof v !== 'string' || !isRealTime(v)) {
    return { problem: `${name} must be an ISO 8601 time with a zone, e.g. 2026-12-01T17:30:00+08:00` };
  }
  return new Date(v).toISOString();
};
const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (f: Fields): T | { problem: string } =>
    typeof f[name] === 'string' && (values as readonly string[]).includes(f[name] as string) ? (f[name] as T) : { problem: `${name} must be one of ${values.join(', ')}` };
const photos = (f: Fields): string[] | { problem: string } => {
  const v = f['photos'] ?? [];
  if (!Array.isArray(v) || v.length > MAX_PHOTOS || !v.every((p) => typeof p === 'string' && p.length > 0 && p.length <= PHOTO_URL_LIMIT && !hasNul(p))) {
    return { problem: `photos must be a list of at most ${MAX_PHOTOS} references (each up to ${PHOTO_URL_LIMIT} characters)` };
  }
  return v as string[];
};
const score = (f: Fields): 1 | 2 | 3 | 4 | 5 | { problem: string } =>
  typeof f['score'] === 'number' && [1, 2, 3, 4, 5].includes(f['score']) ? (f['score'] as 1 | 2 | 3 | 4 | 5) : { problem: 'score must be a whole number from 1 to 5' };
const gridCode = (f: Fields): string | { problem: string } => (typeof f['gridCode'] === 'string' && /^\d{15}$/.test(f['gridCode']) ? f['gridCode'] : { problem: 'gridCode must be a 15-digit grid code' });
const personId = (f: Fields): string | { problem: string } =>
  typeof f['personId'] === 'string' && f['personId'].length > 0 && f['personId'].length <= 64 && !hasNul(f['personId']) ? f['personId'] : { problem: 'personId must be a roster person id' };
const caseNumber = (f: Fields): string | { problem: string } =>
  typeof f['intoCaseNumber'] === 'string' && f['intoCaseNumber'].length > 0 && f['intoCaseNumber'].length <= 64 && !hasNul(f['intoCaseNumber']) ? f['intoCaseNumber'] : { problem: 'intoCaseNumber must be a case number' };

const FIELDS: { readonly [T in CaseCommandType]: Record<string, (f: Fields) => unknown> } = {
  reject: { reason: text('reason', true) },
  merge: { intoCaseNumber: caseNumber },
  unlink: {},
  dispatch: { personId, note: text('note', false) },
  accept: {},
  return: { reason: text('reason', true) },
  'request-extension': { until: isoTime('until'), reason: text('reason', true) },
  'decide-extension': { approve: bool('approve') },
  feedback: { result: text('result', true), photos },
  'handle-on-spot': { result: text('result', true), photos },
  verify: { passed: bool('passed'), note: text('note', false) },
  rate: { score, comment: text('comment', false), fixed: bool('fixed') },
  escalate: { reason: oneOf('reason', ESCALATION_REASONS), note: text('note', false) },
  'mark-overdue': { which: oneOf('which', ['accept', 'resolve'] as const) },
  'set-formal-deadline': { unit: text('unit', true), dueAt: isoTime('dueAt'), requirements: text('requirements', true) },
  'answer-reporter': { answer: text('answer', true) },
  move: { gridCode },
};

/** A command as a client sends it: `{type, …fields}`, every field checked, unknown ones refused. */
export function parseCaseCommand(input: unknown): ParsedCommand {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, message: 'a command must be a JSON object with a "type"' };
  const f = input as Fields;
  const type = f['type'];
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) return { ok: false, message: `type must be one of ${CASE_COMMAND_TYPES.join(', ')}` };
  const readers = FIELDS[type as CaseCommandType];
  const problems: string[] = [];
  const unknown = Object.keys(f).filter((k) => k !== 'type' && !Object.hasOwn(readers, k));
  if (unknown.length > 0) problems.push(`unknown field${unknown.length > 1 ? 's' : ''} for ${type}: ${unknown.join(', ')}`);
  const command: Record<string, unknown> = { type };
  for (const [name, read] of Object.entries(readers)) {
    const value = read(f);
    if (value !== null && typeof value === 'object' && 'problem' in (value as object)) problems.push((value as { problem: string }).problem);
    else command[name] = value;
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  return { ok: true, command: command as unknown as CaseCommand };
}
