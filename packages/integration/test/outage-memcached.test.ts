import { readFile } from 'node:fs/promises';
import { createSessionManager } from '@sess/core';
import { createMemcachedStore } from '@sess/store-memcached';
import { type Server, startMemcached } from '@sess/test-harness/servers';
import { afterAll, describe, expect, it } from 'vitest';
import { memcachedClient, rawMemcachedRecord, serveApp } from '../src/index.js';
import { failOpenPolicy, OUTAGE_FRAMEWORKS, outageRoutes, recovered } from './support/outage.js';
import {
  expectDeadServer,
  expectFrozenServer,
  expectRecoveredUnchanged,
  outageExpectation,
} from './support/outage-cases.js';

/**
 * A memcached of this file's own, killed (SIGKILL) and frozen (SIGSTOP) under running Koa and Express apps,
 * which are never restarted. Requests go one at a time: concurrent requests hitting a server that just died
 * can send the `memcached` client down its `ping` reconnect path, which crashes the process where no `ping`
 * binary is installed (see packages/store-memcached/README.md, "A dead server").
 */
const server: Server = await startMemcached();
// The store's own deadline (operationTimeoutMs, kept below the manager's as its README advises) is the one
// that fires when the server hangs: the client sometimes never calls back.
const OPERATION_TIMEOUT_MS = 800;
const STORE = '@sess/store-memcached';
const client = memcachedClient(server.address);
const store = createMemcachedStore(client, {
  prefix: 'integ-outage:',
  operationTimeoutMs: OPERATION_TIMEOUT_MS,
});
const manager = createSessionManager({ store, storeTimeoutMs: 1_500 });
// Raw reads through a second client, made only while the server is up.
const raw = async (key: string) => {
  const reader = memcachedClient(server.address);
  try {
    return await rawMemcachedRecord(reader, store, key);
  } finally {
    reader.end();
  }
};

afterAll(async () => {
  server.resume();
  client.end();
  await server.close();
});

/** Waits until the kernel reports the process stopped. */
async function stopped(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const stat = await readFile(`/proc/${server.pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('memcached did not stop');
}

async function appsWithSessions() {
  const apps = [];
  for (const framework of OUTAGE_FRAMEWORKS) {
    const app = await serveApp(framework, { manager, policy: failOpenPolicy }, outageRoutes);
    const visitor = app.client();
    const user = framework.replace(' ', '');
    expect((await visitor.get(`/set?user=${user}`)).status).toBe(200);
    const key = visitor.cookies.get('sessionid') as string;
    const before = await raw(key);
    expect(before?.data).toEqual({ user });
    apps.push({ app, client: visitor, key, before });
  }
  return apps;
}

const expected = outageExpectation(STORE, OPERATION_TIMEOUT_MS);

describe('memcached outage through the adapters (dedicated server)', () => {
  it('killed (SIGKILL): reads and writes answer 5xx with STORE_UNAVAILABLE naming the package and operation, no Set-Cookie; fail-open routes serve an empty session; after a restart sessions come back empty (never stale, no error loop) and the same apps recover', async () => {
    const apps = await appsWithSessions();
    await server.kill();
    for (const { app, client: visitor } of apps) {
      await expectDeadServer(app, visitor, expected, ['STORE_UNAVAILABLE']);
    }
    await server.start();
    for (const { app, client: visitor, key } of apps) {
      // memcached keeps nothing across a restart: the old cookie is no session (deleted), never stale data.
      const back = await recovered(visitor, '/read');
      expect(JSON.parse(back.body)).toEqual({});
      const errorsAfterRecovery = app.errors.length;
      for (let i = 0; i < 3; i++) {
        const again = await app.client().get('/read', { cookie: `sessionid=${key}` });
        expect(again.status).toBe(200);
        expect(JSON.parse(again.body)).toEqual({});
      }
      expect(await raw(key)).toBeNull();
      const fresh = app.client();
      fresh.cookies.set('sessionid', key);
      expect((await fresh.get('/set?user=again')).status).toBe(200);
      const newKey = fresh.cookies.get('sessionid') as string;
      expect(newKey).not.toBe(key);
      expect((await raw(newKey))?.data).toEqual({ user: 'again' });
      expect(await raw(key)).toBeNull();
      expect(app.errors).toHaveLength(errorsAfterRecovery);
    }
  });

  it('frozen (SIGSTOP): requests answer 5xx with STORE_TIMEOUT, no Set-Cookie; fail-open routes serve an empty session; after SIGCONT the records are unchanged and the same apps recover', async () => {
    const apps = await appsWithSessions();
    server.pause();
    await stopped();
    try {
      for (const { app, client: visitor } of apps) {
        await expectFrozenServer(app, visitor, expected);
      }
    } finally {
      server.resume();
    }
    for (const { client: visitor, key, before } of apps) {
      await expectRecoveredUnchanged(visitor, key, before, raw, '3');
    }
  });
});
