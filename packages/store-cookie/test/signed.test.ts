import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { DJANGO_SIGNED_COOKIES_SALT, djangoDumps, djangoLoads } from '@sess/core/codecs';
import type { SessionBackend } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { type CookieStoreOptions, createCookieStore } from '../src/index.js';
import { Browser, bind, jarOf, NEW_SECRET, NOTHING_OPENED, setup, visit, writeOf } from './support.js';

interface DjangoVector {
  id: number;
  secret_key: string;
  frozen_unix_time: number;
  input: Record<string, unknown>;
  signed_cookie: { salt: string; compressed: boolean; output: string };
}

/** Django 3.2.25's own output, recorded in core's fixtures (see reference/django-sessions.md §5.5). */
const vectors = (
  JSON.parse(
    readFileSync(new URL('../../core/test/fixtures/django-vectors.json', import.meta.url), 'utf8'),
  ) as { vectors: DjangoVector[] }
).vectors;
// Vectors 4 and 5 were deflated by vanilla zlib, which Node's bundled zlib does not reproduce byte for byte.
const byteExact = vectors.filter((vector) => vector.id <= 3);
const named = (list: DjangoVector[]) => list.map((vector) => [`vector ${vector.id}`, vector] as const);
const TWO_WEEKS = 1_209_600;
const DJANGO_NEW_KEY = 'django-insecure-rotated-key-0002';
const vector1 = vectors[0] as DjangoVector;

/** A signed-mode engine bound to the cookie `sessionid`, two weeks, and a clock fixed at `now`. */
function signedBackend(
  options: Partial<CookieStoreOptions> & { secretKey: string },
  now: number,
): SessionBackend {
  return bind(createCookieStore({ mode: 'signed', ...options }), { now, cookieAge: TWO_WEEKS });
}

/** A browser holding the session cookie `value`. */
function holding(value: string): Browser {
  const browser = new Browser();
  browser.apply([`sessionid=${value}; Path=/`]);
  return browser;
}

describe("signed mode writes Django's signed_cookies value byte for byte", () => {
  it("uses Django's signed_cookies salt and compresses like Django by default", () => {
    expect(byteExact.map((vector) => vector.signed_cookie.salt)).toEqual(
      byteExact.map(() => DJANGO_SIGNED_COOKIES_SALT),
    );
    expect(byteExact.map((vector) => vector.signed_cookie.compressed)).toEqual([false, false, true]);
  });

  it.each(named(byteExact))(
    '%s: saving at the same second gives the same cookie value',
    async (_label, vector) => {
      const now = vector.frozen_unix_time * 1000;
      const backend = signedBackend({ secretKey: vector.secret_key }, now);
      const write = writeOf(vector.input, { now, expiresAt: now });
      expect((await backend.save(NOTHING_OPENED, write)).cookies).toEqual([
        { name: 'sessionid', value: vector.signed_cookie.output },
      ]);
    },
  );

  it.each(named(byteExact.filter((vector) => Object.keys(vector.input).length > 0)))(
    '%s: the same value through a session manager (time rounded down to the second)',
    async (_label, vector) => {
      const start = vector.frozen_unix_time * 1000 + 999;
      const { manager, browser } = setup({ mode: 'signed', secretKey: vector.secret_key }, {}, start);
      await visit(manager, browser, (session) => {
        session.update(vector.input);
      });
      expect(browser.cookies.get('sessionid')).toBe(vector.signed_cookie.output);
    },
  );

  it.each(named(vectors))('%s: a cookie Django wrote opens with its data', async (_label, vector) => {
    const now = vector.frozen_unix_time * 1000;
    const backend = signedBackend({ secretKey: vector.secret_key }, now);
    const jar = jarOf({ sessionid: vector.signed_cookie.output });
    expect(await backend.open(jar)).toEqual({
      key: null,
      record: {
        data: vector.input,
        meta: { createdAt: now, lastSeenAt: now },
        expiresAt: now + TWO_WEEKS * 1000,
      },
      jar,
    });
  });
});

describe("Django's max-age check: SESSION_COOKIE_AGE from the signing time, strictly", () => {
  const signedAt = vector1.frozen_unix_time * 1000;
  const jar = jarOf({ sessionid: vector1.signed_cookie.output });
  const at = async (seconds: number) =>
    (await signedBackend({ secretKey: vector1.secret_key }, signedAt + seconds * 1000).open(jar)).record;

  it('accepts the cookie at exactly ts + max_age and refuses it from a fraction of a second later', async () => {
    expect((await at(TWO_WEEKS))?.data).toEqual(vector1.input);
    expect(await at(TWO_WEEKS + 0.001)).toBeNull();
    expect(await at(TWO_WEEKS + 1)).toBeNull();
  });

  it("measures from the manager's cookieAge and clock", async () => {
    const { manager, clock } = setup(
      { mode: 'signed', secretKey: vector1.secret_key },
      { cookieAge: 3600 },
      signedAt,
    );
    const browser = holding(vector1.signed_cookie.output);
    clock.advance(3600);
    await visit(manager, browser, (session) => {
      expect(session.get('foo')).toBe('bar');
    });
    clock.advance(1);
    await visit(manager, browser, (session) => {
      expect(session.size).toBe(0);
    });
  });

  it("ignores a custom setExpiry() when opening, as Django's signed_cookies does", async () => {
    const { manager, browser, clock } = setup({ mode: 'signed', secretKey: NEW_SECRET });
    const result = await visit(manager, browser, (session) => {
      session.set('user', 'ada');
      session.setExpiry(30);
    });
    expect(result.setCookie[0]).toMatch(/Max-Age=30;/);
    clock.advance(60);
    await visit(manager, browser, (session) => {
      expect(session.get('user')).toBe('ada');
    });
  });
});

describe('SECRET_KEY_FALLBACKS', () => {
  it('opens a cookie signed with a fallback key and re-signs it with the first key at once', async () => {
    const signedAt = vector1.frozen_unix_time * 1000;
    const { manager } = setup(
      { mode: 'signed', secretKey: DJANGO_NEW_KEY, secretKeyFallbacks: [vector1.secret_key] },
      {},
      signedAt + 5000,
    );
    const browser = holding(vector1.signed_cookie.output);
    const result = await visit(manager, browser, (session) => {
      expect(session.get('foo')).toBe('bar');
    });
    expect(result.action).toBe('save');
    const value = browser.cookies.get('sessionid') as string;
    expect(value).toBe(
      djangoDumps(vector1.input, {
        secret: DJANGO_NEW_KEY,
        salt: DJANGO_SIGNED_COOKIES_SALT,
        nowMs: signedAt + 5000,
      }),
    );
    expect(djangoLoads(value, { secret: vector1.secret_key, salt: DJANGO_SIGNED_COOKIES_SALT }).ok).toBe(
      false,
    );
    expect(await visit(manager, browser)).toMatchObject({ action: 'none' });
  });

  it('a key that is neither SECRET_KEY nor a fallback opens nothing', async () => {
    const backend = signedBackend({ secretKey: DJANGO_NEW_KEY }, vector1.frozen_unix_time * 1000);
    const jar = jarOf({ sessionid: vector1.signed_cookie.output });
    expect((await backend.open(jar)).record).toBeNull();
  });
});

describe('what signed mode is and is not', () => {
  it('is readable by the client (base64 JSON) but not forgeable', async () => {
    const { manager, browser, backend } = setup({ mode: 'signed', secretKey: NEW_SECRET });
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const value = browser.cookies.get('sessionid') as string;
    const [payload = ''] = value.split(':');
    expect(Buffer.from(payload, 'base64url').toString('latin1')).toBe('{"user":"ada"}');
    const forged = `${Buffer.from('{"user":"admin"}').toString('base64url')}${value.slice(payload.length)}`;
    expect((await backend.open(jarOf({ sessionid: forged }))).record).toBeNull();
  });

  it('is not bound to the cookie name, like Django', async () => {
    const { manager, browser } = setup({ mode: 'signed', secretKey: NEW_SECRET });
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const other = setup({ mode: 'signed', secretKey: NEW_SECRET }, { cookieName: 'other' });
    other.browser.apply([`other=${browser.cookies.get('sessionid')}; Path=/`]);
    await visit(other.manager, other.browser, (session) => {
      expect(session.get('user')).toBe('ada');
    });
  });

  it('refuses another salt, and refuses sealed cookies', async () => {
    const now = vector1.frozen_unix_time * 1000;
    const otherSalt = signedBackend({ secretKey: vector1.secret_key, keySalt: 'my-app' }, now);
    expect((await otherSalt.open(jarOf({ sessionid: vector1.signed_cookie.output }))).record).toBeNull();
    const sealed = setup();
    await visit(sealed.manager, sealed.browser, (session) => {
      session.set('user', 'ada');
    });
    const signed = signedBackend({ secretKey: NEW_SECRET }, now);
    const sealedValue = sealed.browser.cookies.get('sessionid') as string;
    expect((await signed.open(jarOf({ sessionid: sealedValue }))).record).toBeNull();
  });

  it('can skip compression (Django reads both) and can span several cookies', async () => {
    const { manager, browser } = setup({
      mode: 'signed',
      secretKey: NEW_SECRET,
      compress: false,
      maxCookies: 2,
    });
    const cart = Array.from({ length: 400 }, () => 'same-item');
    await visit(manager, browser, (session) => {
      session.set('cart', cart);
    });
    expect(browser.names()).toEqual(['sessionid', 'sessionid.1']);
    await visit(manager, browser, (session) => {
      expect(session.get('cart')).toEqual(cart);
    });
    const small = setup({ mode: 'signed', secretKey: NEW_SECRET, compress: false });
    await visit(small.manager, small.browser, (session) => {
      session.set('cart', ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a']);
    });
    const value = small.browser.cookies.get('sessionid') as string;
    expect(value.startsWith('.')).toBe(false);
    expect(djangoLoads(value, { secret: NEW_SECRET, salt: DJANGO_SIGNED_COOKIES_SALT })).toMatchObject({
      ok: true,
    });
  });
});
