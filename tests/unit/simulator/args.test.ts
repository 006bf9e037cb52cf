import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs, parseStart } from '../../../scripts/simulator/args.ts';

const NOW = Date.parse('2026-11-27T09:06:00Z'); // 17:06 in Beijing

describe('parseArgs', () => {
  it('has defaults', () => {
    const a = parseArgs([], {}, NOW);
    expect(a).toMatchObject({ url: 'http://127.0.0.1:8080', rate: 10, duration: undefined, seed: undefined, maxInFlight: 200, start: undefined, daySpeed: 1, burstsPerHour: 2 });
    expect(parseArgs([], { PORT: '9000' }).url).toBe('http://127.0.0.1:9000');
  });

  it('reads --name value and --name=value', () => {
    const a = parseArgs(['--rate', '50', '--url=http://h:1/', '--duration', '20', '--seed', '42', '--bursts-per-hour', '0'], {}, NOW);
    expect(a).toMatchObject({ rate: 50, url: 'http://h:1', duration: 20, seed: 42, burstsPerHour: 0 });
  });

  it('refuses unknown options and bad values', () => {
    expect(() => parseArgs(['--rat', '5'])).toThrow(ArgsError);
    expect(() => parseArgs(['--rate', '0'])).toThrow(/positive/);
    expect(() => parseArgs(['--rate', 'x'])).toThrow(ArgsError);
    expect(() => parseArgs(['--seed', '1.5'])).toThrow(/seed/);
    expect(() => parseArgs(['--url', 'localhost:8080'])).toThrow(/url/);
    expect(() => parseArgs(['--duration'])).toThrow(/needs a value/);
  });

  it('reads --start as HH:MM in Beijing on the same local day, or ISO', () => {
    expect(parseStart('03:30', NOW)).toBe(Date.parse('2026-11-26T19:30:00Z'));
    expect(parseStart('2026-01-01T00:00:00Z', NOW)).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(() => parseStart('25:00', NOW)).toThrow(ArgsError);
    expect(() => parseStart('soon', NOW)).toThrow(ArgsError);
  });
});
