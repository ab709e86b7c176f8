import { statSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MetaChange, SessionRecord } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createFileStore, type FileFormat, jsonEnvelopeFormat } from '../src/index.js';
import {
  expiryChange,
  listing,
  makeRecord,
  metaChange,
  newKey,
  randomPrefix,
  rawDataText,
  readRaw,
  scratchDirectory,
  wholeUpdate,
} from './support.js';

const directory = scratchDirectory('files');
const fresh = (options = {}) => createFileStore({ directory, prefix: randomPrefix(), ...options });
const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('file layout', () => {
  it('keeps a session in <directory>/<prefix><key>, and nothing else once the write is done', async () => {
    const store = fresh();
    const key = newKey();
    expect(await store.create(key, makeRecord())).toBe(true);
    expect(store.pathOf(key)).toBe(path.join(directory, `${store.prefix}${key}`));
    expect((await listing(directory)).filter((name) => name.startsWith(store.prefix))).toEqual([
      `${store.prefix}${key}`,
    ]);
    expect(await store.update(key, wholeUpdate({ v: 2 }))).toBe(true);
    expect(await store.touch(key, expiryChange(Date.now() + 60_000, Date.now()))).toBe(true);
    expect((await listing(directory)).filter((name) => name.startsWith(store.prefix))).toEqual([
      `${store.prefix}${key}`,
    ]);
  });

  it('writes the JSON envelope: v, expiresAt, meta, then data', async () => {
    const store = fresh();
    const key = newKey();
    const record: SessionRecord = {
      data: { cart: [1, 2], ü: 'ß' },
      expiresAt: 1_900_000_000_123,
      meta: {
        createdAt: 1_700_000_000_001,
        lastSeenAt: 1_700_000_000_002,
        owner: 'ada',
        deadline: 1_950_000_000_000,
      },
    };
    await store.create(key, record);
    expect(await readRaw(store, key)).toBe(
      '{"v":1,"expiresAt":1900000000123,"meta":{"createdAt":1700000000001,"lastSeenAt":1700000000002,' +
        '"owner":"ada","deadline":1950000000000},"data":{"cart":[1,2],"ü":"ß"}}',
    );
  });

  it('gives files mode 0600 on create, update and touch, whatever the umask', async () => {
    const store = fresh();
    const key = newKey();
    const previous = process.umask(0o000);
    try {
      await store.create(key, makeRecord());
      expect(modeOf(store.pathOf(key) as string)).toBe(0o600);
      await store.update(key, wholeUpdate({ v: 2 }));
      expect(modeOf(store.pathOf(key) as string)).toBe(0o600);
      await store.touch(key, expiryChange(Date.now() + 60_000, Date.now()));
      expect(modeOf(store.pathOf(key) as string)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('gives files the configured fileMode exactly, even under a strict umask', async () => {
    const store = fresh({ fileMode: 0o640 });
    const key = newKey();
    const previous = process.umask(0o077);
    try {
      await store.create(key, makeRecord());
      expect(modeOf(store.pathOf(key) as string)).toBe(0o640);
    } finally {
      process.umask(previous);
    }
  });

  it('sets the mtime to the expiry instant, and moves it on update and touch', async () => {
    const store = fresh();
    const key = newKey();
    const record = makeRecord({}, 7_200_000);
    await store.create(key, record);
    const file = store.pathOf(key) as string;
    expect(Math.abs((await stat(file)).mtimeMs - record.expiresAt)).toBeLessThan(1);
    const updatedTo = Date.now() + 9_000_000;
    await store.update(key, { data: { v: 2 }, meta: expiryChange(updatedTo) });
    expect(Math.abs((await stat(file)).mtimeMs - updatedTo)).toBeLessThan(1);
    const touchedTo = Date.now() + 12_345_678;
    await store.touch(key, expiryChange(touchedTo, Date.now()));
    expect(Math.abs((await stat(file)).mtimeMs - touchedTo)).toBeLessThan(1);
  });

  it('keeps exact milliseconds of expiry, whatever the mtime says', async () => {
    const store = fresh();
    const key = newKey();
    const record = makeRecord();
    record.expiresAt = Math.floor(record.expiresAt / 1000) * 1000 + 987;
    await store.create(key, record);
    expect((await store.load(key))?.expiresAt).toBe(record.expiresAt);
  });

  it('keeps an expiry no file system can hold as an mtime (the mtime stays the write time)', async () => {
    const store = fresh();
    const key = newKey();
    const record = { ...makeRecord(), expiresAt: 8.64e15 };
    await store.create(key, record);
    expect((await store.load(key))?.expiresAt).toBe(8.64e15);
    expect((await stat(store.pathOf(key) as string)).mtimeMs).toBeLessThan(Date.now() + 60_000);
  });

  it('refuses a non-finite expiry with a SessionStoreError, writing nothing', async () => {
    const store = fresh();
    const key = newKey();
    await expect(store.create(key, { ...makeRecord(), expiresAt: Number.NaN })).rejects.toMatchObject({
      name: 'SessionStoreError',
      operation: 'create',
    });
    expect(await readRaw(store, key)).toBeNull();
    expect((await listing(directory)).filter((name) => name.startsWith(store.prefix))).toEqual([]);
  });

  it.each([
    ['createdAt', { createdAt: Number.NaN }],
    ['lastSeenAt', { lastSeenAt: Number.POSITIVE_INFINITY }],
    ['deadline', { deadline: Number.NaN }],
    ['owner', { owner: 42 as unknown as string }],
  ])('refuses meta with a bad %s (it could never be read back), writing nothing', async (_name, bad) => {
    const store = fresh();
    const key = newKey();
    const record = makeRecord();
    await expect(store.create(key, { ...record, meta: { ...record.meta, ...bad } })).rejects.toMatchObject({
      name: 'SessionStoreError',
    });
    expect(await readRaw(store, key)).toBeNull();
  });

  // The contract's update carries a MetaChange (v2), so the bad values arrive as the fields of a change.
  it.each([
    ['now (the new lastSeenAt)', { now: Number.POSITIVE_INFINITY }],
    ['deadline', { deadline: Number.NaN }],
    ['owner', { owner: 42 as unknown as string }],
    ['lifetime', { expiry: { expiresAt: Date.now() + 60_000, lifetime: Number.NaN } }],
    ['link', { next: 7 as unknown as string }],
  ] as [string, Partial<MetaChange>][])(
    'refuses an update whose change has a bad %s, changing nothing',
    async (_name, bad) => {
      const store = fresh();
      const key = newKey();
      const record = makeRecord();
      await store.create(key, record);
      const before = await readRaw(store, key);
      await expect(
        store.update(key, { data: { x: 1 }, meta: metaChange(Date.now(), bad) }),
      ).rejects.toMatchObject({
        name: 'SessionStoreError',
        operation: 'update',
      });
      await expect(store.touch(key, metaChange(Date.now(), bad))).rejects.toMatchObject({
        name: 'SessionStoreError',
        operation: 'touch',
      });
      expect(await readRaw(store, key)).toBe(before);
      expect((await store.load(key))?.meta).toEqual(record.meta);
    },
  );

  it('a file laid out other than the envelope (by hand) is no session, and a write never replaces it', async () => {
    const store = fresh();
    const key = newKey();
    const record = makeRecord({ z: 1, a: [true, null, 'ü'] });
    // Data first, keys unordered, spaces: valid JSON with the envelope's fields, not core's envelope layout.
    const handWritten = `{ "data": {"z": 1, "a": [true, null, "ü"]}, "v": 1, "meta": {"lastSeenAt": ${record.meta.lastSeenAt}, "createdAt": ${record.meta.createdAt}}, "expiresAt": ${record.expiresAt} }`;
    writeFileSync(store.pathOf(key) as string, handWritten, { mode: 0o600 });
    expect(await store.load(key)).toBeNull();
    expect(await store.touch(key, expiryChange(record.expiresAt + 1000, record.meta.lastSeenAt + 5))).toBe(
      false,
    );
    expect(await store.update(key, wholeUpdate({ replaced: true }))).toBe(false);
    expect(await readRaw(store, key)).toBe(handWritten);
  });

  it('the data bytes survive a touch byte for byte', async () => {
    const store = fresh();
    const key = newKey();
    await store.create(key, makeRecord({ n: 1e21, s: '\u2028\ud800', e: {}, '10': 1, b: 2 }));
    const before = rawDataText(await readRaw(store, key));
    await store.touch(key, expiryChange(Date.now() + 99_000, Date.now()));
    expect(rawDataText(await readRaw(store, key))).toBe(before);
  });
});

describe('the clock option', () => {
  it('decides expiry for load, update, touch and clearExpired', async () => {
    let now = Date.now();
    const store = fresh({ clock: { now: () => now } });
    const key = newKey();
    const record = makeRecord({ a: 1 }, 60_000);
    await store.create(key, record);
    expect(await store.load(key)).not.toBeNull();
    now = record.expiresAt;
    expect(await store.load(key)).toBeNull();
    expect(await store.update(key, wholeUpdate())).toBe(false);
    expect(await store.touch(key, expiryChange(now + 60_000, now))).toBe(false);
    expect(await store.clearExpired()).toBe(1);
    expect(await readRaw(store, key)).toBeNull();
  });
});

describe('a pluggable format', () => {
  /** Keeps the expiry only in the mtime, as Django's files do: a touch is a utimes, never a write. */
  const mtimeFormat: FileFormat = {
    name: 'mtime-test',
    isRecordId: (id) => /^[a-z0-9]{8,40}$/.test(id),
    encode: (record) => ({
      content: JSON.stringify({ data: record.data, meta: record.meta }),
      mtimeMs: record.expiresAt,
    }),
    decode(file) {
      const { data, meta } = JSON.parse(file.content.toString('utf8')) as Omit<SessionRecord, 'expiresAt'>;
      return { data, meta: { ...meta, lastSeenAt: meta.lastSeenAt }, expiresAt: Math.round(file.mtimeMs) };
    },
    retime: (_file, _record, head) => ({ mtimeMs: head.expiresAt }),
  };

  it('decides keys and content, and a content-less retime touches with utimes only', async () => {
    const store = fresh({ format: mtimeFormat });
    const key = 'shortkey';
    const record = makeRecord({ via: 'format' });
    expect(await store.create(key, record)).toBe(true);
    expect(JSON.parse((await readRaw(store, key)) as string)).toEqual({
      data: record.data,
      meta: record.meta,
    });
    const { ino } = await stat(store.pathOf(key) as string);
    const before = await readFile(store.pathOf(key) as string);
    const expiresAt = Date.now() + 5_000_000;
    expect(await store.touch(key, expiryChange(expiresAt, Date.now()))).toBe(true);
    const after = await stat(store.pathOf(key) as string);
    expect(after.ino).toBe(ino);
    expect(Math.abs(after.mtimeMs - expiresAt)).toBeLessThan(1);
    expect(await readFile(store.pathOf(key) as string)).toEqual(before);
    expect(await store.load('../shortkey')).toBeNull();
    expect(store.pathOf('UPPER')).toBeNull();
    expect(jsonEnvelopeFormat.isRecordId(key)).toBe(false);
  });
});
