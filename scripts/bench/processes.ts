/**
 * Child processes of the intake benchmark: the server under test (`server/main.ts`, or the naive
 * baseline), the dashboards process, and the bookkeeping that makes sure every one of them, and
 * every temporary folder, is gone when the benchmark ends, fails or is interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { ChildMessage, ParentMessage } from './protocol.ts';
import { processRssMb } from './stats.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** A message to the dashboards without its id (distributes over the union). */
type ParentRequest = ParentMessage extends infer M ? (M extends ParentMessage ? Omit<M, 'id'> : never) : never;

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export function registerTempDir(dir: string): void {
  tempDirs.add(dir);
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Synchronous last-resort cleanup: kills what is still running and removes the temp folders. */
export function cleanupNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export interface ServerUnderTest {
  readonly pid: number;
  readonly url: Promise<string>;
  /** Undefined while it runs; why it stopped once it has. */
  exitReason(): string | undefined;
  readonly exited: Promise<void>;
  /** The last lines it printed (for a failure report). */
  tail(): string;
  stop(): Promise<void>;
}

/** Starts `script` (a .ts entry point) with node --import tsx and waits for `listening on http://…`. */
export function startServer(script: string, env: Record<string, string>, timeoutMs: number, nodeArgs: readonly string[] = []): ServerUnderTest {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let reason: string | undefined;
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      reason = stopping ? 'stopped' : `exited unexpectedly (${signal ?? `code ${code}`})`;
      resolve();
    }),
  );
  const url = new Promise<string>((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) return resolve(match[1]!);
      if (reason) return reject(new Error(`${script} ${reason} before listening:\n${output.slice(-3000)}`));
      if (Date.now() - started > timeoutMs) return reject(new Error(`${script}: no "listening on" after ${timeoutMs / 1000} s:\n${output.slice(-3000)}`));
      setTimeout(poll, 100);
    };
    poll();
  });
  return {
    pid: child.pid!,
    url,
    exited,
    exitReason: () => reason,
    tail: () => output.split('\n').slice(-15).join('\n'),
    async stop() {
      if (reason) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Samples a process's RSS once a second, with the time of each sample. */
export class RssSampler {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    /** Where samples go: [epoch ms, MiB]; several samplers (a restarted server) may share one list. */
    readonly samples: [number, number][] = [],
  ) {
    this.timer = setInterval(() => this.sample(), 1000);
    this.sample();
  }

  sample(): number | undefined {
    const rss = processRssMb(this.pid);
    if (rss !== undefined) this.samples.push([Date.now(), rss]);
    return rss;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The dashboards process (scripts/bench/dashboards.ts), driven over IPC. */
export class DashboardsProcess {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitReason: string | undefined;

  constructor(nodeArgs: readonly string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--max-old-space-size=4096', 'scripts/bench/dashboards.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(this.child);
    this.child.on('message', (raw) => {
      const message = raw as ChildMessage;
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`dashboards: ${message.error}`));
    });
    this.child.once('exit', (code, signal) => {
      this.exitReason = `the dashboards process exited (${signal ?? `code ${code}`})`;
      for (const w of this.waiting.values()) w.reject(new Error(this.exitReason));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  failed(): string | undefined {
    return this.exitReason;
  }

  request<T>(message: ParentRequest): Promise<T> {
    if (this.exitReason) return Promise.reject(new Error(this.exitReason));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...message, id } as ParentMessage);
    });
  }

  async close(): Promise<void> {
    if (this.exitReason) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.request({ type: 'close' }).catch(() => {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
