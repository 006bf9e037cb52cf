/**
 * Area codes follow the Beijing convention for unit grids (DB11): district (6 digits, GB/T 2260)
 * + street/town (3) + community/village (3) + grid (3). Each level's code starts with its parent's.
 */
export type AreaLevel = 'district' | 'street' | 'community' | 'grid';

export const CODE_LENGTH: Readonly<Record<AreaLevel, number>> = { district: 6, street: 9, community: 12, grid: 15 };

export function isAreaCode(level: AreaLevel, code: unknown): code is string {
  return typeof code === 'string' && code.length === CODE_LENGTH[level] && /^\d+$/.test(code);
}

/** The code of the enclosing area one level up, or undefined for a district. */
export function parentCode(code: string): string | undefined {
  return code.length > 6 ? code.slice(0, code.length - 3) : undefined;
}

export function levelOfCode(code: string): AreaLevel | undefined {
  if (!/^\d+$/.test(code)) return undefined;
  switch (code.length) {
    case 6:
      return 'district';
    case 9:
      return 'street';
    case 12:
      return 'community';
    case 15:
      return 'grid';
    default:
      return undefined;
  }
}

export function childCode(parent: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) throw new RangeError(`sequence ${sequence} outside 1..999`);
  return parent + String(sequence).padStart(3, '0');
}
