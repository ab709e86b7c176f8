import { utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStore } from '../src/index.js';
import {
  expiryChange,
  listing,
  makeRecord,
  newKey,
  randomPrefix,
  readRaw,
  scratchDirectory,
  wholeUpdate,
} from './support.js';

const directory = scratchDirectory('atomic');
const fresh = (options = {}) => createFileStore({ directory, prefix: randomPrefix(), ...options });
const HOUR = 3_600_000;

describe('atomic writes', () => {
  it('a reader polling the file during 200 updates never sees a torn or missing session', async () => {
    const store = fresh();
    const key = newKey();
    await store.create(key, makeRecord({ i: -1 }));
    const file = store.pathOf(key) as string;
    let writing = true;
    const seen = new Set<number>();
    const torn: string[] = [];
    const reader = (async () => {
      while (writing) {
        const text = await readFile(file, 'utf8').catch((error: Error) => `unreadable: ${error.message}`);
        try {
          seen.add((JSON.parse(text) as { data: { i: number } }).data.i);
        } catch {
          torn.push(text.slice(0, 60));
        }
        const loaded = await store.load(key);
        if (loaded === null) torn.push('load() returned null');
      }
    })();
    for (let i = 0; i < 200; i++) {
      // Sizes vary from a few bytes to ~100 KB, so a half-written file could not pass for a whole one.
      expect(await store.update(key, wholeUpdate({ i, pad: 'x'.repeat((i * 7919) % 100_000) }))).toBe(true);
    }
    writing = false;
    await reader;
    expect(torn).toEqual([]);
    expect(seen.size).toBeGreaterThan(0);
    expect((await store.load(key))?.data.i).toBe(199);
  }, 60_000); // 200 writes of up to 100 KB: seconds on a loaded CI machine

  it('leftovers of a crashed write are ignored by load and swept by clearExpired once an hour old', async () => {
    const store = fresh();
    const key = newKey();
    await store.create(key, makeRecord({ intact: true }));
    const base = `${store.prefix}${key}`;
    const old = `${base}.${(Date.now() - 2 * HOUR).toString(36)}-0123456789ab.tmp`;
    const recent = `${base}.${(Date.now() - 60_000).toString(36)}-ba9876543210.tmp`;
    const orphan = `${store.prefix}${newKey()}.${(Date.now() - 2 * HOUR).toString(36)}-aaaaaaaaaaaa.tmp`;
    for (const name of [old, recent, orphan])
      writeFileSync(path.join(directory, name), '{"v":1,"expiresAt":');
    expect((await store.load(key))?.data).toEqual({ intact: true });
    expect(await store.clearExpired()).toBe(0);
    const names = await listing(directory);
    expect(names).toContain(recent);
    expect(names).not.toContain(old);
    expect(names).not.toContain(orphan);
    expect((await store.load(key))?.data).toEqual({ intact: true });
  });

  it('a torn or empty session file (a power loss without fsync) is nothing, and clearExpired removes it', async () => {
    const store = fresh();
    const torn = newKey();
    const empty = newKey();
    writeFileSync(
      path.join(directory, `${store.prefix}${torn}`),
      '{"v":1,"expiresAt":99999999999999,"meta":{"crea',
    );
    writeFileSync(path.join(directory, `${store.prefix}${empty}`), '');
    for (const key of [torn, empty]) {
      expect(await store.load(key)).toBeNull();
      expect(await store.update(key, wholeUpdate())).toBe(false);
      expect(await store.touch(key, expiryChange(Date.now() + 1000, Date.now()))).toBe(false);
      // The name is taken until the sweep: the manager retries with another key.
      expect(await store.create(key, makeRecord())).toBe(false);
    }
    expect(await store.clearExpired()).toBe(2);
    expect(await readRaw(store, torn)).toBeNull();
    expect(await readRaw(store, empty)).toBeNull();
  });

  it('a torn file whose mtime still says "live" waits for the sweep after that instant', async () => {
    let now = Date.now();
    const store = fresh({ clock: { now: () => now } });
    const key = newKey();
    const file = path.join(directory, `${store.prefix}${key}`);
    writeFileSync(file, '{"v":1,"expi');
    utimesSync(file, now / 1000, (now + HOUR) / 1000);
    expect(await store.clearExpired()).toBe(0);
    expect(await readRaw(store, key)).not.toBeNull();
    now += 2 * HOUR;
    expect(await store.clearExpired()).toBe(1);
    expect(await readRaw(store, key)).toBeNull();
  });

  it('fsync: true writes the same files', async () => {
    const store = fresh({ fsync: true });
    const key = newKey();
    expect(await store.create(key, makeRecord({ durable: 1 }))).toBe(true);
    expect(await store.update(key, wholeUpdate({ durable: 2 }))).toBe(true);
    expect(await store.touch(key, expiryChange(Date.now() + 5000, Date.now()))).toBe(true);
    expect((await store.load(key))?.data).toEqual({ durable: 2 });
    await store.destroy(key);
    expect(await readRaw(store, key)).toBeNull();
  });
});
