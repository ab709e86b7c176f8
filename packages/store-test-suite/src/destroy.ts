import type { MetaChange, SessionStore } from '@sess/core/store';
import { describe, type ExpectStatic, it } from 'vitest';
import { expectDataOnly, expectNoKeptMeta, keepsMetadata, metaChange } from './metadata-support.js';
import type { StoreSuiteOptions } from './options.js';
import { expectRawAbsent, makeRecord, newKey, openStore, seed } from './support.js';

/** The writes that race a destroy: an update (with a delta) and a touch, each carrying `change`. */
const writers = {
  update: (store: SessionStore, id: string, change: MetaChange) =>
    store.update(id, { data: { late: true }, delta: { set: { late: true }, unset: [] }, meta: change }),
  touch: (store: SessionStore, id: string, change: MetaChange) => store.touch(id, change),
} as const;

/**
 * `destroy` answers with the metadata the record had when it was removed (read and removed atomically),
 * or null when nothing was there: what lets a logout follow the rotation links it finds.
 */
export function destroyTests(options: StoreSuiteOptions): void {
  /** Asserts the record `id` is gone for good: not loadable, absent from storage and from the owner index. */
  async function expectGone(store: SessionStore, expect: ExpectStatic, id: string, owner?: string) {
    expect(await store.load(id), 'load after destroy').toBeNull();
    await expectRawAbsent(options, store, id, expect);
    if (owner !== undefined && store.owners) {
      expect((await store.owners.list(owner)).map((r) => r.id)).not.toContain(id);
    }
  }

  describe.concurrent('destroy returns the meta', () => {
    it('returns the meta as it was: owner, deadline, lifetime and both links', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, {});
      const owner = `owner-${newKey()}`;
      const record = makeRecord({ owner, deadline: Date.now() + 86_400_000 });
      record.meta.previous = newKey();
      const id = await seed(store, expect, record);
      const next = newKey();
      const grace = Date.now() + 30_000;
      expect(await store.touch(id, metaChange({ expiry: { expiresAt: grace, lifetime: 0 }, next }))).toBe(
        true,
      );
      const loaded = await store.load(id);
      const destroyed = await store.destroy(id);
      expect(destroyed).toEqual(loaded?.meta);
      expect(destroyed).toMatchObject({ owner, lifetime: 0, previous: record.meta.previous, next });
      expect(destroyed?.deadline).toBe(record.meta.deadline);
      await expectGone(store, expect, id, owner);
    });

    it('returns null for a record never created, already destroyed or expired', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      expect(await store.destroy(newKey())).toBeNull();
      const record = makeRecord();
      const id = await seed(store, expect, record);
      const destroyed = await store.destroy(id);
      expect(destroyed).not.toBeNull();
      if (keepsMetadata(store)) expect(destroyed).toEqual(record.meta);
      else expectNoKeptMeta(expect, destroyed ?? undefined, 'destroy');
      expect(await store.destroy(id)).toBeNull();
      const expired = newKey();
      await store.create(expired, makeRecord({ ttlMs: -60_000 }));
      expect(await store.destroy(expired)).toBeNull();
      await expectGone(store, expect, id);
    });

    it('an update before a destroy is in the meta it returns; one after it reports false and revives nothing', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const metadata = keepsMetadata(store);
      const next = newKey();
      const before = await seed(store, expect);
      const change = metadata ? metaChange({ next }) : metaChange();
      expect(await store.update(before, { data: { v: 2 }, meta: change })).toBe(true);
      const destroyed = await store.destroy(before);
      expect(destroyed).not.toBeNull();
      if (metadata) expect(destroyed?.next).toBe(next);
      else expectNoKeptMeta(expect, destroyed ?? undefined, 'destroy');
      await expectGone(store, expect, before);
      const after = await seed(store, expect);
      expect(await store.destroy(after)).not.toBeNull();
      expect(await store.update(after, { data: { v: 2 }, meta: change })).toBe(false);
      expect(await store.touch(after, change)).toBe(false);
      await expectGone(store, expect, after);
    });

    it('a destroy racing an update or a touch: the write reports true exactly when the returned meta carries its link', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const metadata = keepsMetadata(store);
      const owner = store.capabilities.ownerIndex ? `owner-${newKey()}` : undefined;
      const rounds = Array.from({ length: 32 }, (_, round) => round);
      await Promise.all(
        rounds.map(async (round) => {
          const id = await seed(store, expect, makeRecord(owner === undefined ? {} : { owner }));
          const next = newKey();
          // A data-only store cannot keep a link: it races the same write with nothing to store.
          const change = metadata ? metaChange({ next }) : metaChange();
          const write = () => (round % 2 === 0 ? writers.update : writers.touch)(store, id, change);
          const destroy = () => store.destroy(id);
          // Both orders of issue; the engine orders the two atomic operations as it will.
          const [written, destroyed] =
            round % 4 < 2
              ? await Promise.all([write(), destroy()])
              : await Promise.all([destroy(), write()]).then(([d, w]) => [w, d] as const);
          const label = `round ${round}`;
          // The record was live and only this destroy removes it, so it always finds it.
          expect(destroyed, label).not.toBeNull();
          // Ordered before the destroy, the write landed and the destroy read it; after it, it found nothing.
          if (metadata) expect(destroyed?.next === next, label).toBe(written);
          else expectNoKeptMeta(expect, destroyed ?? undefined, label);
          await expectGone(store, expect, id, owner);
        }),
      );
    });
  });
}
