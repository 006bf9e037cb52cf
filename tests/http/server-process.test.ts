import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeDrivers } from '../fixtures/drivers.ts';
import { buildPgliteTemplate, openTestStore } from '../fixtures/test-databases.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForListening(running: Running, timeoutMs = 90_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(running.output());
    if (match) return match[1]!;
    if (running.child.exitCode !== null) throw new Error(`server exited ${running.child.exitCode}:\n${running.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no "listening on" after ${timeoutMs} ms:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the server process (npm start)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function embeddedDataDir(template: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'gc-main-'));
    cpSync(template, dir, { recursive: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('starts on the embedded store, prints where it listens, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const dataDir = embeddedDataDir(await buildPgliteTemplate());
    const server = startServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' });
    cleanups.push(() => server.child.kill('SIGKILL'));
    const url = await waitForListening(server);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'pglite', grids: 3000 });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses to open an embedded store that another running server holds', async () => {
    const dataDir = embeddedDataDir(await buildPgliteTemplate());
    const first = startServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' });
    cleanups.push(() => first.child.kill('SIGKILL'));
    await waitForListening(first);
    const second = startServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' });
    cleanups.push(() => second.child.kill('SIGKILL'));
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('is in use by process');
    expect((await fetch(`${await waitForListening(first)}/healthz`)).status).toBe(200);
  });

  it.runIf(storeDrivers().includes('pg'))('runs on a PostgreSQL server when DATABASE_URL is set', async () => {
    const db = await openTestStore('pg');
    try {
      const server = startServer({ DATABASE_URL: db.location, PORT: '0', HOST: '127.0.0.1' });
      cleanups.push(() => server.child.kill('SIGKILL'));
      const url = await waitForListening(server);
      expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok', store: 'pg', grids: 3000 });
      expect(server.output()).not.toContain(db.location.split('@')[0]);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      await db.dispose();
    }
  });

  it('exits with a clear message on a bad configuration', async () => {
    const server = startServer({ PORT: 'eighty', DATABASE_URL: '' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('configuration error: PORT must be an integer');
  });

  it('exits with a message naming the file and the field when a policy file is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-policy-'));
    try {
      const file = join(dir, 'calendar.json');
      writeFileSync(file, JSON.stringify({ utcOffsetMinutes: 480, weekdays: [1, 2, 3, 4, 5], periods: [['08:30', '12:00']], holidays: ['2026-02-30'] }));
      const server = startServer({ WORKING_CALENDAR_FILE: file, DATABASE_URL: '' });
      expect(await server.exited).toBe(1);
      expect(server.output()).toContain(`configuration error: working calendar ${file}: holidays must list real dates`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
