import { execFileSync } from 'node:child_process';
import { SessionStoreTimeout } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import { createMemcachedStore, recommendedClientOptions } from '@sess/store-memcached';
import { type Server, startMemcached } from '@sess/test-harness/servers';
import Memcached from 'memcached';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { FaultLoad, keyOfCookie, retireSessions } from './support/fault-load.js';
import { expectCountKept, expectStoreErrorsNamed } from './support/server-faults.js';

/**
 * Two memcached nodes of this file's own, one killed or frozen while visitors keep counting through a
 * running app. memcached keeps nothing: the sessions of a killed node come back as fresh, empty sessions
 * under new keys (never stale data, never an error loop), and the other node's visitors never notice.
 *
 * With requests running concurrently, the `memcached` client reaches its reconnect path, which runs the
 * system `ping` binary and crashes the process where there is none (its README, "A dead server").
 */
function requirePing(): void {
  try {
    execFileSync('ping', ['-c', '1', '-W', '1', '127.0.0.1'], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(
      'the memcached fault tests need the `ping` binary (Debian: apt-get install iputils-ping): the memcached ' +
        `client spawns it while reconnecting, and a missing one crashes the process (${String(error)})`,
    );
  }
}

const TIMEOUT_MS = 1_500;
const HANG_MS = 2 * TIMEOUT_MS + 4_000;
const servers: Server[] = [];
const clients: Memcached[] = [];

beforeAll(requirePing);
afterAll(async () => {
  for (const client of clients) client.end();
  for (const server of servers) server.resume();
  await Promise.all(servers.map((server) => server.close()));
});

/**
 * Two fresh nodes, a client and store over both, and a way to tell which node holds a session: both nodes
 * are asked, and exactly one must have it.
 */
async function pair(label: string) {
  const [lost, kept] = await Promise.all([startMemcached(), startMemcached()]);
  if (!lost || !kept) throw new Error('memcached did not start');
  servers.push(lost, kept);
  const client = new Memcached([lost.address, kept.address], { ...recommendedClientOptions });
  const probes = [lost, kept].map((server) => new Memcached(server.address, { ...recommendedClientOptions }));
  clients.push(client, ...probes);
  const store = createMemcachedStore(client, { prefix: `rel-${label}:` });
  const holds = (probe: Memcached, cookie: string) =>
    new Promise<boolean>((resolve, reject) =>
      probe.get(store.keyOf(keyOfCookie(cookie)), (error: unknown, value: unknown) =>
        error ? reject(error) : resolve(value !== undefined),
      ),
    );
  const onLost = async (cookie: string): Promise<boolean> => {
    const [onFirst, onSecond] = await Promise.all(probes.map((probe) => holds(probe, cookie)));
    if (onFirst === onSecond) throw new Error(`the session is on ${onFirst ? 'both nodes' : 'neither node'}`);
    return onFirst as boolean;
  };
  return { lost, store, onLost };
}

describe('a memcached node fails under load', () => {
  it('killed and restarted (Express): its sessions fail clearly, then start fresh under new keys, never stale, never an error loop', async (context) => {
    const { lost, store, onLost } = await pair('kill');
    const app = await startApp('express', { store, storeTimeoutMs: TIMEOUT_MS });
    const load = new FaultLoad(app.url, 20, 'mc-kill', {
      hangMs: HANG_MS,
      allowedCodes: ['STORE_UNAVAILABLE', 'STORE_TIMEOUT'],
    });
    await load.open();
    const lostVisitors = [];
    for (const visitor of load.visitors) {
      visitor.freshAllowed = await onLost(visitor.client.cookieHeader ?? '');
      if (visitor.freshAllowed) lostVisitors.push(visitor);
    }
    expect(lostVisitors.length).toBeGreaterThan(0);
    expect(lostVisitors.length).toBeLessThan(load.visitors.length);
    load.start();
    await load.until('the load to run', () => load.successes >= 100);
    const retired = await retireSessions(app.url, 'mc-kill');

    const oldCookies = lostVisitors.map((visitor) => visitor.client.cookieHeader as string);
    await lost.kill();
    await load.until('requests to fail while the node is down', () => load.errors >= 3 * lostVisitors.length);
    await lost.start();
    await load.everyoneSucceeds(3);
    await load.stop();

    expect(load.violations).toEqual([]);
    for (const visitor of load.visitors) {
      // One fresh start for each session the node lost; the other node's visitors saw no error at all.
      expect([visitor.tag, visitor.resets]).toEqual([visitor.tag, visitor.freshAllowed ? 1 : 0]);
      if (!visitor.freshAllowed) expect([visitor.tag, visitor.errors]).toEqual([visitor.tag, 0]);
      await expectCountKept(visitor);
    }
    for (const cookie of [...oldCookies, ...retired]) {
      expect(JSON.parse((await new Client(app.url).get('/peek', { cookie })).body)).toEqual({});
    }
    expectStoreErrorsNamed(app.errors, 'store-memcached', ['load', 'create', 'update', 'touch']);
    await app.close();
    await context.annotate(`${lostVisitors.length} sessions on the lost node; ${load.report()}`);
  }, 120_000);

  it('frozen (SIGSTOP) and resumed (Koa): operation timeouts fire and are reported, then the same sessions go on', async (context) => {
    const { lost, store, onLost } = await pair('freeze');
    const app = await startApp('koa', { store, storeTimeoutMs: TIMEOUT_MS });
    const load = new FaultLoad(app.url, 20, 'mc-freeze', {
      hangMs: HANG_MS,
      allowedCodes: ['STORE_TIMEOUT', 'STORE_UNAVAILABLE'],
    });
    await load.open();
    const frozen = new Set<string>();
    for (const visitor of load.visitors)
      if (await onLost(visitor.client.cookieHeader ?? '')) frozen.add(visitor.tag);
    expect(frozen.size).toBeGreaterThan(0);
    load.start();
    await load.until('the load to run', () => load.successes >= 100);

    load.allowLateWrites(load.visitors.map((visitor) => visitor.low));
    lost.pause();
    try {
      await load.until(
        'operation timeouts',
        () => (load.errorCodes.get('STORE_TIMEOUT') ?? 0) >= frozen.size,
      );
    } finally {
      lost.resume();
    }
    await load.everyoneSucceeds(3);
    await load.stop();

    expect(load.violations).toEqual([]);
    for (const visitor of load.visitors) {
      if (!frozen.has(visitor.tag)) expect([visitor.tag, visitor.errors]).toEqual([visitor.tag, 0]);
      await expectCountKept(visitor);
    }
    const timeouts = app.errors.filter((error) => error instanceof SessionStoreTimeout);
    expect(timeouts.length).toBeGreaterThanOrEqual(frozen.size);
    for (const error of timeouts) {
      expect(error.code).toBe('STORE_TIMEOUT');
      expect(error.message).toMatch(
        /^\[@sess\/store-memcached\] (load|update) did not complete within \d+ ms$/,
      );
    }
    await app.close();
    await context.annotate(`${frozen.size} sessions on the frozen node; ${load.report()}`);
  }, 120_000);
});
