import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { CapabilityMissing } from '@sess/core';
import { hashSessionKey } from '@sess/core/store';
import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import { createDjangoFileStore } from '../src/index.js';
import { metaChange, scratchDirectory } from './support.js';

/**
 * Contract v2 in Django mode: files keep only Django's data, so a record's lifetime is what its
 * `_session_expiry` says, a refresh slides by it, a destroy answers with what the file told, and
 * metadata Django cannot keep (owners, deadlines, rotation links) is refused, also in a touch.
 */
const directory = scratchDirectory('django-changes');
const secretKey = 'django-insecure-changes-test';
const TWO_WEEKS = 1_209_600;

function world() {
  const clock = createTestClock(Date.now());
  const store = createDjangoFileStore({
    directory,
    secretKey,
    clock,
    cookieName: `s${randomBytes(3).toString('hex')}`,
  });
  const seed = async (data: Record<string, unknown>): Promise<string> => {
    const key = randomBytes(16).toString('hex');
    const now = clock.now();
    const record = { data, expiresAt: now + TWO_WEEKS * 1000, meta: { createdAt: now, lastSeenAt: now } };
    if (typeof data._session_expiry === 'number') record.expiresAt = now + data._session_expiry * 1000;
    expect(await store.create(key, record)).toBe(true);
    return key;
  };
  const mtimeOf = async (key: string) => Math.round((await stat(store.pathOf(key) as string)).mtimeMs);
  return { clock, store, seed, mtimeOf };
}

describe('Django mode under contract v2', () => {
  it('a record’s lifetime is its _session_expiry: a stale write or a touch slides it by 300 s, not two weeks', async () => {
    const { clock, store, seed, mtimeOf } = world();
    const key = await seed({ a: 1, _session_expiry: 300 });
    expect((await store.load(key))?.meta.lifetime).toBe(300);
    clock.advance(100);
    expect(
      await store.update(key, { data: { a: 2, _session_expiry: 300 }, meta: metaChange(clock.now()) }),
    ).toBe(true);
    expect((await store.load(key))?.expiresAt).toBe(clock.now() + 300_000);
    expect(await mtimeOf(key)).toBe(clock.now());
    clock.advance(100);
    expect(await store.touch(key, metaChange(clock.now()))).toBe(true);
    expect((await store.load(key))?.expiresAt).toBe(clock.now() + 300_000);
    clock.advance(301);
    expect(await store.load(key)).toBeNull();
  });

  it('an ISO _session_expiry is a fixed instant: lifetime 0, and no refresh moves it', async () => {
    const { clock, store, seed } = world();
    const instant = Math.floor(clock.now() / 1000) * 1000 + 3_600_000;
    const iso = new Date(instant).toISOString().replace('Z', '+00:00');
    const key = await seed({ _session_expiry: iso });
    expect((await store.load(key))?.meta.lifetime).toBe(0);
    clock.advance(60);
    expect(await store.touch(key, metaChange(clock.now()))).toBe(true);
    expect((await store.load(key))?.expiresAt).toBe(instant);
  });

  it('destroy returns what the file said (its mtime, its lifetime) and removes it; null when there is none', async () => {
    const { clock, store, seed } = world();
    const key = await seed({ a: 1, _session_expiry: 600 });
    expect(await store.destroy(key)).toEqual({
      createdAt: clock.now(),
      lastSeenAt: clock.now(),
      lifetime: 600,
    });
    expect(await readFile(store.pathOf(key) as string).catch(() => null)).toBeNull();
    expect(await store.destroy(key)).toBeNull();
  });

  it.each([
    ['an owner', { owner: 'u1' }, /session owners/],
    ['a deadline', { deadline: Date.now() + 1000 }, /absolute deadlines/],
    ['a rotation link', { next: 'n'.repeat(32) }, /rotation links/],
  ])(
    'a touch or update carrying %s is refused with CapabilityMissing, changing nothing',
    async (_name, extra, message) => {
      const { clock, store, seed, mtimeOf } = world();
      const key = await seed({ a: 1 });
      const before = await readFile(store.pathOf(key) as string);
      const mtime = await mtimeOf(key);
      clock.advance(5);
      for (const attempt of [
        () => store.touch(key, metaChange(clock.now(), extra)),
        () => store.update(key, { data: { a: 2 }, meta: metaChange(clock.now(), extra) }),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(CapabilityMissing);
        expect((error as Error).message).toMatch(message);
      }
      expect(await readFile(store.pathOf(key) as string)).toEqual(before);
      expect(await mtimeOf(key)).toBe(mtime);
    },
  );

  it('an owner cleared (null) is nothing to refuse: Django mode never had one', async () => {
    const { clock, store, seed } = world();
    const key = await seed({ a: 1 });
    expect(await store.touch(key, metaChange(clock.now(), { owner: null, next: null }))).toBe(true);
  });

  it('a 40-character hashed id is no record id here (Django finds files by the raw key): it never reaches the disk', async () => {
    const { clock, store } = world();
    const id = hashSessionKey(randomBytes(16).toString('hex'));
    const now = clock.now();
    const record = { data: { a: 1 }, expiresAt: now + 60_000, meta: { createdAt: now, lastSeenAt: now } };
    await expect(store.create(id, record)).rejects.toMatchObject({ name: 'SessionStoreError' });
    expect(store.pathOf(id)).toBeNull();
    expect(await store.load(id)).toBeNull();
    expect(await store.update(id, { data: {}, meta: metaChange(now) })).toBe(false);
    expect(await store.touch(id, metaChange(now))).toBe(false);
    expect(await store.destroy(id)).toBeNull();
    expect(store.capabilities.sharedKeys).toBe(true);
  });
});
