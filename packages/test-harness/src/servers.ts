/**
 * On-demand servers for tests that need their own (fault tests: kill, pause, restart). Each call starts a
 * new, independent server on a free loopback port; close it in `afterAll`. The global setup uses the same
 * functions.
 *
 * @example
 * const redis = await startRedis();
 * afterAll(() => redis.close());
 * await redis.kill(); // crash
 * await redis.start(); // same port, fresh (Redis keeps nothing on disk)
 */
export type { HostPort } from './address.js';
export { MissingBinariesError } from './binaries.js';
export { memcachedStats, memcachedVersion, type StartMemcachedOptions, startMemcached } from './memcached.js';
export { type PgTarget, parsePostgresUrl, pgQuery } from './pg-wire.js';
export { type StartPostgresOptions, startPostgres } from './postgres.js';
export { type StartRedisOptions, startRedis } from './redis.js';
export { type RedisCluster, type StartRedisClusterOptions, startRedisCluster } from './redis-cluster.js';
export {
  type RedisSentinelGroup,
  type StartRedisSentinelOptions,
  startRedisSentinelGroup,
} from './redis-sentinel.js';
export { parseInfo, type RespValue, redisCommand } from './resp.js';
export { Server, type ServerSpec } from './server.js';
