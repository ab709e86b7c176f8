import { djangoLoads } from '@sess/core/codecs';
import { withSecondsExpiry } from '@sess/core/store';
import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import { describeExpiryReadByDjango, djangoAtLeast } from '../../django-interop/src/index.js';
import {
  COOKIE_AGE,
  managerFor,
  mtimeOf,
  nodeRequest,
  openDjangoFileWorld,
  sessionFile,
  setMtimeOf,
} from './django-support.js';

/**
 * Expiry of Django's session files between Node and a real Django: the mtime plus SESSION_COOKIE_AGE,
 * `_session_expiry` in all its forms, and the int form older Django needs.
 */
const world = await openDjangoFileWorld('expiry');
const { django, version } = world;
const store = world.store();
const manager = managerFor(store);
const readsIso = djangoAtLeast(django.version, 4, 1);

/** The data of a file as signed, decoded with the project's key (what any reader of the directory sees). */
async function storedData(key: string): Promise<Record<string, unknown>> {
  const opened = djangoLoads((await sessionFile(world, key)) as string, {
    secret: world.secretKey,
    salt: 'django.contrib.sessions.SessionStore',
  });
  if (!opened.ok) throw new Error(`file of ${key} does not verify: ${opened.reason}`);
  return opened.value as Record<string, unknown>;
}

describe('the mtime dates a file, for both sides', () => {
  it('Node writes the save time as mtime, as Django does, so Django computes the same expiry', async () => {
    const before = Date.now();
    const key = (await nodeRequest(manager, null, (session) => session.set('a', 1))).cookieKey as string;
    const mtime = await mtimeOf(world, key);
    expect(mtime).toBeGreaterThanOrEqual(before - 1);
    expect(mtime).toBeLessThanOrEqual(Date.now() + 1);
    expect((await store.load(key))?.expiresAt).toBe(Math.round(mtime) + COOKIE_AGE * 1000);
  });

  it('a file older than SESSION_COOKIE_AGE is expired for both, and neither adopts its key', async () => {
    const fromNode = (await nodeRequest(manager, null, (session) => session.set('a', 1))).cookieKey as string;
    const fromDjango = (await django.createSession({ b: 2 })).key as string;
    for (const key of [fromNode, fromDjango]) {
      await setMtimeOf(world, key, Date.now() - COOKIE_AGE * 1000 - 1000);
      expect(await store.load(key)).toBeNull();
      const response = await nodeRequest(manager, key, (session) => {
        expect(session.size).toBe(0);
        session.set('fresh', true);
      });
      expect(response.cookieKey).toMatch(/^[a-z0-9]{32}$/);
      expect(response.cookieKey).not.toBe(key);
      // Django's load finds it expired, deletes it, and starts over under a new key.
      const seen = await django.loadSession(key);
      expect(seen.key).not.toBe(key);
      expect(seen.data).toEqual({});
      expect(await sessionFile(world, key)).toBeNull();
    }
  });

  it('a file just inside SESSION_COOKIE_AGE is live for both', async () => {
    const key = (await django.createSession({ b: 2 })).key as string;
    await setMtimeOf(world, key, Date.now() - COOKIE_AGE * 1000 + 60_000);
    expect((await store.load(key))?.data).toEqual({ b: 2 });
    expect(await django.loadSession(key)).toMatchObject({ key, data: { b: 2 } });
  });

  it('a touch moves only the mtime: the content stays byte for byte, and Django’s expiry follows', async () => {
    // Node's clock runs 100 s behind: its files are already past a 60-second SESSION_COOKIE_AGE for Django.
    const behind = world.store({ cookieAge: 60, clock: createTestClock(Date.now() - 100_000) });
    const shortDjango = await world.otherDjango(world.secretKey, [], { SESSION_COOKIE_AGE: 60 });
    const record = (now: number) => ({
      data: { a: 1 },
      expiresAt: now + 60_000,
      meta: { createdAt: now, lastSeenAt: now },
    });
    const touched = 't'.repeat(32);
    const untouched = 'u'.repeat(32);
    const then = Date.now() - 100_000;
    expect(await behind.create(touched, record(then))).toBe(true);
    expect(await behind.create(untouched, record(then))).toBe(true);
    const content = await sessionFile(world, touched);

    const now = Date.now();
    expect(await behind.touch(touched, { now, defaultLifetime: 60 })).toBe(true);
    expect(await sessionFile(world, touched)).toBe(content);
    expect(Math.round(await mtimeOf(world, touched))).toBe(now);

    expect(await shortDjango.loadSession(touched)).toMatchObject({ key: touched, data: { a: 1 } });
    const gone = await shortDjango.loadSession(untouched);
    expect(gone.key).not.toBe(untouched);
    expect(gone.data).toEqual({});
  });

  it('clearExpired() removes expired files, Django’s and ours, and keeps live ones; Django’s does the same', async () => {
    const live = (await django.createSession({ live: true })).key as string;
    const dead = (await django.createSession({ dead: true })).key as string;
    await setMtimeOf(world, dead, Date.now() - COOKIE_AGE * 1000 - 5000);
    expect(await store.clearExpired()).toBeGreaterThanOrEqual(1);
    expect(await sessionFile(world, dead)).toBeNull();
    expect((await django.loadSession(live)).data).toEqual({ live: true });

    const ours = (await nodeRequest(manager, null, (session) => session.set('n', 1))).cookieKey as string;
    const oursDead = (await nodeRequest(manager, null, (session) => session.set('n', 2))).cookieKey as string;
    await setMtimeOf(world, oursDead, Date.now() - COOKIE_AGE * 1000 - 5000);
    await django.run([{ op: 'clearExpired' }]);
    expect(await sessionFile(world, oursDead)).toBeNull();
    expect((await store.load(ours))?.data).toEqual({ n: 1 });
  });
});

describe('expiry set by Django, read and kept by Node', () => {
  it('set_expiry(300): an inactivity age from the mtime, which Node reads and every save renews', async () => {
    const key = (await django.createSession({ a: 1 }, { expiry: 300 })).key as string;
    expect((await store.load(key))?.expiresAt).toBe(Math.round(await mtimeOf(world, key)) + 300_000);
    let age: number | undefined;
    const before = Date.now();
    const response = await nodeRequest(manager, key, (session) => {
      age = session.getExpiryAge();
      session.set('b', 2);
    });
    expect(age).toBe(300);
    expect(response.setCookie).toContain('Max-Age=300');
    expect(await mtimeOf(world, key)).toBeGreaterThanOrEqual(before - 1);
    expect(await mtimeOf(world, key)).toBeLessThanOrEqual(Date.now() + 1);
    const back = await django.loadSession(key);
    expect(back).toMatchObject({ data: { a: 1, b: 2, _session_expiry: 300 }, expiryAge: 300 });
  });

  it('set_expiry(300) and 301 seconds without a save: Node drops it (Django’s file backend would not)', async () => {
    const key = (await django.createSession({ a: 1 }, { expiry: 300 })).key as string;
    await setMtimeOf(world, key, Date.now() - 301_000);
    expect(await store.load(key)).toBeNull();
    // Django's file backend compares the number 300 itself with 0: it keeps the file. Its cookie, sent
    // with Max-Age=300 at the last save, is gone from the browser by now anyway.
    expect(await django.loadSession(key)).toMatchObject({ key, data: { a: 1, _session_expiry: 300 } });
  });

  it('set_expiry(0): a browser-session cookie in Node, the default age on the server', async () => {
    const key = (await django.createSession({ a: 1 }, { expiry: 0 })).key as string;
    let atClose: boolean | undefined;
    const response = await nodeRequest(manager, key, (session) => {
      atClose = session.getExpireAtBrowserClose();
      session.set('b', 2);
    });
    expect(atClose).toBe(true);
    expect(response.setCookie).not.toMatch(/Max-Age|Expires/i);
    expect((await store.load(key))?.expiresAt).toBe(
      Math.round(await mtimeOf(world, key)) + COOKIE_AGE * 1000,
    );
    expect(await django.loadSession(key)).toMatchObject({ expireAtBrowserClose: true });
  });

  it('set_expiry(-10): expired at once for Node', async () => {
    const [created] = await django.run([{ op: 'create', data: { a: 1 }, expiry: -10 }]);
    expect(created.ok).toBe(true);
    // Django's own create reloads nothing, so the file is there, already expired.
    const key = (created.ok && created.key) as string;
    expect(await sessionFile(world, key)).not.toBeNull();
    expect(await store.load(key)).toBeNull();
  });

  it(`set_expiry(datetime) in Django ${version}: ${
    readsIso ? 'stored as an ISO instant, which Node reads' : 'Django < 4.1 cannot store it (TypeError)'
  }`, async () => {
    const instant = new Date(Date.now() + 3_600_000);
    instant.setUTCMilliseconds(0);
    const [created] = await django.run([
      { op: 'create', data: { a: 1 }, expiry: { datetime: instant.toISOString().replace('Z', '+00:00') } },
    ]);
    if (!readsIso) {
      expect(created).toMatchObject({ ok: false, error: 'TypeError' });
      expect(!created.ok && created.message).toContain('not JSON serializable');
      return;
    }
    expect(created.ok).toBe(true);
    const key = (created.ok && created.key) as string;
    let date: Date | undefined;
    await nodeRequest(manager, key, (session) => {
      date = session.getExpiryDate();
    });
    expect(date?.getTime()).toBe(instant.getTime());
    expect((await store.load(key))?.expiresAt).toBe(instant.getTime());
  });
});

describeExpiryReadByDjango({
  django,
  version,
  manager,
  isoManager: () => managerFor(world.store({ version: '5.2' })),
  storedData,
  breaks: 'file backend',
});

describe('withSecondsExpiry (the form for a Django older than 4.1)', () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0);
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

  it.each([
    ['an instant one hour ahead', iso(now + 3_600_000), 3600],
    ['an instant 1.5 s ahead (rounded up)', iso(now + 1_500), 2],
    ['an instant 1 ms ahead (never 0, which means browser close)', iso(now + 1), 1],
    ['the instant itself (expired, never 0)', iso(now), -1],
    ['an instant 10.5 s ago', iso(now - 10_500), -10],
    ['an offset other than UTC', '2030-01-01T15:00:00+02:00', 3600],
    ['a Date object', new Date(now + 60_000), 60],
  ])('%s', (_name, expiry, seconds) => {
    expect(withSecondsExpiry({ a: 1, _session_expiry: expiry, z: 2 }, now)).toEqual({
      a: 1,
      _session_expiry: seconds,
      z: 2,
    });
  });

  it('leaves ints, 0 and data without an expiry as they are, and drops a text that is no date', () => {
    const plain = { a: 1 };
    expect(withSecondsExpiry(plain, now)).toBe(plain);
    const seconds = { _session_expiry: 300 };
    expect(withSecondsExpiry(seconds, now)).toBe(seconds);
    expect(withSecondsExpiry({ a: 1, _session_expiry: 'tomorrow' }, now)).toEqual({ a: 1 });
  });
});
