import { systemClock } from '@sess/core';
import type { SessionBackend } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createCookieStore } from '../src/index.js';
import { openByHand } from './by-hand.js';
import {
  Browser,
  bind,
  jarFrom,
  jarOf,
  NEW_SECRET,
  NOTHING_OPENED,
  OLD_SECRET,
  parseSetCookie,
  START,
  setup,
  visit,
  writeOf,
} from './support.js';

const TWO_WEEKS = 1_209_600;

describe('sealed mode through the session manager', () => {
  it('seals a new session into one cookie and reads it back on the next request', async () => {
    const { manager, browser } = setup();
    const first = await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    expect(first.action).toBe('save');
    expect(first.setCookie).toHaveLength(1);
    expect(first.setCookie[0]).toMatch(
      /^sessionid=s1\.[A-Za-z0-9_-]+; Path=\/; Expires=.*; Max-Age=1209600; /,
    );
    const second = await visit(manager, browser, (session) => {
      expect(session.get('user')).toBe('ada');
      expect(session.key).toBeNull();
    });
    expect(second).toMatchObject({ action: 'none', setCookie: [], vary: true });
  });

  it('writes the frozen plaintext {exp, iat, data}, unreadable without the secret', async () => {
    const { manager, browser, clock } = setup();
    clock.set(START + 250);
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const token = browser.cookies.get('sessionid') as string;
    expect(Buffer.from(token.slice(3), 'base64url').toString('latin1')).not.toContain('ada');
    const iat = Math.floor((START + 250) / 1000);
    expect(openByHand(token, NEW_SECRET, 'sessionid')).toBe(
      `{"exp":${iat + TWO_WEEKS},"iat":${iat},"data":{"user":"ada"}}`,
    );
  });

  it('reports what it opened: no key, the seal time as meta, the embedded expiry', async () => {
    const { manager, browser, backend } = setup();
    await visit(manager, browser, (session) => {
      session.set('n', 1);
    });
    const jar = jarFrom(browser);
    const opened = await backend.open(jar);
    expect(opened).toEqual({
      key: null,
      record: {
        data: { n: 1 },
        meta: { createdAt: START, lastSeenAt: START },
        expiresAt: START + TWO_WEEKS * 1000,
      },
      jar,
    });
  });

  it('declares a client-side engine without delta, owner index or metadata', async () => {
    const { backend } = setup();
    expect(backend.name).toBe('@sess/store-cookie');
    expect(backend.capabilities).toEqual({
      serverSide: false,
      delta: false,
      ownerIndex: false,
      metadata: false,
      rawKeys: true,
    });
    expect(backend.owners).toBeUndefined();
    expect(backend.close).toBeUndefined();
    expect(backend.cycle).toBeUndefined();
    await expect(backend.destroy('anything')).resolves.toBeUndefined();
    await expect(backend.destroyRecord('anything')).resolves.toBeUndefined();
    expect(backend.recordId('anything')).toBe('anything');
  });

  it('touch() re-seals the same data with the new expiry', async () => {
    const { backend } = setup();
    const write = writeOf(
      { user: 'ada' },
      { now: START + 5000, createdAt: START, expiresAt: START + 65_000 },
    );
    delete write.change.expiry;
    const { key, cookies } = await backend.touch(NOTHING_OPENED, write);
    expect(key).toBeNull();
    expect(cookies.map((cookie) => cookie.name)).toEqual(['sessionid']);
    expect(openByHand(cookies[0]?.value as string, NEW_SECRET, 'sessionid')).toBe(
      `{"exp":${(START + 65_000) / 1000},"iat":${(START + 5000) / 1000},"data":{"user":"ada"}}`,
    );
  });

  it('cycleKey() and save() re-seal without ever creating a key', async () => {
    const { manager, browser } = setup();
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const before = browser.cookies.get('sessionid');
    const result = await visit(manager, browser, async (session) => {
      await session.cycleKey();
      expect(session.key).toBeNull();
    });
    expect(result.action).toBe('save');
    expect(browser.cookies.get('sessionid')).not.toBe(before);
    await visit(manager, browser, (session) => {
      expect(session.get('user')).toBe('ada');
    });
  });

  it('flush() deletes the cookie', async () => {
    const { manager, browser } = setup();
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const result = await visit(manager, browser, (session) => session.flush());
    expect(result.action).toBe('delete');
    expect(result.setCookie.map(parseSetCookie)).toEqual([{ name: 'sessionid', value: '', deletes: true }]);
    expect(browser.names()).toEqual([]);
  });
});

describe('expiry is inside the cookie and enforced when opening', () => {
  it('opens until the embedded exp, then gives a fresh empty session (a replayed stale cookie)', async () => {
    const { manager, browser, clock } = setup({}, { cookieAge: 3600 });
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const replay = new Browser();
    replay.apply([`sessionid=${browser.cookies.get('sessionid')}; Path=/`]);
    clock.advance(3599);
    await visit(manager, replay, (session) => {
      expect(session.get('user')).toBe('ada');
    });
    clock.advance(1);
    await visit(manager, replay, (session) => {
      expect(session.size).toBe(0);
      expect(session.isEmpty()).toBe(true);
    });
  });

  it('rounds exp down, so the cookie never outlives the expiry the manager computed', async () => {
    const { manager, browser, clock, backend } = setup({}, { cookieAge: 60 });
    clock.set(START + 999);
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const jar = jarFrom(browser);
    // The manager's expiry is START + 60.999 s; the cookie stops opening at START + 60 s.
    clock.set(START + 59_999);
    expect((await backend.open(jar)).record).not.toBeNull();
    clock.set(START + 60_000);
    expect((await backend.open(jar)).record).toBeNull();
  });

  it('enforces a per-session setExpiry() too', async () => {
    const { manager, browser, clock } = setup();
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
      session.setExpiry(30);
    });
    clock.advance(29);
    await visit(manager, browser, (session) => {
      expect(session.get('user')).toBe('ada');
    });
    clock.advance(1);
    await visit(manager, browser, (session) => {
      expect(session.size).toBe(0);
    });
  });

  it('a browser-close cookie has no Max-Age but still expires after cookieAge', async () => {
    const { manager, browser, clock } = setup({}, { expireAtBrowserClose: true, cookieAge: 600 });
    const result = await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    expect(result.setCookie[0]).not.toMatch(/Max-Age|Expires/);
    clock.advance(599);
    await visit(manager, browser, (session) => {
      expect(session.get('user')).toBe('ada');
    });
    clock.advance(1);
    await visit(manager, browser, (session) => {
      expect(session.size).toBe(0);
    });
  });

  it("with the manager's default clock the backend reads the system clock", async () => {
    const backend = bind(createCookieStore({ secretKey: NEW_SECRET }), {
      cookieName: 'sid',
      clock: systemClock,
    });
    const now = Date.now();
    const save = (expiresAt: number) => backend.save(NOTHING_OPENED, writeOf({ a: 1 }, { now, expiresAt }));
    const live = (await save(now + 60_000)).cookies[0]?.value as string;
    const dead = (await save(now - 1000)).cookies[0]?.value as string;
    expect((await backend.open(jarOf({ sid: live }))).record).toMatchObject({ data: { a: 1 } });
    expect((await backend.open(jarOf({ sid: dead }))).record).toBeNull();
  });
});

describe('the cookie name is bound into the seal', () => {
  it('a cookie copied to another name does not open', async () => {
    const { manager, browser, backend } = setup();
    await visit(manager, browser, (session) => {
      session.set('user', 'ada');
    });
    const value = browser.cookies.get('sessionid') as string;
    const renamed = bind(createCookieStore({ secretKey: NEW_SECRET }), { cookieName: 'other' });
    expect((await backend.open(jarOf({ sessionid: value }))).record).not.toBeNull();
    expect((await renamed.open(jarOf({ other: value }))).record).toBeNull();

    const other = setup({}, { cookieName: 'other' });
    other.browser.apply([`other=${value}; Path=/`]);
    await visit(other.manager, other.browser, (session) => {
      expect(session.size).toBe(0);
    });
  });
});

describe('secret rotation', () => {
  async function sealedWithOld(): Promise<Browser> {
    const old = setup({ secretKey: OLD_SECRET });
    await visit(old.manager, old.browser, (session) => {
      session.set('user', 'ada');
    });
    return old.browser;
  }

  it('opens a cookie sealed with an older secret and re-seals it with the newest at once', async () => {
    const browser = await sealedWithOld();
    const oldValue = browser.cookies.get('sessionid') as string;
    const { manager } = setup({ secretKey: NEW_SECRET, secretKeyFallbacks: [OLD_SECRET] });
    const result = await visit(manager, browser, (session) => {
      expect(session.get('user')).toBe('ada');
    });
    expect(result.action).toBe('save');
    expect(result.setCookie).toHaveLength(1);
    const newValue = browser.cookies.get('sessionid') as string;
    expect(newValue).not.toBe(oldValue);
    expect(openByHand(newValue, NEW_SECRET, 'sessionid')).toContain('"data":{"user":"ada"}');
    expect(() => openByHand(newValue, OLD_SECRET, 'sessionid')).toThrow();

    const again = await visit(manager, browser, (session) => {
      expect(session.get('user')).toBe('ada');
    });
    expect(again).toMatchObject({ action: 'none', setCookie: [] });
  });

  it('re-seals even when the handler never reads the session, once it is loaded', async () => {
    const browser = await sealedWithOld();
    const { manager } = setup({ secretKey: NEW_SECRET, secretKeyFallbacks: [OLD_SECRET] });
    const request = manager.open({ cookieHeader: browser.header() });
    await request.load();
    expect((await request.commit(200)).action).toBe('save');
  });

  it('flags the reissue in what open returns', async () => {
    const browser = await sealedWithOld();
    const both: SessionBackend = bind(
      createCookieStore({ secretKey: NEW_SECRET, secretKeyFallbacks: [OLD_SECRET] }),
    );
    const opened = await both.open(jarFrom(browser));
    expect(opened.reissue).toBe(true);
    expect(opened.record?.data).toEqual({ user: 'ada' });
  });

  it('once the old secret is removed, its cookies no longer open', async () => {
    const browser = await sealedWithOld();
    const { manager } = setup({ secretKey: NEW_SECRET });
    await visit(manager, browser, (session) => {
      expect(session.size).toBe(0);
    });
  });
});

describe('compression is opt-in', () => {
  const data = { cart: Array.from({ length: 200 }, (_, index) => `product-${index % 10}`) };

  it('is off by default and shortens the cookie when asked for; both forms open either way', async () => {
    const plain = setup({ maxCookies: 3 });
    const squeezed = setup({ compress: true });
    await visit(plain.manager, plain.browser, (session) => {
      session.update(data);
    });
    await visit(squeezed.manager, squeezed.browser, (session) => {
      session.update(data);
    });
    const plainBytes = plain.browser.header().length;
    const squeezedBytes = squeezed.browser.header().length;
    expect(plainBytes).toBeGreaterThan(JSON.stringify(data).length);
    expect(squeezedBytes).toBeLessThan(plainBytes / 4);
    expect(
      openByHand(squeezed.browser.cookies.get('sessionid') as string, NEW_SECRET, 'sessionid'),
    ).toContain('"cart":["product-0"');
    // Opening accepts both forms whatever `compress` says.
    await visit(plain.manager, squeezed.browser, (session) => {
      expect(session.toJSON()).toEqual(data);
    });
    await visit(squeezed.manager, plain.browser, (session) => {
      expect(session.toJSON()).toEqual(data);
    });
  });
});
