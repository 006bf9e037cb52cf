/**
 * The composition root: reads the configuration, opens the store (embedded PGlite by default, a
 * PostgreSQL server when DATABASE_URL is set), loads the reference data on first start, builds the
 * router and serves HTTP. Nothing else in the server reads the environment or picks a driver.
 */
import { setFlagsFromString } from 'node:v8';
import { FIRST_GEO_PATHS } from '../core/protocol/http-api.ts';
import { composeServer } from './compose-server.ts';
import { ConfigError, readConfig } from './config.ts';
import { readPolicyFiles } from './reference/read-policy-files.ts';
import { readReferenceData } from './reference/read-reference-data.ts';
import { ensureReferenceData } from './services/reference-data.service.ts';
import { createStore } from './store/create-store.ts';
import { openPgClient } from './store/pg/open-pg-client.ts';
import { openPgliteClient } from './store/pglite/open-pglite-client.ts';
import type { SqlClient } from './store/sql-client.ts';

const log = (line: string): void => console.log(`[grid-command] ${line}`);

async function openSql(databaseUrl: string | undefined, dataDir: string): Promise<SqlClient> {
  const started = Date.now();
  if (databaseUrl) {
    log(`connecting to PostgreSQL + PostGIS at ${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}…`);
    const sql = await openPgClient(databaseUrl);
    log(`connected in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return sql;
  }
  log(`starting embedded PostgreSQL + PostGIS in ${dataDir} (first start takes ~15 s)…`);
  const ticker = setInterval(() => log(`…still starting (${Math.round((Date.now() - started) / 1000)} s)`), 5000);
  try {
    return await openPgliteClient(dataDir);
  } finally {
    clearInterval(ticker);
    log(`embedded store ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  // Set before the server allocates anything of size: V8 reads it each time it sizes the heap after a
  // full collection. Without it the resident memory rose ~90–120 MB under bench:ingest's burst on
  // the PostgreSQL store while the live heap stayed ~50 MB (a heap snapshot at the peak).
  if (config.heapGrowingPercent !== undefined) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  const policy = readPolicyFiles(config);
  const sql = await openSql(config.databaseUrl, config.dataDir);
  const store = await createStore(sql);
  await ensureReferenceData(store, () => readReferenceData(config.geodataDir), log);
  const server = await composeServer(store, {
    logLevel: config.logLevel,
    clientDir: config.clientDir,
    ...(config.redisUrl ? { redisUrl: config.redisUrl, redisKeyPrefix: config.redisKeyPrefix } : {}),
    ...(config.open311ApiKeys ? { open311: { apiKeys: config.open311ApiKeys } } : {}),
    calendar: policy.calendar,
    escalationRules: policy.escalationRules,
    log: (message, error) => console.error(`[grid-command] ${message}`, error ?? ''),
  });
  const { app, geography } = server;
  log(`router ready: ${geography.gridCount} grids (geography version ${geography.version})${config.redisUrl ? '; broadcasts shared through Redis' : ''}`);

  // An import from the command line (against a PostgreSQL server) bumps the geography version;
  // the router follows within seconds, without a restart.
  const refresher = setInterval(() => {
    geography
      .refresh()
      .then((changed) => changed && log(`geography changed: router rebuilt, ${geography.gridCount} grids (version ${geography.version})`))
      .catch((error: unknown) => log(`geography refresh failed: ${(error as Error).message}`));
  }, 15_000);
  refresher.unref();

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    clearInterval(refresher);
    log(`${signal}: closing`);
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  // The geography every map asks for first, read now (and kept: see geo.routes.ts) rather than by
  // the first displays to connect; a display that asks meanwhile shares the read under way.
  for (const path of Object.values(FIRST_GEO_PATHS)) {
    app.inject({ method: 'GET', url: path }).catch((error: unknown) => log(`reading ${path} at start failed: ${(error as Error).message}`));
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`listening on http://${config.host}:${port}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
