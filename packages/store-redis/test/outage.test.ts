import { createSessionManager, isSessionError, type SessionManager, SessionStoreError } from '@sess/core';
import { cookieHeaderFor } from '@sess/core/testing';
import { startRedis } from '@sess/test-harness/servers';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';

/**
 * A redis-server of this file's own (never the run's shared one): it gets killed and frozen here. An
 * fsync'ed append-only file keeps its records across a SIGKILL, as a production server would. The app
 * side (client, store, manager) is created once and never restarted, like a running app.
 */
const server = await startRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
const TIMEOUT_MS = 1_000;
const clientErrors: Error[] = [];
// The README's advice: fail a command after one reconnection attempt instead of queueing it.
const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
// ioredis emits 'error' while reconnecting; without a listener it would only log them.
client.on('error', (error: Error) => clientErrors.push(error));
const store = createRedisStore(client, { prefix: 'outage:' });
const manager: SessionManager = createSessionManager({ store, storeTimeoutMs: TIMEOUT_MS });

afterAll(async () => {
  server.resume();
  client.disconnect();
  await server.close();
});

/** Loads the session of `cookieHeader` the way a request does, returning the error it rejects with. */
async function failingLoad(cookieHeader: string): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  try {
    await manager.open({ cookieHeader }).load();
  } catch (error) {
    return { error, elapsedMs: Date.now() - started };
  }
  throw new Error('load succeeded while the server was down');
}

function expectStoreError(error: unknown, codes: readonly string[]): void {
  expect(error).toBeInstanceOf(SessionStoreError);
  const storeError = error as SessionStoreError;
  expect(codes).toContain(storeError.code);
  expect(storeError.operation).toBe('load');
  expect(storeError.message).toContain('@sess/store-redis');
  expect(storeError.message).toContain('load');
}

/** The session data a fresh request sees, once the client has reconnected (no app restart). */
async function recoveredData(cookieHeader: string): Promise<unknown> {
  let data: unknown;
  await expect
    .poll(
      async () => {
        try {
          data = (await manager.open({ cookieHeader }).load()).toJSON();
          return true;
        } catch (error) {
          if (!isSessionError(error)) throw error;
          return false;
        }
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(true);
  return data;
}

const rawRecord = (cookieHeader: string) => client.hgetall(store.keyOf(cookieHeader.split('=')[1] as string));

describe('outage of the Redis server', () => {
  it('killed (SIGKILL): a request fails with a store error naming package and operation, then recovers', async () => {
    const cookie = await cookieHeaderFor(manager, { user: 'ann', cart: [1, 2] });
    const before = await rawRecord(cookie);
    expect(before['d:user']).toBe('"ann"');

    await server.kill();
    const { error, elapsedMs } = await failingLoad(cookie);
    expectStoreError(error, ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
    // A loose bound: the manager's deadline plus scheduling slack, i.e. no hang.
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 4_000);

    await server.start();
    expect(await recoveredData(cookie)).toEqual({ user: 'ann', cart: [1, 2] });
    expect(await rawRecord(cookie)).toEqual(before);
  }, 60_000);

  it('frozen (SIGSTOP): a request times out with STORE_TIMEOUT, then recovers with the record unchanged', async () => {
    const cookie = await cookieHeaderFor(manager, { user: 'bob' });
    const before = await rawRecord(cookie);

    server.pause();
    try {
      const { error, elapsedMs } = await failingLoad(cookie);
      expectStoreError(error, ['STORE_TIMEOUT']);
      expect((error as SessionStoreError).message).toContain(`${TIMEOUT_MS} ms`);
      expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 4_000);
    } finally {
      server.resume();
    }

    expect(await recoveredData(cookie)).toEqual({ user: 'bob' });
    expect(await rawRecord(cookie)).toEqual(before);
  }, 60_000);
});
