import { hashSessionKey, generateSessionKey as key } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createMemcachedStore } from '../src/index.js';
import {
  change,
  newClient,
  randomPrefix,
  rawGet,
  recordFor,
  reply,
  setting,
  sleep,
  testClients,
} from './support.js';

const { servers, client, raw, clients } = testClients();

const DAY = 86_400_000;
const newStore = () => createMemcachedStore(client, { prefix: randomPrefix('engine') });

describe('key layout and envelope', () => {
  it('stores one JSON envelope under <prefix><key>', async () => {
    const prefix = randomPrefix('layout');
    const store = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ cart: [1, 2] }, 60_000);
    expect(await store.create(k, record)).toBe(true);
    expect(store.keyOf(k)).toBe(`${prefix}${k}`);
    const [error, value] = await reply<unknown>((cb) => raw.get(`${prefix}${k}`, cb));
    expect(error).toBeUndefined();
    expect(typeof value).toBe('string');
    expect(JSON.parse(value as string)).toEqual({
      v: 1,
      expiresAt: record.expiresAt,
      meta: record.meta,
      data: record.data,
    });
  });

  it('the default prefix is sess:', async () => {
    const store = createMemcachedStore(client);
    expect(store.keyOf('abc')).toBe('sess:abc');
  });

  it('a foreign value under a session key reads as absent and is never overwritten', async () => {
    const store = newStore();
    const k = key();
    const [error] = await reply((cb) => raw.set(store.keyOf(k), 'not an envelope', 60, cb));
    expect(error).toBeUndefined();
    expect(await store.load(k)).toBeNull();
    expect(await store.update(k, { data: { x: 1 }, meta: change() })).toBe(false);
    expect(await store.update(k, { data: { x: 1 }, delta: setting({ x: 1 }), meta: change() })).toBe(false);
    expect(await store.touch(k, change())).toBe(false);
    expect(await store.create(k, recordFor({ x: 1 }, 60_000))).toBe(false);
    expect(await rawGet(raw, store, k)).toBe('not an envelope');
    // destroy clears the key as it always did (a record another version wrote must not outlive a
    // logout), but it had no record of this store's to report.
    expect(await store.destroy(k)).toBeNull();
    expect(await rawGet(raw, store, k)).toBeUndefined();
  });

  it('declares delta, native expiry in whole seconds, and no owner index', () => {
    const store = newStore();
    expect(store.capabilities).toEqual({
      delta: true,
      ownerIndex: false,
      nativeExpiry: true,
      expiryResolution: 's',
    });
    expect(store.owners).toBeUndefined();
    expect(store).not.toHaveProperty('close');
  });
});

describe('record ids', () => {
  it('a 40-character hashed id behind the longest prefix fits the 250-byte key, through every operation', async () => {
    const prefix = randomPrefix('long').padEnd(210, 'p');
    const store = createMemcachedStore(client, { prefix });
    const id = hashSessionKey(key());
    expect(id).toHaveLength(40);
    expect(Buffer.byteLength(store.keyOf(id))).toBe(250);
    expect(await store.create(id, recordFor({ hashed: true }, 60_000))).toBe(true);
    expect((await store.load(id))?.data).toEqual({ hashed: true });
    expect(await store.update(id, { data: {}, delta: setting({ more: 1 }), meta: change() })).toBe(true);
    expect(await store.touch(id, change({ owner: 'u1' }))).toBe(true);
    expect(JSON.parse((await rawGet(raw, store, id)) as string).data).toEqual({ hashed: true, more: 1 });
    expect(await store.destroy(id)).toMatchObject({ owner: 'u1' });
    expect(await rawGet(raw, store, id)).toBeUndefined();
  });

  it.each([
    ['31 characters', 'a'.repeat(31)],
    ['33 characters', 'a'.repeat(33)],
    ['41 characters', 'a'.repeat(41)],
    ['upper case', 'A'.repeat(32)],
    ['a space', `${'a'.repeat(31)} `],
    ['a line break', `${'a'.repeat(30)}\r\n`],
    ['empty', ''],
  ])('an id with %s never reaches the server', async (_label, id) => {
    const sent: string[] = [];
    const refuse =
      (command: string) =>
      (...args: unknown[]) => {
        sent.push(command);
        (args.at(-1) as (error: unknown) => void)(new Error('sent'));
      };
    const store = createMemcachedStore({ gets: refuse('gets'), add: refuse('add'), cas: refuse('cas') });
    expect(await store.load(id)).toBeNull();
    expect(await store.update(id, { data: {}, meta: change() })).toBe(false);
    expect(await store.touch(id, change())).toBe(false);
    expect(await store.destroy(id)).toBeNull();
    await expect(store.create(id, recordFor({}, 60_000))).rejects.toMatchObject({
      operation: 'create',
      message: expect.stringContaining('is not a record id'),
    });
    expect(sent).toEqual([]);
  });
});

describe('expiry in memcached itself', () => {
  it('a 40-day session is stored and loadable (sent as an absolute Unix time, not misread as 1970)', async () => {
    const store = newStore();
    const k = key();
    const record = recordFor({ long: true }, 40 * DAY);
    expect(await store.create(k, record)).toBe(true);
    expect((await store.load(k))?.data).toEqual({ long: true });
    expect(await rawGet(raw, store, k)).toEqual(expect.any(String));
  });

  it('an update and a touch to 40 days keep the session stored', async () => {
    const store = newStore();
    const k = key();
    const record = recordFor({ v: 1 }, 60_000);
    expect(await store.create(k, record)).toBe(true);
    const expiry = (days: number) => ({ expiresAt: Date.now() + days * DAY, lifetime: null });
    expect(await store.update(k, { data: { v: 2 }, meta: change({ expiry: expiry(40) }) })).toBe(true);
    expect(await rawGet(raw, store, k)).toEqual(expect.any(String));
    expect(
      await store.update(k, { data: {}, delta: setting({ d: 1 }), meta: change({ expiry: expiry(45) }) }),
    ).toBe(true);
    expect(await rawGet(raw, store, k)).toEqual(expect.any(String));
    expect(await store.touch(k, change({ expiry: expiry(50) }))).toBe(true);
    expect((await store.load(k))?.data).toEqual({ v: 2, d: 1 });
    // A refresh by a 40-day default lifetime, computed by the store, keeps it too.
    expect(await store.touch(k, change({ defaultLifetime: 40 * 86_400 }))).toBe(true);
    expect(await rawGet(raw, store, k)).toEqual(expect.any(String));
    expect((await store.load(k))?.expiresAt).toBeGreaterThan(Date.now() + 39 * DAY);
  });

  it('a 29-day session (the relative range) is stored and loadable', async () => {
    const store = newStore();
    const k = key();
    expect(await store.create(k, recordFor({ month: true }, 29 * DAY))).toBe(true);
    expect((await store.load(k))?.data).toEqual({ month: true });
  });

  it('a 1-second session disappears from memcached itself, not only from load', async () => {
    const store = newStore();
    const k = key();
    const record = recordFor({ brief: true }, 1000);
    expect(await store.create(k, record)).toBe(true);
    // Never early: asked just before its expiry, memcached still holds it (the 1 s margin covers its clock).
    await sleep(record.expiresAt - 150 - Date.now());
    const askedAt = Date.now();
    const justBefore = await rawGet(raw, store, k);
    expect(askedAt < record.expiresAt ? justBefore : 'asked too late to tell').toEqual(expect.any(String));
    // Then memcached drops it within its exptime (1 s rounded up, plus the margin) and a clock tick.
    let value: unknown = 'present';
    for (let i = 0; i < 40 && value !== undefined; i++) {
      await sleep(250);
      value = await rawGet(raw, store, k);
    }
    expect(value).toBeUndefined();
    expect(await store.load(k)).toBeNull();
  }, 20_000);
});

describe('a pool of two servers', () => {
  it('consistent hashing spreads 40 sessions so that both servers hold some', async () => {
    const store = newStore();
    const keys = Array.from({ length: 40 }, key);
    for (const k of keys) expect(await store.create(k, recordFor({ k }, 60_000))).toBe(true);
    const perServer = servers.map((server) => newClient(server));
    clients.push(...perServer);
    const held = await Promise.all(
      perServer.map(async (one) => {
        const found: string[] = [];
        for (const k of keys) {
          const [error, value] = await reply<unknown>((cb) => one.get(store.keyOf(k), cb));
          expect(error).toBeUndefined();
          if (value !== undefined) found.push(k);
        }
        return found;
      }),
    );
    expect(servers).toHaveLength(2);
    for (const found of held) expect(found.length).toBeGreaterThan(0);
    expect([...(held[0] ?? []), ...(held[1] ?? [])].sort()).toEqual([...keys].sort());
  });
});
