/**
 * The simulator's command line, parsed without I/O: `--name value` or `--name=value`; unknown
 * options and bad values are errors that say what is expected.
 */
import { BEIJING_UTC_OFFSET_HOURS } from './rhythm.ts';

export interface SimArgs {
  readonly url: string;
  /** Mean reports per second over a day. */
  readonly rate: number;
  /** Seconds; undefined: until Ctrl-C. */
  readonly duration: number | undefined;
  /** undefined: a fresh random seed (printed, so the run can be repeated). */
  readonly seed: number | undefined;
  readonly maxInFlight: number;
  /** The local clock at the start (epoch ms); undefined: now. */
  readonly start: number | undefined;
  readonly daySpeed: number;
  readonly burstsPerHour: number;
  readonly statusEvery: number;
  readonly ackTimeout: number;
  readonly help: boolean;
}

export const USAGE = `Streams realistic reports into a running Grid Command server over socket.io.

  npm run simulate -- [--rate 50] [--url http://127.0.0.1:8080] [--duration 60] [--seed N]

  --rate N            mean reports per second over a day (default 10); the daily rhythm
                      (Beijing time) puts ~2x that at 10:00 and ~0.1x at 03:00
  --url URL           the server (default http://127.0.0.1:8080, or http://127.0.0.1:$PORT)
  --duration S        stop after S seconds (default: until Ctrl-C)
  --seed N            same seed, same start: the same stream, reportIds included (sending it
                      twice to one server gives replays); default: random, printed
  --max-in-flight N   reports awaiting an ack at most (default 200)
  --start T           the local clock at the start: HH:MM (Beijing) or an ISO time (default now)
  --day-speed X       run the local clock X times faster (1440: a day per minute; default 1)
  --bursts-per-hour N storms and outages per hour (default 2; 0: none)
  --status-every S    seconds between status lines (default 5)
  --ack-timeout S     seconds to wait for an ack before re-sending (default 30)`;

export class ArgsError extends Error {}

const NAMES = ['url', 'rate', 'duration', 'seed', 'max-in-flight', 'start', 'day-speed', 'bursts-per-hour', 'status-every', 'ack-timeout'];

function positive(name: string, value: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new ArgsError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`);
  return n;
}

/** "HH:MM" in Beijing on the day of `now`, or an ISO 8601 time. */
export function parseStart(value: string, now: number): number {
  const hm = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (hm) {
    const h = Number(hm[1]);
    const m = Number(hm[2]);
    if (h > 23 || m > 59) throw new ArgsError(`--start ${value}: not a time of day`);
    const offset = BEIJING_UTC_OFFSET_HOURS * 3_600_000;
    const localMidnight = Math.floor((now + offset) / 86_400_000) * 86_400_000;
    return localMidnight - offset + (h * 60 + m) * 60_000;
  }
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new ArgsError(`--start must be HH:MM (Beijing time) or an ISO 8601 time, got "${value}"`);
  return t;
}

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, now = 0): SimArgs {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !NAMES.includes(m[1]!)) throw new ArgsError(`unknown option "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new ArgsError(`--${m[1]} needs a value`);
    values.set(m[1]!, value);
  }
  const get = (name: string): string | undefined => values.get(name);
  const url = get('url') ?? `http://127.0.0.1:${env['PORT'] ?? 8080}`;
  if (!/^https?:\/\/[^/]+/.test(url)) throw new ArgsError(`--url must be an http(s) URL, got "${url}"`);
  const seedText = get('seed');
  let seed: number | undefined;
  if (seedText !== undefined) {
    seed = Number(seedText);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ArgsError(`--seed must be an integer 0–4294967295, got "${seedText}"`);
  }
  const maxInFlight = positive('max-in-flight', get('max-in-flight') ?? '200');
  if (!Number.isInteger(maxInFlight)) throw new ArgsError('--max-in-flight must be a whole number');
  const startText = get('start');
  return {
    url: url.replace(/\/+$/, ''),
    rate: positive('rate', get('rate') ?? '10'),
    duration: get('duration') !== undefined ? positive('duration', get('duration')!) : undefined,
    seed,
    maxInFlight,
    start: startText !== undefined ? parseStart(startText, now) : undefined,
    daySpeed: positive('day-speed', get('day-speed') ?? '1'),
    burstsPerHour: positive('bursts-per-hour', get('bursts-per-hour') ?? '2', true),
    statusEvery: positive('status-every', get('status-every') ?? '5'),
    ackTimeout: positive('ack-timeout', get('ack-timeout') ?? '30'),
    help,
  };
}
