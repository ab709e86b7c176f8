import { createSessionManager } from '@sess/core';
import type { RecordMeta, SessionData, SessionDelta } from '@sess/core/store';
import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import { nodeRequest } from '../../django-interop/src/index.js';
import { createFileStore } from '../src/index.js';
import {
  DEFAULT_LIFETIME,
  metaChange,
  newKey,
  randomPrefix,
  rawDataText,
  readRaw,
  scratchDirectory,
} from './support.js';

/**
 * The rules of a `MetaChange` (contract v2) on files: every write carries only what its request changed,
 * and the store applies it to the file as it is when the write lands (under the session's lock), so a
 * request holding a stale copy never undoes another's expiry, owner binding, deadline or links.
 */
const directory = scratchDirectory('meta');
const DAY = 86_400_000;

function world() {
  const clock = createTestClock(Date.now());
  const store = createFileStore({ directory, prefix: randomPrefix(), clock });
  /** A record created now with the default lifetime, `meta` added. */
  const seed = async (meta: Partial<RecordMeta> = {}, data: SessionData = { n: 0 }): Promise<string> => {
    const id = newKey();
    const now = clock.now();
    const record = {
      data,
      expiresAt: now + DEFAULT_LIFETIME * 1000,
      meta: { createdAt: now, lastSeenAt: now, ...meta },
    };
    expect(await store.create(id, record)).toBe(true);
    return id;
  };
  const delta = (set: SessionData): SessionDelta => ({ set, unset: [] });
  return { clock, store, seed, delta };
}

describe('the expiry', () => {
  it('issue 15 §3: a stale writer after a setExpiry(60) write keeps the 60-second lifetime', async () => {
    const { clock, store, seed, delta } = world();
    const id = await seed();
    // A sets a 60-second idle lifetime; B, which loaded the session before, saves afterwards.
    const a = metaChange(clock.now(), { expiry: { expiresAt: clock.now() + 60_000, lifetime: 60 } });
    expect(await store.update(id, { data: { n: 0, a: 1 }, delta: delta({ a: 1 }), meta: a })).toBe(true);
    clock.advance(5);
    expect(
      await store.update(id, { data: { n: 0, b: 2 }, delta: delta({ b: 2 }), meta: metaChange(clock.now()) }),
    ).toBe(true);
    const loaded = await store.load(id);
    expect(loaded?.expiresAt).toBe(clock.now() + 60_000);
    expect(loaded?.meta.lifetime).toBe(60);
    expect(loaded?.data).toEqual({ n: 0, a: 1, b: 2 });
    // A touch from a third stale request slides it by 60 s too, never by the default two weeks.
    clock.advance(30);
    expect(await store.touch(id, metaChange(clock.now()))).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(clock.now() + 60_000);
    // An hour later the session is gone.
    clock.advance(3600);
    expect(await store.load(id)).toBeNull();
    expect(await store.update(id, { data: {}, meta: metaChange(clock.now()) })).toBe(false);
  });

  it('issue 15 §3 through the manager: a request that loaded before setExpiry(60) and saves after keeps it', async () => {
    const { clock, store } = world();
    const manager = createSessionManager({ store, clock });
    const key = (await nodeRequest(manager, null, (session) => session.set('n', 0))).cookieKey as string;
    const cookieHeader = `sessionid=${key}`;
    const late = manager.open({ cookieHeader });
    const lateSession = await late.load();
    const early = manager.open({ cookieHeader });
    (await early.load()).setExpiry(60);
    await early.commit(200);
    clock.advance(2);
    lateSession.set('late', true);
    await late.commit(200);
    const stored = await store.load(key);
    expect(stored?.meta.lifetime).toBe(60);
    expect(stored?.expiresAt).toBe(clock.now() + 60_000);
    expect(stored?.data).toMatchObject({ _session_expiry: 60, late: true });
    clock.advance(3600);
    let seen: unknown = 'not loaded';
    await nodeRequest(manager, key, (session) => {
      seen = session.get('late');
    });
    expect(seen).toBeUndefined();
    expect(await store.load(key)).toBeNull();
  });

  it('a refresh without a lifetime of its own slides by the change’s default lifetime', async () => {
    const { clock, store, seed } = world();
    const id = await seed();
    clock.advance(100);
    expect(await store.touch(id, { now: clock.now(), defaultLifetime: 3600 })).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(clock.now() + 3_600_000);
  });

  it('a fixed instant (lifetime 0) is moved by no refresh, only by a write that sets the expiry', async () => {
    const { clock, store, seed, delta } = world();
    const id = await seed();
    const instant = clock.now() + 600_000;
    const fixed = metaChange(clock.now(), { expiry: { expiresAt: instant, lifetime: 0 } });
    expect(await store.touch(id, fixed)).toBe(true);
    clock.advance(60);
    expect(await store.update(id, { data: {}, delta: delta({ x: 1 }), meta: metaChange(clock.now()) })).toBe(
      true,
    );
    expect(await store.touch(id, metaChange(clock.now()))).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(instant);
    expect((await store.load(id))?.meta.lastSeenAt).toBe(clock.now());
  });

  it('an expiry with lifetime null removes the stored lifetime: refreshes use the default again', async () => {
    const { clock, store, seed } = world();
    const id = await seed({ lifetime: 60 });
    const back = metaChange(clock.now(), { expiry: { expiresAt: clock.now() + 60_000, lifetime: null } });
    expect(await store.update(id, { data: { n: 1 }, meta: back })).toBe(true);
    expect((await store.load(id))?.meta).not.toHaveProperty('lifetime');
    clock.advance(10);
    expect(await store.touch(id, metaChange(clock.now()))).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(clock.now() + DEFAULT_LIFETIME * 1000);
  });
});

describe('owner, deadline and creation time', () => {
  it('issue 15 §2: an owner bound by one request survives a stale writer; only null unbinds it', async () => {
    const { clock, store, seed } = world();
    const id = await seed();
    expect(await store.update(id, { data: {}, meta: metaChange(clock.now(), { owner: 'alice' }) })).toBe(
      true,
    );
    expect(await store.update(id, { data: { stale: 1 }, meta: metaChange(clock.now()) })).toBe(true);
    expect(await store.touch(id, metaChange(clock.now()))).toBe(true);
    expect((await store.load(id))?.meta.owner).toBe('alice');
    expect(await store.touch(id, metaChange(clock.now(), { owner: 'bob' }))).toBe(true);
    expect((await store.load(id))?.meta.owner).toBe('bob');
    expect(await store.update(id, { data: {}, meta: metaChange(clock.now(), { owner: null }) })).toBe(true);
    expect((await store.load(id))?.meta).not.toHaveProperty('owner');
  });

  it('a deadline is written only by a request that found none, and caps every refresh', async () => {
    const { clock, store, seed } = world();
    const id = await seed();
    const deadline = clock.now() + DAY;
    expect(await store.touch(id, metaChange(clock.now(), { deadline }))).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(deadline);
    expect(await store.touch(id, metaChange(clock.now(), { deadline: deadline + DAY }))).toBe(true);
    expect((await store.load(id))?.meta.deadline).toBe(deadline);
    clock.advance(60);
    expect(await store.update(id, { data: {}, meta: metaChange(clock.now()) })).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(deadline);
  });

  it('createdAt never changes, lastSeenAt is the instant of the last write', async () => {
    const { clock, store, seed } = world();
    const createdAt = clock.now();
    const id = await seed();
    clock.advance(7);
    expect(await store.update(id, { data: {}, meta: metaChange(clock.now()) })).toBe(true);
    clock.advance(7);
    expect(await store.touch(id, metaChange(clock.now()))).toBe(true);
    expect((await store.load(id))?.meta).toMatchObject({ createdAt, lastSeenAt: clock.now() });
  });
});

describe('rotation links', () => {
  it('a touch sets, keeps and clears links without touching the data bytes', async () => {
    const { clock, store, seed, delta } = world();
    const id = await seed({}, { z: [1, 'ü'], a: { deep: true } });
    const bytes = rawDataText(await readRaw(store, id));
    const next = 'n'.repeat(40);
    const previous = 'p'.repeat(32);
    expect(await store.touch(id, metaChange(clock.now(), { next, previous }))).toBe(true);
    expect(rawDataText(await readRaw(store, id))).toBe(bytes);
    expect((await store.load(id))?.meta).toMatchObject({ next, previous });
    expect(await store.update(id, { data: {}, delta: delta({ c: 1 }), meta: metaChange(clock.now()) })).toBe(
      true,
    );
    expect((await store.load(id))?.meta).toMatchObject({ next, previous });
    expect(await store.touch(id, metaChange(clock.now(), { next: null }))).toBe(true);
    const meta = (await store.load(id))?.meta;
    expect(meta).not.toHaveProperty('next');
    expect(meta?.previous).toBe(previous);
  });
});

describe('destroy', () => {
  it('returns the metadata as it was (owner, lifetime, links), and the record is gone', async () => {
    const { clock, store, seed } = world();
    const id = await seed({ owner: 'ada', lifetime: 300, previous: 'q'.repeat(40) });
    clock.advance(3);
    expect(await store.touch(id, metaChange(clock.now(), { next: 'r'.repeat(40) }))).toBe(true);
    const meta = await store.destroy(id);
    expect(meta).toEqual({
      createdAt: clock.now() - 3000,
      lastSeenAt: clock.now(),
      owner: 'ada',
      lifetime: 300,
      previous: 'q'.repeat(40),
      next: 'r'.repeat(40),
    });
    expect(await readRaw(store, id)).toBeNull();
    expect(await store.destroy(id)).toBeNull();
  });

  it('answers null for an id never stored, and for an expired record, whose file it removes', async () => {
    const { clock, store, seed } = world();
    expect(await store.destroy(newKey())).toBeNull();
    const id = await seed();
    clock.advance(DEFAULT_LIFETIME + 1);
    expect(await readRaw(store, id)).not.toBeNull();
    expect(await store.destroy(id)).toBeNull();
    expect(await readRaw(store, id)).toBeNull();
  });
});
