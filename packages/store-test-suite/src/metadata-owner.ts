import type { SessionStore } from '@sess/core/store';
import { describe, type ExpectStatic, it } from 'vitest';
import { expectDataOnly, keepsMetadata, metaChange, staleWriter } from './metadata-support.js';
import type { StoreSuiteOptions } from './options.js';
import { makeRecord, newKey, openStore, seed } from './support.js';

/** Asserts the stored owner of `id` is `owner` (undefined: none), and the owner index agrees when there is one. */
async function expectOwner(
  store: SessionStore,
  expect: ExpectStatic,
  id: string,
  owner: string | undefined,
  others: readonly string[] = [],
): Promise<void> {
  const loaded = await store.load(id);
  expect(loaded, 'the record is still there').not.toBeNull();
  expect(loaded?.meta.owner, 'stored owner').toBe(owner);
  if (!store.capabilities.ownerIndex || !store.owners) return;
  if (owner !== undefined) {
    expect(
      (await store.owners.list(owner)).map((r) => r.id),
      `index of ${owner}`,
    ).toContain(id);
  }
  for (const other of others) {
    expect(
      (await store.owners.list(other)).map((r) => r.id),
      `index of ${other}`,
    ).not.toContain(id);
  }
}

/** An update that binds (a string) or unbinds (`null`) the owner and changes one data key. */
function ownerUpdate(owner: string | null) {
  return {
    data: { n: 1, user: owner },
    delta: { set: { user: owner }, unset: [] },
    meta: metaChange({ owner }),
  };
}

/**
 * `owner` as a delta: a writer holding a stale view of the record (loaded before another request bound,
 * re-bound or unbound the owner) never undoes that change, through `update` or `touch`, in order or in
 * parallel; the owner index follows the stored owner.
 */
export function ownerRaceTests(options: StoreSuiteOptions): void {
  describe.concurrent('metadata: owner', () => {
    it('a stale writer saving after a bind keeps the owner and the index entry', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { owner: 'alice' });
      const alice = `alice-${newKey()}`;
      const id = await seed(store, expect, makeRecord({ data: { n: 1 } }));
      const stale = await staleWriter(store, expect, id, 'cart');
      const touching = await staleWriter(store, expect, id, 'unused');
      expect(stale.view.meta.owner).toBeUndefined();
      // The gate: the binder's save completes, then the stale writers save.
      expect(await store.update(id, ownerUpdate(alice))).toBe(true);
      expect(await stale.update()).toBe(true);
      await expectOwner(store, expect, id, alice);
      expect(await touching.touch()).toBe(true);
      await expectOwner(store, expect, id, alice);
    });

    it('a stale writer saving after a re-bind keeps the new owner; the index moves', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { owner: 'bob' });
      const alice = `alice-${newKey()}`;
      const bob = `bob-${newKey()}`;
      const id = await seed(store, expect, makeRecord({ owner: alice }));
      const stale = await staleWriter(store, expect, id, 'cart');
      expect(stale.view.meta.owner).toBe(alice);
      expect(await store.update(id, ownerUpdate(bob))).toBe(true);
      expect(await stale.update()).toBe(true);
      await expectOwner(store, expect, id, bob, [alice]);
    });

    it('an explicit owner: null unbinds, and a stale writer that saw the owner does not bring it back', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { owner: null });
      const alice = `alice-${newKey()}`;
      const id = await seed(store, expect, makeRecord({ owner: alice }));
      const stale = await staleWriter(store, expect, id, 'cart');
      const touching = await staleWriter(store, expect, id, 'unused');
      expect(stale.view.meta.owner).toBe(alice);
      expect(await store.update(id, ownerUpdate(null))).toBe(true);
      await expectOwner(store, expect, id, undefined, [alice]);
      expect(await stale.update()).toBe(true);
      expect(await touching.touch()).toBe(true);
      await expectOwner(store, expect, id, undefined, [alice]);
      if (store.owners) expect(await store.owners.destroyAll(alice)).toBe(0);
    });

    it('a touch binds and unbinds the owner it carries', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { owner: null });
      const alice = `alice-${newKey()}`;
      const id = await seed(store, expect, makeRecord());
      expect(await store.touch(id, metaChange({ owner: alice }))).toBe(true);
      await expectOwner(store, expect, id, alice);
      expect(await store.touch(id, metaChange({}))).toBe(true);
      await expectOwner(store, expect, id, alice);
      expect(await store.touch(id, metaChange({ owner: null }))).toBe(true);
      await expectOwner(store, expect, id, undefined, [alice]);
    });

    it('parallel stale writers and one binder: the binding survives every interleaving', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { owner: 'alice' });
      const rounds = Array.from({ length: 8 }, (_, round) => round);
      await Promise.all(
        rounds.map(async (round) => {
          const alice = `alice-${newKey()}`;
          const id = await seed(store, expect, makeRecord({ data: { n: 1 } }));
          const writers = await Promise.all(
            Array.from({ length: 4 }, (_, i) => staleWriter(store, expect, id, `w${i}`)),
          );
          // Vary where the binder is issued among the stale writers, and mix updates and touches.
          const calls = writers.map((w, i) => () => ((i + round) % 3 === 0 ? w.touch() : w.update()));
          calls.splice(round % (calls.length + 1), 0, () => store.update(id, ownerUpdate(alice)));
          expect(await Promise.all(calls.map((call) => call()))).toEqual(calls.map(() => true));
          await expectOwner(store, expect, id, alice);
        }),
      );
    });
  });
}
