import { SessionStoreError } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import type { RedisOptions } from 'ioredis';
import type { ResolvedConfig } from '../config.js';
import { importOptional, redactUrl } from '../driver.js';
import { UsageError } from '../errors.js';

/** An opened Redis engine. */
export interface RedisEngine {
  store: SessionStore;
  /** `prefix sess: at redis://host:6379`. */
  where: string;
  close(): Promise<void>;
}

const STORE_NAME = '@sess/store-redis';

/**
 * Connects an ioredis client (or Cluster) that fails fast, as a command-line tool should: no reconnection,
 * one attempt per command, connecting and each command bounded by `timeoutMs`. Then opens the store on it.
 */
export async function openRedis(config: ResolvedConfig): Promise<RedisEngine> {
  if (
    config.url === undefined &&
    config.cluster === undefined &&
    Object.keys(config.connection).length === 0
  ) {
    throw new UsageError(
      'the redis engine needs --url, REDIS_URL, or `connection` or `cluster` in the config file',
    );
  }
  const install = 'npm install @sess/store-redis ioredis';
  const { Redis, Cluster } = await importOptional(() => import('ioredis'), 'ioredis', 'redis', install);
  const engine = await importOptional(
    () => import('@sess/store-redis'),
    '@sess/store-redis',
    'redis',
    install,
  );
  const timeouts = {
    connectTimeout: config.timeoutMs,
    commandTimeout: config.timeoutMs,
    maxRetriesPerRequest: 1,
  };
  const client = config.cluster
    ? new Cluster(config.cluster, {
        lazyConnect: true,
        clusterRetryStrategy: () => null,
        redisOptions: { ...timeouts, ...(config.connection as RedisOptions) },
      })
    : redisClient(Redis, config.url, {
        ...timeouts,
        retryStrategy: () => null,
        lazyConnect: true,
        ...(config.connection as RedisOptions),
      });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${config.timeoutMs} ms`)),
          config.timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    client.disconnect();
    const reason = lastError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new SessionStoreError(`[${STORE_NAME}] connect to ${describe(config)} failed: ${reason}`, {
      operation: 'connect',
      cause: lastError ?? error,
    });
  } finally {
    clearTimeout(timer);
  }

  const store = engine.createRedisStore(client, {
    ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
    ...(config.ownerIndex === undefined ? {} : { ownerIndex: config.ownerIndex }),
  });
  return {
    store,
    where: `prefix ${store.prefix === '' ? "''" : store.prefix} at ${describe(config)}`,
    close: async () => {
      client.disconnect();
    },
  };
}

function describe(config: ResolvedConfig): string {
  if (config.cluster) return `the cluster at ${config.cluster.map((n) => `${n.host}:${n.port}`).join(',')}`;
  return config.url === undefined ? 'the server in `connection`' : redactUrl(config.url);
}

/** ioredis parses the URL itself; the options fill in what the URL does not say. */
function redisClient(Redis: typeof import('ioredis').Redis, url: string | undefined, options: RedisOptions) {
  return url === undefined ? new Redis(options) : new Redis(url, options);
}
