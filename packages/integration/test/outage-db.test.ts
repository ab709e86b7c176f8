import { createSessionManager, type SessionManager } from '@sess/core';
import { createDbStore, createDjangoDbStore } from '@sess/store-db';
import { startPostgres } from '@sess/test-harness/servers';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DJANGO_SECRET_KEY, type RawRecord, rawDbRecord, rawDjangoRecord, serveApp } from '../src/index.js';
import { descendants, failOpenPolicy, OUTAGE_FRAMEWORKS, outageRoutes, signalAll } from './support/outage.js';
import {
  expectDeadServer,
  expectFrozenServer,
  expectRecoveredUnchanged,
  outageExpectation,
} from './support/outage-cases.js';

/**
 * A PostgreSQL of this file's own, killed (SIGKILL, the postmaster and its backends) and frozen (SIGSTOP)
 * under running Koa and Express apps, which are never restarted: each app runs over the native format and,
 * separately, over Django mode (its own table on the same server).
 */
const server = await startPostgres({ database: 'integ_outage' });
const TIMEOUT_MS = 1_000;
const STORE = '@sess/store-db';
// synchronous_commit on: the harness turns it off, and a crash could then lose the last commit.
const pool = new pg.Pool({ connectionString: server.url, max: 4, options: '-c synchronous_commit=on' });
pool.on('error', () => {});
const native = createDbStore(pool, { tableName: 'integ_outage_sessions' });
await native.migrate();
const django = createDjangoDbStore(pool, { secretKey: DJANGO_SECRET_KEY, tableName: 'integ_outage_django' });
await django.migrate();

/** The two formats, each with its manager and its raw reader (plain SQL on the row). */
const formats: { label: string; manager: SessionManager; raw(key: string): Promise<RawRecord | null> }[] = [
  {
    label: 'native',
    manager: createSessionManager({ store: native, storeTimeoutMs: TIMEOUT_MS }),
    raw: (key) => rawDbRecord(pool, native.tableName, key),
  },
  {
    label: 'Django mode',
    manager: createSessionManager({ store: django, storeTimeoutMs: TIMEOUT_MS }),
    raw: (key) => rawDjangoRecord(pool, django.tableName, key),
  },
];

afterAll(async () => {
  if (server.pid !== undefined) signalAll(descendants(server.pid), 'SIGCONT');
  server.resume();
  await pool.end();
  await server.close();
});

/** SIGKILL the postmaster and every backend at once: the whole server crashes. */
async function crash(): Promise<void> {
  const backends = descendants(server.pid as number);
  expect(backends.length).toBeGreaterThan(0);
  signalAll(backends, 'SIGKILL');
  await server.kill();
}

/** SIGSTOP the postmaster and its backends: connections stay open, nothing answers. Returns the thaw. */
function freeze(): () => void {
  server.pause();
  const backends = descendants(server.pid as number);
  expect(backends.length).toBeGreaterThan(0);
  signalAll(backends, 'SIGSTOP');
  return () => {
    signalAll(backends, 'SIGCONT');
    server.resume();
  };
}

/** An app per framework and format, each with a saved session `{ user }` and its raw row as stored. */
async function appsWithSessions() {
  return Promise.all(
    OUTAGE_FRAMEWORKS.flatMap((framework) =>
      formats.map(async ({ manager, raw }) => {
        const app = await serveApp(framework, { manager, policy: failOpenPolicy }, outageRoutes);
        const client = app.client();
        expect((await client.get(`/set?user=${framework.replace(' ', '')}`)).status).toBe(200);
        const key = client.cookies.get('sessionid') as string;
        const before = await raw(key);
        expect(before?.data).toEqual({ user: framework.replace(' ', '') });
        return { app, client, key, before, raw };
      }),
    ),
  );
}

const expected = outageExpectation(STORE, TIMEOUT_MS);

describe('PostgreSQL outage through the adapters, native format and Django mode (dedicated server)', () => {
  it('killed (SIGKILL): reads and writes answer 5xx with STORE_UNAVAILABLE/STORE_TIMEOUT naming the package and operation, no Set-Cookie; fail-open routes serve an empty session; after a restart the rows are unchanged and the same apps recover', async () => {
    const apps = await appsWithSessions();
    await crash();
    for (const { app, client } of apps) {
      await expectDeadServer(app, client, expected, ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
    }
    await server.start();
    for (const { app, client, key, before, raw } of apps) {
      await expectRecoveredUnchanged(client, key, before, raw, '2');
      expect(app.errors.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('frozen (SIGSTOP): requests answer 5xx with STORE_TIMEOUT after storeTimeoutMs, no Set-Cookie; fail-open routes serve an empty session; after SIGCONT the rows are unchanged and the same apps recover', async () => {
    const apps = await appsWithSessions();
    const thaw = freeze();
    try {
      for (const { app, client } of apps) {
        const { error } = await expectFrozenServer(app, client, expected);
        expect(error).toMatchObject({ timeoutMs: TIMEOUT_MS });
      }
    } finally {
      thaw();
    }
    for (const { client, key, before, raw } of apps) {
      await expectRecoveredUnchanged(client, key, before, raw, '3');
    }
  });
});
