import type { SessionUpdate } from '@sess/core/store';
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

const PARALLEL = 50;

/**
 * Parallel traffic: many keys at once round-trip, parallel whole-record updates of one key end with
 * exactly one writer's record, and (per capability) deltas on different keys all survive.
 */
export function concurrencyTests(options: StoreSuiteOptions): void {
  describe.concurrent('concurrency', () => {
    it(`${PARALLEL} parallel creates, loads and destroys on distinct keys all round-trip`, async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const entries = Array.from({ length: PARALLEL }, (_, i) => ({
        key: newKey(),
        record: makeRecord({ data: { i, label: `record-${i}` }, createdOffsetMs: i }),
      }));
      const created = await Promise.all(entries.map(({ key, record }) => store.create(key, record)));
      expect(created).toEqual(entries.map(() => true));
      const loaded = await Promise.all(entries.map(({ key }) => store.load(key)));
      entries.forEach(({ record }, i) => {
        expectRecord(store, expect, loaded[i] ?? null, record);
      });
      await Promise.all(entries.map(({ key }) => store.destroy(key)));
      const gone = await Promise.all(entries.map(({ key }) => store.load(key)));
      expect(gone).toEqual(entries.map(() => null));
    });

    it('parallel whole-record updates of one key end with exactly one writer’s record', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const original = makeRecord({ data: { writer: -1 } });
      const key = await seed(store, expect, original);
      const updates = Array.from({ length: 10 }, (_, i) =>
        makeUpdate({ data: { writer: i, [`only-${i}`]: 'x'.repeat(i * 100) }, ttlMs: 3_600_000 + i * 1000 }),
      );
      const results = await Promise.all(updates.map((update) => store.update(key, update)));
      expect(results).toEqual(updates.map(() => true));
      const loaded = await store.load(key);
      const writer = loaded?.data.writer;
      expect(typeof writer).toBe('number');
      const winner = updates[writer as number];
      expect(winner).toBeDefined();
      if (!winner) return;
      expect(loaded?.data).toEqual(winner.data);
      expectRecord(store, expect, loaded, afterUpdate(original, winner));
      await expectRawData(options, store, key, winner.data, expect);
    });

    it('updates carrying deltas for different top-level keys: all survive with delta, last whole data wins without', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const original = makeRecord({ data: { base: 0 } });
      const key = await seed(store, expect, original);
      // Each request loaded { base: 0 } and changed one key of its own.
      const updates: SessionUpdate[] = Array.from({ length: 5 }, (_, i) => ({
        ...makeUpdate({ data: { base: 0, [`k${i}`]: i } }),
        delta: { set: { [`k${i}`]: i }, unset: [] },
      }));
      if (store.capabilities.delta) {
        expect(await Promise.all(updates.map((u) => store.update(key, u)))).toEqual(updates.map(() => true));
        expect((await store.load(key))?.data).toEqual({ base: 0, k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
        return;
      }
      expect(store.capabilities.delta).toBe(false);
      for (const update of updates) expect(await store.update(key, update)).toBe(true);
      expect((await store.load(key))?.data).toEqual({ base: 0, k4: 4 });
    });

    it('parallel loads of one key all see the same record', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = makeRecord({ data: { shared: [1, 2, 3] } });
      const key = await seed(store, expect, record);
      const loaded = await Promise.all(Array.from({ length: PARALLEL }, () => store.load(key)));
      for (const one of loaded) expectRecord(store, expect, one, record);
    });
  });
}
