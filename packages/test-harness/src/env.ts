import { formatHostPort, parseHostPortList } from './address.js';
import type { HarnessContext } from './context.js';

/** The environment variables that point the tests at existing servers. */
export const ENV = {
  postgres: 'DATABASE_URL',
  redis: 'REDIS_URL',
  sentinels: 'REDIS_SENTINELS',
  sentinelMaster: 'REDIS_SENTINEL_MASTER',
  cluster: 'REDIS_CLUSTER_NODES',
  memcached: 'MEMCACHED_SERVERS',
} as const;

export const DEFAULT_SENTINEL_MASTER = 'sessmaster';

type Env = Record<string, string | undefined>;

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** Reads whatever of the context the environment already defines. */
export function contextFromEnv(env: Env): HarnessContext {
  const context: HarnessContext = {};
  const postgres = nonEmpty(env[ENV.postgres]);
  if (postgres) context.postgresUrl = postgres;
  const redis = nonEmpty(env[ENV.redis]);
  if (redis) context.redisUrl = redis;
  const sentinels = nonEmpty(env[ENV.sentinels]);
  if (sentinels) {
    const name = nonEmpty(env[ENV.sentinelMaster]) ?? DEFAULT_SENTINEL_MASTER;
    context.redisSentinels = { sentinels: parseHostPortList(sentinels), name };
  }
  const cluster = nonEmpty(env[ENV.cluster]);
  if (cluster) context.redisClusterNodes = parseHostPortList(cluster);
  const memcached = nonEmpty(env[ENV.memcached]);
  if (memcached) context.memcachedServers = parseHostPortList(memcached).map(formatHostPort);
  return context;
}

/** The environment variables that describe a context. */
export function contextToEnv(context: HarnessContext): Record<string, string> {
  const env: Record<string, string> = {};
  if (context.postgresUrl) env[ENV.postgres] = context.postgresUrl;
  if (context.redisUrl) env[ENV.redis] = context.redisUrl;
  if (context.redisSentinels) {
    env[ENV.sentinels] = context.redisSentinels.sentinels.map(formatHostPort).join(',');
    env[ENV.sentinelMaster] = context.redisSentinels.name;
  }
  if (context.redisClusterNodes) env[ENV.cluster] = context.redisClusterNodes.map(formatHostPort).join(',');
  if (context.memcachedServers) env[ENV.memcached] = context.memcachedServers.join(',');
  return env;
}
