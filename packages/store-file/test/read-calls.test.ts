import { execFileSync } from 'node:child_process';
import fs, { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFileStore, type FileFormat, jsonEnvelopeFormat } from '../src/index.js';
import { listing, makeRecord, newKey, randomPrefix, scratchDirectory, wholeUpdate } from './support.js';

const directory = scratchDirectory('read-calls');
afterEach(() => vi.restoreAllMocks());

/** Runs `body` counting the store's `fstat` calls and the opens of lock files. */
async function counted(body: () => Promise<unknown>): Promise<{ fstat: number; lockOpens: number }> {
  const fstat = vi.spyOn(fs, 'fstat');
  const open = vi.spyOn(fs, 'open');
  await body();
  const lockOpens = open.mock.calls.filter(([file]) => String(file).endsWith('.lock')).length;
  return { fstat: fstat.mock.calls.length, lockOpens };
}

describe('reading sessions', () => {
  it('the native format loads and updates without asking for the file times (its expiry is inside)', async () => {
    const store = createFileStore({ directory, prefix: randomPrefix() });
    const key = newKey();
    await store.create(key, makeRecord({ v: 1 }));
    const load = await counted(async () => expect((await store.load(key))?.data).toEqual({ v: 1 }));
    expect(load.fstat).toBe(0);
    const update = await counted(async () =>
      expect(await store.update(key, wholeUpdate({ v: 2 }))).toBe(true),
    );
    expect(update.fstat).toBe(0);
    expect((await store.load(key))?.data).toEqual({ v: 2 });
  });

  it('a format made from the native one with its own decode gets the real mtime on every read', async () => {
    const seen: number[] = [];
    const timed: FileFormat = {
      ...jsonEnvelopeFormat,
      decode(file) {
        seen.push(file.mtimeMs);
        return jsonEnvelopeFormat.decode(file);
      },
    };
    const store = createFileStore({ directory, prefix: randomPrefix(), format: timed });
    const key = newKey();
    const record = makeRecord({ v: 1 });
    await store.create(key, record);
    await store.load(key);
    await store.update(key, wholeUpdate({ v: 2 }));
    expect(seen).toHaveLength(2);
    // The native encoding sets the file's mtime to the expiry (to the file system's precision).
    for (const mtime of seen) expect(Math.abs(mtime - record.expiresAt)).toBeLessThan(2000);
  });

  it('a session name that is a directory is no session, with or without the file times', async () => {
    for (const format of [jsonEnvelopeFormat, { ...jsonEnvelopeFormat }]) {
      const store = createFileStore({ directory, prefix: randomPrefix(), format });
      const key = newKey();
      mkdirSync(store.pathOf(key) as string);
      expect(await store.load(key)).toBeNull();
      expect(await store.update(key, wholeUpdate({ v: 1 }))).toBe(false);
    }
  });

  it.runIf(process.platform !== 'win32')(
    'a FIFO under a session name is no session, and neither a load nor a sweep waits for a writer',
    async () => {
      const store = createFileStore({ directory, prefix: randomPrefix() });
      const key = newKey();
      execFileSync('mkfifo', [store.pathOf(key) as string]);
      expect(await store.load(key)).toBeNull();
      expect(await store.update(key, wholeUpdate({ v: 1 }))).toBe(false);
      expect(await store.destroy(key)).toBeNull();
      await store.clearExpired();
      expect(await store.create(key, makeRecord({ v: 1 }))).toBe(false);
    },
    5000,
  );

  it('a session longer than one read is read whole', async () => {
    const store = createFileStore({ directory, prefix: randomPrefix() });
    const key = newKey();
    const long = 'x'.repeat(50_000);
    await store.create(key, makeRecord({ long }));
    expect((await store.load(key))?.data).toEqual({ long });
    expect(await store.update(key, wholeUpdate({ long, more: 1 }))).toBe(true);
    expect((await store.load(key))?.data).toEqual({ long, more: 1 });
  });

  it('a format that says usesMtime: false is read without the file times', async () => {
    const store = createFileStore({
      directory,
      prefix: randomPrefix(),
      format: { ...jsonEnvelopeFormat, usesMtime: false },
    });
    const key = newKey();
    await store.create(key, makeRecord({ v: 1 }));
    const load = await counted(async () => expect((await store.load(key))?.data).toEqual({ v: 1 }));
    expect(load.fstat).toBe(0);
  });
});

describe('the lock of an update', () => {
  it('is read once, just before the rename, and removed after it without another look', async () => {
    const prefix = randomPrefix();
    const store = createFileStore({ directory, prefix });
    const key = newKey();
    await store.create(key, makeRecord({ v: 1 }));
    const update = await counted(async () =>
      expect(await store.update(key, wholeUpdate({ v: 2 }))).toBe(true),
    );
    expect(update.lockOpens).toBe(1);
    expect((await listing(directory)).filter((name) => name.startsWith(prefix))).toEqual([`${prefix}${key}`]);
  });

  it('is still looked at before its removal when the change was abandoned (it may be someone else’s)', async () => {
    const prefix = randomPrefix();
    let store = createFileStore({ directory, prefix });
    const key = newKey();
    const foreign = JSON.stringify({
      pid: process.pid,
      host: 'elsewhere.invalid',
      at: Date.now(),
      token: 'f00d',
    });
    const usurping: FileFormat = {
      ...jsonEnvelopeFormat,
      encode(record) {
        writeFileSync(`${store.pathOf(key)}.lock`, foreign);
        return jsonEnvelopeFormat.encode(record);
      },
    };
    store = createFileStore({ directory, prefix, format: usurping });
    await jsonStoreCreate(directory, prefix, key);
    await expect(store.update(key, wholeUpdate({ v: 2 }))).rejects.toThrow(/broken as stale/);
    expect(fs.readFileSync(`${store.pathOf(key)}.lock`, 'utf8')).toBe(foreign);
  });
});

async function jsonStoreCreate(dir: string, prefix: string, key: string): Promise<void> {
  await createFileStore({ directory: dir, prefix }).create(key, makeRecord({ v: 1 }));
}
