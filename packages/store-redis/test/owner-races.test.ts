import { generateSessionKey, type MetaChange, type SessionRecord } from '@sess/core/store';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisLike, type RedisStore } from '../src/index.js';
import { CREATE, DESTROY, INDEX_RAISE } from '../src/scripts.js';
import { WRITE } from '../src/write-script.js';
import { randomPrefix } from './support/clients.js';
import { TOPOLOGIES } from './support/topologies.js';

const MINUTE = 60_000;
const TWO_WEEKS = 1_209_600;

/** A gate a script call waits at: `arrived` resolves when the call reaches it, `open()` lets it through. */
function gate() {
  let open!: () => void;
  let arrive!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  return { opened, open, arrived, arrive };
}

/**
 * The real client with a hook on its scripts: `hold` makes the next index raise wait at a gate, `failWrite`
 * makes the next write script fail before it reaches Redis (a client that dies between the two steps).
 */
function hooked(client: Redis | Cluster) {
  const hooks: { hold?: ReturnType<typeof gate> | undefined; failWrite?: boolean; calls: string[] } = {
    calls: [],
  };
  const names = new Map([INDEX_RAISE, WRITE, CREATE, DESTROY].map((s) => [s.sha, s.name]));
  const before = async (sha: string) => {
    const held = hooks.hold;
    if (sha === INDEX_RAISE.sha && held) {
      hooks.hold = undefined;
      held.arrive();
      await held.opened;
    }
    if (sha === WRITE.sha && hooks.failWrite) {
      hooks.failWrite = false;
      throw new Error('connection lost');
    }
  };
  const lua = new Map([INDEX_RAISE, WRITE, CREATE, DESTROY].map((s) => [s.lua, s.sha]));
  const proxy: RedisLike = {
    evalsha: async (sha, numkeys, ...args) => {
      // Counted once: the first use of a script on a node adds an EVAL after NOSCRIPT, not counted here.
      hooks.calls.push(names.get(sha) ?? sha);
      await before(sha);
      return client.evalsha(sha, numkeys, ...args);
    },
    eval: async (script, numkeys, ...args) => {
      await before(lua.get(script) ?? '');
      return client.eval(script, numkeys, ...args);
    },
    hgetall: (key) => {
      hooks.calls.push('HGETALL');
      return client.hgetall(key);
    },
    hmget: (key, ...fields) => client.hmget(key, ...fields),
    zrange: (key, start, stop) => client.zrange(key, start, stop),
    zrem: (key, ...members) => client.zrem(key, ...members),
  };
  return { proxy, hooks };
}

describe.each(TOPOLOGIES)('concurrent writers and the owner index on $name', ({ name, connect }) => {
  let redis: Redis | Cluster;
  let store: RedisStore;
  let hooks: ReturnType<typeof hooked>['hooks'];

  beforeAll(() => {
    redis = connect();
    const client = hooked(redis);
    hooks = client.hooks;
    store = createRedisStore(client.proxy, { prefix: randomPrefix(`races-${name.replace(/\W+/g, '-')}`) });
  });

  afterAll(async () => {
    await redis.quit();
  });

  const change = (extra: Partial<MetaChange> = {}): MetaChange => ({
    now: Date.now(),
    defaultLifetime: TWO_WEEKS,
    ...extra,
  });
  const set = (data: Record<string, unknown>) => ({ set: data, unset: [] });

  async function stored(owner?: string, expiresIn = 30 * MINUTE): Promise<string> {
    const id = generateSessionKey();
    const now = Date.now();
    const record: SessionRecord = {
      data: { visits: 1 },
      expiresAt: now + expiresIn,
      meta: { createdAt: now, lastSeenAt: now, ...(owner === undefined ? {} : { owner }) },
    };
    expect(await store.create(id, record)).toBe(true);
    return id;
  }

  /** The rule of the index: a bound record is listed with a score at or past its Redis expiry. */
  async function expectListed(id: string, owner: string): Promise<void> {
    expect((await store.load(id))?.meta.owner).toBe(owner);
    expect((await store.owners?.list(owner))?.map((r) => r.id)).toContain(id);
    const score = Number(await redis.zscore(store.ownerKeyOf(owner), id));
    expect(score).toBeGreaterThanOrEqual(await redis.pexpiretime(store.keyOf(id)));
    expect(await redis.hget(store.keyOf(id), '_i')).toBe(String(score));
  }

  it('issue 15 §2: a stale writer after a binder keeps the owner, and destroyAll still ends the session', async () => {
    const id = await stored();
    // Both requests loaded the unowned record; A logs in and saves, then B saves its own change.
    expect(
      await store.update(id, { data: {}, delta: set({ user: 'alice' }), meta: change({ owner: 'alice' }) }),
    ).toBe(true);
    expect(await store.update(id, { data: {}, delta: set({ cart: [1] }), meta: change() })).toBe(true);
    expect(await store.touch(id, change())).toBe(true);
    expect((await store.load(id))?.data).toEqual({ visits: 1, user: 'alice', cart: [1] });
    await expectListed(id, 'alice');
    expect(await store.owners?.destroyAll('alice')).toBe(1);
    expect(await store.load(id)).toBeNull();
  });

  it('issue 15 §3: a stale writer after a setExpiry() write refreshes by the lifetime that write set', async () => {
    const id = await stored();
    const a = change({ expiry: { expiresAt: Date.now() + MINUTE, lifetime: 60 } });
    expect(await store.update(id, { data: {}, delta: set({ short: true }), meta: a })).toBe(true);
    const b = change();
    expect(await store.update(id, { data: {}, delta: set({ cart: [2] }), meta: b })).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(b.now + MINUTE);
    expect(await redis.pexpiretime(store.keyOf(id))).toBe(b.now + MINUTE);

    // setExpiry(date): a fixed instant that the stale writer's refresh leaves alone.
    const fixed = Date.now() + 5 * MINUTE;
    await store.touch(id, change({ expiry: { expiresAt: fixed, lifetime: 0 } }));
    await store.update(id, { data: {}, delta: set({ cart: [3] }), meta: change() });
    expect((await store.load(id))?.expiresAt).toBe(fixed);
    expect(await redis.pexpiretime(store.keyOf(id))).toBe(fixed);
  });

  it('a binding write raises the index before it binds the record', async () => {
    const id = await stored();
    const held = gate();
    hooks.hold = held;
    const binding = store.update(id, {
      data: {},
      delta: set({ user: 'gil' }),
      meta: change({ owner: 'gil' }),
    });
    await held.arrived;
    expect((await store.load(id))?.meta.owner).toBeUndefined();
    held.open();
    expect(await binding).toBe(true);
    await expectListed(id, 'gil');
  });

  it('a stale writer whose refresh outgrows the index raises the index first, then writes', async () => {
    // Owned, expiring in a minute: the index covers it for two (the expiry plus its remaining life).
    const id = await stored('hal', MINUTE);
    const covered = Number(await redis.zscore(store.ownerKeyOf('hal'), id));
    const held = gate();
    hooks.hold = held;
    const stale = store.update(id, { data: {}, delta: set({ cart: [4] }), meta: change() });
    await held.arrived;
    // Refused: nothing written yet, the record still expires within what the index covers.
    expect((await store.load(id))?.data).toEqual({ visits: 1 });
    expect(await redis.pexpiretime(store.keyOf(id))).toBeLessThanOrEqual(covered);
    held.open();
    expect(await stale).toBe(true);
    expect((await store.load(id))?.data).toEqual({ visits: 1, cart: [4] });
    expect(await redis.pexpiretime(store.keyOf(id))).toBeGreaterThan(covered);
    await expectListed(id, 'hal');
  });

  it('a record with its own longer lifetime, bound by a refresh, is raised again before it is written', async () => {
    const id = await stored();
    await store.touch(id, change({ expiry: { expiresAt: Date.now() + MINUTE, lifetime: 2 * TWO_WEEKS } }));
    expect(await store.touch(id, change({ owner: 'ida' }))).toBe(true);
    await expectListed(id, 'ida');
  });

  it('unbinding takes the record off the list, and a stale writer does not bring it back', async () => {
    const id = await stored('jan');
    await store.update(id, { data: {}, delta: set({ user: null }), meta: change({ owner: null }) });
    await store.update(id, { data: {}, delta: set({ cart: [5] }), meta: change() });
    expect((await store.load(id))?.meta.owner).toBeUndefined();
    expect(await redis.hexists(store.keyOf(id), '_i')).toBe(0);
    expect(await store.owners?.list('jan')).toEqual([]);
    expect(await store.owners?.destroyAll('jan')).toBe(0);
    expect(await store.load(id)).not.toBeNull();
  });

  it('a rebind lists the record under the new owner only, and destroyAll spares the one excepted', async () => {
    const [kept, moved] = [await stored('kai'), await stored('kai')];
    await store.touch(moved, change({ owner: 'lee' }));
    expect((await store.owners?.list('kai'))?.map((r) => r.id)).toEqual([kept]);
    await expectListed(moved, 'lee');
    expect(await store.owners?.destroyAll('kai', kept)).toBe(0);
    expect(await store.owners?.destroyAll('lee', kept)).toBe(1);
    expect(await store.load(kept)).not.toBeNull();
  });

  it('round trips: one per write of an owned session while its index covers it, the index first otherwise', async () => {
    const trips = async (operation: () => Promise<unknown>): Promise<string[]> => {
      hooks.calls = [];
      await operation();
      return hooks.calls;
    };
    const id = generateSessionKey();
    const now = Date.now();
    const owned = {
      data: { a: 1 },
      expiresAt: now + MINUTE,
      meta: { createdAt: now, lastSeenAt: now, owner: 'ned' },
    };
    expect(await trips(() => store.create(id, owned))).toEqual(['index-raise', 'create']);
    expect(await trips(() => store.load(id))).toEqual(['HGETALL']);
    const soon = { expiry: { expiresAt: Date.now() + MINUTE, lifetime: null } };
    expect(await trips(() => store.touch(id, change(soon)))).toEqual(['write']);
    expect(
      await trips(() => store.update(id, { data: {}, delta: set({ b: 2 }), meta: change(soon) })),
    ).toEqual(['write']);
    // A refresh by two weeks outgrows what the index covers (two minutes): refused, raised, written.
    expect(await trips(() => store.touch(id, change()))).toEqual(['write', 'index-raise', 'write']);
    expect(await trips(() => store.touch(id, change()))).toEqual(['write']);
    expect(await trips(() => store.touch(id, change({ owner: 'ola' })))).toEqual(['index-raise', 'write']);
    expect(await trips(() => store.destroy(id))).toEqual(['destroy']);
  });

  it('a client that dies between the index raise and the write leaves the index ahead, never behind', async () => {
    const id = await stored();
    hooks.failWrite = true;
    await expect(store.touch(id, change({ owner: 'max' }))).rejects.toThrow('connection lost');
    expect(await redis.zscore(store.ownerKeyOf('max'), id)).not.toBeNull();
    expect((await store.load(id))?.meta.owner).toBeUndefined();
    expect(await store.owners?.list('max')).toEqual([]);
    expect(await store.owners?.destroyAll('max')).toBe(0);
    expect(await store.load(id)).not.toBeNull();
  });
});
