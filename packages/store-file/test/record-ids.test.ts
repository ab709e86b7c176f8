import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSessionManager } from '@sess/core';
import { hashSessionKey } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { nodeRequest } from '../../django-interop/src/index.js';
import { createFileStore } from '../src/index.js';
import {
  listing,
  makeRecord,
  metaChange,
  newKey,
  randomPrefix,
  readRaw,
  scratchDirectory,
  wholeUpdate,
} from './support.js';

/**
 * Records are known by record ids (contract v2): a 32-character key, or the 40-character hash of one when
 * the manager hashes keys at rest. Both are file names for the native format; nothing else is.
 */
const directory = scratchDirectory('record-ids');
const fresh = () => createFileStore({ directory, prefix: randomPrefix() });
const ours = async (prefix: string) => (await listing(directory)).filter((name) => name.startsWith(prefix));

describe('record ids', () => {
  it('a 40-character hashed id names its file, and every operation works on it', async () => {
    const store = fresh();
    const id = hashSessionKey(newKey());
    expect(id).toMatch(/^[a-z0-9]{40}$/);
    expect(await store.create(id, makeRecord({ v: 0 }))).toBe(true);
    expect(await ours(store.prefix)).toEqual([`${store.prefix}${id}`]);
    expect(store.pathOf(id)).toBe(path.join(directory, `${store.prefix}${id}`));
    expect(await store.update(id, wholeUpdate({ v: 1 }))).toBe(true);
    expect(await store.touch(id, metaChange(Date.now(), { owner: 'ada' }))).toBe(true);
    expect(await store.load(id)).toMatchObject({ data: { v: 1 }, meta: { owner: 'ada' } });
    expect((await store.destroy(id))?.owner).toBe('ada');
    expect(await ours(store.prefix)).toEqual([]);
  });

  it('clearExpired sweeps expired files and stale locks of hashed ids too', async () => {
    const store = fresh();
    const [expired, live] = [hashSessionKey(newKey()), hashSessionKey(newKey())];
    await store.create(expired, makeRecord({}, -1000));
    await store.create(live, makeRecord({}));
    writeFileSync(`${store.pathOf(live)}.lock`, 'not a lock of ours');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${store.pathOf(live)}.lock`, old, old);
    expect(await store.clearExpired()).toBe(1);
    expect(await ours(store.prefix)).toEqual([`${store.prefix}${live}`]);
  });

  it.each([
    ['39 characters', 'a'.repeat(39)],
    ['41 characters', 'a'.repeat(41)],
    ['40 in upper case', 'A'.repeat(40)],
    ['40 with a dot', `${'a'.repeat(39)}.`],
  ])('an id of %s is no record id: it never reaches the disk', async (_name, id) => {
    const store = fresh();
    expect(store.pathOf(id)).toBeNull();
    expect(await store.load(id)).toBeNull();
    expect(await store.update(id, wholeUpdate())).toBe(false);
    expect(await store.touch(id, metaChange())).toBe(false);
    expect(await store.destroy(id)).toBeNull();
    await expect(store.create(id, makeRecord())).rejects.toMatchObject({ name: 'SessionStoreError' });
    expect(await ours(store.prefix)).toEqual([]);
  });

  it('with hashKeysAtRest, the manager’s file is named by the hash of the key, never by the key', async () => {
    const store = fresh();
    const manager = createSessionManager({ store, hashKeysAtRest: true });
    const key = (await nodeRequest(manager, null, (session) => session.set('who', 'ada')))
      .cookieKey as string;
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    expect(await ours(store.prefix)).toEqual([`${store.prefix}${hashSessionKey(key)}`]);
    expect(await readRaw(store, key)).toBeNull();
    let who: unknown;
    await nodeRequest(manager, key, (session) => {
      who = session.get('who');
    });
    expect(who).toBe('ada');
    // The stored id sent back as a cookie opens nothing (issue 15 §1: a leaked listing is no key).
    let stolen: unknown = 'not loaded';
    await nodeRequest(manager, hashSessionKey(key), (session) => {
      stolen = session.get('who');
    });
    expect(stolen).toBeUndefined();
  });
});
