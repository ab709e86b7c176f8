import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SessionConfigError } from '@sess/core';
import type { EngineFlags } from './args.js';
import { UsageError } from './errors.js';

/** The engines `sess` drives. `memcached` and `cookie` expire sessions themselves and keep no owner index. */
export const ENGINES = ['db', 'django-db', 'file', 'redis', 'memcached', 'cookie'] as const;

/** One of {@link ENGINES}. */
export type EngineName = (typeof ENGINES)[number];

/** A Redis Cluster node. */
export interface ClusterNode {
  host: string;
  port: number;
}

/**
 * What a `sess.config.mjs` exports (as `default` or as `config`): the engine the app uses and how to
 * reach it, with the same names as the engines' options. Flags given on the command line win.
 */
export interface SessConfig {
  /** The engine the app's sessions live in. */
  engine: EngineName;
  /** `postgres://…` for `db` and `django-db`, `redis://…` for `redis`. @default DATABASE_URL or REDIS_URL */
  url?: string;
  /** Driver options, passed to `new pg.Pool(…)` or `new Redis(…)` (for example ioredis `sentinels` and `name`). @default {} */
  connection?: Record<string, unknown>;
  /** Redis Cluster nodes: the `redis` engine then opens an ioredis `Cluster` on them. @default undefined */
  cluster?: ClusterNode[];
  /** `tableName` of `db` and `django-db`. @default 'sess_session' (db), 'django_session' (django-db) */
  table?: string;
  /** `directory` of the `file` engine. @default the file store's default directory */
  directory?: string;
  /** `prefix` of the `file` and `redis` engines. @default 'sess_' (file), 'sess:' (redis) */
  prefix?: string;
  /** `ownerIndex` of the `redis` engine. @default true */
  ownerIndex?: boolean;
  /** Rows one `DELETE` of `clearsessions` removes (db engines). @default 1000 */
  batchSize?: number;
  /** Bound on connecting and on each statement or command, milliseconds. @default 10000 */
  timeoutMs?: number;
  /**
   * The app's `handleSecret` (at least 32 characters), so the handles `list` prints and `revoke` takes are
   * the app's own. @default SESS_HANDLE_SECRET
   */
  handleSecret?: string;
}

/** The configuration after the file, the flags and the environment are merged and checked. */
export interface ResolvedConfig {
  engine: EngineName;
  url: string | undefined;
  connection: Record<string, unknown>;
  cluster: ClusterNode[] | undefined;
  table: string | undefined;
  /** Absolute. */
  directory: string | undefined;
  prefix: string | undefined;
  ownerIndex: boolean | undefined;
  batchSize: number;
  timeoutMs: number;
  handleSecret: string | undefined;
}

/**
 * Types a config file: `export default defineConfig({ engine: 'db', url: process.env.DATABASE_URL })`.
 * Returns its argument.
 */
export function defineConfig(config: SessConfig): SessConfig {
  return config;
}

const SOURCE = '@sess/cli';
const KNOWN = [
  'engine',
  'url',
  'connection',
  'cluster',
  'table',
  'directory',
  'prefix',
  'ownerIndex',
  'batchSize',
  'timeoutMs',
  'handleSecret',
] as const;
type Key = (typeof KNOWN)[number];

/** Which engines each location option means something to. */
const APPLIES: Partial<Record<Key, readonly EngineName[]>> = {
  url: ['db', 'django-db', 'redis'],
  connection: ['db', 'django-db', 'redis'],
  cluster: ['redis'],
  table: ['db', 'django-db'],
  directory: ['file'],
  prefix: ['file', 'redis'],
  ownerIndex: ['redis'],
};

const FLAG_OF: Partial<Record<Key, string>> = {
  url: '--url',
  table: '--table',
  directory: '--directory',
  prefix: '--prefix',
  batchSize: '--batch-size',
  timeoutMs: '--timeout-ms',
};

function fail(option: string, expected: string, received: unknown): never {
  throw new SessionConfigError(SOURCE, option, expected, received);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Imports a config module and returns what it exports as `default` (or `config`). */
export async function loadConfigFile(file: string, cwd: string): Promise<Record<string, unknown>> {
  const absolute = path.resolve(cwd, file);
  try {
    await access(absolute);
  } catch {
    throw new UsageError(`config file ${absolute} not found`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`config file ${absolute} failed to load: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const config = module.default ?? module.config;
  if (!isRecord(config)) {
    throw new UsageError(`config file ${absolute} must export an object as default (or as \`config\`)`);
  }
  return config;
}

function checkTypes(config: Record<string, unknown>): void {
  for (const name of Object.keys(config)) {
    if (!(KNOWN as readonly string[]).includes(name))
      fail(name, `a known option (${KNOWN.join(', ')})`, config[name]);
  }
  const { engine, connection, cluster, ownerIndex, batchSize, timeoutMs } = config;
  if (!(ENGINES as readonly unknown[]).includes(engine)) {
    fail('engine', `one of ${ENGINES.map((e) => `'${e}'`).join(', ')}`, engine);
  }
  for (const name of ['url', 'table', 'directory', 'handleSecret'] as const) {
    const value = config[name];
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      fail(name, 'a non-empty string', value);
  }
  if (config.prefix !== undefined && typeof config.prefix !== 'string')
    fail('prefix', 'a string', config.prefix);
  if (connection !== undefined && !isRecord(connection))
    fail('connection', 'an object of driver options', connection);
  if (
    cluster !== undefined &&
    (!Array.isArray(cluster) ||
      cluster.length === 0 ||
      !cluster.every((n) => isRecord(n) && typeof n.host === 'string' && Number.isInteger(n.port)))
  ) {
    fail('cluster', 'a non-empty array of { host, port }', cluster);
  }
  if (ownerIndex !== undefined && typeof ownerIndex !== 'boolean')
    fail('ownerIndex', 'a boolean', ownerIndex);
  const whole = (name: string, value: unknown, max: number): void => {
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    ) {
      fail(name, `a whole number from 1 to ${max}`, value);
    }
  };
  whole('batchSize', batchSize, 1_000_000);
  whole('timeoutMs', timeoutMs, 3_600_000);
}

/**
 * Merges the config file (if any), the flags (which win) and the environment (`DATABASE_URL`,
 * `REDIS_URL`, `SESS_HANDLE_SECRET`, used when neither gives the value), and checks the result. Whether a
 * server is named at all is checked when the engine is opened: `clearsessions` on Redis opens nothing.
 */
export async function resolveConfig(
  flags: EngineFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<ResolvedConfig> {
  const fromFile = flags.config === undefined ? {} : await loadConfigFile(flags.config, cwd);
  const merged: Record<string, unknown> = { ...fromFile };
  const given: Partial<Record<Key, unknown>> = {
    engine: flags.engine,
    url: flags.url,
    table: flags.table,
    directory: flags.directory,
    prefix: flags.prefix,
    batchSize: flags.batchSize,
    timeoutMs: flags.timeoutMs,
  };
  for (const [name, value] of Object.entries(given)) if (value !== undefined) merged[name] = value;
  if (merged.engine === undefined) {
    throw new UsageError(
      'no engine: pass --engine (db, django-db, file, redis, memcached, cookie) or --config',
    );
  }
  checkTypes(merged);
  const engine = merged.engine as EngineName;
  for (const [name, engines] of Object.entries(APPLIES) as [Key, readonly EngineName[]][]) {
    if (merged[name] !== undefined && !engines.includes(engine)) {
      const label = given[name] !== undefined ? FLAG_OF[name] : `\`${name}\``;
      throw new UsageError(`${label} does not apply to the ${engine} engine (only to ${engines.join(', ')})`);
    }
  }

  let url = merged.url as string | undefined;
  const connection = (merged.connection as Record<string, unknown> | undefined) ?? {};
  const cluster = merged.cluster as ClusterNode[] | undefined;
  if (engine === 'db' || engine === 'django-db') url ??= env.DATABASE_URL || undefined;
  if (engine === 'redis' && cluster === undefined) url ??= env.REDIS_URL || undefined;
  if (engine === 'redis' && cluster !== undefined && url !== undefined) {
    throw new UsageError('the redis engine takes either a url or `cluster`, not both');
  }
  const directory = merged.directory as string | undefined;
  return {
    engine,
    url,
    connection,
    cluster,
    table: merged.table as string | undefined,
    directory: directory === undefined ? undefined : path.resolve(cwd, directory),
    prefix: merged.prefix as string | undefined,
    ownerIndex: merged.ownerIndex as boolean | undefined,
    batchSize: (merged.batchSize as number | undefined) ?? 1000,
    timeoutMs: (merged.timeoutMs as number | undefined) ?? 10_000,
    handleSecret: (merged.handleSecret as string | undefined) ?? (env.SESS_HANDLE_SECRET || undefined),
  };
}
