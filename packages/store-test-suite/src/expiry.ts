import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import {
  EXPIRY_TEST_TIMEOUT_MS,
  makeRecord,
  makeUpdate,
  newKey,
  openStore,
  rawPresent,
  seed,
  shortTtlMs,
  touchTo,
  waitPastExpiry,
} from './support.js';

/**
 * Expiry as one absolute instant: past records are nothing, short-lived records die on time (real
 * time, whole seconds for `expiryResolution: 's'` engines), and `clearExpired()` spares live records.
 */
export function expiryTests(options: StoreSuiteOptions): void {
  describe.concurrent('expiry', () => {
    it('a record created with an expiry in the past is not loaded', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = newKey();
      await store.create(key, makeRecord({ ttlMs: -5_000 }));
      expect(await store.load(key)).toBeNull();
    });

    it('an update moving the expiry into the past expires the record', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = await seed(store, expect);
      await store.update(key, makeUpdate({ ttlMs: -5_000 }));
      expect(await store.load(key)).toBeNull();
    });

    it('a touch moving the expiry into the past expires the record', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = await seed(store, expect);
      await store.touch(key, touchTo(Date.now() - 5_000));
      expect(await store.load(key)).toBeNull();
    });

    it(
      'a short-lived record is loadable before its expiry and gone after it',
      async (context) => {
        const { expect } = context;
        const store = await openStore(options, context);
        const record = makeRecord({ data: { short: true }, ttlMs: shortTtlMs(store) });
        const key = await seed(store, expect, record);
        expect((await store.load(key))?.data).toEqual({ short: true });
        await waitPastExpiry(store, record.expiresAt);
        expect(await store.load(key)).toBeNull();
      },
      EXPIRY_TEST_TIMEOUT_MS,
    );

    it(
      'a touch extends a short-lived record past its first expiry',
      async (context) => {
        const { expect } = context;
        const store = await openStore(options, context);
        const record = makeRecord({ data: { touched: true }, ttlMs: shortTtlMs(store) });
        const key = await seed(store, expect, record);
        expect(await store.touch(key, touchTo(Date.now() + 3_600_000))).toBe(true);
        await waitPastExpiry(store, record.expiresAt);
        expect((await store.load(key))?.data).toEqual({ touched: true });
      },
      EXPIRY_TEST_TIMEOUT_MS,
    );

    it(
      'an update of a short-lived record replaces its expiry',
      async (context) => {
        const { expect } = context;
        const store = await openStore(options, context);
        const record = makeRecord({ data: { v: 1 }, ttlMs: shortTtlMs(store) });
        const key = await seed(store, expect, record);
        expect(await store.update(key, makeUpdate({ data: { v: 2 } }))).toBe(true);
        await waitPastExpiry(store, record.expiresAt);
        expect((await store.load(key))?.data).toEqual({ v: 2 });
      },
      EXPIRY_TEST_TIMEOUT_MS,
    );

    it('clearExpired() returns a count and leaves live records alone', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const live = await seed(store, expect, makeRecord({ data: { live: true } }));
      const cleared = await store.clearExpired();
      expect(Number.isInteger(cleared)).toBe(true);
      expect(cleared).toBeGreaterThanOrEqual(0);
      expect((await store.load(live))?.data).toEqual({ live: true });
      expect(await rawPresent(options, store, live)).not.toBe(false);
    });

    it('clearExpired() removes expired records from storage', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const expired = [newKey(), newKey(), newKey()];
      for (const key of expired) await store.create(key, makeRecord({ ttlMs: -60_000 }));
      const live = await seed(store, expect);
      const stored = (await Promise.all(expired.map((key) => rawPresent(options, store, key)))).filter(
        Boolean,
      );
      const cleared = await store.clearExpired();
      // The contract: an engine that expires records itself has nothing to clear and says 0.
      if (store.capabilities.nativeExpiry) expect(cleared).toBe(0);
      else expect(cleared).toBeGreaterThanOrEqual(stored.length);
      for (const key of expired) {
        expect(await store.load(key)).toBeNull();
        expect(await rawPresent(options, store, key)).not.toBe(true);
      }
      expect(await store.load(live)).not.toBeNull();
    });
  });
}
