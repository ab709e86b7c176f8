import type { CookieJar, SessionBackend } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { type CookieStoreOptions, createCookieStore } from '../src/index.js';
import {
  bind,
  incompressible,
  jarOf,
  NEW_SECRET,
  NOTHING_OPENED,
  OLD_SECRET,
  parseSetCookie,
  seeded,
  setup,
  visit,
  writeOf,
} from './support.js';

/** The record `backend` opens from `jar` (null for none). */
const load = async (backend: SessionBackend, jar: CookieJar) => (await backend.open(jar)).record;
const RUNS = Number(process.env.SESS_PROPERTY_RUNS) || 2000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Every character RFC 6265 allows in a cookie value. */
const COOKIE_OCTETS = [...Array.from({ length: 94 }, (_, index) => String.fromCharCode(0x21 + index))]
  .filter((char) => !'",;\\'.includes(char))
  .join('');

const modes: [string, Partial<CookieStoreOptions>][] = [
  ['sealed', {}],
  ['signed', { mode: 'signed' }],
];

/** A saved session's cookies (three of them), as the browser would send them back. */
async function validCookies(backend: SessionBackend): Promise<Record<string, string>> {
  const write = writeOf({ user: 'ada', blob: incompressible(8500) });
  const { cookies } = await backend.save(NOTHING_OPENED, write);
  return Object.fromEntries(cookies.map((cookie) => [cookie.name, cookie.value as string]));
}

describe.each(modes)('%s mode: bad input is a fresh empty session, never an exception', (_mode, options) => {
  const backend = bind(createCookieStore({ secretKey: NEW_SECRET, maxCookies: 3, ...options }));

  it('the untouched cookies open (the baseline every case below breaks)', async () => {
    const cookies = await validCookies(backend);
    expect(Object.keys(cookies)).toEqual(['sessionid', 'sessionid.1', 'sessionid.2']);
    expect((await load(backend, jarOf(cookies)))?.data).toMatchObject({ user: 'ada' });
  });

  it('tampering: any one character changed, in any cookie, opens nothing', async () => {
    const cookies = await validCookies(backend);
    const random = seeded(7);
    for (let run = 0; run < 300; run++) {
      const names = Object.keys(cookies);
      const name = names[Math.floor(random() * names.length)] as string;
      const value = cookies[name] as string;
      const at = Math.floor(random() * value.length);
      let replacement = BASE64URL[Math.floor(random() * 64)] as string;
      if (replacement === value[at]) replacement = value[at] === 'A' ? 'B' : 'A';
      const changed = { ...cookies, [name]: value.slice(0, at) + replacement + value.slice(at + 1) };
      expect(await load(backend, jarOf(changed))).toBeNull();
    }
  });

  it('truncation: a shortened or dropped cookie opens nothing', async () => {
    const cookies = await validCookies(backend);
    for (const name of Object.keys(cookies)) {
      const value = cookies[name] as string;
      for (const keep of [0, 1, 10, value.length - 16, value.length - 1]) {
        const cut = { ...cookies, [name]: value.slice(0, keep) };
        expect(await load(backend, jarOf(cut))).toBeNull();
      }
    }
    const { 'sessionid.2': _last, ...dropped } = cookies;
    expect(await load(backend, jarOf(dropped))).toBeNull();
  });

  it('a wrong key opens nothing', async () => {
    const other = bind(createCookieStore({ secretKey: OLD_SECRET, maxCookies: 3, ...options }));
    expect(await load(other, jarOf(await validCookies(backend)))).toBeNull();
  });

  it('foreign formats open nothing', async () => {
    const cookies = await validCookies(backend);
    const whole = `${(cookies.sessionid as string).slice(3)}${cookies['sessionid.1']}${cookies['sessionid.2']}`;
    const values = [
      '',
      'abc',
      's1.',
      `s1.${'A'.repeat(200)}`,
      `s2.${whole.slice(3)}`,
      `${whole}=`,
      'e30:1LY7VK:xgwxN_c_00bBV1dq2AOb04U5S8wM3_yEFlbhrco0fg8',
      '{"user":"admin"}',
      'eyJ1c2VyIjoiYWRtaW4ifQ',
      'eyJ1c2VyIjoiYWRtaW4ifQ:1r31eq:',
      'j:{"user":"admin"}',
      'abcdefghijklmnopqrstuvwxyz012345',
      '~2~',
      '~~',
    ];
    for (const value of values) {
      expect(await load(backend, jarOf({ sessionid: value }))).toBeNull();
    }
  });

  it('oversized input opens nothing, even a genuine token a browser could not have kept', async () => {
    const small = bind(
      createCookieStore({ secretKey: NEW_SECRET, maxCookies: 3, maxCookieBytes: 1024, ...options }),
    );
    expect(await load(small, jarOf(await validCookies(backend)))).toBeNull();
    const huge = `s1.${incompressible(1_000_000)}`;
    expect(await load(backend, jarOf({ sessionid: huge }))).toBeNull();
    const hugeChunks = { sessionid: `~3~${huge.slice(0, 4000)}`, 'sessionid.1': huge, 'sessionid.2': 'x' };
    expect(await load(backend, jarOf(hugeChunks))).toBeNull();
  });

  it('a jar handing out something other than a string opens nothing', async () => {
    const odd: CookieJar = {
      get: () => ({ user: 'admin' }) as unknown as string,
      names: () => ['sessionid'],
    };
    expect(await load(backend, odd)).toBeNull();
  });

  it(`random cookie values (${RUNS} runs) never throw and never yield data`, async () => {
    const random = seeded(20240101);
    const pick = (alphabet: string) => alphabet[Math.floor(random() * alphabet.length)] as string;
    const text = (max: number) => {
      const alphabet = random() < 0.5 ? BASE64URL : COOKIE_OCTETS;
      const length = Math.floor(random() ** 3 * max);
      let out = '';
      for (let index = 0; index < length; index++) out += pick(alphabet);
      return out;
    };
    const prefixes = ['', 's1.', '~2~', '~3~s1.', '~3~', '.', 'e30:', '.eJ'];
    for (let run = 0; run < RUNS; run++) {
      const cookies: Record<string, string> = {
        sessionid: `${prefixes[Math.floor(random() * prefixes.length)]}${text(5000)}`,
      };
      for (let index = 1; index < 4; index++) if (random() < 0.4) cookies[`sessionid.${index}`] = text(4200);
      const result = await load(backend, jarOf(cookies));
      expect(result, JSON.stringify(cookies).slice(0, 200)).toBeNull();
    }
  });
});

describe('through the manager', () => {
  it('a bad cookie gives an empty session; the bad cookies are deleted, nothing is saved', async () => {
    const { manager, browser } = setup({ maxCookies: 3 });
    browser.apply(['sessionid=~3~s1.forged; Path=/', 'sessionid.1=x; Path=/', 'sessionid.2=y; Path=/']);
    const result = await visit(manager, browser, (session) => {
      expect(session.size).toBe(0);
      expect(session.get('user')).toBeUndefined();
    });
    expect(result.action).toBe('delete');
    expect(result.setCookie.map(parseSetCookie).every((cookie) => cookie.deletes)).toBe(true);
    expect(browser.names()).toEqual([]);
  });
});
