import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionStoreError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { createFileStore, type FileFormat, type FileStoreOptions, jsonEnvelopeFormat } from '../src/index.js';
import { breakLock } from '../src/session-lock.js';
import {
  expiryChange,
  listing,
  makeRecord,
  metaChange,
  newKey,
  randomPrefix,
  scratchDirectory,
  wholeUpdate,
} from './support.js';

const directory = scratchDirectory('locks');
const fresh = (options: FileStoreOptions = {}) =>
  createFileStore({ directory, prefix: randomPrefix(), ...options });

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

const lockBody = (owner: { pid: number; host?: string; at?: number }) =>
  JSON.stringify({ host: hostname(), at: Date.now(), token: 'feedfacefeedface', ...owner });

/** A store with one session, and the path of its lock file. */
async function seeded(options: FileStoreOptions = {}) {
  const store = fresh(options);
  const key = newKey();
  await store.create(key, makeRecord({ v: 0 }));
  return { store, key, lock: `${store.pathOf(key)}.lock` };
}

/** This store's files, other than the session itself. */
const leftovers = async (prefix: string, key: string) =>
  (await listing(directory)).filter((name) => name.startsWith(prefix) && name !== `${prefix}${key}`);

describe('per-session locks', () => {
  it('a live lock makes update, touch and destroy wait, then fail with STORE_TIMEOUT, changing nothing', async () => {
    const { store, key, lock } = await seeded({ lockTimeoutMs: 150 });
    writeFileSync(lock, lockBody({ pid: process.pid }));
    for (const run of [
      () => store.update(key, wholeUpdate({ v: 1 })),
      () => store.touch(key, expiryChange(Date.now() + 1000, Date.now())),
      () => store.destroy(key),
    ]) {
      const error = await run().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(SessionStoreError);
      expect(error).toMatchObject({ code: 'STORE_TIMEOUT' });
      expect((error as Error).message).toContain(`pid ${process.pid}`);
    }
    expect((await store.load(key))?.data).toEqual({ v: 0 });
    expect(readFileSync(lock, 'utf8')).toContain('feedface');
  });

  it('an operation waits for a lock to be released, then proceeds', async () => {
    const { store, key, lock } = await seeded({ lockTimeoutMs: 10_000 });
    writeFileSync(lock, lockBody({ pid: process.pid }));
    let settled = false;
    const update = store.update(key, wholeUpdate({ v: 1 })).finally(() => {
      settled = true;
    });
    await sleep(50);
    expect(settled).toBe(false);
    await import('node:fs/promises').then((fs) => fs.unlink(lock));
    expect(await update).toBe(true);
    expect((await store.load(key))?.data).toEqual({ v: 1 });
  });

  it('a lock older than lockStaleMs is broken', async () => {
    const { store, key, lock } = await seeded({ lockStaleMs: 1000, lockTimeoutMs: 0 });
    writeFileSync(lock, lockBody({ pid: process.pid, at: Date.now() - 5000 }));
    expect(await store.update(key, wholeUpdate({ v: 1 }))).toBe(true);
    expect(await leftovers(store.prefix, key)).toEqual([]);
  });

  it('a lock whose owner on this host has exited is broken at once, however young', async () => {
    const { store, key, lock } = await seeded({ lockStaleMs: 3_600_000, lockTimeoutMs: 0 });
    writeFileSync(lock, lockBody({ pid: deadPid() }));
    expect(await store.update(key, wholeUpdate({ v: 1 }))).toBe(true);
    expect(await leftovers(store.prefix, key)).toEqual([]);
  });

  it('a young lock of a dead-looking pid on another host is respected (pids are per host)', async () => {
    const { store, key, lock } = await seeded({ lockStaleMs: 3_600_000, lockTimeoutMs: 100 });
    writeFileSync(lock, lockBody({ pid: deadPid(), host: 'elsewhere.invalid' }));
    await expect(store.update(key, wholeUpdate({ v: 1 }))).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
  });

  it('a lock file that is not ours counts by its age only', async () => {
    const { store, key, lock } = await seeded({ lockStaleMs: 1000, lockTimeoutMs: 100 });
    writeFileSync(lock, 'garbage');
    await expect(store.update(key, wholeUpdate({ v: 1 }))).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    utimesSync(lock, new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    expect(await store.update(key, wholeUpdate({ v: 1 }))).toBe(true);
  });

  it('a lock path that is not a file (a directory) makes operations time out, never spin or crash', async () => {
    const { store, key, lock } = await seeded({ lockTimeoutMs: 100 });
    mkdirSync(lock);
    await expect(store.update(key, wholeUpdate({ v: 1 }))).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    expect((await store.load(key))?.data).toEqual({ v: 0 });
  });

  it('a writer whose lock was broken and taken meanwhile abandons its write', async () => {
    let store = fresh();
    const key = newKey();
    const foreign = lockBody({ pid: process.pid, host: 'elsewhere.invalid' });
    // The format runs inside the critical section: it plays the other process breaking the lock.
    const usurping: FileFormat = {
      ...jsonEnvelopeFormat,
      encode(record) {
        if (record.data.usurp) writeFileSync(`${store.pathOf(key)}.lock`, foreign);
        return jsonEnvelopeFormat.encode(record);
      },
    };
    store = fresh({ format: usurping });
    await store.create(key, makeRecord({ v: 0 }));
    const error = await store.update(key, wholeUpdate({ usurp: true })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as Error).message).toContain('broken as stale');
    expect((await store.load(key))?.data).toEqual({ v: 0 });
    expect(readFileSync(`${store.pathOf(key)}.lock`, 'utf8')).toBe(foreign);
    expect(await leftovers(store.prefix, key)).toEqual([`${store.prefix}${key}.lock`]);
  });

  it('a destroy whose lock was broken and taken meanwhile removes nothing', async () => {
    let store = fresh();
    const key = newKey();
    const foreign = lockBody({ pid: process.pid, host: 'elsewhere.invalid' });
    let usurp = false;
    // destroy decodes the file inside its critical section: that is where the other process breaks in.
    const usurping: FileFormat = {
      ...jsonEnvelopeFormat,
      decode(file) {
        if (usurp) writeFileSync(`${store.pathOf(key)}.lock`, foreign);
        return jsonEnvelopeFormat.decode(file);
      },
    };
    store = fresh({ format: usurping });
    await store.create(key, makeRecord({ v: 0 }));
    usurp = true;
    const error = await store.destroy(key).catch((caught: unknown) => caught);
    usurp = false;
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as Error).message).toContain('broken as stale');
    expect((await store.load(key))?.data).toEqual({ v: 0 });
  });

  it('in one process, a destroy after an update returns what the update wrote; an update after a destroy finds nothing', async () => {
    const { store, key } = await seeded();
    const [updated, destroyed, late] = await Promise.all([
      store.update(key, { data: { v: 1 }, meta: metaChange(Date.now(), { owner: 'ada' }) }),
      store.destroy(key),
      store.update(key, { data: { v: 2 }, meta: metaChange() }),
    ]);
    expect(updated).toBe(true);
    expect(destroyed?.owner).toBe('ada');
    expect(late).toBe(false);
    expect(await store.load(key)).toBeNull();
    expect(await leftovers(store.prefix, key)).toEqual([]);
  });

  it('breaking a lock that was replaced after it was judged stale puts the new one back', async () => {
    const lock = path.join(directory, 'unit.lock');
    writeFileSync(lock, 'the live lock');
    await breakLock(lock, Buffer.from('the stale lock'), path.join(directory, 'unit.grave.tmp'));
    expect(readFileSync(lock, 'utf8')).toBe('the live lock');
    await breakLock(lock, Buffer.from('the live lock'), path.join(directory, 'unit.grave.tmp'));
    expect((await listing(directory)).filter((name) => name.startsWith('unit.'))).toEqual([]);
  });

  it('clearExpired breaks stale locks, keeps live ones, and leaves an expired session whose lock is held', async () => {
    const store = fresh({ lockStaleMs: 1000 });
    const [stale, live, busy] = [newKey(), newKey(), newKey()];
    for (const key of [stale, live, busy]) await store.create(key, makeRecord({}, -1000));
    writeFileSync(`${store.pathOf(stale)}.lock`, lockBody({ pid: process.pid, at: Date.now() - 60_000 }));
    writeFileSync(`${store.pathOf(live)}.lock`, lockBody({ pid: process.pid }));
    writeFileSync(`${store.pathOf(busy)}.lock`, lockBody({ pid: process.pid }));
    expect(await store.clearExpired()).toBe(1);
    const names = await listing(directory);
    expect(names).not.toContain(`${store.prefix}${stale}`);
    expect(names).not.toContain(`${store.prefix}${stale}.lock`);
    expect(names).toContain(`${store.prefix}${live}.lock`);
    expect(names).toContain(`${store.prefix}${busy}`);
    expect(names.filter((name) => name.startsWith(store.prefix) && name.endsWith('.tmp'))).toEqual([]);
  });

  it('clearExpired removes the leftover of a sweep that died while breaking a lock', async () => {
    const store = fresh();
    const key = newKey();
    const grave = `${store.prefix}${key}.${(Date.now() - 7_200_000).toString(36)}-00000000000f.tmp`;
    writeFileSync(path.join(directory, grave), lockBody({ pid: process.pid }));
    await store.clearExpired();
    expect(await listing(directory)).not.toContain(grave);
  });

  it('operations of one process on one session queue in memory and leave no lock behind', async () => {
    const { store, key } = await seeded();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 3 === 2
          ? store.touch(key, expiryChange(Date.now() + 60_000, Date.now()))
          : store.update(key, { data: {}, delta: { set: { [`k${i}`]: i }, unset: [] }, meta: metaChange() }),
      ),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(Object.keys((await store.load(key))?.data ?? {})).toHaveLength(21);
    expect(await leftovers(store.prefix, key)).toEqual([]);
  });
});
