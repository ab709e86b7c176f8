import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import {
  expectRawData,
  expectRecord,
  makeRecord,
  makeUpdate,
  newKey,
  openStore,
  seed,
  touchTo,
} from './support.js';

/** Two stores over one backend with different prefixes never see or touch each other's records. */
export function isolationTests(options: StoreSuiteOptions): void {
  describe.concurrent('isolation by prefix', () => {
    it('a key of one store is unknown to the other', async (context) => {
      const { expect } = context;
      const mine = await openStore(options, context);
      const theirs = await openStore(options, context, 'createIsolated');
      const record = makeRecord({ data: { mine: true } });
      const key = await seed(mine, expect, record);
      expect(await theirs.load(key)).toBeNull();
      expect(await theirs.update(key, makeUpdate({ data: { theirs: true } }))).toBe(false);
      expect(await theirs.touch(key, touchTo(Date.now() - 1000))).toBe(false);
      expect(await theirs.destroy(key)).toBeNull();
      expectRecord(mine, expect, await mine.load(key), record);
      await expectRawData(options, mine, key, { mine: true }, expect);
    });

    it('both stores can hold the same key, each with its own record', async (context) => {
      const { expect } = context;
      const mine = await openStore(options, context);
      const theirs = await openStore(options, context, 'createIsolated');
      const key = newKey();
      const first = makeRecord({ data: { side: 'mine' } });
      const second = makeRecord({ data: { side: 'theirs' }, ttlMs: 9_000_000 });
      expect(await mine.create(key, first)).toBe(true);
      expect(await theirs.create(key, second)).toBe(true);
      expectRecord(mine, expect, await mine.load(key), first);
      expectRecord(theirs, expect, await theirs.load(key), second);
      await mine.destroy(key);
      expect(await mine.load(key)).toBeNull();
      expectRecord(theirs, expect, await theirs.load(key), second);
    });

    it('clearExpired() of one store spares the live records of the other', async (context) => {
      const { expect } = context;
      const mine = await openStore(options, context);
      const theirs = await openStore(options, context, 'createIsolated');
      const key = await seed(mine, expect, makeRecord({ data: { live: true } }));
      await theirs.clearExpired();
      expect((await mine.load(key))?.data).toEqual({ live: true });
    });

    it('the owner index is per store (or both stores lack it)', async (context) => {
      const { expect } = context;
      const mine = await openStore(options, context);
      const theirs = await openStore(options, context, 'createIsolated');
      expect(theirs.capabilities.ownerIndex).toBe(mine.capabilities.ownerIndex);
      if (!mine.owners || !theirs.owners) {
        expect(mine.owners ?? theirs.owners).toBeUndefined();
        return;
      }
      const owner = `shared-${newKey()}`;
      const key = await seed(mine, expect, makeRecord({ owner }));
      const other = await seed(theirs, expect, makeRecord({ owner }));
      expect((await mine.owners.list(owner)).map((r) => r.id)).toEqual([key]);
      expect((await theirs.owners.list(owner)).map((r) => r.id)).toEqual([other]);
      expect(await theirs.owners.destroyAll(owner)).toBe(1);
      expect(await mine.load(key)).not.toBeNull();
      expect(await theirs.load(other)).toBeNull();
    });
  });
}
