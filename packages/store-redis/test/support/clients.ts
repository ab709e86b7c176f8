import { randomBytes } from 'node:crypto';
import { redisClusterNodes, redisSentinels, redisUrl } from '@sess/test-harness';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/**
 * What the README recommends: a failing server surfaces as an error after one retry instead of
 * commands queueing for the driver's default twenty.
 */
export const fastFail: RedisOptions = { maxRetriesPerRequest: 1 };

/** A client of the run's single Redis server. */
export const singleClient = (options: RedisOptions = {}): Redis =>
  new Redis(redisUrl(), { ...fastFail, ...options });

/** A client that finds the master through the run's Sentinel group. */
export const sentinelClient = (options: RedisOptions = {}): Redis => {
  const { sentinels, name } = redisSentinels();
  return new Redis({ sentinels, name, ...fastFail, ...options });
};

/** A client of the run's Redis Cluster. */
export const clusterClient = (options: ClusterOptions = {}): Cluster =>
  new Cluster(redisClusterNodes(), { redisOptions: fastFail, ...options });

/** A fresh prefix, so test files share the servers and run in parallel. */
export const randomPrefix = (label: string): string => `t:${label}:${randomBytes(6).toString('hex')}:`;
