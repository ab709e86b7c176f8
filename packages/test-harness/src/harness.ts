import { formatHostPort } from './address.js';
import { type Kind, requireBinaries } from './binaries.js';
import type { HarnessContext } from './context.js';
import { contextFromEnv, ENV } from './env.js';
import { startMemcached } from './memcached.js';
import { startPostgres } from './postgres.js';
import { startRedis } from './redis.js';
import { startRedisCluster } from './redis-cluster.js';
import { startRedisSentinelGroup } from './redis-sentinel.js';
import { closeAll } from './server.js';

export interface Harness {
  context: HarnessContext;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

const log = (line: string): void => {
  process.stderr.write(`[sess-harness] ${line}\n`);
};

/**
 * Every server the tests need: taken from the env vars where set, else started (in parallel) on free
 * loopback ports. Fails, naming the Debian packages, when a binary is missing. `close()` stops what it
 * started.
 */
export async function startHarness(env: Env = process.env): Promise<Harness> {
  const context = contextFromEnv(env);
  const given: Record<Kind, boolean> = {
    postgres: context.postgresUrl !== undefined,
    redis: context.redisUrl !== undefined,
    sentinel: context.redisSentinels !== undefined,
    cluster: context.redisClusterNodes !== undefined,
    memcached: context.memcachedServers !== undefined,
  };
  for (const [kind, isGiven] of Object.entries(given)) {
    if (isGiven) log(`${kind}: using ${describe(kind as Kind, context)} from the environment`);
  }
  const toStart = (Object.keys(given) as Kind[]).filter((kind) => !given[kind]);
  requireBinaries(toStart);
  context.started = toStart;

  const t0 = performance.now();
  const took = (): string => `(${Math.round(performance.now() - t0)} ms)`;
  const closables: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(thing: T): T => {
    closables.push(thing);
    return thing;
  };
  const tasks: Promise<void>[] = [];
  if (!given.postgres) {
    tasks.push(
      startPostgres().then((server) => {
        context.postgresUrl = track(server).url;
        log(`postgres: ${server.url} ${took()}`);
      }),
    );
  }
  if (!given.redis) {
    tasks.push(
      startRedis().then((server) => {
        context.redisUrl = track(server).url;
        log(`redis: ${server.url} ${took()}`);
      }),
    );
  }
  if (!given.sentinel) {
    tasks.push(
      startRedisSentinelGroup().then((group) => {
        context.redisSentinels = { sentinels: track(group).sentinels, name: group.name };
        log(
          `redis-sentinel: ${group.sentinels.map(formatHostPort).join(',')} master ${group.name} ` +
            `(master ${group.master.address}, replica ${group.replica.address}) ${took()}`,
        );
      }),
    );
  }
  if (!given.cluster) {
    tasks.push(
      startRedisCluster().then((cluster) => {
        context.redisClusterNodes = track(cluster).addresses;
        log(`redis-cluster: ${cluster.addresses.map(formatHostPort).join(',')} ${took()}`);
      }),
    );
  }
  if (!given.memcached) {
    tasks.push(
      Promise.all([startMemcached().then(track), startMemcached().then(track)]).then((servers) => {
        context.memcachedServers = servers.map((server) => server.url);
        log(`memcached: ${context.memcachedServers.join(',')} ${took()}`);
      }),
    );
  }
  const failed = (await Promise.allSettled(tasks)).find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failed) {
    await closeAll(closables).catch(() => {});
    throw failed.reason;
  }
  return { context, close: () => closeAll(closables) };
}

function describe(kind: Kind, context: HarnessContext): string {
  switch (kind) {
    case 'postgres':
      return `${ENV.postgres}=${context.postgresUrl?.replace(/:[^:@/]*@/, ':***@')}`;
    case 'redis':
      return `${ENV.redis}=${context.redisUrl}`;
    case 'sentinel':
      return `${ENV.sentinels} (master ${context.redisSentinels?.name})`;
    case 'cluster':
      return ENV.cluster;
    case 'memcached':
      return ENV.memcached;
  }
}
