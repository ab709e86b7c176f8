import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import { makeRecord, newKey } from './support.js';

/** The store's declared shape (name, capabilities) and `close()`. */
export function lifecycleTests(options: StoreSuiteOptions): void {
  describe.concurrent('lifecycle', () => {
    it('has a name and well-formed capabilities', async ({ expect }) => {
      const store = await options.create();
      try {
        expect(typeof store.name).toBe('string');
        expect(store.name.length).toBeGreaterThan(0);
        const { delta, ownerIndex, nativeExpiry, expiryResolution } = store.capabilities;
        expect([typeof delta, typeof ownerIndex, typeof nativeExpiry]).toEqual([
          'boolean',
          'boolean',
          'boolean',
        ]);
        expect(['ms', 's']).toContain(expiryResolution);
        expect(store.owners === undefined).toBe(!ownerIndex);
        // `metadata` defaults to true; a store keeping no metadata cannot index owners.
        expect([undefined, true, false]).toContain(store.capabilities.metadata);
        if (store.capabilities.metadata === false) expect(ownerIndex).toBe(false);
      } finally {
        await store.close?.();
      }
    });

    it('close() resolves after use (or the store declares no close)', async ({ expect }) => {
      const store = await options.create();
      const key = newKey();
      expect(await store.create(key, makeRecord())).toBe(true);
      expect(await store.load(key)).not.toBeNull();
      await store.destroy(key);
      if (store.close === undefined) {
        expect(store).not.toHaveProperty('close');
        return;
      }
      expect(typeof store.close).toBe('function');
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('closing one store leaves another store over the same backend working', async ({ expect }) => {
      const first = await options.create();
      const second = await options.createIsolated();
      try {
        await first.close?.();
        const key = newKey();
        expect(await second.create(key, makeRecord({ data: { alive: true } }))).toBe(true);
        expect((await second.load(key))?.data).toEqual({ alive: true });
        await second.destroy(key);
      } finally {
        await second.close?.();
      }
    });
  });
}
