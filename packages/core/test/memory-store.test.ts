import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore, SessionStoreError } from '../src/index.js';
import type { MetaChange, RecordMeta, SessionRecord } from '../src/store/index.js';
import { createTestClock } from '../src/testing.js';

const NOW = Date.UTC(2024, 0, 1);

function setup(options: { maxEntries?: number; sweepInterval?: number } = {}) {
  const clock = createTestClock(NOW);
  const store = createMemoryStore({ clock, ...options });
  /** A record living `seconds` from now. */
  const record = (
    data: Record<string, unknown> = {},
    seconds = 60,
    meta: Partial<RecordMeta> = {},
  ): SessionRecord => ({
    data,
    expiresAt: clock.now() + seconds * 1000,
    meta: { createdAt: clock.now(), lastSeenAt: clock.now(), ...meta },
  });
  return { clock, store, record };
}

const key = (name: string) => name.padEnd(32, '0');

/** A change that sets the expiry (and lifetime) explicitly, as a whole-record write does. */
const setting = (expiresAt: number, now = NOW, extra: Partial<MetaChange> = {}): MetaChange => ({
  now,
  defaultLifetime: 1_209_600,
  expiry: { expiresAt, lifetime: null },
  ...extra,
});

describe('MemoryStore basics', () => {
  it('declares its capabilities', () => {
    expect(createMemoryStore().capabilities).toEqual({
      delta: true,
      ownerIndex: true,
      nativeExpiry: false,
      expiryResolution: 'ms',
    });
  });

  it('create refuses a taken key, update and touch refuse a missing one, destroy of a missing one is fine', async () => {
    const { store, record } = setup();
    expect(await store.create(key('a'), record({ n: 1 }))).toBe(true);
    expect(await store.create(key('a'), record({ n: 2 }))).toBe(false);
    expect((await store.load(key('a')))?.data).toEqual({ n: 1 });
    const update = { data: { n: 3 }, meta: setting(NOW + 1000) };
    expect(await store.update(key('b'), update)).toBe(false);
    expect(await store.touch(key('b'), setting(NOW + 1000))).toBe(false);
    await expect(store.destroy(key('b'))).resolves.toBeNull();
    expect(store.peek(key('b'))).toBeNull();
  });

  it('copies data in and out', async () => {
    const { store, record } = setup();
    const input = record({ car: { wheels: 'steel' } });
    await store.create(key('a'), input);
    (input.data.car as { wheels: string }).wheels = 'alloy';
    const loaded = await store.load(key('a'));
    (loaded?.data.car as { wheels: string }).wheels = 'carbon';
    expect((await store.load(key('a')))?.data).toEqual({ car: { wheels: 'steel' } });
  });

  it('applies a delta per key and writes data whole without one', async () => {
    const { store, record } = setup();
    await store.create(key('a'), record({ a: 1, b: 1, c: 1 }));
    const meta = { createdAt: NOW, lastSeenAt: NOW + 5 };
    await store.update(key('a'), {
      data: { ignored: true },
      delta: { set: { b: 2, d: 4 }, unset: ['c'] },
      meta: setting(NOW + 9000, NOW + 5),
    });
    expect(store.peek(key('a'))).toEqual({ data: { a: 1, b: 2, d: 4 }, expiresAt: NOW + 9000, meta });
    await store.update(key('a'), { data: { only: true }, meta: setting(NOW + 9000, NOW + 5) });
    expect(store.peek(key('a'))?.data).toEqual({ only: true });
  });

  it('keeps data written whole as it was written, and a delta after it changes only its keys, in order', async () => {
    const { store, record } = setup();
    await store.create(key('a'), record({ z: 1, a: { deep: [1, 'x'] }, gone: undefined, m: 'three' }));
    // Values JSON drops are left out, as key by key; keys keep their order.
    expect(Object.keys((await store.load(key('a')))?.data ?? {})).toEqual(['z', 'a', 'm']);
    await store.update(key('a'), {
      data: {},
      delta: { set: { a: 2, n: null }, unset: ['z'] },
      meta: setting(NOW + 9000),
    });
    const data = store.peek(key('a'))?.data ?? {};
    expect(data).toEqual({ a: 2, m: 'three', n: null });
    expect(Object.keys(data)).toEqual(['a', 'm', 'n']);
    // A whole write, then a delta on it: the delta applies to the whole write's data.
    await store.update(key('a'), { data: { p: 1, q: [2] }, meta: setting(NOW + 9000) });
    await store.update(key('a'), {
      data: {},
      delta: { set: { q: [3] }, unset: ['p'] },
      meta: setting(NOW + 9000),
    });
    expect(store.peek(key('a'))?.data).toEqual({ q: [3] });
  });

  it('stores data with a toJSON method key by key: the method is neither called nor stored', async () => {
    const { store, record } = setup();
    const toJSON = vi.fn(() => ({ replaced: true }));
    await store.create(key('a'), record({ a: 1, toJSON }));
    await store.update(key('a'), { data: { b: 2, toJSON }, meta: setting(NOW + 9000) });
    expect(store.peek(key('a'))?.data).toEqual({ b: 2 });
    expect(toJSON).not.toHaveBeenCalled();
    // A key named toJSON holding data is data.
    await store.create(key('b'), record({ toJSON: 'text' }));
    expect(store.peek(key('b'))?.data).toEqual({ toJSON: 'text' });
  });

  it('a value JSON cannot hold fails as SessionStoreError and leaves the record as it was', async () => {
    const { store, record } = setup();
    await store.create(key('a'), record({ a: 1, c: 1 }));
    const before = store.peek(key('a'));
    const failed = await store
      .update(key('a'), {
        data: {},
        delta: { set: { a: 2, big: 10n }, unset: ['c'] },
        meta: setting(NOW + 9000, NOW + 5),
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(SessionStoreError);
    expect(failed).toMatchObject({ operation: 'update', cause: expect.any(TypeError) });
    expect((failed as Error).message).toContain('@sess/core MemoryStore');
    expect(store.peek(key('a'))).toEqual(before);
    // Nothing of the failed delta comes back with the next one.
    await store.update(key('a'), {
      data: {},
      delta: { set: { d: 4 }, unset: [] },
      meta: setting(NOW + 9000),
    });
    expect(store.peek(key('a'))?.data).toEqual({ a: 1, c: 1, d: 4 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.create(key('b'), record({ cyclic }))).rejects.toMatchObject({ operation: 'create' });
    expect(store.peek(key('b'))).toBeNull();
    // Written whole, too.
    const kept = store.peek(key('a'));
    await expect(
      store.update(key('a'), { data: { big: 1n }, meta: setting(NOW + 9000) }),
    ).rejects.toMatchObject({ operation: 'update', cause: expect.any(TypeError) });
    expect(store.peek(key('a'))).toEqual(kept);
  });

  it('touch moves the expiry and lastSeenAt only', async () => {
    const { store, record } = setup();
    await store.create(key('a'), record({ n: 1 }, 60, { owner: 'u1' }));
    expect(await store.touch(key('a'), setting(NOW + 120_000, NOW + 7))).toBe(true);
    expect(store.peek(key('a'))).toEqual({
      data: { n: 1 },
      expiresAt: NOW + 120_000,
      meta: { createdAt: NOW, lastSeenAt: NOW + 7, owner: 'u1' },
    });
  });

  it('an expired record is absent, can be created again, and cannot be updated or touched', async () => {
    const { store, record, clock } = setup();
    await store.create(key('a'), record({ n: 1 }, 10));
    clock.advance(10);
    expect(await store.load(key('a'))).toBeNull();
    await store.create(key('b'), record({ n: 1 }, 10));
    clock.advance(10);
    expect(await store.touch(key('b'), setting(NOW + 999_999))).toBe(false);
    expect(await store.create(key('b'), record({ n: 2 }))).toBe(true);
    expect((await store.load(key('b')))?.data).toEqual({ n: 2 });
  });
});

describe('MemoryStore peek', () => {
  it('reads past expiry without changing anything; load then removes the expired record', async () => {
    const { store, record, clock } = setup();
    await store.create(key('a'), record({ n: 1 }, 1));
    clock.advance(5);
    expect(store.peek(key('a'))?.data).toEqual({ n: 1 });
    expect(store.size).toBe(1);
    expect(await store.load(key('a'))).toBeNull();
    expect(store.peek(key('a'))).toBeNull();
    expect(store.size).toBe(0);
  });
});

describe('MemoryStore bounds', () => {
  it('past maxEntries, an expired record goes first', async () => {
    const { store, record, clock } = setup({ maxEntries: 3 });
    await store.create(key('a'), record({}, 600));
    await store.create(key('b'), record({}, 5));
    await store.create(key('c'), record({}, 600));
    clock.advance(5);
    await store.create(key('d'), record({}, 600));
    expect(store.size).toBe(3);
    expect(store.peek(key('b'))).toBeNull();
    for (const name of ['a', 'c', 'd']) expect(store.peek(key(name))).not.toBeNull();
  });

  it('past maxEntries, a record whose expiry an update shortened still goes first', async () => {
    const { store, record, clock } = setup({ maxEntries: 3 });
    await store.create(key('a'), record({}, 600));
    await store.create(key('b'), record({}, 600));
    await store.create(key('c'), record({}, 600));
    await store.update(key('c'), { data: {}, meta: setting(clock.now() + 5_000, clock.now()) });
    clock.advance(5);
    await store.create(key('d'), record({}, 600));
    expect(store.peek(key('c'))).toBeNull();
    for (const name of ['a', 'b', 'd']) expect(store.peek(key(name))).not.toBeNull();
  });

  it('then the least recently used; a load protects a key', async () => {
    const { store, record } = setup({ maxEntries: 3 });
    await store.create(key('a'), record());
    await store.create(key('b'), record());
    await store.create(key('c'), record());
    await store.load(key('a'));
    await store.create(key('d'), record());
    expect(store.peek(key('b'))).toBeNull();
    expect(store.size).toBe(3);
    await store.update(key('c'), { data: {}, meta: setting(NOW + 60_000) });
    await store.create(key('e'), record());
    expect(store.peek(key('a'))).toBeNull();
    for (const name of ['c', 'd', 'e']) expect(store.peek(key(name))).not.toBeNull();
  });

  it('keeps evicting the least recently used through a long flood of creates, loads and removals', async () => {
    const { store, record } = setup({ maxEntries: 50 });
    // The reference: an array in recency order, oldest first.
    let expected: string[] = [];
    const use = (id: string) => {
      expected = [...expected.filter((other) => other !== id), id];
    };
    for (let i = 0; i < 3_000; i++) {
      const id = key(`k${i}`);
      await store.create(id, record({ i }));
      use(id);
      if (expected.length > 50) expected.shift();
      // Every few creates, use an older key (it moves to the end) or destroy one (a hole in the map).
      const older = expected[(i * 7) % expected.length] as string;
      if (i % 3 === 0) {
        await store.load(older);
        use(older);
        // A request's own update right after its load, as the manager does it.
        if (i % 2 === 0) {
          const delta = { set: { seen: i }, unset: [] };
          await store.update(older, { data: {}, delta, meta: setting(NOW + 60_000) });
        }
      } else if (i % 11 === 0) {
        await store.destroy(older);
        expected = expected.filter((other) => other !== older);
      } else if (i % 5 === 0) {
        await store.touch(older, setting(NOW + 60_000));
        use(older);
      } else if (i % 13 === 0 && older !== id) {
        // The newest goes, then an older key is loaded twice.
        await store.destroy(id);
        expected = expected.filter((other) => other !== id);
        await store.load(older);
        await store.load(older);
        use(older);
      }
    }
    expect(store.size).toBe(expected.length);
    for (const id of expected) expect(store.peek(id)).not.toBeNull();
    // Filled up, each create then evicts exactly the oldest, in order.
    while (store.size < 50) {
      const id = key(`fill${store.size}x`);
      await store.create(id, record());
      use(id);
    }
    for (const [n, oldest] of [...expected].entries()) {
      expect(await store.create(key(`last${n}x`), record())).toBe(true);
      expect(store.peek(oldest)).toBeNull();
      expect(store.size).toBe(50);
    }
  });

  it('peek does not count as a use', async () => {
    const { store, record } = setup({ maxEntries: 2 });
    await store.create(key('a'), record());
    await store.create(key('b'), record());
    store.peek(key('a'));
    await store.create(key('c'), record());
    expect(store.peek(key('a'))).toBeNull();
  });
});

describe('MemoryStore sweeping', () => {
  it('clearExpired removes every expired record and returns how many', async () => {
    const { store, record, clock } = setup();
    await store.create(key('a'), record({}, 5));
    await store.create(key('b'), record({}, 5));
    await store.create(key('c'), record({}, 50));
    clock.advance(5);
    expect(await store.clearExpired()).toBe(2);
    expect(store.size).toBe(1);
    expect(await store.clearExpired()).toBe(0);
  });

  it('a write sweeps expired records once sweepInterval has passed, not before', async () => {
    const { store, record, clock } = setup({ sweepInterval: 60 });
    await store.create(key('a'), record({}, 5));
    clock.advance(30);
    await store.create(key('b'), record({}, 600));
    expect(store.size).toBe(2);
    clock.advance(30);
    await store.create(key('c'), record({}, 600));
    expect(store.size).toBe(2);
    expect(store.peek(key('a'))).toBeNull();
  });
});

describe('MemoryStore owner index', () => {
  it('lists the live sessions of an owner, oldest first, and destroys all but one', async () => {
    const { store, record, clock } = setup();
    await store.create(key('b'), record({}, 60, { owner: 'u1', createdAt: NOW + 2 }));
    await store.create(key('a'), record({}, 60, { owner: 'u1', createdAt: NOW + 1 }));
    await store.create(key('x'), record({}, 1, { owner: 'u1' }));
    await store.create(key('c'), record({}, 60, { owner: 'u2' }));
    clock.advance(1);
    expect((await store.owners.list('u1')).map((r) => r.id)).toEqual([key('a'), key('b')]);
    expect(await store.owners.destroyAll('u1', key('a'))).toBe(1);
    expect((await store.owners.list('u1')).map((r) => r.id)).toEqual([key('a')]);
    expect((await store.owners.list('u2')).map((r) => r.id)).toEqual([key('c')]);
    expect(await store.owners.list('nobody')).toEqual([]);
  });

  it('follows an owner change on update', async () => {
    const { store, record } = setup();
    await store.create(key('a'), record({}, 60, { owner: 'u1' }));
    await store.update(key('a'), { data: {}, meta: setting(NOW + 60_000, NOW, { owner: 'u2' }) });
    expect(await store.owners.list('u1')).toEqual([]);
    expect((await store.owners.list('u2')).map((r) => r.id)).toEqual([key('a')]);
  });
});

describe('MemoryStore lifetime', () => {
  it('adds no active handle and schedules no timer, so it never keeps the process alive', async () => {
    const before = process.getActiveResourcesInfo();
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const intervals = vi.spyOn(globalThis, 'setInterval');
    try {
      const { store, record, clock } = setup({ sweepInterval: 0 });
      for (let i = 0; i < 50; i++) await store.create(key(`k${i}`), record({ i }, 1));
      clock.advance(2);
      await store.create(key('last'), record());
      await store.load(key('last'));
      await store.clearExpired();
      expect(timeouts).not.toHaveBeenCalled();
      expect(intervals).not.toHaveBeenCalled();
      expect(process.getActiveResourcesInfo()).toEqual(before);
    } finally {
      timeouts.mockRestore();
      intervals.mockRestore();
    }
  });

  it('close() drops every record', async () => {
    const { store, record } = setup();
    await store.create(key('a'), record({}, 60, { owner: 'u1' }));
    expect(store.close).toBeTypeOf('function');
    await store.close?.();
    expect(store.size).toBe(0);
    expect(await store.load(key('a'))).toBeNull();
    expect(await store.owners.list('u1')).toEqual([]);
  });
});
