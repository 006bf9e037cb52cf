/**
 * The case simulator: streams realistic reports into a running server over socket.io, at a mean
 * rate that follows Beijing's daily rhythm, from hotspots and a background, with bursts, likely
 * duplicates, retries and a small share of bad reports (see scripts/simulator/generator.ts).
 *
 *   npm run simulate -- --rate 50 [--url http://127.0.0.1:8080] [--duration 60] [--seed N]
 *
 * It reads the catalogue and the geography from the server first, so it works on any imported
 * geography and never sends an unknown category by accident. Paces by the stream's own timeline
 * (no interval drift), keeps at most --max-in-flight reports awaiting an ack, re-sends on
 * store_unavailable (same reportId, after the server's retryAfterSeconds) and on lost acks; prints
 * a status line every 5 s and, at the end (duration reached, or Ctrl-C), one JSON summary line.
 * Exit status: 0 when every answer was as expected, 1 when some were not, 2 when it could not start.
 */
import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import type { Catalogue } from '../core/catalogue/catalogue.ts';
import type { Ack, CaseAck } from '../core/protocol/cases-api.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../core/protocol/socket-events.ts';
import { ArgsError, parseArgs, USAGE, type SimArgs } from './simulator/args.ts';
import { createReportStream, type PlannedReport, type ReportStream, type WireReport } from './simulator/generator.ts';
import { createSimGeography, type GeographyInput } from './simulator/geography.ts';
import { beijingClock, rhythmAt } from './simulator/rhythm.ts';
import { ms, shares, SimStats } from './simulator/stats.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Answer = Ack<CaseAck>;

const MAX_ATTEMPTS = 6;
const log = (line: string): void => console.log(line);

class StartError extends Error {}

async function getJson<T>(url: string): Promise<T> {
  let lastError: unknown;
  // The server may still be starting: a few tries over ~10 s.
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new StartError(`GET ${url}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
      return (await response.json()) as T;
    } catch (error) {
      if (error instanceof StartError) throw error;
      lastError = error;
      await sleep(2000);
    }
  }
  throw new StartError(`GET ${url} failed: ${(lastError as Error).cause instanceof Error ? ((lastError as Error).cause as Error).message : (lastError as Error).message}. Is the server running (npm start)?`);
}

/** A whole geography level, page by page. */
async function getLevel<T extends { features: unknown[]; numberMatched?: number }>(base: string, level: string): Promise<T> {
  const limit = 50_000;
  const first = await getJson<T>(`${base}/api/geo/${level}?limit=${limit}`);
  for (let offset = limit; first.numberMatched !== undefined && first.features.length < first.numberMatched; offset += limit) {
    const page = await getJson<T>(`${base}/api/geo/${level}?limit=${limit}&offset=${offset}`);
    if (page.features.length === 0) break;
    first.features.push(...page.features);
  }
  return first;
}

/**
 * Patrols, the hotline and sensors file as staff: the simulator signs in as the account in
 * GRID_COMMAND_USERNAME / GRID_COMMAND_PASSWORD (npm run demo passes its demo dispatcher's).
 */
async function signIn(url: string, env: NodeJS.ProcessEnv): Promise<string> {
  const username = env['GRID_COMMAND_USERNAME']?.trim();
  const password = env['GRID_COMMAND_PASSWORD'];
  if (!username || !password) {
    throw new StartError('set GRID_COMMAND_USERNAME and GRID_COMMAND_PASSWORD to a staff account (npm run accounts -- create …): staff channels need a session');
  }
  const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), signal: AbortSignal.timeout(30_000) });
  if (response.status !== 200) throw new StartError(`sign-in as ${username} failed: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  return ((await response.json()) as { token: string }).token;
}

function connect(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { transports: ['websocket'], reconnectionDelayMax: 5000, auth: { token } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new StartError(`could not open a socket.io connection to ${url} within 15 s`));
    }, 15_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}

function emitOnce(socket: ClientSocket, report: WireReport, timeoutMs: number): Promise<Answer | 'timeout'> {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit('case:report', report, (err: Error | null, result: Ack<CaseAck>) => resolve(err ? 'timeout' : result));
  });
}

async function main(): Promise<number> {
  let args: SimArgs;
  try {
    args = parseArgs(process.argv.slice(2), process.env, Date.now());
  } catch (error) {
    if (error instanceof ArgsError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    log(USAGE);
    return 0;
  }
  const seed = args.seed ?? randomInt(0, 2 ** 32);
  const clockStart = args.start ?? Date.now();

  const loadStarted = performance.now();
  const [catalogue, district, streets, communities, grids] = await Promise.all([
    getJson<Catalogue>(`${args.url}/api/categories`),
    getLevel<GeographyInput['district']>(args.url, 'district'),
    getLevel<GeographyInput['streets']>(args.url, 'streets'),
    getLevel<GeographyInput['communities']>(args.url, 'communities'),
    getLevel<GeographyInput['grids']>(args.url, 'grids'),
  ]);
  const geography = createSimGeography({ district, streets, communities, grids });
  const stream: ReportStream = createReportStream(catalogue.categories, geography, { seed, rate: args.rate, clockStart, daySpeed: args.daySpeed, burstsPerHour: args.burstsPerHour });
  log(
    `simulate: ${geography.districtName || 'district'} — ${geography.streets.length} streets, ${geography.grids.length} grids, ${catalogue.categories.length} categories, ` +
      `${stream.hotspots.length} hotspots (loaded in ${Math.round(performance.now() - loadStarted)} ms); seed ${seed}, ${args.rate}/s daily mean, ` +
      `Beijing ${beijingClock(clockStart)}${args.daySpeed !== 1 ? ` ×${args.daySpeed}` : ''} (rhythm ×${rhythmAt(clockStart).toFixed(2)}), ` +
      `${args.duration !== undefined ? `${args.duration} s` : 'until Ctrl-C'}, at most ${args.maxInFlight} in flight`,
  );

  const socket = await connect(args.url, await signIn(args.url, process.env));
  log(`simulate: connected to ${args.url}`);
  let connected = true;
  socket.on('disconnect', (reason) => {
    connected = false;
    if (reason === 'io client disconnect') return;
    log(`simulate: disconnected (${reason}); reconnecting, reports wait`);
  });
  socket.io.on('reconnect', () => {
    connected = true;
    log('simulate: reconnected');
  });

  const stats = new SimStats();
  const ackTimeoutMs = args.ackTimeout * 1000;
  let inFlight = 0;
  let slotFree: (() => void) | undefined;
  let stopping = false;
  let hardStop = false;
  // Stops the pacer's wait (first Ctrl-C, or the end); stops the re-sends' waits (drain over, second Ctrl-C).
  const pacerAbort = new AbortController();
  const retryAbort = new AbortController();
  // Every waiting re-send listens on it: up to --max-in-flight at once.
  setMaxListeners(0, pacerAbort.signal, retryAbort.signal);
  let sendingMs: number | undefined;
  let lagMaxMs = 0;
  const t0 = performance.now();
  const elapsed = (): number => performance.now() - t0;

  const deliver = async (p: PlannedReport): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const sentAt = performance.now();
      const answer = await emitOnce(socket, p.report, ackTimeoutMs);
      const latency = performance.now() - sentAt;
      let retryInSeconds: number;
      if (answer === 'timeout') {
        stats.counters.timeouts++;
        retryInSeconds = Math.min(30, 2 ** attempt);
      } else if (!answer.ok && answer.error.code === 'store_unavailable') {
        stats.counters.storeUnavailable++;
        retryInSeconds = answer.error.retryAfterSeconds ?? Math.min(30, 2 ** attempt);
      } else {
        stats.answered(p, answer, latency, attempt > 1);
        return;
      }
      if (attempt >= MAX_ATTEMPTS || hardStop) {
        stats.answered(p, answer === 'timeout' ? { ok: false, error: { code: 'timeout', message: 'no acknowledgement' } } : answer, latency);
        return;
      }
      // Same reportId again, after the server's hint, with jitter so that retries do not stampede.
      try {
        await sleep(retryInSeconds * 1000 * (0.8 + 0.4 * Math.random()), undefined, { signal: retryAbort.signal });
      } catch {
        stats.answered(p, { ok: false, error: { code: 'stopped', message: 'stopped while waiting to re-send' } }, latency);
        return;
      }
      stats.counters.resent++;
    }
  };

  const burstNote = (): string => {
    const now = elapsed();
    const active = stream.bursts.filter((b) => b.start <= now && now < b.end);
    return active.map((b) => ` | ${b.kind === 'storm' ? 'storm' : 'outage'} over ${b.areaName} ×${b.multiplier.toFixed(1)} (${Math.round((b.end - now) / 1000)} s left)`).join('');
  };

  let next = stream.next();
  /** How late the stream is (the next report's time has passed but a full window holds it). */
  const behind = (): number => (stopping ? 0 : Math.max(0, elapsed() - next.at));
  let lastSent = 0;
  let lastStatusAt = 0;
  const status = (): void => {
    const now = elapsed();
    const c = stats.counters;
    const interval = stats.takeInterval();
    const rate = ((c.sent - lastSent) * 1000) / Math.max(1, now - lastStatusAt);
    lastSent = c.sent;
    lastStatusAt = now;
    const clock = clockStart + now * args.daySpeed;
    log(
      `${String(Math.round(now / 1000)).padStart(5)} s  BJT ${beijingClock(clock)} ×${rhythmAt(clock).toFixed(2)} | sent ${c.sent} (${rate.toFixed(1)}/s) stored ${c.stored} replayed ${c.replayed} ` +
        `linked ${c.linked} refused ${c.refused} errors ${c.errors} | in flight ${inFlight}${behind() > 1000 ? ` behind ${(behind() / 1000).toFixed(1)} s` : ''}${connected ? '' : ' DISCONNECTED'} | ` +
        `ack ${ms(interval.mean())}/${ms(interval.quantile(0.95))} ms mean/p95${burstNote()}`,
    );
  };
  const statusTimer = setInterval(status, args.statusEvery * 1000);

  const summary = (): string => {
    const c = stats.counters;
    const seconds = elapsed() / 1000;
    const h = stats.latency;
    return JSON.stringify({
      summary: {
        ok: c.errors === 0 && stats.replayMismatches === 0 && stats.gridMismatches === 0,
        url: args.url,
        seed,
        seconds: Math.round(seconds * 10) / 10,
        rate: { dailyMean: args.rate, achieved: Math.round((c.sent / Math.max((sendingMs ?? elapsed()) / 1000, 0.001)) * 10) / 10 },
        startClock: beijingClock(clockStart),
        sent: c.sent,
        resent: c.resent,
        stored: c.stored,
        replayed: c.replayed,
        linkedAsDuplicates: c.linked,
        unrouted: c.unrouted,
        refused: c.refused,
        refusedByCode: stats.refusedByCode,
        errors: c.errors,
        errorsByCode: stats.errorsByCode,
        storeUnavailable: c.storeUnavailable,
        timeouts: c.timeouts,
        planned: c.planned,
        replayMismatches: stats.replayMismatches,
        gridMismatches: stats.gridMismatches,
        unexpected: stats.unexpected.slice(0, 10),
        latencyMs: { mean: ms(h.mean()), p50: ms(h.quantile(0.5)), p95: ms(h.quantile(0.95)), p99: ms(h.quantile(0.99)), max: ms(h.max) },
        lagMaxSeconds: Math.round(lagMaxMs / 100) / 10,
        shares: { channel: shares(stats.byChannel), origin: shares(stats.byOrigin), place: shares(stats.byHotspotKind) },
        topCategories: Object.fromEntries(Object.entries(shares(stats.byCategory)).slice(0, 8)),
        bursts: stream.bursts.map((b) => ({ kind: b.kind, area: b.areaName, atSeconds: Math.round(b.start / 1000), seconds: Math.round((b.end - b.start) / 1000), multiplier: Math.round(b.multiplier * 10) / 10 })),
      },
    });
  };

  let stopRequestedAt = 0;
  const requestStop = (signal: string): void => {
    const now = performance.now();
    if (stopping && now - stopRequestedAt > 1000) {
      // A second Ctrl-C: stop waiting for acks.
      hardStop = true;
      retryAbort.abort();
      log(`simulate: ${signal} again — not waiting for the ${inFlight} reports in flight`);
      clearInterval(statusTimer);
      log(summary());
      process.exit(130);
    }
    if (stopping) return;
    stopping = true;
    sendingMs = elapsed();
    stopRequestedAt = now;
    pacerAbort.abort();
    slotFree?.();
    log(`simulate: ${signal} — stopping; waiting for ${inFlight} acks (Ctrl-C again to quit now)`);
  };
  process.on('SIGINT', () => requestStop('SIGINT'));
  process.on('SIGTERM', () => requestStop('SIGTERM'));

  // The pacer: each report goes at its own time on the stream's timeline, however late the
  // previous one was (no drift); a full window of reports in flight holds the stream back.
  const durationMs = args.duration !== undefined ? args.duration * 1000 : Infinity;
  while (!stopping && next.at <= durationMs) {
    const wait = next.at - elapsed();
    if (wait > 1) {
      try {
        await sleep(wait, undefined, { signal: pacerAbort.signal });
      } catch {
        break;
      }
    }
    while (inFlight >= args.maxInFlight && !stopping) await new Promise<void>((resolve) => (slotFree = resolve));
    if (stopping) break;
    const lag = elapsed() - next.at;
    if (lag > lagMaxMs) lagMaxMs = lag;
    const p = next;
    inFlight++;
    stats.sent(p);
    void deliver(p).finally(() => {
      inFlight--;
      const free = slotFree;
      slotFree = undefined;
      free?.();
    });
    next = stream.next();
  }
  stopping = true;
  sendingMs ??= Math.min(elapsed(), durationMs);

  // Drain: wait for the acks still due, re-sends included, for a while.
  const drainUntil = performance.now() + Math.max(10_000, ackTimeoutMs);
  let disconnectedSince: number | undefined;
  while (inFlight > 0 && performance.now() < drainUntil && !hardStop) {
    // Without a connection (the server stopped too) no ack is coming: give it 2 s, then stop waiting.
    disconnectedSince = connected ? undefined : (disconnectedSince ?? performance.now());
    if (disconnectedSince !== undefined && performance.now() - disconnectedSince > 2000) break;
    await sleep(50);
  }
  retryAbort.abort();
  while (inFlight > 0 && performance.now() < drainUntil + 1000) await sleep(50);
  clearInterval(statusTimer);
  if (elapsed() - lastStatusAt > 1000) status();
  if (inFlight > 0) log(`simulate: gave up waiting for ${inFlight} acks`);
  const c = stats.counters;
  if (c.replayed - c.planned.retriesReplayed > c.stored) {
    log(`simulate: most reports came back "replayed": this server has seen seed ${seed}'s reportIds before (same --seed, same stream); use another seed for new cases`);
  }
  log(summary());
  socket.close();
  return stats.counters.errors === 0 && stats.replayMismatches === 0 && stats.gridMismatches === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`simulate: ${error instanceof StartError ? error.message : ((error as Error).stack ?? String(error))}`);
    process.exit(2);
  },
);
