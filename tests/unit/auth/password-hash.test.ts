import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../../server/auth/password-hash.ts';

describe('password hashing (scrypt)', () => {
  const password = 'correct horse battery staple';

  it('stores a self-describing scrypt hash: parameters, salt and key, never the password', async () => {
    const stored = await hashPassword(password);
    const parts = stored.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(SCRYPT_PARAMS.N), String(SCRYPT_PARAMS.r), String(SCRYPT_PARAMS.p)]);
    expect(SCRYPT_PARAMS).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(32);
    expect(stored).not.toContain(password);
  });

  it('accepts the right password', async () => {
    expect(await verifyPassword(password, await hashPassword(password))).toBe(true);
  });

  it('refuses a wrong password, including one differing by case or a trailing space', async () => {
    const stored = await hashPassword(password);
    for (const wrong of ['Correct horse battery staple', `${password} `, '', 'something else entirely']) {
      expect(await verifyPassword(wrong, stored), wrong).toBe(false);
    }
  });

  it('gives two hashes of the same password different salts and keys', async () => {
    const [a, b] = await Promise.all([hashPassword(password), hashPassword(password)]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword(password, a)).toBe(true);
    expect(await verifyPassword(password, b)).toBe(true);
  });

  it('refuses a tampered hash: changed key, salt or cost, and malformed values (without throwing)', async () => {
    const stored = await hashPassword(password);
    const parts = stored.split('$');
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64');
    };
    const tampered = [
      [...parts.slice(0, 5), flip(parts[5]!)].join('$'),
      [...parts.slice(0, 4), flip(parts[4]!), parts[5]].join('$'),
      ['scrypt', String(2 ** 14), ...parts.slice(2)].join('$'),
      ['scrypt', parts[1], '16', parts[3], parts[4], parts[5]].join('$'),
      ['scrypt', String(2 ** 30), ...parts.slice(2)].join('$'),
      ['scrypt', '1000', ...parts.slice(2)].join('$'),
      ['bcrypt', ...parts.slice(1)].join('$'),
      parts.slice(0, 5).join('$'),
      [...parts.slice(0, 5), parts[5]!.slice(0, 8)].join('$'),
      [...parts.slice(0, 5), '!!!not base64!!!'].join('$'),
      '',
      password,
    ];
    for (const bad of tampered) expect(await verifyPassword(password, bad), bad).toBe(false);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const composed = 'café-password-1';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });
});
