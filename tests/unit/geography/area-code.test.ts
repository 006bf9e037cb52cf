import { describe, expect, it } from 'vitest';
import { childCode, isAreaCode, levelOfCode, parentCode } from '../../../core/geography/area-code.ts';

describe('isAreaCode', () => {
  it.each([
    ['district', '110108'],
    ['street', '110108901'],
    ['community', '110108901001'],
    ['grid', '110108901001001'],
  ] as const)('accepts a %s code of the right length (%s)', (level, code) => {
    expect(isAreaCode(level, code)).toBe(true);
  });

  it.each([
    ['district', 'one digit short', '11010'],
    ['street', 'one digit long', '1101089010'],
    ['community', 'a trailing space', '110108901001 '],
    ['grid', 'a letter', '11010890100100A'],
    ['grid', 'a sign', '-11010890100100'],
    ['district', 'nothing', ''],
  ] as const)('refuses a %s code with %s (%j)', (level, _what, code) => {
    expect(isAreaCode(level, code)).toBe(false);
  });

  it('refuses a code of another level', () => {
    expect(isAreaCode('grid', '110108901001')).toBe(false);
  });

  it('refuses a number even when its digits would do', () => {
    expect(isAreaCode('district', 110108)).toBe(false);
  });
});

describe('parentCode', () => {
  it.each([
    ['110108901001001', '110108901001'],
    ['110108901001', '110108901'],
    ['110108901', '110108'],
  ])('of %s is %s', (code, parent) => {
    expect(parentCode(code)).toBe(parent);
  });

  it('of a district is undefined', () => {
    expect(parentCode('110108')).toBeUndefined();
  });
});

describe('levelOfCode', () => {
  it.each([
    ['110108', 'district'],
    ['110108901', 'street'],
    ['110108901001', 'community'],
    ['110108901001001', 'grid'],
  ])('of %s is %s', (code, level) => {
    expect(levelOfCode(code)).toBe(level);
  });

  it.each([['1101089'], ['11010890100'], ['1101089010010010'], ['11010A'], ['']])('of %j is undefined', (code) => {
    expect(levelOfCode(code)).toBeUndefined();
  });
});

describe('childCode', () => {
  it('pads the sequence to three digits', () => {
    expect(childCode('110108', 7)).toBe('110108007');
  });

  it('takes sequences up to 999', () => {
    expect(childCode('110108901001', 999)).toBe('110108901001999');
  });

  it.each([[0], [1000], [-1], [1.5], [Number.NaN]])('throws a RangeError for sequence %d', (sequence) => {
    expect(() => childCode('110108', sequence)).toThrow(RangeError);
  });

  it('names the bad sequence and the allowed range in the error', () => {
    expect(() => childCode('110108', 1000)).toThrow('sequence 1000 outside 1..999');
  });
});
