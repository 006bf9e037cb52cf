/**
 * JSON with object keys sorted at every level: the same value always gives the same text, however
 * it was built or stored (PostgreSQL's jsonb reorders keys). Event hashes are computed over it.
 */
export function canonicalJson(value: unknown): string {
  // As JSON.stringify would: toJSON first (a Date becomes its ISO string), holes and undefined in arrays become null.
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${Array.from(value, (v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The text an event's hash covers: its place in the chain and everything it says. */
export function eventHashInput(event: { prevHash: string | null; seq: number; caseId: number; type: string; actor: string; at: string; data: unknown }): string {
  return [event.prevHash ?? '', event.seq, event.caseId, event.type, event.actor, event.at, canonicalJson(event.data)].join('\n');
}
