import { createSessionManager } from '@sess/core';
import { createRedisStore } from '@sess/store-redis';
import { startRedis } from '@sess/test-harness/servers';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSessionHash, serveApp } from '../src/index.js';
import { failOpenPolicy, OUTAGE_FRAMEWORKS, outageRoutes } from './support/outage.js';
import {
  expectDeadServer,
  expectFrozenServer,
  expectRecoveredUnchanged,
  outageExpectation,
} from './support/outage-cases.js';

/**
 * A redis-server of this file's own, killed (SIGKILL) and frozen (SIGSTOP) under running Koa and Express
 * apps, which are never restarted. An append-only file fsync'ed at every write keeps the sessions across
 * the crash, as a production server configured for it would.
 */
const server = await startRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
const TIMEOUT_MS = 1_000;
const STORE = '@sess/store-redis';
// The README's client settings: a command fails after one reconnection attempt instead of queueing.
const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
client.on('error', () => {});
const store = createRedisStore(client, { prefix: 'integ-outage:' });
const manager = createSessionManager({ store, storeTimeoutMs: TIMEOUT_MS });
// A second connection for raw reads, made only while the server is up.
const raw = async (key: string) => {
  const reader = new Redis(server.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  reader.on('error', () => {});
  try {
    return decodeSessionHash(await reader.hgetall(store.keyOf(key)));
  } finally {
    reader.disconnect();
  }
};

afterAll(async () => {
  server.resume();
  client.disconnect();
  await server.close();
});

async function appsWithSessions() {
  return Promise.all(
    OUTAGE_FRAMEWORKS.map(async (framework) => {
      const app = await serveApp(framework, { manager, policy: failOpenPolicy }, outageRoutes);
      const visitor = app.client();
      const user = framework.replace(' ', '');
      expect((await visitor.get(`/set?user=${user}`)).status).toBe(200);
      const key = visitor.cookies.get('sessionid') as string;
      const before = await raw(key);
      expect(before?.data).toEqual({ user });
      return { app, client: visitor, key, before };
    }),
  );
}

const expected = outageExpectation(STORE, TIMEOUT_MS);

describe('Redis outage through the adapters (dedicated server)', () => {
  it('killed (SIGKILL): reads and writes answer 5xx with STORE_UNAVAILABLE/STORE_TIMEOUT naming the package and operation, no Set-Cookie; fail-open routes serve an empty session; after a restart the records are unchanged and the same apps recover', async () => {
    const apps = await appsWithSessions();
    await server.kill();
    for (const { app, client: visitor } of apps) {
      await expectDeadServer(app, visitor, expected, ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
    }
    await server.start();
    for (const { client: visitor, key, before } of apps) {
      await expectRecoveredUnchanged(visitor, key, before, raw, '2');
    }
  });

  it('frozen (SIGSTOP): requests answer 5xx with STORE_TIMEOUT after storeTimeoutMs, no Set-Cookie; fail-open routes serve an empty session; after SIGCONT the records are unchanged and the same apps recover', async () => {
    const apps = await appsWithSessions();
    server.pause();
    try {
      for (const { app, client: visitor } of apps) {
        const { error } = await expectFrozenServer(app, visitor, expected);
        expect(error).toMatchObject({ timeoutMs: TIMEOUT_MS });
      }
    } finally {
      server.resume();
    }
    for (const { client: visitor, key, before } of apps) {
      await expectRecoveredUnchanged(visitor, key, before, raw, '3');
    }
  });
});
