import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import { expectRawAbsent, makeRecord, makeUpdate, newKey, openStore, seed, touchTo } from './support.js';

/** `update` and `touch` of a record that is not there report it and never re-create it. */
export function vanishedTests(options: StoreSuiteOptions): void {
  describe.concurrent('vanished record', () => {
    it('update of a never-created key returns false and creates nothing', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = newKey();
      expect(await store.update(key, makeUpdate({ data: { late: true } }))).toBe(false);
      expect(await store.load(key)).toBeNull();
      await expectRawAbsent(options, store, key, expect);
    });

    it('update of a destroyed record returns false and does not bring it back', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = await seed(store, expect);
      await store.destroy(key);
      expect(await store.update(key, makeUpdate({ data: { late: true } }))).toBe(false);
      expect(await store.load(key)).toBeNull();
      await expectRawAbsent(options, store, key, expect);
    });

    it('update carrying a delta of a destroyed record returns false and does not bring it back', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = await seed(store, expect, makeRecord({ data: { a: 1 } }));
      await store.destroy(key);
      const update = { ...makeUpdate({ data: { a: 1, b: 2 } }), delta: { set: { b: 2 }, unset: ['a'] } };
      expect(await store.update(key, update)).toBe(false);
      expect(await store.load(key)).toBeNull();
      await expectRawAbsent(options, store, key, expect);
    });

    it('touch of a never-created key returns false and creates nothing', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = newKey();
      expect(await store.touch(key, touchTo(Date.now() + 3_600_000))).toBe(false);
      expect(await store.load(key)).toBeNull();
      await expectRawAbsent(options, store, key, expect);
    });

    it('touch of a destroyed record returns false and does not bring it back', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = await seed(store, expect);
      await store.destroy(key);
      expect(await store.touch(key, touchTo(Date.now() + 3_600_000))).toBe(false);
      expect(await store.load(key)).toBeNull();
      await expectRawAbsent(options, store, key, expect);
    });

    it('update and touch of an expired record return false and do not revive it', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const updated = newKey();
      const touched = newKey();
      await store.create(updated, makeRecord({ data: { old: true }, ttlMs: -60_000 }));
      await store.create(touched, makeRecord({ data: { old: true }, ttlMs: -60_000 }));
      expect(await store.update(updated, makeUpdate({ data: { revived: true } }))).toBe(false);
      expect(await store.touch(touched, touchTo(Date.now() + 3_600_000))).toBe(false);
      expect(await store.load(updated)).toBeNull();
      expect(await store.load(touched)).toBeNull();
    });
  });
}
