import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from '../../../server/store/copy-text.ts';
import { pointEwkbHex } from '../../../server/store/wkb.ts';

describe('COPY text format', () => {
  it('escapes the four characters the format reads, and nothing else', () => {
    expect(copyField('路边 "垃圾", 50%')).toBe('路边 "垃圾", 50%');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // A literal \N in text must not read as NULL.
    expect(copyField('\\N')).toBe('\\\\N');
  });

  it('writes NULL as \\N and numbers and booleans as PostgreSQL reads them', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(116.3101234567891)).toBe('116.3101234567891');
    expect(copyField(-0.5)).toBe('-0.5');
    expect(copyField(true)).toBe('true');
    expect(copyField('')).toBe('');
  });

  it('joins fields with tabs and ends the row with a line break', () => {
    expect(copyLine([1, null, 'x\ty', ''])).toBe('1\t\\N\tx\\ty\t\n');
  });
});

describe('point EWKB', () => {
  it('is little-endian, SRID 4326, with the exact doubles', () => {
    const hex = pointEwkbHex(116.3, 39.95);
    expect(hex.slice(0, 18)).toBe('0101000020e6100000');
    const bytes = Buffer.from(hex.slice(18), 'hex');
    expect([bytes.readDoubleLE(0), bytes.readDoubleLE(8)]).toEqual([116.3, 39.95]);
  });
});
