import { describe, expect, it } from 'vitest';
import { CACHED_BODIES, CACHED_BODY_CHARS, GeographyAnswers } from '../../../server/http/geography-answers.ts';

/** A read that counts itself and answers `body`. */
function counted(body: string | Error): { read: () => Promise<string>; reads: () => number } {
  let reads = 0;
  return {
    read: () => {
      reads += 1;
      return body instanceof Error ? Promise.reject(body) : Promise.resolve(body);
    },
    reads: () => reads,
  };
}

describe('geography answers kept per version', () => {
  it('reads once per key and version, and afresh after the version changes', async () => {
    let version = 1;
    const answers = new GeographyAnswers(() => version);
    const streets = counted('{"streets":1}');
    expect(await Promise.all([answers.get('street', streets.read), answers.get('street', streets.read)])).toEqual(['{"streets":1}', '{"streets":1}']);
    expect(await answers.get('street', streets.read)).toBe('{"streets":1}');
    expect(streets.reads()).toBe(1);
    version = 2;
    await answers.get('street', streets.read);
    expect(streets.reads()).toBe(2);
  });

  it('keeps neither a failed read nor a body too large to hold', async () => {
    const answers = new GeographyAnswers(() => 1);
    const failing = counted(new Error('database away'));
    await expect(answers.get('district', failing.read)).rejects.toThrow('database away');
    await expect(answers.get('district', failing.read)).rejects.toThrow('database away');
    expect(failing.reads()).toBe(2);
    const huge = counted('x'.repeat(CACHED_BODY_CHARS + 1));
    await answers.get('grid', huge.read);
    await answers.get('grid', huge.read);
    expect(huge.reads()).toBe(2);
  });

  it('holds a bounded number of answers, the oldest going first', async () => {
    const answers = new GeographyAnswers(() => 1);
    const first = counted('first');
    await answers.get('k0', first.read);
    for (let i = 1; i <= CACHED_BODIES; i++) await answers.get(`k${i}`, () => Promise.resolve(String(i)));
    await answers.get('k0', first.read);
    expect(first.reads()).toBe(2);
  });
});
