import { createServer } from 'node:net';
import { createMemoryStore, createSessionManager, type SessionEvent, type SessionManager } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createTestClock } from '@sess/core/testing';
import { createDbStore } from '@sess/store-db';
import { createMemcachedStore, recommendedClientOptions } from '@sess/store-memcached';
import { createRedisStore } from '@sess/store-redis';
import { Redis } from 'ioredis';
import Memcached from 'memcached';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';

/**
 * No raw session key in errors, logs or event payloads (ASVS 5 V16.2.5, OWASP "Logging Sessions Life
 * Cycle"): every key a test issues is searched for in everything sess hands to the app.
 */
const keys = new Set<string>();
const console$ = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
  vi.spyOn(console, method).mockImplementation(() => {}),
);
afterAll(() => {
  for (const spy of console$) spy.mockRestore();
});

/** Everything printed to the console so far, as text. */
const printed = () => JSON.stringify(console$.map((spy) => spy.mock.calls));

function expectNoKey(text: string): void {
  for (const key of keys)
    expect(text.includes(key), `a session key appears in: ${text.slice(0, 300)}`).toBe(false);
}

/** An error with its cause chain, as one text: messages, stacks and own fields. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(String(e), (e as Error).stack ?? '', JSON.stringify(e, Object.getOwnPropertyNames(e)));
  }
  return parts.join('\n');
}

/** A store that remembers every key it is asked about, so the test knows what must never leak. */
function witnessing(store: SessionStore): SessionStore {
  const seen =
    <A extends unknown[], R>(fn: (key: string, ...rest: A) => Promise<R>) =>
    (key: string, ...rest: A) => {
      keys.add(key);
      return fn(key, ...rest);
    };
  return {
    ...store,
    name: store.name,
    capabilities: store.capabilities,
    load: seen((key) => store.load(key)),
    create: seen((key, record) => store.create(key, record)),
    update: seen((key, update) => store.update(key, update)),
    touch: seen((key, change) => store.touch(key, change)),
    destroy: seen((key) => store.destroy(key)),
  };
}

async function visit(
  manager: SessionManager,
  cookie: string | undefined,
  handler: (s: import('@sess/core').Session) => unknown = () => {},
) {
  const request = manager.open(cookie ? { cookieHeader: cookie } : {});
  await handler(await request.load());
  const [header] = (await request.commit(200)).setCookie;
  return header && !header.includes('Max-Age=0') ? header.slice(0, header.indexOf(';')) : cookie;
}

describe('event payloads and console output across the whole lifecycle', () => {
  it('carry handles and reasons, never a key', async () => {
    const events: SessionEvent[] = [];
    const clock = createTestClock(Date.now());
    // The store's clock stays behind, so a record outlives its deadline there and the manager ends it.
    const store = createMemoryStore({ clock: createTestClock(clock.now()) });
    const manager = createSessionManager({
      store: witnessing(store),
      clock,
      absoluteTimeout: 3600,
      onEvent: (event) => events.push(event),
    });
    const phone = await visit(manager, undefined, (s) => s.set('user', 'ann'));
    let laptop = await visit(manager, undefined, (s) => s.set('user', 'ann'));
    laptop = await visit(manager, laptop, async (s) => {
      await s.cycleKey();
      await s.setOwner('ann');
    });
    await visit(manager, phone, async (s) => s.setOwner('ann'));
    const listed = await manager.sessionsOf('ann');
    await visit(manager, 'sessionid=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    await manager.revokeSessions('ann', { except: listed[0]?.handle ?? null });
    const survivor = await visit(manager, undefined, (s) => s.set('user', 'bob'));
    clock.advance(3601);
    await visit(manager, survivor);
    await visit(manager, laptop, (s) => s.flush());

    expect(keys.size).toBeGreaterThanOrEqual(4);
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set(['created', 'destroyed', 'rejected', 'expired'] satisfies SessionEvent['type'][]),
    );
    expectNoKey(JSON.stringify(events));
    expectNoKey(JSON.stringify(listed));
    expectNoKey(printed());
  });
});

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('errors of every engine when its server is gone, and of a record deleted during a request', () => {
  it('name the package and the operation, never the key', async () => {
    const port = await deadPort();
    const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    const pool = new pg.Pool({
      host: '127.0.0.1',
      port,
      user: 'x',
      database: 'x',
      connectionTimeoutMillis: 500,
    });
    const memcached = new Memcached(`127.0.0.1:${port}`, { ...recommendedClientOptions });
    const stores: SessionStore[] = [
      createRedisStore(redis),
      createDbStore(pool),
      createMemcachedStore(memcached),
    ];
    const errors: unknown[] = [];
    for (const store of stores) {
      const manager = createSessionManager({ store: witnessing(store), storeTimeoutMs: 2000 });
      for (const cookie of ['sessionid=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', undefined]) {
        await visit(manager, cookie, (s) => s.set('user', 'ann')).catch((error: unknown) =>
          errors.push(error),
        );
      }
    }
    // A record deleted during the request (a logout elsewhere).
    const interrupted = createSessionManager({ store: witnessing(createMemoryStore()) });
    const cookie = await visit(interrupted, undefined, (s) => s.set('user', 'ann'));
    await visit(interrupted, cookie, async (s) => {
      await interrupted.backend.destroy(s.key as string);
      s.set('late', true);
    }).catch((error: unknown) => errors.push(error));

    redis.disconnect();
    memcached.end();
    await pool.end();
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual([
      ...['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE'],
      ...['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE'],
      ...['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE'],
      'SESSION_INTERRUPTED',
    ]);
    for (const error of errors) expectNoKey(describeError(error));
    expectNoKey(printed());
  });
});
