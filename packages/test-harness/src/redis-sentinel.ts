import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostPort } from './address.js';
import { binary } from './binaries.js';
import { DEFAULT_SENTINEL_MASTER } from './env.js';
import { LOOPBACK } from './ports.js';
import { startRedis } from './redis.js';
import { expectRedisProcess, parseInfo, redisCommand } from './resp.js';
import { closeAll, Server, startOnPort } from './server.js';
import { makeTempDir } from './tempdir.js';
import { waitFor } from './wait.js';

export interface RedisSentinelGroup {
  /** Master name the sentinel monitors. */
  name: string;
  master: Server;
  replica: Server;
  sentinel: Server;
  /** The sentinels' addresses, for clients. */
  sentinels: HostPort[];
  close(): Promise<void>;
}

export interface StartRedisSentinelOptions {
  name?: string;
  /** Default 1000. */
  downAfterMs?: number;
  /** Default 3000. */
  failoverTimeoutMs?: number;
}

/** A `redis-server --sentinel` monitoring `master` (quorum 1); not started. */
async function sentinelServer(
  port: number,
  master: HostPort,
  name: string,
  options: StartRedisSentinelOptions,
) {
  const dir = await makeTempDir('sentinel');
  const config = join(dir, 'sentinel.conf');
  await writeFile(
    config,
    [
      `port ${port}`,
      `bind ${LOOPBACK}`,
      `dir ${dir}`,
      `sentinel monitor ${name} ${master.host} ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1000}`,
      `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 3000}`,
      `sentinel parallel-syncs ${name} 1`,
      '',
    ].join('\n'),
  );
  const target = { host: LOOPBACK, port };
  return new Server({
    kind: 'redis-sentinel',
    host: LOOPBACK,
    port,
    url: `${LOOPBACK}:${port}`,
    command: binary('sentinel', 'redis-server'),
    args: [config, '--sentinel'],
    cwd: dir,
    dir,
    probe: async (pid) => {
      await expectRedisProcess(target, pid);
      const reply = await redisCommand(target, ['SENTINEL', 'get-master-addr-by-name', name], 1_000);
      if (!Array.isArray(reply)) throw new Error(`sentinel does not know ${name} yet`);
    },
  });
}

/**
 * A master, one replica (`--replicaof`) and one sentinel (quorum 1, short timeouts so that failover tests
 * are quick). Resolves once the replica is in sync and the sentinel knows master and replica.
 */
export async function startRedisSentinelGroup(
  options: StartRedisSentinelOptions = {},
): Promise<RedisSentinelGroup> {
  const name = options.name ?? DEFAULT_SENTINEL_MASTER;
  binary('sentinel', 'redis-server');
  const started: Server[] = [];
  try {
    const master = await startRedis();
    started.push(master);
    const replica = await startRedis({ args: ['--replicaof', master.host, String(master.port)] });
    started.push(replica);
    await waitFor(`redis replica ${replica.address} sync`, async () => {
      const info = parseInfo(await redisCommand(replica, ['INFO', 'replication']));
      if (info.master_link_status !== 'up') throw new Error(`master_link_status:${info.master_link_status}`);
    });
    const sentinel = await startOnPort(undefined, (port) => sentinelServer(port, master, name, options));
    started.push(sentinel);
    await waitFor(`redis sentinel ${sentinel.address} discovery`, async () => {
      const replicas = await redisCommand(sentinel, ['SENTINEL', 'replicas', name]);
      if (!Array.isArray(replicas) || replicas.length === 0)
        throw new Error('sentinel has not found the replica');
    });
    return {
      name,
      master,
      replica,
      sentinel,
      sentinels: [{ host: sentinel.host, port: sentinel.port }],
      close: () => closeAll([sentinel, replica, master]),
    };
  } catch (error) {
    await closeAll(started.reverse()).catch(() => {});
    throw error;
  }
}
