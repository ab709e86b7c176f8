import { readFile } from 'node:fs/promises';
import {
  createSessionManager,
  isSessionError,
  type SessionManager,
  type SessionStoreError,
  SessionStoreTimeout,
} from '@sess/core';
import { generateSessionKey } from '@sess/core/store';
import { type Server, startMemcached } from '@sess/test-harness/servers';
import type Memcached from 'memcached';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemcachedStore, type MemcachedStoreOptions } from '../src/index.js';
import { change, endAll, newClient, randomPrefix, recordFor, reply, setting, sleep } from './support.js';

// Dedicated memcached processes, killed and frozen here: the run's shared servers are never touched.
const servers: Server[] = [];
const clients: Memcached[] = [];
afterAll(async () => {
  endAll(...clients);
  await Promise.all(servers.map((server) => server.close()));
});

/** The manager's deadline; the store's own (operationTimeoutMs, default 1000) is shorter. */
const STORE_TIMEOUT_MS = 1500;
/** Room for timers and the event loop on top of a deadline. */
const SLACK_MS = 500;

async function setup(count = 1, options: MemcachedStoreOptions = {}) {
  const started = await Promise.all(Array.from({ length: count }, () => startMemcached()));
  servers.push(...started);
  const client = newClient(started.map((server) => server.address));
  clients.push(client);
  const store = createMemcachedStore(client, { prefix: randomPrefix('outage'), ...options });
  const manager = createSessionManager({ store, storeTimeoutMs: STORE_TIMEOUT_MS });
  return { servers: started, store, manager };
}

/** What a request saw, and the cookie it ends with. */
interface Visit {
  seen: Record<string, unknown>;
  cookie: string | undefined;
}

/** One request: loads the session of `cookie`, optionally writes `write`, commits. */
async function visit(
  manager: SessionManager,
  cookie?: string,
  write?: Record<string, unknown>,
): Promise<Visit> {
  const request = manager.open(cookie === undefined ? {} : { cookieHeader: cookie });
  const session = await request.load();
  const seen = session.toJSON();
  if (write) session.update(write);
  const { setCookie } = await request.commit(200);
  const header = setCookie[0];
  return { seen, cookie: header ? header.slice(0, header.indexOf(';')) : cookie };
}

/** The store error a request fails with, checked to name the package and `operation`, and how long it took. */
async function failedVisit(
  operation: string,
  codes: SessionStoreError['code'][],
  run: () => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  const error = await run().then(
    (value) => {
      throw new Error(`the request succeeded (${JSON.stringify(value)}) while the server was down`);
    },
    (error: unknown) => error as SessionStoreError,
  );
  const elapsed = performance.now() - started;
  expect(isSessionError(error), String(error)).toBe(true);
  expect(codes).toContain(error.code);
  expect(error.operation).toBe(operation);
  expect(error.message).toContain('@sess/store-memcached');
  expect(error.message).toContain(operation);
  expect(elapsed).toBeLessThan(STORE_TIMEOUT_MS + SLACK_MS);
  return elapsed;
}

/** Retries `run` while it fails with store errors (the client skips a failed server for `retry` ms). */
async function recovered<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      return await run();
    } catch (error) {
      expect(isSessionError(error) && ['STORE_UNAVAILABLE', 'STORE_TIMEOUT'].includes(error.code)).toBe(true);
      await sleep(250);
    }
  }
  throw new Error('requests did not recover after the server came back');
}

/** Waits until the kernel reports the process stopped, so no request is answered by a dying thread. */
async function stopped(server: Server): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const stat = await readFile(`/proc/${server.pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await sleep(10);
  }
  throw new Error('memcached did not stop');
}

// Requests run one at a time on purpose: see "A dead server" in the README.
describe('a memcached outage', () => {
  it('killed (SIGKILL): store errors within the timeout, then a fresh empty session once it is back', async () => {
    const {
      servers: [server],
      manager,
    } = await setup();
    if (!server) throw new Error('no server');
    const first = await visit(manager, undefined, { user: 'ada' });
    expect((await visit(manager, first.cookie)).seen).toEqual({ user: 'ada' });

    await server.kill();
    await failedVisit('load', ['STORE_UNAVAILABLE'], () => visit(manager, first.cookie));
    await failedVisit('create', ['STORE_UNAVAILABLE'], () => visit(manager, undefined, { other: 1 }));
    await failedVisit('load', ['STORE_UNAVAILABLE'], () => visit(manager, first.cookie));

    await server.start();
    const back = await recovered(() => visit(manager, first.cookie));
    expect(back.seen).toEqual({});
    const fresh = await visit(manager, first.cookie, { user: 'ada, again' });
    expect(fresh.cookie).toBeDefined();
    expect(fresh.cookie).not.toBe(first.cookie);
    expect((await visit(manager, fresh.cookie)).seen).toEqual({ user: 'ada, again' });
    for (let i = 0; i < 3; i++) expect((await visit(manager, first.cookie)).seen).toEqual({});
  }, 30_000);

  it('frozen (SIGSTOP): STORE_TIMEOUT within the timeout, then the same session once it resumes', async () => {
    const {
      servers: [server],
      manager,
    } = await setup();
    if (!server) throw new Error('no server');
    const first = await visit(manager, undefined, { user: 'grace' });

    server.pause();
    await stopped(server);
    await failedVisit('load', ['STORE_TIMEOUT'], () => visit(manager, first.cookie));
    await failedVisit('create', ['STORE_TIMEOUT'], () => visit(manager, undefined, { other: 1 }));

    server.resume();
    const back = await recovered(() => visit(manager, first.cookie, { visits: 2 }));
    expect(back.seen).toEqual({ user: 'grace' });
    expect((await visit(manager, first.cookie)).seen).toEqual({ user: 'grace', visits: 2 });
  }, 30_000);

  it("called directly on a frozen server, every operation rejects with the store's own STORE_TIMEOUT", async () => {
    const {
      servers: [server],
      store,
    } = await setup(1, { operationTimeoutMs: 300 });
    if (!server) throw new Error('no server');
    const key = generateSessionKey();
    expect(await store.create(key, recordFor({ kept: true }, 60_000))).toBe(true);

    server.pause();
    await stopped(server);
    const operations: [string, () => Promise<unknown>][] = [
      ['load', () => store.load(key)],
      ['create', () => store.create(generateSessionKey(), recordFor({}, 60_000))],
      ['update', () => store.update(key, { data: { lost: true }, meta: change() })],
      ['update', () => store.update(key, { data: {}, delta: setting({ lost: true }), meta: change() })],
      ['touch', () => store.touch(key, change())],
      ['destroy', () => store.destroy(generateSessionKey())],
    ];
    for (const [operation, run] of operations) {
      const error = await run().then(
        () => new Error(`${operation} resolved while the server was frozen`),
        (error: unknown) => error,
      );
      expect(error).toBeInstanceOf(SessionStoreTimeout);
      expect(error).toMatchObject({ code: 'STORE_TIMEOUT', operation, timeoutMs: 300 });
      expect((error as Error).message).toBe(
        `[@sess/store-memcached] ${operation} did not complete within 300 ms`,
      );
    }

    server.resume();
    expect((await recovered(() => store.load(key)))?.data).toEqual({ kept: true });
  }, 30_000);

  it('one node of two killed: its sessions fail and come back empty, the other node serves throughout', async () => {
    const { servers: pair, store, manager } = await setup(2);
    const [lost, kept] = pair;
    if (!lost || !kept) throw new Error('no servers');
    const sessions: { cookie: string | undefined; data: { i: number } }[] = [];
    for (let i = 0; i < 24; i++)
      sessions.push({ cookie: (await visit(manager, undefined, { i })).cookie, data: { i } });
    const lostClient = newClient(lost.address);
    clients.push(lostClient);
    const onLost: typeof sessions = [];
    const onKept: typeof sessions = [];
    for (const session of sessions) {
      const key = session.cookie?.slice(session.cookie.indexOf('=') + 1) ?? '';
      const [error, value] = await reply<unknown>((cb) => lostClient.get(store.keyOf(key), cb));
      expect(error).toBeUndefined();
      (value === undefined ? onKept : onLost).push(session);
    }
    expect(onLost.length).toBeGreaterThan(0);
    expect(onKept.length).toBeGreaterThan(0);
    lostClient.end();

    await lost.kill();
    for (const { cookie, data } of onKept) expect((await visit(manager, cookie)).seen).toEqual(data);
    for (const { cookie } of onLost) {
      await failedVisit('load', ['STORE_UNAVAILABLE'], () => visit(manager, cookie));
    }

    // The lost node's keys were never moved to the other node (remove: false): no copy can turn stale.
    await lost.start();
    for (const { cookie } of onLost) expect((await recovered(() => visit(manager, cookie))).seen).toEqual({});
    for (const { cookie, data } of onKept) expect((await visit(manager, cookie)).seen).toEqual(data);
  }, 60_000);
});
