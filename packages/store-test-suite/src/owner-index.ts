import { CapabilityMissing } from '@sess/core';
import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import { ownerIndexOf } from './owner-index-of.js';
import { makeRecord, makeUpdate, newKey, openStore, seed, touchTo } from './support.js';

/**
 * The owner index when declared (list oldest first, destroy all but one, re-binding), or proof that it is
 * absent: `owners` undefined and `ownerIndexOf` throwing `CapabilityMissing`.
 */
export function ownerIndexTests(options: StoreSuiteOptions): void {
  describe.concurrent('owner index', () => {
    it('is declared exactly when `owners` is present', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (store.capabilities.ownerIndex) {
        expect(store.owners).toBeDefined();
        expect(ownerIndexOf(store)).toBe(store.owners);
      } else {
        expect(store.owners).toBeUndefined();
        expect(() => ownerIndexOf(store)).toThrow(CapabilityMissing);
        expect(() => ownerIndexOf(store)).toThrow(
          expect.objectContaining({ code: new CapabilityMissing(store.name, 'x').code }),
        );
      }
    });

    it('list(owner) returns the live records of that owner only, oldest first', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!store.capabilities.ownerIndex) {
        expect(() => ownerIndexOf(store)).toThrow(CapabilityMissing);
        return;
      }
      const owners = ownerIndexOf(store);
      const owner = `owner-${newKey()}`;
      const middle = makeRecord({ owner, createdOffsetMs: 2_000 });
      const newest = makeRecord({ owner, createdOffsetMs: 3_000 });
      const oldest = makeRecord({ owner, createdOffsetMs: 1_000 });
      const keys = {
        middle: await seed(store, expect, middle),
        newest: await seed(store, expect, newest),
        oldest: await seed(store, expect, oldest),
      };
      await seed(store, expect, makeRecord({ owner: `other-${newKey()}` }));
      await seed(store, expect, makeRecord());
      await store.create(newKey(), makeRecord({ owner, ttlMs: -60_000 }));
      const destroyed = await seed(store, expect, makeRecord({ owner, createdOffsetMs: 500 }));
      await store.destroy(destroyed);
      const listed = await owners.list(owner);
      expect(listed.map((r) => r.id)).toEqual([keys.oldest, keys.middle, keys.newest]);
      expect(listed[0]?.meta).toEqual(oldest.meta);
      expect(listed.every((r) => r.meta.owner === owner && r.expiresAt > Date.now())).toBe(true);
      expect(await owners.list(`nobody-${newKey()}`)).toEqual([]);
    });

    it('destroyAll(owner, exceptId) destroys all but one and returns the count', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!store.capabilities.ownerIndex) {
        expect(() => ownerIndexOf(store)).toThrow(CapabilityMissing);
        return;
      }
      const owners = ownerIndexOf(store);
      const owner = `owner-${newKey()}`;
      const bystander = `other-${newKey()}`;
      const keys = [];
      for (let i = 0; i < 4; i++)
        keys.push(await seed(store, expect, makeRecord({ owner, createdOffsetMs: i })));
      const spared = await seed(store, expect, makeRecord({ owner: bystander }));
      const current = keys[2] as string;
      expect(await owners.destroyAll(owner, current)).toBe(3);
      for (const key of keys)
        expect(await store.load(key), key).toEqual(key === current ? expect.anything() : null);
      expect((await owners.list(owner)).map((r) => r.id)).toEqual([current]);
      expect(await store.load(spared)).not.toBeNull();
      expect(await owners.destroyAll(owner)).toBe(1);
      expect(await store.load(current)).toBeNull();
      expect(await owners.destroyAll(owner)).toBe(0);
      expect(await owners.destroyAll(`nobody-${newKey()}`)).toBe(0);
    });

    it('an update to another owner (or none) moves the record between owners', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!store.capabilities.ownerIndex) {
        expect(() => ownerIndexOf(store)).toThrow(CapabilityMissing);
        return;
      }
      const owners = ownerIndexOf(store);
      const alice = `alice-${newKey()}`;
      const bob = `bob-${newKey()}`;
      const record = makeRecord({ owner: alice });
      const key = await seed(store, expect, record);
      expect(await store.update(key, makeUpdate({ owner: bob }))).toBe(true);
      expect(await owners.list(alice)).toEqual([]);
      expect((await owners.list(bob)).map((r) => r.id)).toEqual([key]);
      expect(await owners.destroyAll(alice)).toBe(0);
      expect(await store.update(key, makeUpdate({}))).toBe(true);
      expect(await owners.list(bob)).toEqual([]);
      expect(await owners.destroyAll(bob)).toBe(0);
      expect(await store.load(key)).not.toBeNull();
    });

    it('touch keeps the owner binding and list reports the new expiry', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!store.capabilities.ownerIndex) {
        expect(() => ownerIndexOf(store)).toThrow(CapabilityMissing);
        return;
      }
      const owner = `owner-${newKey()}`;
      const record = makeRecord({ owner });
      const key = await seed(store, expect, record);
      const expiresAt = record.expiresAt + 600_000;
      expect(await store.touch(key, touchTo(expiresAt))).toBe(true);
      const listed = await ownerIndexOf(store).list(owner);
      expect(listed.map((r) => r.id)).toEqual([key]);
      expect(Math.abs((listed[0]?.expiresAt ?? 0) - expiresAt)).toBeLessThan(1000);
    });
  });
}
