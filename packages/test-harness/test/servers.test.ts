import { readdirSync, readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import {
  memcachedVersion,
  parseInfo,
  parsePostgresUrl,
  pgQuery,
  redisCommand,
  type Server,
  startMemcached,
  startPostgres,
  startRedis,
  startRedisCluster,
  startRedisSentinelGroup,
} from '@sess/test-harness/servers';
import { afterAll, describe, expect, it } from 'vitest';
import { isPortFree } from '../src/ports.js';
import { redisServer } from '../src/redis.js';
import { PortInUseError, startOnPort } from '../src/server.js';
import { waitFor } from '../src/wait.js';

/** The state letter of /proc/<pid>/stat (R, S, T for stopped, …). */
const processState = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

/** A child of the postmaster whose command line says it runs a SELECT, or undefined. */
const backendRunning = (postmaster: number): number | undefined => {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === postmaster && cmdline.includes('SELECT')) return Number(entry);
    } catch {}
  }
  return undefined;
};

const exists = async (dir: string | undefined): Promise<boolean> =>
  dir !== undefined &&
  (await access(dir).then(
    () => true,
    () => false,
  ));

const closeLater: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(closeLater.map((c) => c.close())));
const later = <T extends { close(): Promise<void> }>(thing: T): T => {
  closeLater.push(thing);
  return thing;
};

describe('on-demand servers (for fault tests)', () => {
  it('Redis: kill, restart on the same port, pause, resume, close', async () => {
    const redis = later(await startRedis());
    expect(await redisCommand(redis, ['PING'])).toBe('PONG');
    await redis.kill();
    expect(redis.running).toBe(false);
    await expect(redisCommand(redis, ['PING'])).rejects.toThrow(/ECONNREFUSED/);
    await redis.start();
    expect(await redisCommand(redis, ['PING'])).toBe('PONG');
    redis.pause();
    await expect(redisCommand(redis, ['PING'], 300)).rejects.toThrow(/no answer/);
    redis.resume();
    expect(await redisCommand(redis, ['PING'])).toBe('PONG');
    expect(await redisCommand(redis, ['DEBUG', 'SLEEP', '0'])).toBe('OK');
    const { dir, port } = redis;
    await redis.close();
    expect(await isPortFree(port)).toBe(true);
    expect(await exists(dir)).toBe(false);
  });

  it('PostgreSQL: data survives a clean stop and a crash', async () => {
    const pg = later(await startPostgres({ database: 'faults' }));
    const target = parsePostgresUrl(pg.url);
    expect(target.database).toBe('faults');
    await pgQuery(target, ['CREATE TABLE t (v int)', 'INSERT INTO t VALUES (1)']);
    await pg.stop();
    await expect(pgQuery(target, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await pg.start();
    await pgQuery(target, 'INSERT INTO t VALUES (2)');
    await pg.kill();
    await pg.start();
    expect(await pgQuery(target, 'SELECT sum(v) FROM t')).toEqual([['3']]);
    const { dir } = pg;
    await pg.close();
    expect(await exists(dir)).toBe(false);
  }, 30_000);

  it('PostgreSQL: pause() freezes the backends too, though they left the process group', async () => {
    const pg = later(await startPostgres({ database: 'frozen' }));
    const target = parsePostgresUrl(pg.url);
    const sleeping = pgQuery(target, 'SELECT pg_sleep(0.5)');
    const backend = await waitFor('a backend running pg_sleep', async () => {
      const pid = backendRunning(pg.pid ?? -1);
      if (pid === undefined) throw new Error('no backend yet');
      return pid;
    });
    pg.pause();
    // The kernel stops the process asynchronously: wait (bounded) for the state to say so.
    await waitFor(
      'the backend to stop',
      async () => {
        if (processState(backend) !== 'T') throw new Error(`state ${processState(backend)}`);
      },
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(processState(backend)).toBe('T');
    pg.resume();
    expect(await sleeping).toHaveLength(1);
    await pg.close();
  }, 30_000);

  it('memcached: version, then close frees the port', async () => {
    const memcached = later(await startMemcached());
    expect(memcached.url).toBe(`127.0.0.1:${memcached.port}`);
    expect(await memcachedVersion(memcached)).toMatch(/^\d/);
    await memcached.close();
    expect(await isPortFree(memcached.port)).toBe(true);
  });

  it('a taken port: PortInUseError on a fixed port, a retry on another otherwise', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    try {
      await expect(startRedis({ port: taken })).rejects.toBeInstanceOf(PortInUseError);
      let attempts = 0;
      const redis: Server = later(
        await startOnPort(undefined, (port) => redisServer(attempts++ === 0 ? taken : port)),
      );
      expect(attempts).toBe(2);
      expect(redis.port).not.toBe(taken);
      expect(await redisCommand(redis, ['PING'])).toBe('PONG');
    } finally {
      squatter.close();
    }
  });

  it('Sentinel group: killing the master fails over to the replica', async () => {
    const group = later(await startRedisSentinelGroup({ name: 'faultmaster' }));
    const sentinel = group.sentinels[0] as { host: string; port: number };
    const ask = () => redisCommand(sentinel, ['SENTINEL', 'get-master-addr-by-name', 'faultmaster']);
    expect(await ask()).toEqual(['127.0.0.1', String(group.master.port)]);
    await group.master.kill();
    await waitFor(
      'failover',
      async () => {
        expect(await ask()).toEqual(['127.0.0.1', String(group.replica.port)]);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    await group.close();
  }, 30_000);

  it('Cluster: a killed master is replaced by its replica', async () => {
    const cluster = later(await startRedisCluster());
    const [victim, survivor] = cluster.nodes as [Server, Server];
    const role = async (node: Server) => ((await redisCommand(node, ['ROLE'])) as string[])[0];
    expect(await role(victim)).toBe('master');
    const victimId = String(await redisCommand(victim, ['CLUSTER', 'MYID']));
    await victim.kill();
    await waitFor(
      'cluster failover',
      async () => {
        const info = parseInfo(await redisCommand(survivor, ['CLUSTER', 'INFO']));
        const nodes = String(await redisCommand(survivor, ['CLUSTER', 'NODES']))
          .trim()
          .split('\n')
          .map((line) => line.split(' '));
        const victimFlags = nodes.find(([id]) => id === victimId)?.[2] ?? '';
        const liveMasters = nodes.filter(([, , flags = '']) => /master/.test(flags) && !/fail/.test(flags));
        if (
          info.cluster_state !== 'ok' ||
          !/master,fail|slave/.test(victimFlags) ||
          liveMasters.length !== 3
        ) {
          throw new Error(
            `cluster_state:${info.cluster_state}, victim ${victimFlags}, ${liveMasters.length} live masters`,
          );
        }
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    // Restarted with its nodes.conf, it rejoins and becomes a replica of the node that replaced it.
    await victim.start();
    await waitFor(
      'old master demoted',
      async () => {
        expect(await role(victim)).toBe('slave');
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await cluster.close();
  }, 40_000);
});
