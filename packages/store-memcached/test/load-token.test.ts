import { generateSessionKey as key } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createMemcachedStore, type MemcachedLike, type MemcachedStore } from '../src/index.js';
import { RecentItems } from '../src/recent-items.js';
import { change, randomPrefix, rawDataText, rawGet, recordFor, setting, testClients } from './support.js';

const { client, raw } = testClients();

/** The real client, counting the commands the store sends. */
function counted(): { client: MemcachedLike; sent: string[] } {
  const sent: string[] = [];
  const wrap: MemcachedLike = {
    gets: (k, cb) => {
      sent.push('gets');
      client.gets(k, cb);
    },
    add: (k, v, l, cb) => {
      sent.push('add');
      client.add(k, v, l, cb);
    },
    cas: (k, v, c, l, cb) => {
      sent.push('cas');
      client.cas(k, v, c, l, cb);
    },
  };
  return { client: wrap, sent };
}

describe('a write after a load uses the CAS token the load read', () => {
  it('load then delta update: one gets and one cas, nothing else', async () => {
    const { client: countingClient, sent } = counted();
    const store = createMemcachedStore(countingClient, { prefix: randomPrefix('token') });
    const k = key();
    const record = recordFor({ a: 1 }, 60_000);
    expect(await store.create(k, record)).toBe(true);
    sent.length = 0;
    expect((await store.load(k))?.data).toEqual({ a: 1 });
    expect(await store.update(k, { data: { a: 2 }, delta: setting({ a: 2 }), meta: change() })).toBe(true);
    expect(sent).toEqual(['gets', 'cas']);
    expect(JSON.parse(rawDataText(await rawGet(raw, store, k)))).toEqual({ a: 2 });
  });

  it('a write by another process between the load and the update: the cas fails, the delta lands on top', async () => {
    const prefix = randomPrefix('token');
    const { client: countingClient, sent } = counted();
    const mine = createMemcachedStore(countingClient, { prefix });
    const theirs = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ a: 1 }, 60_000);
    expect(await mine.create(k, record)).toBe(true);
    await mine.load(k);
    expect(await theirs.update(k, { data: { a: 1, b: 2 }, delta: setting({ b: 2 }), meta: change() })).toBe(
      true,
    );
    sent.length = 0;
    expect(await mine.update(k, { data: { a: 1, c: 3 }, delta: setting({ c: 3 }), meta: change() })).toBe(
      true,
    );
    expect(sent).toEqual(['cas', 'gets', 'cas']);
    expect(JSON.parse(rawDataText(await rawGet(raw, mine, k)))).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('a session destroyed after the load is not brought back by the update', async () => {
    const prefix = randomPrefix('token');
    const mine = createMemcachedStore(client, { prefix });
    const theirs = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ a: 1 }, 60_000);
    expect(await mine.create(k, record)).toBe(true);
    await mine.load(k);
    expect(await theirs.destroy(k)).toEqual(record.meta);
    expect(await mine.update(k, { data: { a: 2 }, delta: setting({ a: 2 }), meta: change() })).toBe(false);
    expect(await mine.load(k)).toBeNull();
    expect(await rawGet(raw, mine, k)).toBeUndefined();
  });

  // The round trips of each operation, with and without this request's load before it.
  const operations: [string, (store: MemcachedStore, k: string) => Promise<unknown>][] = [
    ['whole update', (store, k) => store.update(k, { data: { w: 1 }, meta: change() })],
    ['delta update', (store, k) => store.update(k, { data: {}, delta: setting({ d: 1 }), meta: change() })],
    ['touch', (store, k) => store.touch(k, change())],
    ['destroy', (store, k) => store.destroy(k)],
  ];
  it.each(operations)('%s: one cas after a load, gets + cas without one', async (label, run) => {
    const { client: countingClient, sent } = counted();
    const store = createMemcachedStore(countingClient, { prefix: randomPrefix('trips') });
    const k = key();
    expect(await store.create(k, recordFor({ a: 1 }, 60_000))).toBe(true);
    expect(sent).toEqual(['add']);
    sent.length = 0;
    await store.load(k);
    expect(await run(store, k)).toBeTruthy();
    expect(sent).toEqual(['gets', 'cas']);
    if (label === 'destroy') expect(await store.create(k, recordFor({ a: 1 }, 60_000))).toBe(true);
    sent.length = 0;
    expect(await run(store, k)).toBeTruthy();
    expect(sent).toEqual(['gets', 'cas']);
  });

  it('what the caller does with a loaded record never reaches the write that uses its token', async () => {
    const store = createMemcachedStore(client, { prefix: randomPrefix('token') });
    const k = key();
    expect(await store.create(k, recordFor({ a: 1 }, 60_000))).toBe(true);
    const loaded = await store.load(k);
    if (!loaded) throw new Error('not loaded');
    loaded.meta.owner = 'mallory';
    loaded.data.a = 'changed in memory';
    expect(await store.update(k, { data: {}, delta: setting({ b: 2 }), meta: change() })).toBe(true);
    const stored = JSON.parse((await rawGet(raw, store, k)) as string);
    expect(stored.data).toEqual({ a: 1, b: 2 });
    expect(stored.meta).not.toHaveProperty('owner');
  });
});

describe('RecentItems', () => {
  const item = (cas: string) => ({ envelope: null, cas });

  it('hands an item out once, and not past its age', () => {
    const recent = new RecentItems(10, 1000, 100);
    recent.remember('k', item('1'), 10, 0);
    expect(recent.take('k', 50)?.cas).toBe('1');
    expect(recent.take('k', 50)).toBeUndefined();
    recent.remember('k', item('2'), 10, 0);
    expect(recent.take('k', 101)).toBeUndefined();
    expect(recent.size).toBe(0);
  });

  it('keeps at most maxItems and maxBytes, dropping the oldest first', () => {
    const recent = new RecentItems(3, 100, 1000);
    for (const k of ['a', 'b', 'c', 'd']) recent.remember(k, item(k), 10, 0);
    expect(recent.size).toBe(3);
    expect(recent.take('a', 0)).toBeUndefined();
    recent.remember('big', item('big'), 90, 0);
    expect(recent.take('big', 0)?.cas).toBe('big');
    expect(recent.take('b', 0)).toBeUndefined();
    recent.remember('huge', item('huge'), 101, 0);
    expect(recent.take('huge', 0)).toBeUndefined();
  });
});
