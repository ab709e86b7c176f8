import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import {
  afterUpdate,
  expectRawData,
  expectRecord,
  makeRecord,
  makeUpdate,
  newKey,
  openStore,
  seed,
} from './support.js';

/** `create` is atomic: it fails on a live key and never overwrites what is there. */
export function createCollisionTests(options: StoreSuiteOptions): void {
  describe.concurrent('create collision', () => {
    it('create on a live key returns false and keeps the original record', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const original = makeRecord({ data: { who: 'first' }, owner: 'first-owner' });
      const key = await seed(store, expect, original);
      const intruder = makeRecord({ data: { who: 'second' }, owner: 'second-owner', ttlMs: 9_000_000 });
      expect(await store.create(key, intruder)).toBe(false);
      expectRecord(store, expect, await store.load(key), original);
      await expectRawData(options, store, key, { who: 'first' }, expect);
    });

    it('create on a live key returns false after an update too', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const original = makeRecord({ data: { v: 1 } });
      const key = await seed(store, expect, original);
      const update = makeUpdate({ data: { v: 2 } });
      expect(await store.update(key, update)).toBe(true);
      expect(await store.create(key, makeRecord({ data: { v: 3 } }))).toBe(false);
      expectRecord(store, expect, await store.load(key), afterUpdate(original, update));
    });

    it('of many parallel creates on one key exactly one wins, and its record is stored', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const key = newKey();
      const records = Array.from({ length: 12 }, (_, i) => makeRecord({ data: { writer: i } }));
      const results = await Promise.all(records.map((record) => store.create(key, record)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = records[results.indexOf(true)];
      expect(winner).toBeDefined();
      if (!winner) return;
      expectRecord(store, expect, await store.load(key), winner);
      await expectRawData(options, store, key, winner.data, expect);
    });

    it('create on one key does not disturb another', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const first = makeRecord({ data: { k: 'a' } });
      const second = makeRecord({ data: { k: 'b' } });
      const a = await seed(store, expect, first);
      const b = await seed(store, expect, second);
      expect(await store.create(a, second)).toBe(false);
      expectRecord(store, expect, await store.load(a), first);
      expectRecord(store, expect, await store.load(b), second);
    });
  });
}
