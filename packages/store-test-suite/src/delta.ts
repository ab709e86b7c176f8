import type { SessionData, SessionDelta, SessionStore, SessionUpdate } from '@sess/core/store';
import { describe, type ExpectStatic, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import {
  afterUpdate,
  expectInstant,
  expectRawData,
  makeRecord,
  makeUpdate,
  openStore,
  type RecordSpec,
  seed,
} from './support.js';

/** An update whose full `data` is deliberately stale, so the result shows which one the engine applied. */
function withDelta(data: SessionData, delta: SessionDelta, spec: RecordSpec = {}): SessionUpdate {
  return { ...makeUpdate({ ...spec, data }), delta };
}

/**
 * With `capabilities.delta`, the engine applies the delta per top-level key (not `data`); without it,
 * the capability is declared false and the engine writes `data` whole.
 */
export function deltaTests(options: StoreSuiteOptions): void {
  /** Runs one update on a record and checks the result: `applied` with delta support, `data` whole without. */
  async function check(
    store: SessionStore,
    expect: ExpectStatic,
    start: SessionData,
    change: SessionUpdate,
    applied: SessionData,
  ): Promise<void> {
    const record = makeRecord({ data: start });
    const key = await seed(store, expect, record);
    expect(await store.update(key, change)).toBe(true);
    const loaded = await store.load(key);
    const wanted = store.capabilities.delta ? applied : change.data;
    expect(loaded?.data).toEqual(wanted);
    const after = afterUpdate(record, change);
    expect(loaded?.meta).toEqual(after.meta);
    if (loaded) expectInstant(store, expect, loaded.expiresAt, after.expiresAt);
    await expectRawData(options, store, key, wanted, expect);
  }

  describe.concurrent('delta updates', () => {
    it('declares the capability as a boolean', async (context) => {
      const store = await openStore(options, context);
      context.expect(typeof store.capabilities.delta).toBe('boolean');
    });

    it('applies set and unset instead of the stale full data (or writes data whole without delta)', async (context) => {
      const store = await openStore(options, context);
      await check(
        store,
        context.expect,
        { a: 1, b: 1, c: 1 },
        withDelta({ a: 'stale', b: 'stale', c: 'stale', z: 'stale' }, { set: { b: 2 }, unset: ['c'] }),
        { a: 1, b: 2 },
      );
    });

    it('replaces a nested value whole at the top level, never deep-merges it', async (context) => {
      const store = await openStore(options, context);
      await check(
        store,
        context.expect,
        { profile: { name: 'ada', city: 'london' }, keep: [1] },
        withDelta({ profile: { name: 'grace' } }, { set: { profile: { name: 'grace' } }, unset: [] }),
        { profile: { name: 'grace' }, keep: [1] },
      );
    });

    it('adds new keys, ignores unset of missing keys, and moves expiry and meta', async (context) => {
      const store = await openStore(options, context);
      await check(
        store,
        context.expect,
        { a: 1 },
        withDelta(
          { a: 1, fresh: { deep: ['x'] } },
          { set: { fresh: { deep: ['x'] } }, unset: ['never-there'] },
          { ttlMs: 7_200_000, owner: 'delta-owner' },
        ),
        { a: 1, fresh: { deep: ['x'] } },
      );
    });

    it('an empty delta keeps the data and still moves the expiry', async (context) => {
      const store = await openStore(options, context);
      await check(
        store,
        context.expect,
        { a: 1, b: [2] },
        withDelta({ a: 1, b: [2] }, { set: {}, unset: [] }, { ttlMs: 9_000_000 }),
        { a: 1, b: [2] },
      );
    });

    it('a delta that unsets every key leaves an empty record, not a missing one', async (context) => {
      const store = await openStore(options, context);
      await check(store, context.expect, { a: 1, b: 2 }, withDelta({}, { set: {}, unset: ['a', 'b'] }), {});
    });

    it('keys that look special are ordinary keys of the delta', async (context) => {
      const store = await openStore(options, context);
      // Parsed, so `__proto__` is an own key (as it arrives from a request body), not a prototype.
      const set = JSON.parse(
        '{"__proto__":{"p":1},"constructor":2,"toString":"x","a.b":3,"a:b":4,"$where":6,"":5}',
      ) as SessionData;
      await check(
        store,
        context.expect,
        { keep: true },
        withDelta({ keep: true, ...set }, { set, unset: [] }),
        { keep: true, ...set },
      );
    });
  });
}
