import { generateSessionKey as key, type RecordMeta } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createMemcachedStore, type MemcachedStore } from '../src/index.js';
import {
  change,
  itemTtl,
  randomPrefix,
  rawGet,
  recordFor,
  setting,
  testClients,
  withRace,
} from './support.js';

// Contract v2 on memcached: each write applies its MetaChange to the record as a `gets` read it, and
// its `cas` lands only on that very item. Competing writes are placed deterministically: after the
// load whose token a write reuses, or between a write's `gets` and its `cas` (withRace).
const { servers, client, raw } = testClients();

const DAY_MS = 86_400_000;
const TWO_WEEKS_MS = 14 * DAY_MS;

/** The stored envelope of `id`, parsed. */
async function stored(store: MemcachedStore, id: string) {
  const value = await rawGet(raw, store, id);
  if (typeof value !== 'string') throw new Error(`nothing stored under ${id}`);
  return JSON.parse(value) as { expiresAt: number; meta: RecordMeta; data: Record<string, unknown> };
}

/** Two stores on the same keys: two app processes, each with its own remembered load tokens. */
function twoProcesses(): [MemcachedStore, MemcachedStore] {
  const prefix = randomPrefix('meta');
  return [createMemcachedStore(client, { prefix }), createMemcachedStore(client, { prefix })];
}

describe('issue 15 §3: a stale writer after setExpiry() keeps the short lifetime', () => {
  it('a delta update from a request that loaded before a 60 s setExpiry slides by 60 s, in the envelope and in memcached', async () => {
    const [stale, other] = twoProcesses();
    const id = key();
    expect(await stale.create(id, recordFor({ cart: 1 }, TWO_WEEKS_MS))).toBe(true);
    // The stale request loads (its process keeps the token) and holds the two-week view.
    expect((await stale.load(id))?.expiresAt).toBeGreaterThan(Date.now() + TWO_WEEKS_MS - 60_000);
    // Another request sets 60 s of idle lifetime.
    const setExpiry = change({ expiry: { expiresAt: Date.now() + 60_000, lifetime: 60 } });
    expect(await other.update(id, { data: {}, delta: setting({ short: true }), meta: setExpiry })).toBe(true);
    // The stale request saves afterwards: its cas fails on the old token and the retry refreshes from
    // the record as it is now (lifetime 60), not from its own two-week view.
    const late = change();
    expect(await stale.update(id, { data: {}, delta: setting({ cart: 2 }), meta: late })).toBe(true);
    const after = await stored(stale, id);
    expect(after.expiresAt).toBe(late.now + 60_000);
    expect(after.meta.lifetime).toBe(60);
    expect(after.data).toEqual({ cart: 2, short: true });
    const ttl = await itemTtl(servers, stale.keyOf(id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(61);
  });

  it('the same with the setExpiry() landing between the stale write’s gets and its cas, and for a touch', async () => {
    const [plain] = twoProcesses();
    const prefix = plain.keyOf('');
    const id = key();
    expect(await plain.create(id, recordFor({}, TWO_WEEKS_MS))).toBe(true);
    const setExpiry = async (attempt: number) => {
      if (attempt !== 1) return;
      const meta = change({ expiry: { expiresAt: Date.now() + 60_000, lifetime: 60 } });
      expect(await plain.touch(id, meta)).toBe(true);
    };
    const toucher = createMemcachedStore(withRace(client, setExpiry), { prefix });
    const late = change();
    expect(await toucher.touch(id, late)).toBe(true);
    expect((await stored(plain, id)).expiresAt).toBe(late.now + 60_000);
    const ttl = await itemTtl(servers, plain.keyOf(id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(61);
  });
});

describe('the MetaChange rules against the record as it is', () => {
  it('issue 15 §2: a stale writer without an owner keeps the owner another request bound; null unbinds', async () => {
    const [stale, other] = twoProcesses();
    const id = key();
    expect(await stale.create(id, recordFor({}, 60_000))).toBe(true);
    await stale.load(id);
    expect(await other.update(id, { data: { user: 'alice' }, meta: change({ owner: 'alice' }) })).toBe(true);
    expect(await stale.update(id, { data: {}, delta: setting({ seen: 1 }), meta: change() })).toBe(true);
    expect((await stored(stale, id)).meta.owner).toBe('alice');
    expect(await stale.touch(id, change({ owner: null }))).toBe(true);
    expect((await stored(stale, id)).meta).not.toHaveProperty('owner');
  });

  it('lastSeenAt is the write’s instant; a deadline is written once and caps every refresh', async () => {
    const [store] = twoProcesses();
    const id = key();
    expect(await store.create(id, recordFor({}, 60_000))).toBe(true);
    const deadline = Date.now() + 30_000;
    const first = change({ deadline });
    expect(await store.touch(id, first)).toBe(true);
    let now = await stored(store, id);
    expect(now.meta).toMatchObject({ lastSeenAt: first.now, deadline });
    expect(now.expiresAt).toBe(deadline);
    // A later request carrying another deadline does not move the stored one.
    const second = change({ deadline: deadline + 100_000 });
    expect(await store.update(id, { data: { x: 1 }, meta: second })).toBe(true);
    now = await stored(store, id);
    expect(now.meta).toMatchObject({ lastSeenAt: second.now, deadline });
    // A refresh that brings no deadline is capped by the stored one.
    const third = change();
    expect(await store.touch(id, third)).toBe(true);
    now = await stored(store, id);
    expect(now.meta).toMatchObject({ lastSeenAt: third.now, deadline });
    expect(now.expiresAt).toBe(deadline);
    expect(await itemTtl(servers, store.keyOf(id))).toBeLessThanOrEqual(31);
  });

  it('a fixed instant (lifetime 0) is kept by a refresh, in memcached too', async () => {
    const [store] = twoProcesses();
    const id = key();
    expect(await store.create(id, recordFor({}, TWO_WEEKS_MS))).toBe(true);
    const fixed = Date.now() + 20_000;
    expect(await store.touch(id, change({ expiry: { expiresAt: fixed, lifetime: 0 } }))).toBe(true);
    expect(await store.update(id, { data: {}, delta: setting({ a: 1 }), meta: change() })).toBe(true);
    expect(await store.touch(id, change())).toBe(true);
    const now = await stored(store, id);
    expect(now.expiresAt).toBe(fixed);
    expect(now.meta.lifetime).toBe(0);
    expect(await itemTtl(servers, store.keyOf(id))).toBeLessThanOrEqual(21);
    expect(await store.touch(id, change({ expiry: { expiresAt: fixed, lifetime: null } }))).toBe(true);
    expect((await stored(store, id)).meta).not.toHaveProperty('lifetime');
  });

  it('a refreshed lifetime over 30 days reaches memcached as an absolute time (not 1970)', async () => {
    const [store] = twoProcesses();
    const id = key();
    expect(await store.create(id, recordFor({}, 60_000))).toBe(true);
    expect(
      await store.touch(id, change({ expiry: { expiresAt: Date.now() + 60_000, lifetime: 40 * 86_400 } })),
    ).toBe(true);
    expect(await store.update(id, { data: {}, delta: setting({ a: 1 }), meta: change() })).toBe(true);
    expect((await stored(store, id)).expiresAt).toBeGreaterThan(Date.now() + 39 * DAY_MS);
    expect(await itemTtl(servers, store.keyOf(id))).toBeGreaterThan(39 * 86_400);
  });

  it('rotation links: a string sets, null clears, absent keeps; a touch writes them without the data', async () => {
    const [store] = twoProcesses();
    const id = key();
    const [previous, next] = [key(), key()];
    expect(await store.create(id, recordFor({ kept: 'bytes' }, 60_000))).toBe(true);
    const before = (await rawGet(raw, store, id)) as string;
    expect(await store.touch(id, change({ previous, next }))).toBe(true);
    expect((await stored(store, id)).meta).toMatchObject({ previous, next });
    const after = (await rawGet(raw, store, id)) as string;
    expect(after.slice(after.indexOf(',"data":'))).toBe(before.slice(before.indexOf(',"data":')));
    expect(await store.update(id, { data: {}, delta: setting({ b: 1 }), meta: change() })).toBe(true);
    expect((await stored(store, id)).meta).toMatchObject({ previous, next });
    expect(await store.touch(id, change({ previous: null }))).toBe(true);
    const cleared = (await stored(store, id)).meta;
    expect(cleared).not.toHaveProperty('previous');
    expect(cleared.next).toBe(next);
  });
});

describe('destroy returns the metadata as it was, read and removed atomically', () => {
  it('an update landing between its gets and its cas is reflected in the metadata returned', async () => {
    const [plain] = twoProcesses();
    const id = key();
    const record = recordFor({}, 60_000);
    expect(await plain.create(id, record)).toBe(true);
    const bind = change({ owner: 'alice', next: key() });
    let rounds = 0;
    const destroyer = createMemcachedStore(
      withRace(client, async () => {
        rounds++;
        if (rounds === 1) expect(await plain.update(id, { data: { u: 1 }, meta: bind })).toBe(true);
      }),
      { prefix: plain.keyOf('') },
    );
    const meta = await destroyer.destroy(id);
    expect(rounds).toBe(2);
    expect(meta).toEqual({ ...record.meta, lastSeenAt: bind.now, owner: 'alice', next: bind.next });
    expect(await rawGet(raw, plain, id)).toBeUndefined();
    expect(await plain.load(id)).toBeNull();
  });

  it('after a load, an update by another process before the destroy is reflected too', async () => {
    const [mine, theirs] = twoProcesses();
    const id = key();
    expect(await mine.create(id, recordFor({}, 60_000))).toBe(true);
    await mine.load(id);
    const bind = change({ owner: 'bob' });
    expect(await theirs.touch(id, bind)).toBe(true);
    expect(await mine.destroy(id)).toMatchObject({ owner: 'bob', lastSeenAt: bind.now });
    expect(await rawGet(raw, mine, id)).toBeUndefined();
  });

  it('an update that read the record before the destroy fails instead of landing after it', async () => {
    const [plain] = twoProcesses();
    const id = key();
    const record = recordFor({}, 60_000);
    expect(await plain.create(id, record)).toBe(true);
    const returned: (RecordMeta | null)[] = [];
    const writer = createMemcachedStore(
      withRace(client, async () => returned.push(await plain.destroy(id))),
      { prefix: plain.keyOf('') },
    );
    expect(await writer.touch(id, change({ owner: 'late' }))).toBe(false);
    expect(returned).toEqual([record.meta]);
    expect(await rawGet(raw, plain, id)).toBeUndefined();
  });

  it('null for no record, and for a record whose envelope expired (which is removed all the same)', async () => {
    const [store] = twoProcesses();
    expect(await store.destroy(key())).toBeNull();
    const id = key();
    expect(await store.create(id, recordFor({}, 60_000))).toBe(true);
    // The envelope's expiry passes first; memcached keeps the item a little longer.
    expect(await store.touch(id, change({ expiry: { expiresAt: Date.now() + 300, lifetime: 0 } }))).toBe(
      true,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await rawGet(raw, store, id)).toEqual(expect.any(String));
    expect(await store.destroy(id)).toBeNull();
    expect(await rawGet(raw, store, id)).toBeUndefined();
  });
});
