/**
 * The demo: the server (as `npm start` runs it: the client build when its inputs changed, then
 * server/main.ts, with this environment) and, once it listens, the case simulator against it at a
 * lively rate. Both outputs are forwarded with prefixes; Ctrl-C stops both cleanly (twice: at once).
 *
 *   npm run demo                          # PORT, HOST, DATA_DIR, DATABASE_URL… as for npm start
 *   npm run demo -- --rate 50 --seed 7    # anything after -- goes to the simulator
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// A real district files a few thousand cases a day (~0.05/s); the demo runs about sixty times that, so
// the map visibly lives without burying it (at tens a second, hotspots fill with likely duplicates).
const DEFAULT_RATE = '3';
const say = (line: string): void => console.log(`[demo]   ${line}`);

/**
 * A child in its own process group, so that a Ctrl-C in the terminal reaches only this script,
 * which then stops the children in order (the simulator drains its acks before the server goes).
 */
function run(label: string, args: readonly string[], onLine?: (line: string) => void, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `[${label}]`.padEnd(9);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      console.log(`${prefix}${line}`);
      onLine?.(line);
    });
  }
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? 1);
    else child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The simulator's arguments: ours, then the user's (a later --rate or --url wins). */
export function simulatorArgs(serverUrl: string, extra: readonly string[]): string[] {
  const has = (name: string): boolean => extra.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return [...(has('url') ? [] : ['--url', serverUrl]), ...(has('rate') ? [] : ['--rate', DEFAULT_RATE]), ...extra];
}

async function main(): Promise<number> {
  const extra = process.argv.slice(2);
  let stopping = false;
  let stoppingAt = 0;
  const children: { build?: ChildProcess; server?: ChildProcess; simulator?: ChildProcess } = {};
  const running = (child: ChildProcess | undefined): child is ChildProcess => child !== undefined && child.exitCode === null && child.signalCode === null;

  const stop = (signal: NodeJS.Signals): void => {
    // npm and tsx pass the terminal's Ctrl-C on as well: one press can arrive twice.
    if (stopping && Date.now() - stoppingAt < 1000) return;
    if (stopping) {
      say('stopping now');
      for (const child of [children.build, children.server, children.simulator]) if (running(child)) child.kill('SIGKILL');
      process.exit(130);
    }
    stopping = true;
    stoppingAt = Date.now();
    say(`${signal}: stopping the simulator, then the server (Ctrl-C again to kill both)`);
    if (running(children.build)) children.build.kill('SIGTERM');
    // The simulator first, so that it can wait for its last acks while the server still answers.
    const { server, simulator } = children;
    if (running(simulator)) {
      simulator.kill('SIGTERM');
      void exited(simulator).then(() => server?.kill('SIGTERM'));
    } else {
      server?.kill('SIGTERM');
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));

  say('building the web client if it changed…');
  children.build = run('build', ['scripts/ensure-client-build.ts']);
  const buildCode = await exited(children.build);
  if (stopping) return 130;
  if (buildCode !== 0) {
    say(`the client build failed (exit ${buildCode})`);
    return buildCode;
  }

  say('demo accounts, one per role…');
  // The simulator files as the demo district dispatcher: its password is read from the list printed.
  let simulatorPassword: string | undefined;
  children.build = run('accounts', ['scripts/seed-demo-accounts.ts'], (line) => {
    const m = /^\s+district-dispatcher\s+demo-district-dispatcher\s+(\S+)\s*$/.exec(line);
    if (m) simulatorPassword = m[1];
  });
  const accountsCode = await exited(children.build);
  if (stopping) return 130;
  if (accountsCode !== 0 || simulatorPassword === undefined) {
    say(`could not prepare the demo accounts (exit ${accountsCode})`);
    return accountsCode || 1;
  }

  say('starting the server…');
  let listened: (url: string | undefined) => void = () => {};
  const listening = new Promise<string | undefined>((resolve) => (listened = resolve));
  const server = run('server', ['server/main.ts'], (line) => {
    const m = /^listening on (https?:\/\/\S+)/.exec(line);
    if (m) listened(m[1]);
  });
  children.server = server;
  void exited(server).then(() => listened(undefined));
  const listeningUrl = await listening;
  if (!listeningUrl || stopping) {
    const code = await exited(server);
    if (!stopping) say(`the server stopped before it listened (exit ${code})`);
    return stopping ? 0 : code || 1;
  }
  // A server listening on every interface is reached on loopback; the browser URL says localhost.
  const url = new URL(listeningUrl);
  const local = ['0.0.0.0', '::', '[::]'].includes(url.hostname) ? `${url.protocol}//127.0.0.1:${url.port}` : listeningUrl;
  const browser = local.replace('127.0.0.1', 'localhost');

  const simulator = run('sim', ['scripts/simulate.ts', ...simulatorArgs(local, extra)], undefined, {
    GRID_COMMAND_USERNAME: 'demo-district-dispatcher',
    GRID_COMMAND_PASSWORD: simulatorPassword,
  });
  children.simulator = simulator;
  say(`open ${browser} — the simulator is streaming reports into it (Ctrl-C stops both)`);

  void exited(simulator).then((code) => {
    if (!stopping) say(`the simulator finished (exit ${code}); the server keeps running until Ctrl-C`);
  });
  const serverCode = await exited(server);
  if (!stopping) {
    say(`the server stopped (exit ${serverCode}); stopping the simulator`);
    stopping = true;
    simulator.kill('SIGTERM');
  }
  await exited(simulator);
  return stopping && serverCode === 0 ? 0 : serverCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
