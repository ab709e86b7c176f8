import { describe, expect, inject, it } from 'vitest';
import { parseHostPort } from '../src/address.js';
import {
  createTestDatabase,
  memcachedServers,
  postgresUrl,
  redisClusterNodes,
  redisSentinels,
  redisUrl,
} from '../src/index.js';
import { memcachedVersion, parseInfo, parsePostgresUrl, pgQuery, redisCommand } from '../src/servers.js';

const ci = /^(1|true)$/i.test(process.env.CI ?? '');
const machineServices = ['127.0.0.1:5432', 'localhost:5432', '127.0.0.1:6379', 'localhost:6379'];

describe('the servers of the run (global setup)', () => {
  it('reach the tests through inject() and through process.env', () => {
    const provided = inject('sessHarness');
    expect(provided.postgresUrl).toBe(postgresUrl());
    expect(process.env.DATABASE_URL).toBe(postgresUrl());
    expect(process.env.REDIS_URL).toBe(redisUrl());
    expect(process.env.REDIS_SENTINELS).toBeTypeOf('string');
    expect(process.env.REDIS_CLUSTER_NODES?.split(',')).toHaveLength(redisClusterNodes().length);
    expect(process.env.MEMCACHED_SERVERS).toBe(memcachedServers().join(','));
  });

  it('are the harness’s own, not the machine’s services (unless env vars point there)', () => {
    const started = inject('sessHarness').started ?? [];
    if (ci) expect(started.length).toBeGreaterThan(0);
    const urls = [
      ...(started.includes('postgres') ? [postgresUrl()] : []),
      ...(started.includes('redis') ? [redisUrl()] : []),
    ];
    for (const url of urls) {
      for (const service of machineServices) expect(url).not.toContain(service);
    }
  });

  it('PostgreSQL answers a query in sess_test', async () => {
    const rows = await pgQuery(parsePostgresUrl(postgresUrl()), 'SELECT current_database(), 1 + 1');
    expect(rows).toEqual([['sess_test', '2']]);
  });

  it('creates an isolated database per test file', async () => {
    const db = await createTestDatabase('harness');
    try {
      const target = parsePostgresUrl(db.url);
      await pgQuery(target, ['CREATE TABLE t (k text PRIMARY KEY)', "INSERT INTO t VALUES ('a')"]);
      expect(await pgQuery(target, 'SELECT k FROM t')).toEqual([['a']]);
      expect(target.database).toBe(db.name);
    } finally {
      await db.drop();
    }
    const exists = await pgQuery(
      parsePostgresUrl(postgresUrl()),
      `SELECT count(*) FROM pg_database WHERE datname = '${db.name}'`,
    );
    expect(exists).toEqual([['0']]);
  });

  it('Redis answers PING, SET and GET', async () => {
    const { hostname, port } = new URL(redisUrl());
    const target = { host: hostname, port: Number(port) };
    expect(await redisCommand(target, ['PING'])).toBe('PONG');
    expect(await redisCommand(target, ['SET', 'harness:k', 'v'])).toBe('OK');
    expect(await redisCommand(target, ['GET', 'harness:k'])).toBe('v');
  });

  it('the Redis Cluster is ok with 3 masters and 3 replicas', async () => {
    const nodes = redisClusterNodes();
    expect(nodes).toHaveLength(6);
    for (const node of nodes) {
      const info = parseInfo(await redisCommand(node, ['CLUSTER', 'INFO']));
      expect(info.cluster_state).toBe('ok');
      expect(info.cluster_size).toBe('3');
    }
    const [first] = nodes;
    const table = String(await redisCommand(first as (typeof nodes)[number], ['CLUSTER', 'NODES']));
    const roles = table
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[2] ?? '');
    expect(roles.filter((flags) => flags.includes('master'))).toHaveLength(3);
    expect(roles.filter((flags) => flags.includes('slave'))).toHaveLength(3);
  });

  it('the sentinel knows the master and its replica', async () => {
    const { sentinels, name } = redisSentinels();
    expect(name).toBe('sessmaster');
    const sentinel = sentinels[0] as (typeof sentinels)[number];
    const master = await redisCommand(sentinel, ['SENTINEL', 'get-master-addr-by-name', name]);
    expect(master).toEqual([expect.any(String), expect.stringMatching(/^\d+$/)]);
    const [host, port] = master as [string, string];
    expect(await redisCommand({ host, port: Number(port) }, ['ROLE'])).toEqual(
      expect.arrayContaining(['master']),
    );
    const replicas = await redisCommand(sentinel, ['SENTINEL', 'replicas', name]);
    expect(replicas).toHaveLength(1);
  });

  it('two memcached servers answer version', async () => {
    const servers = memcachedServers();
    if (inject('sessHarness').started?.includes('memcached')) expect(servers).toHaveLength(2);
    for (const server of servers) {
      expect(await memcachedVersion(parseHostPort(server))).toMatch(/^\d+\.\d+/);
    }
  });
});
