import { SessionStoreError, SessionStoreTimeout } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import { createDbStore } from '@sess/store-db';
import { startPostgres } from '@sess/test-harness/servers';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { FaultLoad, keyOfCookie, lowestCount, retireSessions } from './support/fault-load.js';

/**
 * PostgreSQL killed (SIGKILL, postmaster and backends) and frozen (SIGSTOP) while visitors keep counting
 * through a running app. A PostgreSQL of this file's own: the run's shared server is never touched. The app
 * (pool, store, middleware) is never restarted.
 */
const server = await startPostgres({ database: 'rel_faults' });
const TIMEOUT_MS = 1_000;
/** No request may take longer than a load and a save that both time out, plus room for a loaded machine. */
const HANG_MS = 2 * TIMEOUT_MS + 4_000;
// synchronous_commit on: an acknowledged write is in the WAL the restarted server replays.
const pool = new pg.Pool({
  connectionString: server.url,
  max: 10,
  connectionTimeoutMillis: 2 * TIMEOUT_MS,
  options: '-c synchronous_commit=on',
});
// Idle connections die with the server: pg reports it here, and the pool opens new ones later.
pool.on('error', () => {});
const store = createDbStore(pool);
await store.migrate();

afterAll(async () => {
  server.resume();
  await pool.end();
  await server.close();
});

const holds = async (key: string) =>
  (await pool.query('SELECT 1 FROM sess_session WHERE key = $1', [key])).rowCount === 1;

/** After the load: each visitor's stored session is its own, with a count its answers allow. */
async function expectNothingLost(load: FaultLoad, url: string, retired: readonly string[]) {
  for (const visitor of load.visitors) {
    const data = JSON.parse((await visitor.client.get('/peek')).body) as { tag: string; count: number };
    expect(data.tag).toBe(visitor.tag);
    expect(data.count).toBeGreaterThanOrEqual(lowestCount(visitor));
    expect(data.count).toBeLessThanOrEqual(visitor.high);
  }
  for (const cookie of retired) {
    const replay = await new Client(url).get('/peek', { cookie });
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toEqual({});
    expect(await holds(keyOfCookie(cookie))).toBe(false);
  }
}

describe('PostgreSQL fails under load', () => {
  it('killed and restarted (Koa): clear errors while down, recovery without an app restart, nothing lost or resurrected', async (context) => {
    const app = await startApp('koa', { store, storeTimeoutMs: TIMEOUT_MS });
    const load = new FaultLoad(app.url, 20, 'pg-kill', {
      hangMs: HANG_MS,
      allowedCodes: ['STORE_UNAVAILABLE', 'STORE_TIMEOUT'],
    });
    await load.open();
    load.start();
    await load.until('the load to run', () => load.successes >= 100);
    const retired = await retireSessions(app.url, 'pg-kill');

    await server.kill();
    await load.until('requests to fail while the server is down', () => load.errors >= 40);
    await server.start();
    await load.everyoneSucceeds(3);
    await load.stop();

    expect(load.violations).toEqual([]);
    await expectNothingLost(load, app.url, retired);
    for (const error of app.errors) {
      expect(error).toBeInstanceOf(SessionStoreError);
      expect((error as Error).message).toMatch(/^\[@sess\/store-db\] (load|create|update|touch|destroy) /);
    }
    await app.close();
    await context.annotate(load.report());
  }, 120_000);

  it('frozen (SIGSTOP) and resumed (Express): operation timeouts fire and are reported, then the same sessions go on', async (context) => {
    const app = await startApp('express', { store, storeTimeoutMs: TIMEOUT_MS });
    const load = new FaultLoad(app.url, 20, 'pg-freeze', {
      hangMs: HANG_MS,
      allowedCodes: ['STORE_TIMEOUT', 'STORE_UNAVAILABLE'],
    });
    await load.open();
    load.start();
    await load.until('the load to run', () => load.successes >= 100);

    // A write that timed out while the server was frozen may land after a later one once it resumes.
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
      expect(error.message).toMatch(/^\[@sess\/store-db\] (load|update) did not complete within 1000 ms$/);
    }
    await app.close();
    await context.annotate(load.report());
  }, 120_000);
});
