import type { HostPort } from './address.js';

/** What the global setup publishes to tests (via vitest `provide`/`inject` and `process.env`). */
export interface HarnessContext {
  /** `postgres://postgres@127.0.0.1:PORT/sess_test` */
  postgresUrl?: string;
  /** `redis://127.0.0.1:PORT` */
  redisUrl?: string;
  redisSentinels?: { sentinels: HostPort[]; name: string };
  redisClusterNodes?: HostPort[];
  /** `host:port` of each server */
  memcachedServers?: string[];
  /** The kinds the harness started itself (the others came from env vars). */
  started?: ('postgres' | 'redis' | 'sentinel' | 'cluster' | 'memcached')[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    sessHarness: HarnessContext;
  }
}

/** The key under which the global setup provides the {@link HarnessContext}. */
export const PROVIDE_KEY = 'sessHarness';
