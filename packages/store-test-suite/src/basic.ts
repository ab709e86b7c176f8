import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import {
  afterUpdate,
  expectRawAbsent,
  expectRawData,
  expectRecord,
  makeRecord,
  makeUpdate,
  newKey,
  openStore,
  seed,
} from './support.js';

/**
 * Basic CRUD: load of an unknown key, the create → load round trip (data, expiry, every meta field),
 * a whole-record update, destroy (returning the meta it removed), and copies in and out.
 */
export function basicTests(options: StoreSuiteOptions): void {
  describe.concurrent('basic', () => {
    it('loads an unknown key as null', async (context) => {
      const store = await openStore(options, context);
      context.expect(await store.load(newKey())).toBeNull();
    });

    it('round-trips data, expiry and meta without owner or deadline', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord({ data: { visits: 3, user: { name: 'ada' } } });
      const key = await seed(store, expect, record);
      const loaded = await store.load(key);
      expectRecord(store, expect, loaded, record);
      expect(loaded?.meta.owner).toBeUndefined();
      expect(loaded?.meta.deadline).toBeUndefined();
      await expectRawData(options, store, key, record.data, expect);
    });

    it('round-trips meta.owner and meta.deadline', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const deadline = Date.now() + 86_400_000;
      const record = makeRecord({ owner: `user-${newKey()}`, deadline });
      const key = await seed(store, expect, record);
      const loaded = await store.load(key);
      expectRecord(store, expect, loaded, record);
      expect(loaded?.meta.owner).toBe(record.meta.owner);
      expect(loaded?.meta.deadline).toBe(deadline);
    });

    it('a whole update returns true and replaces data, expiry and meta (keeping createdAt)', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const original = makeRecord({ data: { a: 1, b: 2 }, owner: 'someone' });
      const key = await seed(store, expect, original);
      const next = makeUpdate({ data: { c: 3 }, ttlMs: 7_200_000, deadline: Date.now() + 9_000_000 });
      expect(await store.update(key, next)).toBe(true);
      const loaded = await store.load(key);
      expectRecord(store, expect, loaded, afterUpdate(original, next));
      expect(loaded?.data).not.toHaveProperty('a');
      expect(loaded?.meta.owner).toBeUndefined();
      await expectRawData(options, store, key, { c: 3 }, expect);
    });

    it('destroy returns the meta and removes the record from the store and from storage', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord();
      const key = await seed(store, expect, record);
      const other = await seed(store, expect);
      await expect(store.destroy(key)).resolves.toEqual(record.meta);
      expect(await store.load(key)).toBeNull();
      await expectRawAbsent(options, store, key, expect);
      expect(await store.load(other)).not.toBeNull();
    });

    it('destroy of an unknown key is a no-op that returns null', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = newKey();
      await expect(store.destroy(key)).resolves.toBeNull();
      await expect(store.destroy(key)).resolves.toBeNull();
      expect(await store.load(key)).toBeNull();
    });

    it('a key is reusable after destroy', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = await seed(store, expect, makeRecord({ data: { round: 1 } }));
      await store.destroy(key);
      const again = makeRecord({ data: { round: 2 } });
      expect(await store.create(key, again)).toBe(true);
      expectRecord(store, expect, await store.load(key), again);
    });

    it('copies data in and out: callers mutating their objects do not change what is stored', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord({ data: { list: [1, 2], nested: { x: 1 } } });
      const key = await seed(store, expect, record);
      (record.data.list as number[]).push(3);
      const first = await store.load(key);
      expect(first?.data).toEqual({ list: [1, 2], nested: { x: 1 } });
      (first?.data.nested as { x: number }).x = 99;
      if (first) first.meta.createdAt = 0;
      const second = await store.load(key);
      expect(second?.data).toEqual({ list: [1, 2], nested: { x: 1 } });
      expect(second?.meta.createdAt).not.toBe(0);
    });
  });
}
