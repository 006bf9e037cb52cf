/**
 * Small measuring tools for the intake benchmark: a millisecond latency histogram (exact to 1 ms,
 * bounded memory however many deliveries), least-squares slope, and CPU/RSS readings from /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Percentiles {
  readonly count: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** Latencies in whole milliseconds; anything at or above `capMs` is counted in the last bin (max stays exact). */
export class LatencyHistogram {
  private readonly bins: Uint32Array;
  count = 0;
  max = -Infinity;
  min = Infinity;

  constructor(private readonly capMs = 300_000) {
    this.bins = new Uint32Array(capMs + 1);
  }

  add(ms: number): void {
    const v = Math.max(0, Math.round(ms));
    this.bins[Math.min(v, this.capMs)]!++;
    this.count++;
    if (v > this.max) this.max = v;
    if (v < this.min) this.min = v;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i <= this.capMs; i++) this.bins[i]! += other.bins[i]!;
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
    this.min = Math.min(this.min, other.min);
  }

  /** The smallest value v such that at least q of the samples are ≤ v (nearest-rank). */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i <= this.capMs; i++) {
      seen += this.bins[i]!;
      if (seen >= rank) return i === this.capMs ? this.max : i;
    }
    return this.max;
  }

  summary(): Percentiles {
    return { count: this.count, p50: this.quantile(0.5), p99: this.quantile(0.99), max: this.count > 0 ? this.max : null };
  }
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, or undefined if it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MiB (VmRSS), or undefined if it is gone. */
export function processRssMb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds of every process named `postgres` on this machine, by pid. */
function postgresProcesses(): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // the process ended between listing and reading
    }
  }
  return found;
}

/**
 * CPU used by the local PostgreSQL server's processes since the tracker started. Backends come and
 * go (a pool closes idle connections), so it polls every second and adds up each process's growth;
 * a process that exits loses at most its last second.
 */
export class PostgresCpuTracker {
  private last = postgresProcesses();
  private total = 0;
  private readonly timer = setInterval(() => this.poll(), 1000);

  poll(): number {
    const now = postgresProcesses();
    for (const [pid, cpu] of now) this.total += Math.max(0, cpu - (this.last.get(pid) ?? 0));
    this.last = now;
    return this.total;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Busy and total CPU seconds of the whole machine, summed over cores (/proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

export function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function round(n: number, digits = 0): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}
