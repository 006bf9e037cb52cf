/**
 * JSON with object keys sorted at every level: the same value always gives the same text, however
 * it was built or stored (PostgreSQL's jsonb reorders keys). Event hashes are computed over it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // As JSON.stringify would: toJSON first (a Date becomes its ISO string), holes and undefined in arrays become null.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  // Built by concatenation, without the entries, filtered and mapped arrays of each level: intake
  // hashes two events per case under its lock, and this was ~4 % of the server's CPU at saturation.
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      text += (i === 0 ? '' : ',') + (item === undefined ? 'null' : canonicalJson(item));
    }
    return `${text}]`;
  }
  // The default sort orders strings by UTF-16 code unit, as `<` does.
  const keys = Object.keys(value).sort();
  let text = '{';
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}

/** The text an event's hash covers: its place in the chain and everything it says. */
export function eventHashInput(event: { prevHash: string | null; seq: number; caseId: number; type: string; actor: string; at: string; data: unknown }): string {
  return [event.prevHash ?? '', event.seq, event.caseId, event.type, event.actor, event.at, canonicalJson(event.data)].join('\n');
}
