import { memcachedVersion } from '@sess/test-harness/servers';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { CapacityServers } from './engines.js';

/** The versions of the servers a capacity run measured. */
export interface ServerVersions {
  redis: string;
  postgres: string;
  memcached: string;
}

/** Asks each server its version. */
export async function serverVersions(servers: CapacityServers): Promise<ServerVersions> {
  const redis = new Redis(servers.redisUrl, { maxRetriesPerRequest: 1 });
  const client = new pg.Client({ connectionString: servers.databaseUrl });
  try {
    await client.connect();
    const [server = ''] = servers.memcachedServers;
    const colon = server.lastIndexOf(':');
    return {
      redis: /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?',
      postgres:
        String(
          (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v,
        ).split(' ')[0] ?? '?',
      memcached: await memcachedVersion({
        host: server.slice(0, colon),
        port: Number(server.slice(colon + 1)),
      }),
    };
  } finally {
    redis.disconnect();
    await client.end();
  }
}
