/**
 * The servers of the test run, for tests. The root vitest globalSetup starts them (or takes them from
 * DATABASE_URL, REDIS_URL, REDIS_SENTINELS + REDIS_SENTINEL_MASTER, REDIS_CLUSTER_NODES, MEMCACHED_SERVERS).
 * Every accessor throws, saying what to set, when its server is not available: engine tests never skip.
 */
import { inject } from 'vitest';
import type { HostPort } from './address.js';
import { type HarnessContext, PROVIDE_KEY } from './context.js';
import { createDatabaseOn, type TestDatabase } from './database.js';
import { contextFromEnv, ENV } from './env.js';

export type { HostPort } from './address.js';
export type { HarnessContext } from './context.js';
export type { TestDatabase } from './database.js';

/** What the global setup provided, else what the environment says. */
export function harnessContext(): HarnessContext {
  let provided: HarnessContext | undefined;
  try {
    provided = inject(PROVIDE_KEY);
  } catch {
    // Not inside a vitest worker.
  }
  return { ...contextFromEnv(process.env), ...provided };
}

function required<K extends keyof HarnessContext>(key: K, envVar: string): NonNullable<HarnessContext[K]> {
  const value = harnessContext()[key];
  if (value === undefined) {
    throw new Error(
      `sess test harness: no ${key}. Run the tests through the root vitest config (its globalSetup starts ` +
        `the servers; SESS_HARNESS=off disables it), or set ${envVar}.`,
    );
  }
  return value as NonNullable<HarnessContext[K]>;
}

/** `postgres://postgres@127.0.0.1:PORT/sess_test` (or DATABASE_URL). */
export const postgresUrl = (): string => required('postgresUrl', ENV.postgres);

/** `redis://127.0.0.1:PORT` (or REDIS_URL). */
export const redisUrl = (): string => required('redisUrl', ENV.redis);

/** The sentinels and the master name they monitor (default `sessmaster`). */
export const redisSentinels = (): { sentinels: HostPort[]; name: string } =>
  required('redisSentinels', ENV.sentinels);

/** The nodes of a 3-master, 3-replica Redis Cluster. */
export const redisClusterNodes = (): HostPort[] => required('redisClusterNodes', ENV.cluster);

/** `host:port` of two memcached servers. */
export const memcachedServers = (): string[] => required('memcachedServers', ENV.memcached);

/**
 * A fresh, empty PostgreSQL database on the run's server, for one test file: isolation from the other
 * files that run in parallel. Drop it in `afterAll`.
 */
export const createTestDatabase = (prefix?: string): Promise<TestDatabase> =>
  createDatabaseOn(postgresUrl(), prefix);
