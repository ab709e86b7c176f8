import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import { expectInstant, expectRawData, makeRecord, makeUpdate, openStore, seed, touchTo } from './support.js';

/** `touch` moves the expiry and `lastSeenAt` and nothing else: it never rewrites the data. */
export function touchTests(options: StoreSuiteOptions): void {
  describe.concurrent('touch', () => {
    it('moves expiresAt and meta.lastSeenAt, keeps data and the other meta', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord({
        data: { cart: [1, 2, 3], note: 'keep me' },
        owner: 'touch-owner',
        deadline: Date.now() + 86_400_000,
      });
      const key = await seed(store, expect, record);
      const expiresAt = record.expiresAt + 5_000_000;
      const lastSeenAt = record.meta.lastSeenAt + 30_000;
      expect(await store.touch(key, touchTo(expiresAt, lastSeenAt))).toBe(true);
      const loaded = await store.load(key);
      expect(loaded?.data).toEqual(record.data);
      if (!loaded) return;
      expectInstant(store, expect, loaded.expiresAt, expiresAt);
      expectInstant(store, expect, loaded.meta.lastSeenAt, lastSeenAt);
      expect(loaded.meta.createdAt).toBe(record.meta.createdAt);
      expect(loaded.meta.owner).toBe('touch-owner');
      expect(loaded.meta.deadline).toBe(record.meta.deadline);
    });

    it('can move the expiry earlier as well as later', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord({ ttlMs: 7_200_000 });
      const key = await seed(store, expect, record);
      const expiresAt = record.expiresAt - 3_600_000;
      expect(await store.touch(key, touchTo(expiresAt))).toBe(true);
      const loaded = await store.load(key);
      expect(loaded).not.toBeNull();
      if (loaded) expectInstant(store, expect, loaded.expiresAt, expiresAt);
    });

    it('leaves the stored data untouched (raw backdoor)', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord({ data: { z: 1, a: { y: [true, null, 'ü'] }, m: 'text' } });
      const key = await seed(store, expect, record);
      const before = await options.raw?.read(store, key);
      expect(await store.touch(key, touchTo(record.expiresAt + 600_000))).toBe(true);
      await expectRawData(options, store, key, record.data, expect);
      const after = await options.raw?.read(store, key);
      const bytes = options.raw?.dataBytes;
      if (bytes) expect(bytes(after)).toEqual(bytes(before));
    });

    it('a touch racing an update never loses the update', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const records = Array.from({ length: 8 }, (_, i) => makeRecord({ data: { v: 'old', i } }));
      const keys = await Promise.all(records.map((record) => seed(store, expect, record)));
      // The touch is sent first: an engine that reads the record and writes it back would revert the update.
      const results = await Promise.all(
        records.map((record, i) => {
          const key = keys[i] as string;
          return Promise.all([
            store.touch(key, touchTo(record.expiresAt + 60_000)),
            store.update(key, makeUpdate({ data: { v: 'new', i } })),
          ]);
        }),
      );
      expect(results.flat().every(Boolean)).toBe(true);
      for (const [i, key] of keys.entries()) {
        expect((await store.load(key))?.data).toEqual({ v: 'new', i });
        await expectRawData(options, store, key, { v: 'new', i }, expect);
      }
    });

    it('a touch after an update keeps the updated data', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord({ data: { step: 1 } });
      const key = await seed(store, expect, record);
      expect(await store.update(key, makeUpdate({ data: { step: 2 } }))).toBe(true);
      expect(await store.touch(key, touchTo(Date.now() + 3_600_000))).toBe(true);
      expect((await store.load(key))?.data).toEqual({ step: 2 });
    });
  });
}
