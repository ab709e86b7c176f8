import { SessionStoreError, SessionStoreTimeout } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import { createRedisStore } from '@sess/store-redis';
import { redisCommand, startRedis } from '@sess/test-harness/servers';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { FaultLoad, keyOfCookie, lowestCount, retireSessions } from './support/fault-load.js';

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

async function expectNothingLost(load: FaultLoad, url: string, retired: readonly string[]) {
  for (const visitor of load.visitors) {
    const data = JSON.parse((await visitor.client.get('/peek')).body) as { tag: string; count: number };
    expect(data.tag).toBe(visitor.tag);
    expect(data.count).toBeGreaterThanOrEqual(lowestCount(visitor));
    expect(data.count).toBeLessThanOrEqual(visitor.high);
  }
  for (const cookie of retired) {
    const replay = await new Client(url).get('/peek', { cookie });
    expect(JSON.parse(replay.body)).toEqual({});
    expect(await client.exists(store.keyOf(keyOfCookie(cookie)))).toBe(0);
  }
}

describe('Redis (append-only file) fails under load', () => {
  it('has append-only persistence on', async () => {
    expect(await redisCommand(server, ['CONFIG', 'GET', 'appendonly'])).toEqual(['appendonly', 'yes']);
  });

  it('killed and restarted (Express): clear errors while down, recovery without an app restart, nothing lost or resurrected', async (context) => {
    const app = await startApp('express', { store, storeTimeoutMs: TIMEOUT_MS });
    const load = new FaultLoad(app.url, 20, 'redis-kill', {
      hangMs: HANG_MS,
      allowedCodes: ['STORE_UNAVAILABLE', 'STORE_TIMEOUT'],
    });
    await load.open();
    load.start();
    await load.until('the load to run', () => load.successes >= 100);
    const retired = await retireSessions(app.url, 'redis-kill');

    await server.kill();
    await load.until('requests to fail while the server is down', () => load.errors >= 40);
    await server.start();
    await load.everyoneSucceeds(3);
    await load.stop();

    expect(load.violations).toEqual([]);
    await expectNothingLost(load, app.url, retired);
    for (const error of app.errors) {
      expect(error).toBeInstanceOf(SessionStoreError);
      expect((error as Error).message).toMatch(/^\[@sess\/store-redis\] (load|create|update|touch|destroy) /);
    }
    await app.close();
    await context.annotate(load.report());
  }, 120_000);

  it('frozen (SIGSTOP) and resumed (Koa): operation timeouts fire and are reported, then the same sessions go on', async (context) => {
    const app = await startApp('koa', { store, storeTimeoutMs: TIMEOUT_MS });
    const load = new FaultLoad(app.url, 20, 'redis-freeze', {
      hangMs: HANG_MS,
      allowedCodes: ['STORE_TIMEOUT', 'STORE_UNAVAILABLE'],
    });
    await load.open();
    load.start();
    await load.until('the load to run', () => load.successes >= 100);

    load.allowLateWrites(load.visitors.map((visitor) => visitor.low));
    server.pause();
    try {
      await load.until('operation timeouts', () => (load.errorCodes.get('STORE_TIMEOUT') ?? 0) >= 20);
    } finally {
      server.resume();
    }
    await load.everyoneSucceeds(3);
    await load.stop();

    expect(load.violations).toEqual([]);
    await expectNothingLost(load, app.url, []);
    const timeouts = app.errors.filter((error) => error instanceof SessionStoreTimeout);
    expect(timeouts.length).toBeGreaterThanOrEqual(20);
    for (const error of timeouts) {
      expect(error).toMatchObject({ code: 'STORE_TIMEOUT', timeoutMs: TIMEOUT_MS });
      expect(error.message).toMatch(/^\[@sess\/store-redis\] (load|update) did not complete within 1000 ms$/);
    }
    await app.close();
    await context.annotate(load.report());
  }, 120_000);
});
