import type { SessionStore } from '@sess/core/store';
import { describe, type ExpectStatic, it } from 'vitest';
import { expectDataOnly, keepsMetadata, metaChange, staleWriter } from './metadata-support.js';
import type { StoreSuiteOptions } from './options.js';
import { DEFAULT_LIFETIME, expectInstant, makeRecord, openStore, seed } from './support.js';

/** Asserts the stored expiry of `id`: `expiresAt` within the engine's resolution, and the lifetime. */
async function expectExpiry(
  store: SessionStore,
  expect: ExpectStatic,
  id: string,
  expiresAt: number,
  lifetime: number | undefined,
): Promise<void> {
  const loaded = await store.load(id);
  expect(loaded, 'the record is still there').not.toBeNull();
  if (!loaded) return;
  expect(loaded.meta.lifetime, 'stored lifetime').toBe(lifetime);
  expectInstant(store, expect, loaded.expiresAt, expiresAt);
}

/** A change that sets the expiry itself (`setExpiry()`), at `now`. */
function setExpiry(now: number, expiresAt: number, lifetime: number | null) {
  return metaChange({ expiry: { expiresAt, lifetime } }, now);
}

/**
 * The expiry as a delta: a write without `expiry` refreshes it from the record AS STORED (its own
 * lifetime, else the writer's default; a fixed instant stays; capped at the deadline), so a stale writer
 * never undoes another request's `setExpiry()`.
 */
export function expiryRaceTests(options: StoreSuiteOptions): void {
  describe.concurrent('metadata: expiry and lifetime', () => {
    it('a stale writer saving after setExpiry(60) slides by 60 s, not by its default lifetime', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const nowA = Date.now();
      if (!keepsMetadata(store)) {
        return expectDataOnly(store, expect, { expiry: { expiresAt: nowA + 60_000, lifetime: 60 } });
      }
      const id = await seed(store, expect, makeRecord({ data: { n: 1 } }));
      const stale = await staleWriter(store, expect, id, 'cart');
      const touching = await staleWriter(store, expect, id, 'unused');
      expect(stale.view.meta.lifetime).toBeUndefined();
      // The gate: the request that set the expiry saves, then the stale writers, each at a later instant.
      const data = { data: { n: 1, short: true }, delta: { set: { short: true }, unset: [] } };
      expect(await store.update(id, { ...data, meta: setExpiry(nowA, nowA + 60_000, 60) })).toBe(true);
      await expectExpiry(store, expect, id, nowA + 60_000, 60);
      const nowB = nowA + 10_000;
      expect(await stale.update(nowB)).toBe(true);
      await expectExpiry(store, expect, id, nowB + 60_000, 60);
      expect((await store.load(id))?.meta.lastSeenAt).toBe(nowB);
      const nowC = nowA + 20_000;
      expect(await touching.touch(nowC)).toBe(true);
      await expectExpiry(store, expect, id, nowC + 60_000, 60);
    });

    it('a fixed instant (lifetime 0) keeps its expiresAt when a later write refreshes', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const now = Date.now();
      const fixed = now + 1_800_000;
      if (!keepsMetadata(store)) {
        return expectDataOnly(store, expect, { expiry: { expiresAt: fixed, lifetime: 0 } });
      }
      const id = await seed(store, expect, makeRecord());
      const stale = await staleWriter(store, expect, id, 'cart');
      expect(await store.touch(id, setExpiry(now, fixed, 0))).toBe(true);
      await expectExpiry(store, expect, id, fixed, 0);
      expect(await stale.update(now + 5_000)).toBe(true);
      await expectExpiry(store, expect, id, fixed, 0);
      expect(await stale.touch(now + 9_000)).toBe(true);
      await expectExpiry(store, expect, id, fixed, 0);
    });

    it('a refresh of a record without a lifetime slides by the writer’s defaultLifetime', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { defaultLifetime: 3_600 });
      const id = await seed(store, expect, makeRecord({ ttlMs: 600_000 }));
      const now = Date.now();
      const update = { data: { n: 2 }, meta: metaChange({ defaultLifetime: 3_600 }, now) };
      expect(await store.update(id, update)).toBe(true);
      await expectExpiry(store, expect, id, now + 3_600_000, undefined);
      expect(await store.touch(id, metaChange({ defaultLifetime: 7_200 }, now + 1_000))).toBe(true);
      await expectExpiry(store, expect, id, now + 1_000 + 7_200_000, undefined);
    });

    it('a refresh is capped at the stored deadline, or at the deadline the write brings', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const now = Date.now();
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { deadline: now + 86_400_000 });
      const deadline = now + 600_000;
      const capped = await seed(store, expect, makeRecord({ deadline, ttlMs: 300_000 }));
      expect(await store.touch(capped, metaChange({}, now))).toBe(true);
      await expectExpiry(store, expect, capped, deadline, undefined);
      // A lifetime of its own is capped too (the expiry it sets itself is written as given).
      expect(await store.touch(capped, setExpiry(now, now + 60_000, 3_600))).toBe(true);
      expect(await store.update(capped, { data: { n: 2 }, meta: metaChange({}, now + 1_000) })).toBe(true);
      await expectExpiry(store, expect, capped, deadline, 3_600);
      const open = await seed(store, expect, makeRecord({ ttlMs: 300_000 }));
      const brought = now + 900_000;
      expect(await store.touch(open, metaChange({ deadline: brought }, now))).toBe(true);
      await expectExpiry(store, expect, open, brought, undefined);
      expect((await store.load(open))?.meta.deadline).toBe(brought);
    });

    it('expiry with lifetime: null removes the stored lifetime, and refreshes go back to the default', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const now = Date.now();
      if (!keepsMetadata(store)) {
        return expectDataOnly(store, expect, { expiry: { expiresAt: now + 60_000, lifetime: null } });
      }
      const id = await seed(store, expect, makeRecord());
      const stale = await staleWriter(store, expect, id, 'cart');
      expect(await store.touch(id, setExpiry(now, now + 60_000, 60))).toBe(true);
      expect(await store.touch(id, setExpiry(now + 1_000, now + 120_000, null))).toBe(true);
      await expectExpiry(store, expect, id, now + 120_000, undefined);
      expect(await stale.update(now + 2_000)).toBe(true);
      await expectExpiry(store, expect, id, now + 2_000 + DEFAULT_LIFETIME * 1000, undefined);
    });

    it('parallel stale writers and one setExpiry(60): every interleaving ends with the 60 s lifetime', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const start = Date.now();
      if (!keepsMetadata(store)) {
        return expectDataOnly(store, expect, { expiry: { expiresAt: start + 60_000, lifetime: 60 } });
      }
      const slack = store.capabilities.expiryResolution === 's' ? 1_000 : 0;
      const rounds = Array.from({ length: 8 }, (_, round) => round);
      await Promise.all(
        rounds.map(async (round) => {
          const id = await seed(store, expect, makeRecord({ data: { n: 1 } }));
          const writers = await Promise.all(
            Array.from({ length: 4 }, (_, i) => staleWriter(store, expect, id, `w${i}`)),
          );
          const calls = writers.map((w, i) => () => ((i + round) % 3 === 0 ? w.touch() : w.update()));
          calls.splice(round % (calls.length + 1), 0, () => {
            const now = Date.now();
            return store.update(id, { data: { n: 1 }, meta: setExpiry(now, now + 60_000, 60) });
          });
          expect(await Promise.all(calls.map((call) => call()))).toEqual(calls.map(() => true));
          const end = Date.now();
          const loaded = await store.load(id);
          expect(loaded?.meta.lifetime, `round ${round}: lifetime`).toBe(60);
          // Whoever wrote last, the expiry is its instant plus 60 s: never the default two weeks.
          expect(loaded?.expiresAt, `round ${round}: expiresAt`).toBeGreaterThanOrEqual(
            start + 60_000 - slack,
          );
          expect(loaded?.expiresAt, `round ${round}: expiresAt`).toBeLessThanOrEqual(end + 60_000 + slack);
        }),
      );
    });
  });
}
