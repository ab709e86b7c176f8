import { CookieTooLarge, isSessionError } from '@sess/core';
import type { CookieJar, SessionBackend } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createCookieStore } from '../src/index.js';
import { openByHand, tokenOf } from './by-hand.js';
import {
  Browser,
  bind,
  incompressible,
  jarFrom,
  jarOf,
  NEW_SECRET,
  NOTHING_OPENED,
  parseSetCookie,
  setup,
  visit,
  writeOf,
} from './support.js';

/** The cookies `backend` writes for a new session holding `data`, outside a request. */
const saveNew = (backend: SessionBackend, data: Record<string, unknown>) =>
  backend.save(NOTHING_OPENED, writeOf(data));
/** The record `backend` opens from `jar` (null for none). */
const load = async (backend: SessionBackend, jar: CookieJar) => (await backend.open(jar)).record;
/** A cookie engine bound as a manager binds it (cookie `sessionid` unless `cookieName` says otherwise). */
const cookieBackend = (options: Parameters<typeof createCookieStore>[0], cookieName = 'sessionid') =>
  bind(createCookieStore(options), { cookieName });

describe('a session larger than one cookie', () => {
  it('spreads over name, name.1, name.2 and reads back whole; it shrinks and deletes the leftovers', async () => {
    const { manager, browser } = setup({ maxCookies: 3 });
    const write = (size: number) =>
      visit(manager, browser, (session) => {
        session.set('blob', incompressible(size));
      });

    await write(1000);
    expect(browser.names()).toEqual(['sessionid']);

    const two = await write(5000);
    expect(two.setCookie.map((header) => parseSetCookie(header).name)).toEqual(['sessionid', 'sessionid.1']);
    expect(browser.cookies.get('sessionid')).toMatch(/^~2~s1\./);
    await visit(manager, browser, (session) => {
      expect(session.get('blob')).toBe(incompressible(5000));
    });

    await write(8000);
    expect(browser.names()).toEqual(['sessionid', 'sessionid.1', 'sessionid.2']);
    expect(browser.cookies.get('sessionid')).toMatch(/^~3~s1\./);
    await visit(manager, browser, (session) => {
      expect(session.get('blob')).toBe(incompressible(8000));
    });
    const token = tokenOf([...browser.cookies].map(([name, value]) => ({ name, value })));
    expect(JSON.parse(openByHand(token, NEW_SECRET, 'sessionid')).data.blob).toBe(incompressible(8000));

    const shrunk = await write(10);
    expect(shrunk.setCookie.map(parseSetCookie)).toEqual([
      { name: 'sessionid', value: expect.stringMatching(/^s1\./), deletes: false },
      { name: 'sessionid.1', value: '', deletes: true },
      { name: 'sessionid.2', value: '', deletes: true },
    ]);
    expect(browser.names()).toEqual(['sessionid']);
    await visit(manager, browser, (session) => {
      expect(session.get('blob')).toBe(incompressible(10));
    });
  });

  it('keeps every cookie within maxCookieBytes, counting name=value', async () => {
    const backend = cookieBackend({ secretKey: NEW_SECRET, maxCookies: 10, maxCookieBytes: 300 }, 'sid');
    for (const size of [100, 250, 600, 1200, 1800]) {
      const { cookies } = await saveNew(backend, { blob: incompressible(size) });
      for (const cookie of cookies) {
        expect(cookie.name.length + 1 + (cookie.value as string).length).toBeLessThanOrEqual(300);
      }
      const jar = jarOf(Object.fromEntries(cookies.map((cookie) => [cookie.name, cookie.value as string])));
      expect((await load(backend, jar))?.data).toEqual({ blob: incompressible(size) });
    }
  });

  it('uses one cookie up to exactly maxCookieBytes, and two from one byte more', async () => {
    const backend = cookieBackend({ secretKey: NEW_SECRET, maxCookies: 2, maxCookieBytes: 1000 });
    const bytes = (cookies: { name: string; value: string | null }[]) =>
      cookies.reduce((sum, cookie) => sum + cookie.name.length + 1 + (cookie.value ?? '').length, 0);
    let size = 0;
    let cookies = (await saveNew(backend, { b: '' })).cookies;
    // Grow the data until the single cookie is exactly 1000 bytes (a sealed token grows by 4 chars per 3 bytes).
    while (bytes(cookies) < 1000 && cookies.length === 1) {
      size++;
      const next = (await saveNew(backend, { b: 'x'.repeat(size) })).cookies;
      if (next.length > 1 || bytes(next) > 1000) break;
      cookies = next;
    }
    expect(cookies).toHaveLength(1);
    const exact = bytes(cookies) === 1000 ? size : size + 1;
    const atLimit = (await saveNew(backend, { b: 'x'.repeat(exact) })).cookies;
    expect(atLimit).toHaveLength(1);
    expect(bytes(atLimit)).toBe(1000);
    const over = (await saveNew(backend, { b: 'x'.repeat(exact + 1) })).cookies;
    expect(over.map((cookie) => cookie.name)).toEqual(['sessionid', 'sessionid.1']);
  });

  it('past maxCookies throws CookieTooLarge before any header goes out', async () => {
    const { manager, browser } = setup({ maxCookies: 2 });
    await visit(manager, browser, (session) => {
      session.set('small', 1);
    });
    const before = browser.header();
    const request = manager.open({ cookieHeader: before });
    const session = await request.load();
    session.set('blob', incompressible(9000));
    const error = await request.commit(200).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CookieTooLarge);
    expect(isSessionError(error) && error.code).toBe('COOKIE_TOO_LARGE');
    expect(error).toMatchObject({ limit: 8192 });
    expect((error as CookieTooLarge).size).toBeGreaterThan(9000);
    expect((error as Error).message).toMatch(/^\[@sess\/store-cookie\] the session needs \d+ bytes/);
    expect(browser.header()).toBe(before);
  });

  it('by default one cookie is the limit: about 4 KB of sealed session', async () => {
    const { manager, browser } = setup();
    await visit(manager, browser, (session) => {
      session.set('blob', incompressible(2900));
    });
    expect(browser.names()).toEqual(['sessionid']);
    await expect(
      visit(manager, browser, (session) => {
        session.set('blob', incompressible(3100));
      }),
    ).rejects.toThrow(CookieTooLarge);
  });

  it('CookieTooLarge also when the sealer refuses the JSON itself (over 64 KiB, compressed)', async () => {
    const backend = cookieBackend({ secretKey: NEW_SECRET, compress: true, maxCookies: 10 });
    await expect(saveNew(backend, { blob: 'a'.repeat(70_000) })).rejects.toThrow(CookieTooLarge);
  });
});

describe('reading chunks strictly', () => {
  async function chunked(): Promise<{ backend: SessionBackend; cookies: Browser }> {
    const backend = cookieBackend({ secretKey: NEW_SECRET, maxCookies: 3 });
    const { cookies } = await saveNew(backend, { blob: incompressible(9000) });
    const browser = new Browser();
    browser.apply(cookies.map((cookie) => `${cookie.name}=${cookie.value}; Path=/`));
    expect(browser.names()).toEqual(['sessionid', 'sessionid.1', 'sessionid.2']);
    return { backend, cookies: browser };
  }

  it('a missing middle chunk, an empty chunk or swapped chunks give nothing', async () => {
    const { backend, cookies } = await chunked();
    const all = Object.fromEntries(cookies.cookies);
    expect(await load(backend, jarOf(all))).not.toBeNull();
    const { 'sessionid.1': _middle, ...missing } = all;
    expect(await load(backend, jarOf(missing))).toBeNull();
    expect(await load(backend, jarOf({ ...all, 'sessionid.1': '' }))).toBeNull();
    const swapped = { ...all, 'sessionid.1': all['sessionid.2'], 'sessionid.2': all['sessionid.1'] };
    expect(await load(backend, jarOf(swapped as Record<string, string>))).toBeNull();
  });

  it('a header naming more cookies than maxCookies gives nothing', async () => {
    const { cookies } = await chunked();
    const fewer = cookieBackend({ secretKey: NEW_SECRET, maxCookies: 2 });
    expect(await load(fewer, jarFrom(cookies))).toBeNull();
    for (const header of ['~1~', '~0~', '~11~', '~02~', '~x~', '~']) {
      const value = header + (cookies.cookies.get('sessionid') as string).slice(3);
      const jar = jarOf({ ...Object.fromEntries(cookies.cookies), sessionid: value });
      expect(await load(cookieBackend({ secretKey: NEW_SECRET, maxCookies: 10 }), jar)).toBeNull();
    }
  });

  it('a leftover chunk beyond the count is ignored when reading and deleted at the next save', async () => {
    const { manager, browser } = setup({ maxCookies: 3 });
    await visit(manager, browser, (session) => {
      session.set('blob', incompressible(5000));
    });
    browser.apply([
      'sessionid.2=stale-leftover; Path=/',
      'sessionid.x=unrelated; Path=/',
      'sessionidx=other',
    ]);
    const result = await visit(manager, browser, (session) => {
      expect(session.get('blob')).toBe(incompressible(5000));
      session.set('more', true);
    });
    expect(result.setCookie.map(parseSetCookie).map(({ name, deletes }) => [name, deletes])).toEqual([
      ['sessionid', false],
      ['sessionid.1', false],
      ['sessionid.2', true],
    ]);
    expect(browser.names()).toEqual(['sessionid', 'sessionid.1', 'sessionid.x', 'sessionidx']);
  });

  it('chunks of a broken session are deleted when the fresh session is saved', async () => {
    const { manager, browser } = setup({ maxCookies: 3 });
    browser.apply(['sessionid=~3~broken; Path=/', 'sessionid.1=junk; Path=/', 'sessionid.2=junk; Path=/']);
    const result = await visit(manager, browser, (session) => {
      expect(session.size).toBe(0);
      session.set('user', 'ada');
    });
    expect(result.setCookie.map(parseSetCookie).map(({ name, deletes }) => [name, deletes])).toEqual([
      ['sessionid', false],
      ['sessionid.1', true],
      ['sessionid.2', true],
    ]);
    expect(browser.names()).toEqual(['sessionid']);
  });

  it('flush() deletes the session cookie and every chunk the browser holds', async () => {
    const { manager, browser } = setup({ maxCookies: 3 });
    await visit(manager, browser, (session) => {
      session.set('blob', incompressible(9000));
    });
    browser.apply(['sessionid.7=older-leftover; Path=/', 'sessionid.01=not-ours; Path=/']);
    const result = await visit(manager, browser, (session) => session.flush());
    expect(result.action).toBe('delete');
    expect(result.setCookie.map(parseSetCookie).map(({ name, deletes }) => [name, deletes])).toEqual([
      ['sessionid', true],
      ['sessionid.1', true],
      ['sessionid.2', true],
      ['sessionid.7', true],
    ]);
    expect(browser.names()).toEqual(['sessionid.01']);
  });

  it('a save outside a request (no jar) writes the cookies without deletions', async () => {
    const backend = cookieBackend({ secretKey: NEW_SECRET, maxCookies: 3 });
    const { cookies } = await saveNew(backend, { small: 1 });
    expect(cookies.map((cookie) => cookie.name)).toEqual(['sessionid']);
    const opened = await backend.open(jarOf({ sessionid: 'x', 'sessionid.1': 'y' }));
    const withJar = await backend.save(opened, writeOf({ small: 1 }));
    expect(withJar.cookies.map((cookie) => [cookie.name, cookie.value === null])).toEqual([
      ['sessionid', false],
      ['sessionid.1', true],
    ]);
  });
});
