import { djangoLoads } from '@sess/core/codecs';
import { withSecondsExpiry } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { describeExpiryReadByDjango, djangoAtLeast } from '../../django-interop/src/index.js';
import { djangoRow, managerFor, nodeRequest, openDjangoWorld } from './django-support.js';

/** `_session_expiry` in all its forms, between Node and a real Django, and the int form older Django needs. */
const world = await openDjangoWorld('store_db_django_expiry');
const { django, version } = world;
const manager = managerFor(world.store());
const readsIso = djangoAtLeast(django.version, 4, 1);
const COOKIE_AGE = 1_209_600;

/** The data of a row as signed, decoded with the project's key (what any reader of the table sees). */
async function storedData(key: string): Promise<Record<string, unknown>> {
  const row = await djangoRow(world, key);
  const opened = djangoLoads(row?.sessionData as string, {
    secret: world.secretKey,
    salt: 'django.contrib.sessions.SessionStore',
  });
  if (!opened.ok) throw new Error(`row of ${key} does not verify: ${opened.reason}`);
  return opened.value as Record<string, unknown>;
}

/** Asserts the row's expire_date lies `seconds` after some instant between `before` and now. */
async function expectExpiresIn(key: string, before: number, seconds: number): Promise<void> {
  const expireDate = (await djangoRow(world, key))?.expireDate.getTime() as number;
  expect(expireDate).toBeGreaterThanOrEqual(before + seconds * 1000 - 1000);
  expect(expireDate).toBeLessThanOrEqual(Date.now() + seconds * 1000);
}

describe('expiry set by Django, read and kept by Node', () => {
  it('set_expiry(300): an inactivity age Node reads, and every save renews', async () => {
    const key = (await django.createSession({ a: 1 }, { expiry: 300 })).key as string;
    let age: number | undefined;
    const before = Date.now();
    const response = await nodeRequest(manager, key, (session) => {
      age = session.getExpiryAge();
      session.set('b', 2);
    });
    expect(age).toBe(300);
    expect(response.setCookie).toContain('Max-Age=300');
    await expectExpiresIn(key, before, 300);
    const back = await django.loadSession(key);
    expect(back).toMatchObject({ data: { a: 1, b: 2, _session_expiry: 300 }, expiryAge: 300 });
  });

  it('set_expiry(0): a browser-session cookie in Node, the default age on the server', async () => {
    const key = (await django.createSession({ a: 1 }, { expiry: 0 })).key as string;
    let atClose: boolean | undefined;
    const before = Date.now();
    const response = await nodeRequest(manager, key, (session) => {
      atClose = session.getExpireAtBrowserClose();
      session.set('b', 2);
    });
    expect(atClose).toBe(true);
    expect(response.setCookie).not.toMatch(/Max-Age|Expires/i);
    await expectExpiresIn(key, before, COOKIE_AGE);
    expect(await django.loadSession(key)).toMatchObject({ expireAtBrowserClose: true });
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
  });
});

describeExpiryReadByDjango({
  django,
  version,
  manager,
  isoManager: () => managerFor(world.store({ version: '5.2' })),
  storedData,
  breaks: 'middleware',
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
    ['microseconds, as Python writes them', '2030-01-01T12:00:09.999999+00:00', 10],
    ['a Date object', new Date(now + 60_000), 60],
  ])('%s', (_name, expiry, seconds) => {
    expect(withSecondsExpiry({ a: 1, _session_expiry: expiry, z: 2 }, now)).toEqual({
      a: 1,
      _session_expiry: seconds,
      z: 2,
    });
  });

  it('leaves ints, 0 and data without an expiry as they are, and drops a text that is no date', () => {
    for (const data of [{ _session_expiry: 300 }, { _session_expiry: 0 }, { a: 1 }]) {
      expect(withSecondsExpiry(data, now)).toBe(data);
    }
    expect(withSecondsExpiry({ a: 1, _session_expiry: 'tomorrow' }, now)).toEqual({ a: 1 });
  });
});
