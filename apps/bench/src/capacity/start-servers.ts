import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Server, startMemcached, startPostgres, startRedis } from '@sess/test-harness/servers';
import type { CapacityServers } from './engines.js';

/** The servers of one capacity run, and how to stop them. */
export interface RunningServers {
  servers: CapacityServers;
  /** Stops the servers and removes the directory. */
  close(): Promise<void>;
}

/**
 * Starts a Redis, a PostgreSQL and a memcached of this run's own with the test harness (free loopback
 * ports, temporary directories), and makes an empty directory for the file engine.
 */
export async function startCapacityServers(): Promise<RunningServers> {
  const started: Server[] = [];
  const fileDir = await mkdtemp(join(tmpdir(), 'sess-capacity-'));
  const close = async () => {
    await Promise.all(started.map((server) => server.close()));
    await rm(fileDir, { recursive: true, force: true });
  };
  const keep = (server: Server): Server => {
    started.push(server);
    return server;
  };
  try {
    const [redis, postgres, memcached] = await Promise.all([
      startRedis().then(keep),
      startPostgres({ database: 'sess_capacity' }).then(keep),
      startMemcached().then(keep),
    ]);
    return {
      servers: {
        redisUrl: redis.url,
        databaseUrl: postgres.url,
        memcachedServers: [memcached.address],
        fileDir,
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
