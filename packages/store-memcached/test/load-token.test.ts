import { generateSessionKey as key } from '@sess/core';
import { memcachedServers } from '@sess/test-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemcachedStore, type MemcachedLike } from '../src/index.js';
import { RecentItems } from '../src/recent-items.js';
import { endAll, newClient, randomPrefix, rawDataText, rawGet, recordFor } from './support.js';

const servers = memcachedServers();
const client = newClient(servers);
const raw = newClient(servers);
afterAll(() => endAll(client, raw));

/** The real client, counting the commands the store sends. */
function counted(): { client: MemcachedLike; sent: string[] } {
  const sent: string[] = [];
  const wrap = {
    get: (k: string, cb: never) => {
      sent.push('get');
      client.get(k, cb);
    },
    gets: (k: string, cb: never) => {
      sent.push('gets');
      client.gets(k, cb);
    },
    add: (k: string, v: string, l: number, cb: never) => {
      sent.push('add');
      client.add(k, v, l, cb);
    },
    replace: (k: string, v: string, l: number, cb: never) => {
      sent.push('replace');
      client.replace(k, v, l, cb);
    },
    cas: (k: string, v: string, c: string, l: number, cb: never) => {
      sent.push('cas');
      client.cas(k, v, c, l, cb);
    },
    del: (k: string, cb: never) => {
      sent.push('del');
      client.del(k, cb);
    },
  } as unknown as MemcachedLike;
  return { client: wrap, sent };
}

const delta = (set: Record<string, unknown>) => ({ set, unset: [] });

describe('an update after a load uses the CAS token the load read', () => {
  it('load then delta update: one gets and one cas, nothing else', async () => {
    const { client: countingClient, sent } = counted();
    const store = createMemcachedStore(countingClient, { prefix: randomPrefix('token') });
    const k = key();
    const record = recordFor({ a: 1 }, 60_000);
    expect(await store.create(k, record)).toBe(true);
    sent.length = 0;
    expect((await store.load(k))?.data).toEqual({ a: 1 });
    const update = { data: { a: 2 }, delta: delta({ a: 2 }), expiresAt: record.expiresAt, meta: record.meta };
    expect(await store.update(k, update)).toBe(true);
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
    const base = { expiresAt: record.expiresAt, meta: record.meta };
    expect(await theirs.update(k, { ...base, data: { a: 1, b: 2 }, delta: delta({ b: 2 }) })).toBe(true);
    sent.length = 0;
    expect(await mine.update(k, { ...base, data: { a: 1, c: 3 }, delta: delta({ c: 3 }) })).toBe(true);
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
    await theirs.destroy(k);
    const base = { expiresAt: record.expiresAt, meta: record.meta };
    expect(await mine.update(k, { ...base, data: { a: 2 }, delta: delta({ a: 2 }) })).toBe(false);
    expect(await mine.load(k)).toBeNull();
    expect(await rawGet(raw, mine, k)).toBeUndefined();
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

  it('forgets a key on request', () => {
    const recent = new RecentItems();
    recent.remember('k', item('1'), 10, 0);
    recent.forget('k');
    expect(recent.take('k', 0)).toBeUndefined();
  });
});
