import { hashSessionKey, isRecordId, type SessionStore } from '@sess/core/store';
import { describe, type ExpectStatic, it } from 'vitest';
import { hostileKeys } from './hostile-keys.js';
import { expectKept, keepsMetadata, metaChange } from './metadata-support.js';
import type { StoreSuiteOptions } from './options.js';
import {
  expectRawAbsent,
  expectRawData,
  makeRecord,
  makeUpdate,
  newKey,
  openStore,
  seed,
  settle,
  touchTo,
} from './support.js';

/** A new hashed record id: what a store receives when keys are hashed at rest (`hashKeysAtRest`). */
const newHashedId = (): string => hashSessionKey(newKey());

/** Ids of other shapes built from the live hashed id `id`: none may reach it, or anything else. */
function misshapenIds(id: string): string[] {
  return [
    id.slice(0, -1),
    `${id}0`,
    `${id}${id}`,
    id.slice(0, 36),
    id.slice(0, 31),
    `${id.slice(0, 39)}A`,
    `${id.slice(0, 39)}-`,
    `${id.slice(0, 39)}_`,
    `${id.slice(0, 39)}é`,
    `${id.slice(0, 38)}😀`,
    ...hostileKeys(id),
  ];
}

/**
 * A store whose records another program finds by the raw key (`sharedKeys`, Django's formats) never gets a
 * hashed id from core (hashing at rest is refused for it): it may refuse one, and must store nothing under it.
 */
async function expectHashedRefused(
  options: StoreSuiteOptions,
  store: SessionStore,
  expect: ExpectStatic,
): Promise<void> {
  expect(store.capabilities.sharedKeys).toBe(true);
  const id = newHashedId();
  const created = await settle(expect, 'create(hashed id)', () => store.create(id, makeRecord()));
  if ('value' in created && created.value) {
    // Accepted: then it must behave as any record would, and go away with destroy.
    expect(await store.load(id)).not.toBeNull();
    expect(await store.destroy(id)).not.toBeNull();
  }
  await expectRawAbsent(options, store, id, expect);
  const loaded = await settle(expect, 'load(hashed id)', () => store.load(id));
  if ('value' in loaded) expect(loaded.value).toBeNull();
}

/** Asserts `id` finds nothing through every operation that takes an id. */
async function expectNothingAt(store: SessionStore, expect: ExpectStatic, id: string): Promise<void> {
  const label = JSON.stringify(id.slice(0, 48));
  expect(await store.load(id), `load(${label})`).toBeNull();
  expect(await store.update(id, makeUpdate({ data: { hijacked: true } })), `update(${label})`).toBe(false);
  expect(await store.touch(id, touchTo(Date.now() + 60_000)), `touch(${label})`).toBe(false);
  expect(await store.destroy(id), `destroy(${label})`).toBeNull();
}

/**
 * Record ids: a 40-character `[a-z0-9]` hash (`hashSessionKey`) works for every operation exactly like a
 * 32-character key, ids next to a live one are other records, and ids of any other shape are refused.
 */
export function recordIdTests(options: StoreSuiteOptions): void {
  describe.concurrent('record ids', () => {
    it('a 40-character hashed id works for create, load, update, touch, the owner index and destroy', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (store.capabilities.sharedKeys === true) {
        await expectHashedRefused(options, store, expect);
        return;
      }
      const id = newHashedId();
      expect(id).toMatch(/^[a-z0-9]{40}$/);
      expect(isRecordId(id)).toBe(true);
      const owner = `owner-${newKey()}`;
      const record = makeRecord(keepsMetadata(store) ? { data: { a: 1 }, owner } : { data: { a: 1 } });
      expect(await store.create(id, record)).toBe(true);
      expectKept(store, expect, await store.load(id), record);
      await expectRawData(options, store, id, { a: 1 }, expect);
      expect(await store.create(id, makeRecord())).toBe(false);
      const update = { data: { a: 1, b: 2 }, delta: { set: { b: 2 }, unset: [] }, meta: metaChange() };
      expect(await store.update(id, update)).toBe(true);
      expect((await store.load(id))?.data).toEqual({ a: 1, b: 2 });
      await expectRawData(options, store, id, { a: 1, b: 2 }, expect);
      const expiresAt = Date.now() + 7_200_000;
      expect(await store.touch(id, touchTo(expiresAt))).toBe(true);
      expect(Math.abs(((await store.load(id))?.expiresAt ?? 0) - expiresAt)).toBeLessThan(1000);
      if (store.owners) {
        expect((await store.owners.list(owner)).map((r) => r.id)).toEqual([id]);
        expect(await store.owners.destroyAll(owner, id)).toBe(0);
        expect(await store.load(id)).not.toBeNull();
      }
      const destroyed = await store.destroy(id);
      expect(destroyed).not.toBeNull();
      if (keepsMetadata(store)) expect(destroyed?.owner).toBe(owner);
      await expectRawAbsent(options, store, id, expect);
      await expectNothingAt(store, expect, id);
    });

    it('a key, its hash and the ids next to them are different records', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      if (store.capabilities.sharedKeys === true) {
        await expectHashedRefused(options, store, expect);
        return;
      }
      const hashed = newHashedId();
      const hashedRecord = makeRecord({ data: { which: 'hashed' } });
      expect(await store.create(hashed, hashedRecord)).toBe(true);
      const keyRecord = makeRecord({ data: { which: 'key' } });
      const key = await seed(store, expect, keyRecord);
      const flip = (id: string) => `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
      for (const neighbour of [
        hashed.slice(0, 32),
        `${key}00000000`,
        flip(hashed),
        flip(key),
        hashSessionKey(key),
      ]) {
        expect(isRecordId(neighbour)).toBe(true);
        await expectNothingAt(store, expect, neighbour);
      }
      const prefix = makeRecord({ data: { which: 'prefix' } });
      expect(await store.create(hashed.slice(0, 32), prefix)).toBe(true);
      expectKept(store, expect, await store.load(hashed.slice(0, 32)), prefix);
      expectKept(store, expect, await store.load(hashed), hashedRecord);
      expectKept(store, expect, await store.load(key), keyRecord);
      await expectRawData(options, store, hashed, { which: 'hashed' }, expect);
    });

    it('ids of any other shape find nothing (or throw a SessionError) and leave a live hashed id intact', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      // A store that shares raw keys with Django gets keys only: its sentinel is one.
      const sentinel = store.capabilities.sharedKeys === true ? newKey() : newHashedId();
      const record = makeRecord({ data: { sentinel: true } });
      expect(await store.create(sentinel, record)).toBe(true);
      for (const id of misshapenIds(store.capabilities.sharedKeys === true ? newHashedId() : sentinel)) {
        expect(isRecordId(id), JSON.stringify(id)).toBe(false);
        const label = JSON.stringify(id.slice(0, 48));
        const loaded = await settle(expect, `load(${label})`, () => store.load(id));
        if ('value' in loaded) expect(loaded.value, `load(${label})`).toBeNull();
        const updated = await settle(expect, `update(${label})`, () =>
          store.update(id, makeUpdate({ data: { hijacked: true } })),
        );
        if ('value' in updated) expect(updated.value, `update(${label})`).toBe(false);
        const touched = await settle(expect, `touch(${label})`, () =>
          store.touch(id, touchTo(Date.now() - 1000)),
        );
        if ('value' in touched) expect(touched.value, `touch(${label})`).toBe(false);
        const destroyed = await settle(expect, `destroy(${label})`, () => store.destroy(id));
        if ('value' in destroyed) expect(destroyed.value, `destroy(${label})`).toBeNull();
      }
      expectKept(store, expect, await store.load(sentinel), record);
      await expectRawData(options, store, sentinel, { sentinel: true }, expect);
    });
  });
}
