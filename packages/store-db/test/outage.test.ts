import { readdirSync, readFileSync } from 'node:fs';
import { createSessionManager, type SessionManager, SessionStoreError } from '@sess/core';
import { cookieHeaderFor } from '@sess/core/testing';
import { startPostgres } from '@sess/test-harness/servers';
import pg from 'pg';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { createDbStore } from '../src/index.js';
import { rawRow } from './support.js';

/**
 * A PostgreSQL of this file's own (never the run's shared server): it gets killed and frozen here.
 * The app side (pool, store, manager) is created once and never restarted, like a running app.
 */
const server = await startPostgres({ database: 'store_db_outage' });
const TABLE = 'outage_sessions';
const TIMEOUT_MS = 1_000;
const poolErrors: Error[] = [];
// synchronous_commit on: the harness runs the server with it off, and a crash could then lose the
// last commits, which would make "the record is unchanged" fail for a reason that is not the store's.
const pool = new pg.Pool({ connectionString: server.url, max: 4, options: '-c synchronous_commit=on' });
// pg emits 'error' on the pool when an idle connection dies; without a listener the process would exit.
pool.on('error', (error) => poolErrors.push(error));
const store = createDbStore(pool, { tableName: TABLE });
await store.migrate();
const manager: SessionManager = createSessionManager({ store, storeTimeoutMs: TIMEOUT_MS });

afterAll(async () => {
  if (server.pid !== undefined) thaw(descendants(server.pid));
  await pool.end();
  await server.close();
});

/** The pids of every process below `root` (PostgreSQL backends call setsid(), so a group signal misses them). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state, ppid, …
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signalBackends(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

/** SIGKILL the postmaster and every backend at once: a crash of the whole server. */
async function crash(): Promise<void> {
  const backends = descendants(server.pid as number);
  expect(backends.length).toBeGreaterThan(0);
  signalBackends(backends, 'SIGKILL');
  await server.kill();
}

/** SIGSTOP the postmaster and every backend: the server hangs with its connections open. */
function freeze(): number[] {
  server.pause();
  const backends = descendants(server.pid as number);
  expect(backends.length).toBeGreaterThan(0);
  signalBackends(backends, 'SIGSTOP');
  return backends;
}

function thaw(backends: readonly number[]): void {
  signalBackends(backends, 'SIGCONT');
  server.resume();
}

const keyOf = (cookie: string): string => cookie.slice(cookie.indexOf('=') + 1);

/** The error a request got, with how long it took to get it (reported, never asserted). */
async function failure(
  context: TestContext,
  label: string,
  run: () => Promise<unknown>,
): Promise<SessionStoreError> {
  const started = performance.now();
  const outcome = await run().then(
    () => undefined,
    (error: unknown) => error,
  );
  const elapsed = Math.round(performance.now() - started);
  expect(outcome, `${label} should fail`).toBeInstanceOf(SessionStoreError);
  const error = outcome as SessionStoreError;
  await context.annotate(
    `${label}: ${error.code} after ${elapsed} ms (timeout ${TIMEOUT_MS} ms): ${error.message}`,
  );
  return error;
}

function expectStoreFailure(error: SessionStoreError, operation: string, codes: string[]): void {
  expect(codes).toContain(error.code);
  expect(error.operation).toBe(operation);
  expect(error.message).toContain('[@sess/store-db]');
  expect(error.message).toContain(operation);
}

/** A request that reads the session, changes it and commits: what a recovered app must manage. */
async function visit(cookie: string): Promise<number> {
  const request = manager.open({ cookieHeader: cookie });
  const session = await request.load();
  const visits = session.get('visits') as number;
  session.set('visits', visits + 1);
  expect((await request.commit(200)).action).toBe('save');
  return visits;
}

describe('PostgreSQL outage (dedicated server)', () => {
  it('server killed (SIGKILL): requests fail with a store error, then recover on restart with the record unchanged', async (context) => {
    const cookie = await cookieHeaderFor(manager, { visits: 1 });
    const key = keyOf(cookie);
    const before = await rawRow(pool, TABLE, key);
    expect(before?.data).toBe('{"visits": 1}');

    // Loaded before the crash, committed after it.
    const inFlight = manager.open({ cookieHeader: cookie });
    (await inFlight.load()).set('visits', 99);

    await crash();
    expect(server.running).toBe(false);

    const load = await failure(context, 'load while killed', () =>
      manager.open({ cookieHeader: cookie }).load(),
    );
    expectStoreFailure(load, 'load', ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
    const again = await failure(context, 'second load while killed', () =>
      manager.open({ cookieHeader: cookie }).load(),
    );
    expectStoreFailure(again, 'load', ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
    const commit = await failure(context, 'commit while killed', () => inFlight.commit(200));
    expectStoreFailure(commit, 'update', ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
    const create = await failure(context, 'new session while killed', () =>
      cookieHeaderFor(manager, { visits: 0 }),
    );
    expectStoreFailure(create, 'create', ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);

    await server.start();

    expect(await rawRow(pool, TABLE, key)).toEqual(before);
    expect(await visit(cookie)).toBe(1);
    expect(await visit(cookie)).toBe(2);
    expect((await rawRow(pool, TABLE, key))?.data).toBe('{"visits": 3}');
    expect(await visit(await cookieHeaderFor(manager, { visits: 0 }))).toBe(0);
    await context.annotate(`pool 'error' events during the crash: ${poolErrors.length}`);
  });

  it('server frozen (SIGSTOP): requests time out with STORE_TIMEOUT, then recover on SIGCONT with the record unchanged', async (context) => {
    const cookie = await cookieHeaderFor(manager, { visits: 10 });
    const key = keyOf(cookie);
    const before = await rawRow(pool, TABLE, key);
    expect(before?.data).toBe('{"visits": 10}');

    const backends = freeze();
    try {
      const [first, second] = await Promise.all([
        failure(context, 'load while frozen', () => manager.open({ cookieHeader: cookie }).load()),
        failure(context, 'parallel load while frozen', () => manager.open({ cookieHeader: cookie }).load()),
      ]);
      for (const error of [first, second]) {
        expectStoreFailure(error, 'load', ['STORE_TIMEOUT']);
        expect(error.message).toContain(`within ${TIMEOUT_MS} ms`);
      }
    } finally {
      thaw(backends);
    }

    expect(await rawRow(pool, TABLE, key)).toEqual(before);
    expect(await visit(cookie)).toBe(10);
    expect((await rawRow(pool, TABLE, key))?.data).toBe('{"visits": 11}');
  });

  it('server killed while a query is waiting on it: the request fails, nothing crashes, the next requests recover', async (context) => {
    const cookie = await cookieHeaderFor(manager, { visits: 20 });
    const key = keyOf(cookie);
    const before = await rawRow(pool, TABLE, key);

    const backends = freeze();
    const waiting = failure(context, 'load cut off by the crash', () =>
      manager.open({ cookieHeader: cookie }).load(),
    );
    await crash();
    signalBackends(backends, 'SIGCONT');
    expectStoreFailure(await waiting, 'load', ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);

    await server.start();
    expect(await rawRow(pool, TABLE, key)).toEqual(before);
    expect(await visit(cookie)).toBe(20);
  });
});
