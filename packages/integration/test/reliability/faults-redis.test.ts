import { createRedisStore } from '@sess/store-redis';
import { redisCommand, startRedis } from '@sess/test-harness/servers';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type FaultTarget,
  freezeAndResumeUnderLoad,
  killAndRestartUnderLoad,
} from './support/server-faults.js';

/**
 * A standalone Redis with append-only persistence (fsync on every write), killed (SIGKILL) and frozen
 * (SIGSTOP) while visitors keep counting through a running app: what was acknowledged survives the crash in
 * the append-only file. A server of this file's own; the app is never restarted.
 */
const server = await startRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
const TIMEOUT_MS = 1_000;
const HANG_MS = 2 * TIMEOUT_MS + 4_000;
// The README's advice: a command fails after one reconnection attempt instead of queueing for long.
const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
client.on('error', () => {});
const store = createRedisStore(client, { prefix: 'rel-faults:' });

afterAll(async () => {
  server.resume();
  client.disconnect();
  await server.close();
});

const target: FaultTarget = {
  server,
  store,
  packageName: 'store-redis',
  timeoutMs: TIMEOUT_MS,
  hangMs: HANG_MS,
  holds: async (key) => (await client.exists(store.keyOf(key))) === 1,
};

describe('Redis (append-only file) fails under load', () => {
  it('has append-only persistence on', async () => {
    expect(await redisCommand(server, ['CONFIG', 'GET', 'appendonly'])).toEqual(['appendonly', 'yes']);
  });

  it('killed and restarted (Express): clear errors while down, recovery without an app restart, nothing lost or resurrected', async (context) => {
    await context.annotate(await killAndRestartUnderLoad(target, 'express', 'redis-kill'));
  }, 120_000);

  it('frozen (SIGSTOP) and resumed (Koa): operation timeouts fire and are reported, then the same sessions go on', async (context) => {
    await context.annotate(await freezeAndResumeUnderLoad(target, 'koa', 'redis-freeze'));
  }, 120_000);
});
