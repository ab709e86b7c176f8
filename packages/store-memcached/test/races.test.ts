import { generateSessionKey as key } from '@sess/core';
import { memcachedServers } from '@sess/test-harness';
import type Memcached from 'memcached';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemcachedStore, type MemcachedLike } from '../src/index.js';
import { endAll, newClient, randomPrefix, rawDataText, rawGet, recordFor, storeError } from './support.js';

// Races are provoked deterministically: a wrapper around the real client lets a competing write land
// between the store's `gets` and its `cas` or `replace`.
const servers = memcachedServers();
const client = newClient(servers);
const raw = newClient(servers);
const clients: Memcached[] = [client, raw];
afterAll(() => endAll(...clients));

/** `client`, with `beforeWrite` run between a `gets` and the `cas`/`replace` that follows it. */
function withRace(base: Memcached, beforeWrite: (attempt: number) => Promise<void>): MemcachedLike {
  let attempt = 0;
  const hooked =
    <A extends unknown[]>(send: (...args: A) => void) =>
    (...args: A) => {
      const callback = args.at(-1) as (error: unknown, result: boolean) => void;
      beforeWrite(++attempt).then(
        () => send(...args),
        (error: unknown) => callback(error, false),
      );
    };
  return {
    get: (k, cb) => base.get(k, cb),
    gets: (k, cb) => base.gets(k, cb),
    add: (k, v, l, cb) => base.add(k, v, l, cb),
    replace: hooked((k: string, v: string, l: number, cb: (e: unknown, r: boolean) => void) =>
      base.replace(k, v, l, cb),
    ),
    cas: hooked((k: string, v: string, c: string, l: number, cb: (e: unknown, r: boolean) => void) =>
      base.cas(k, v, c, l, cb),
    ),
    del: (k, cb) => base.del(k, cb),
  };
}

describe('races provoked between gets and the write', () => {
  it('a write landing between gets and cas makes the delta retry on top of it', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ a: 1 }, 60_000);
    expect(await plain.create(k, record)).toBe(true);
    const racing = createMemcachedStore(
      withRace(client, async (attempt) => {
        if (attempt === 1)
          expect(await plain.update(k, { ...record, data: { a: 'theirs', c: 3 } })).toBe(true);
      }),
      { prefix },
    );
    const update = { ...recordFor({ a: 1, b: 2 }, 60_000), delta: { set: { b: 2 }, unset: ['c'] } };
    expect(await racing.update(k, update)).toBe(true);
    expect((await plain.load(k))?.data).toEqual({ a: 'theirs', b: 2 });
  });

  it('a destroy landing between gets and cas: the update reports false and nothing comes back', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    expect(await plain.create(k, recordFor({ a: 1 }, 60_000))).toBe(true);
    const racing = createMemcachedStore(
      withRace(client, () => plain.destroy(k)),
      { prefix },
    );
    expect(await racing.update(k, { ...recordFor({}, 60_000), delta: { set: { b: 2 }, unset: [] } })).toBe(
      false,
    );
    expect(await racing.touch(k, Date.now() + 60_000, Date.now())).toBe(false);
    expect(await rawGet(raw, plain, k)).toBeUndefined();
  });

  it('a destroy landing between gets and replace: the whole update reports false and nothing comes back', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    expect(await plain.create(k, recordFor({ a: 1 }, 60_000))).toBe(true);
    const racing = createMemcachedStore(
      withRace(client, () => plain.destroy(k)),
      { prefix },
    );
    expect(await racing.update(k, recordFor({ late: true }, 60_000))).toBe(false);
    expect(await rawGet(raw, plain, k)).toBeUndefined();
  });

  it('a touch racing an update rewrites only exp and lastSeenAt around the new data bytes', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ step: 1 }, 60_000);
    expect(await plain.create(k, record)).toBe(true);
    const racing = createMemcachedStore(
      withRace(client, async (attempt) => {
        if (attempt === 1)
          expect(await plain.update(k, { ...record, data: { step: 2, ü: '😀' } })).toBe(true);
      }),
      { prefix },
    );
    const before = rawDataText(await rawGet(raw, plain, k));
    expect(before).toBe('{"step":1}');
    const expiresAt = Date.now() + 7_200_000;
    expect(await racing.touch(k, expiresAt, 1234)).toBe(true);
    const after = await rawGet(raw, plain, k);
    expect(rawDataText(after)).toBe('{"step":2,"ü":"😀"}');
    expect(JSON.parse(after as string)).toMatchObject({ exp: expiresAt, meta: { lastSeenAt: 1234 } });
  });

  it('gives up with a SessionStoreError when every round loses, after casAttempts rounds', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ n: 0 }, 60_000);
    expect(await plain.create(k, record)).toBe(true);
    let rounds = 0;
    const racing = createMemcachedStore(
      withRace(client, async () => {
        rounds++;
        expect(await plain.update(k, { ...record, data: { n: rounds } })).toBe(true);
      }),
      { prefix, casAttempts: 3 },
    );
    const error = await storeError(
      racing.update(k, { ...record, delta: { set: { mine: true }, unset: [] } }),
    );
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.operation).toBe('update');
    expect(error.message).toContain('[@sess/store-memcached] update gave up');
    expect(rounds).toBe(3);
    expect((await plain.load(k))?.data).toEqual({ n: 3 });
  });
});
