import type { RecordMeta } from '@sess/core/store';
import { describe, it } from 'vitest';
import { expectDataOnly, keepsMetadata, metaChange, staleWriter } from './metadata-support.js';
import type { StoreSuiteOptions } from './options.js';
import { expectInstant, expectRawData, makeRecord, newKey, openStore, seed } from './support.js';

/**
 * The deadline (written only by a write that finds none), the rotation links (`previous` / `next`: set,
 * kept while writes omit them, cleared by `null`), and `touch` applying a whole change without
 * rewriting the data.
 */
export function linkRaceTests(options: StoreSuiteOptions): void {
  describe.concurrent('metadata: deadline, rotation links, touch', () => {
    it('a deadline is written only when the record has none: a second writer’s deadline never replaces it', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const now = Date.now();
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { deadline: now + 86_400_000 });
      const first = now + 86_400_000;
      const id = await seed(store, expect, makeRecord({ data: { n: 1 } }));
      const stale = await staleWriter(store, expect, id, 'cart');
      expect(stale.view.meta.deadline).toBeUndefined();
      expect(await store.update(id, { data: { n: 2 }, meta: metaChange({ deadline: first }) })).toBe(true);
      // The stale writer found no deadline either, and computed its own.
      const second = {
        data: { ...stale.view.data, cart: true },
        meta: metaChange({ deadline: now + 172_800_000 }),
      };
      expect(await store.update(id, second)).toBe(true);
      expect(await store.touch(id, metaChange({ deadline: now + 259_200_000 }))).toBe(true);
      expect((await store.load(id))?.meta.deadline).toBe(first);
      const created = now + 43_200_000;
      const early = await seed(store, expect, makeRecord({ deadline: created }));
      expect(await store.update(early, { data: {}, meta: metaChange({ deadline: first }) })).toBe(true);
      expect((await store.load(early))?.meta.deadline).toBe(created);
    });

    it('parallel writers bringing different deadlines: exactly one is stored, and it stays', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const now = Date.now();
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { deadline: now + 86_400_000 });
      const id = await seed(store, expect, makeRecord());
      const deadlines = Array.from({ length: 6 }, (_, i) => now + 86_400_000 + i * 60_000);
      const writes = deadlines.map((deadline, i) =>
        i % 2 === 0
          ? store.update(id, { data: { i }, meta: metaChange({ deadline }) })
          : store.touch(id, metaChange({ deadline })),
      );
      expect(await Promise.all(writes)).toEqual(deadlines.map(() => true));
      const stored = (await store.load(id))?.meta.deadline;
      expect(deadlines).toContain(stored);
      expect(await store.touch(id, metaChange({ deadline: now + 1_000_000_000 }))).toBe(true);
      expect((await store.load(id))?.meta.deadline).toBe(stored);
    });

    it('next and previous stay while later writes (stale ones too) omit them; null clears each', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { next: newKey(), previous: null });
      const previous = newKey();
      const next = newKey();
      const id = await seed(store, expect, makeRecord({ data: { n: 1 } }));
      const stale = await staleWriter(store, expect, id, 'cart');
      // The gate: the rotation marks the record, then a request that loaded it before saves and touches.
      expect(await store.touch(id, metaChange({ previous, next }))).toBe(true);
      expect(await stale.update()).toBe(true);
      expect(await stale.touch()).toBe(true);
      let meta = (await store.load(id))?.meta;
      expect([meta?.previous, meta?.next]).toEqual([previous, next]);
      expect(await store.touch(id, metaChange({ next: null }))).toBe(true);
      meta = (await store.load(id))?.meta;
      expect(meta?.previous).toBe(previous);
      expect(meta).not.toHaveProperty('next');
      expect(await store.update(id, { data: { n: 2 }, meta: metaChange({ previous: null }) })).toBe(true);
      expect((await store.load(id))?.meta).not.toHaveProperty('previous');
    });

    it('a link written at create stays across updates and touches until null clears it', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { previous: null, next: null });
      const record = makeRecord({ data: { n: 1 } });
      const previous = newKey();
      record.meta.previous = previous;
      const id = await seed(store, expect, record);
      expect((await store.load(id))?.meta.previous).toBe(previous);
      expect(await store.update(id, { data: { n: 2 }, meta: metaChange({}) })).toBe(true);
      expect(await store.touch(id, metaChange({}))).toBe(true);
      expect((await store.load(id))?.meta.previous).toBe(previous);
      expect(await store.touch(id, metaChange({ previous: null }))).toBe(true);
      expect((await store.load(id))?.meta).not.toHaveProperty('previous');
    });

    it('a link set in parallel with stale writers survives every interleaving', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, { next: newKey() });
      const rounds = Array.from({ length: 8 }, (_, round) => round);
      await Promise.all(
        rounds.map(async (round) => {
          const next = newKey();
          const id = await seed(store, expect, makeRecord({ data: { n: 1 } }));
          const writers = await Promise.all(
            Array.from({ length: 4 }, (_, i) => staleWriter(store, expect, id, `w${i}`)),
          );
          const calls = writers.map((w, i) => () => ((i + round) % 2 === 0 ? w.update() : w.touch()));
          calls.splice(round % (calls.length + 1), 0, () => store.touch(id, metaChange({ next })));
          expect(await Promise.all(calls.map((call) => call()))).toEqual(calls.map(() => true));
          expect((await store.load(id))?.meta.next, `round ${round}`).toBe(next);
        }),
      );
    });

    it('touch applies every field of a change and leaves the stored data bytes identical', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const now = Date.now();
      const change = metaChange(
        {
          expiry: { expiresAt: now + 600_000, lifetime: 600 },
          owner: `owner-${newKey()}`,
          deadline: now + 86_400_000,
          previous: newKey(),
          next: newKey(),
        },
        now + 1_000,
      );
      if (!keepsMetadata(store)) return expectDataOnly(store, expect, change);
      const record = makeRecord({ data: { z: 1, a: { y: [true, null, 'ü'] }, m: 'text' } });
      const id = await seed(store, expect, record);
      const before = await options.raw?.read(store, id);
      expect(await store.touch(id, change)).toBe(true);
      const loaded = await store.load(id);
      expect(loaded?.data).toEqual(record.data);
      const wanted: RecordMeta = {
        createdAt: record.meta.createdAt,
        lastSeenAt: now + 1_000,
        owner: change.owner as string,
        deadline: change.deadline as number,
        lifetime: 600,
        previous: change.previous as string,
        next: change.next as string,
      };
      expect(loaded?.meta).toEqual(wanted);
      if (loaded) expectInstant(store, expect, loaded.expiresAt, now + 600_000);
      await expectRawData(options, store, id, record.data, expect);
      const bytes = options.raw?.dataBytes;
      if (bytes) expect(bytes(await options.raw?.read(store, id))).toEqual(bytes(before));
    });
  });
}
