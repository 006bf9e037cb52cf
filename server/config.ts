import { resolve } from 'node:path';

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** Embedded store's folder (ignored when databaseUrl is set). */
  readonly dataDir: string;
  /** A PostgreSQL server with PostGIS; unset means the embedded store. */
  readonly databaseUrl: string | undefined;
  /** Redis for sharing broadcasts between several server processes; unset means one process. */
  readonly redisUrl: string | undefined;
  /** Channel prefix in Redis: deployments sharing one Redis keep their broadcasts apart. */
  readonly redisKeyPrefix: string;
  /** Where the reference geography, catalogue and roster are read from on first start. */
  readonly geodataDir: string;
  /** Built web client to serve at /, if present. */
  readonly clientDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Office hours and holidays that working-time deadlines count (JSON; see geodata/policy/). */
  readonly workingCalendarFile: string;
  /** Escalation rules (JSON; see geodata/policy/). */
  readonly escalationRulesFile: string;
  /** Open311 API keys from OPEN311_API_KEYS (comma-separated), accepted besides the store's; unset: none. */
  readonly open311ApiKeys?: readonly string[];
  /**
   * How far V8 lets the JavaScript heap grow past what a full collection left live, in percent
   * (HEAP_GROWING_PERCENT, default 100: at most twice the live heap); undefined (0) leaves it to V8,
   * which under a burst of intake lets it reach about four times (garbage, not data) before it collects.
   */
  readonly heapGrowingPercent: number | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const port = Number(env['PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer 0–65535, got "${env['PORT']}"`);
  const logLevel = (env['LOG_LEVEL'] ?? 'warn') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const databaseUrl = env['DATABASE_URL']?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  const redisUrl = env['REDIS_URL']?.trim() || undefined;
  const heapGrowing = Number(env['HEAP_GROWING_PERCENT']?.trim() || 100);
  if (!Number.isInteger(heapGrowing) || heapGrowing < 0 || heapGrowing > 400) {
    throw new ConfigError(`HEAP_GROWING_PERCENT must be an integer 0–400 (0: V8's own), got "${env['HEAP_GROWING_PERCENT']}"`);
  }
  const open311ApiKeys = env['OPEN311_API_KEYS']?.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (open311ApiKeys?.some((k) => k.length < 16 || k.length > 200)) throw new ConfigError('OPEN311_API_KEYS must be comma-separated keys of 16–200 characters each');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  return {
    redisUrl,
    redisKeyPrefix: env['REDIS_KEY_PREFIX']?.trim() || 'grid-command',
    host: env['HOST']?.trim() || '127.0.0.1',
    port,
    dataDir: resolve(env['DATA_DIR']?.trim() || './data'),
    databaseUrl,
    geodataDir: resolve(env['GEODATA_DIR']?.trim() || new URL('../geodata', import.meta.url).pathname),
    clientDir: resolve(env['CLIENT_DIR']?.trim() || new URL('../dist/client', import.meta.url).pathname),
    logLevel,
    workingCalendarFile: resolve(env['WORKING_CALENDAR_FILE']?.trim() || new URL('../geodata/policy/working-calendar.json', import.meta.url).pathname),
    escalationRulesFile: resolve(env['ESCALATION_RULES_FILE']?.trim() || new URL('../geodata/policy/escalation-rules.json', import.meta.url).pathname),
    ...(open311ApiKeys && open311ApiKeys.length > 0 ? { open311ApiKeys } : {}),
    heapGrowingPercent: heapGrowing === 0 ? undefined : heapGrowing,
  };
}
