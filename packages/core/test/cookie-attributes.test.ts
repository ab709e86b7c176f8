import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCookieHeader } from '../src/adapter/index.js';
import {
  createMemoryStore,
  createSessionManager,
  type SessionManagerOptions,
  type SessionRequest,
} from '../src/index.js';
import { cookieHeaderFor, createTestClock } from '../src/testing.js';

function setup(options: Omit<SessionManagerOptions, 'store'> = {}) {
  const clock = createTestClock();
  const store = createMemoryStore({ clock });
  const manager = createSessionManager({ store, clock, ...options });
  /** Runs one request that writes, and returns its Set-Cookie attributes (without the name=value pair). */
  const written = async (request: SessionRequest = {}) => {
    const open = manager.open(request);
    (await open.load()).set('a', 1);
    const [header = ''] = (await open.commit(200)).setCookie;
    return header.split('; ');
  };
  /** Runs one request that flushes a stored session, and returns the deletion header. */
  const deleted = async (request: SessionRequest = {}) => {
    const cookieHeader = await cookieHeaderFor(manager, { a: 1 });
    const open = manager.open({ ...request, cookieHeader });
    await (await open.load()).flush();
    return (await open.commit(200)).setCookie;
  };
  return { clock, store, manager, written, deleted };
}

describe('cookie attributes from the options', () => {
  it.each([
    {
      options: {},
      expected: [
        'Path=/',
        'Expires=Mon, 15 Jan 2024 00:00:00 GMT',
        'Max-Age=1209600',
        'HttpOnly',
        'SameSite=Lax',
      ],
    },
    {
      options: { cookieAge: 60 },
      expected: ['Path=/', 'Expires=Mon, 01 Jan 2024 00:01:00 GMT', 'Max-Age=60', 'HttpOnly', 'SameSite=Lax'],
    },
    { options: { cookieDomain: '.example.com' }, contains: ['Domain=.example.com'] },
    { options: { cookiePath: '/app' }, contains: ['Path=/app'], lacks: ['Path=/'] },
    { options: { cookieSecure: true }, contains: ['Secure'] },
    { options: { cookieHttpOnly: false }, lacks: ['HttpOnly'] },
    { options: { cookieSameSite: 'strict' as const }, contains: ['SameSite=Strict'] },
    { options: { cookieSameSite: false as const }, lacks: ['SameSite=Lax'] },
    {
      options: { cookieSameSite: 'None' as const, cookieSecure: true },
      contains: ['SameSite=None', 'Secure'],
    },
    { options: { cookieSecure: true, cookiePartitioned: true }, contains: ['Secure', 'Partitioned'] },
    { options: { cookiePriority: 'high' as const }, contains: ['Priority=High'] },
  ])('$options', async ({ options, expected, contains = [], lacks = [] }) => {
    const [pair, ...attributes] = await setup(options).written();
    expect(pair).toMatch(/^sessionid=[a-z0-9]{32}$/);
    if (expected) expect(attributes).toEqual(expected);
    for (const attribute of contains) expect(attributes).toContain(attribute);
    for (const attribute of lacks) expect(attributes).not.toContain(attribute);
  });

  it('a custom cookieName is read and written', async () => {
    const { manager } = setup({ cookieName: 'sid' });
    const cookie = await cookieHeaderFor(manager, { user: 'ada' });
    expect(cookie).toMatch(/^sid=[a-z0-9]{32}$/);
    const request = manager.open({ cookieHeader: `sessionid=x; ${cookie}` });
    expect((await request.load()).get('user')).toBe('ada');
  });

  it('a __Host- cookie is Secure, on path / and without Domain', async () => {
    const [pair, ...attributes] = await setup({ cookieName: '__Host-sid', cookieSecure: true }).written();
    expect(pair).toMatch(/^__Host-sid=[a-z0-9]{32}$/);
    expect(attributes).toContain('Secure');
    expect(attributes).toContain('Path=/');
    expect(attributes.some((a) => a.startsWith('Domain='))).toBe(false);
  });

  it('the deletion cookie of a __Host- or SameSite=None cookie is Secure (browsers ignore it otherwise)', async () => {
    const [host] = await setup({ cookieName: '__Host-sid', cookieSecure: true }).deleted();
    expect(host).toBe(
      '__Host-sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; SameSite=Lax',
    );
    const [none] = await setup({ cookieSameSite: 'None', cookieSecure: 'auto' }).deleted({ secure: true });
    expect(none).toContain('; Secure; HttpOnly; SameSite=None');
  });

  it('the deletion cookie carries the same path, domain and SameSite', async () => {
    const { deleted } = setup({ cookiePath: '/app', cookieDomain: 'example.com', cookieSameSite: 'Strict' });
    expect(await deleted()).toEqual([
      'sessionid=; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Strict',
    ]);
  });
});

describe("cookieSecure: 'auto'", () => {
  it.each([
    { secure: true, expected: true },
    { secure: false, expected: false },
    { secure: undefined, expected: false },
  ])('a request with secure=$secure gets Secure=$expected', async ({ secure, expected }) => {
    const { written } = setup({ cookieSecure: 'auto' });
    const attributes = await written(secure === undefined ? {} : { secure });
    expect(attributes.includes('Secure')).toBe(expected);
  });

  it('cookieSecure true ignores an insecure request', async () => {
    expect(await setup({ cookieSecure: true }).written({ secure: false })).toContain('Secure');
  });

  it('SameSite=None goes out only with Secure: over plain HTTP it is sent as Lax, which browsers keep', async () => {
    const { written } = setup({ cookieSameSite: 'None', cookieSecure: 'auto' });
    const plain = await written({ secure: false });
    expect(plain).toContain('SameSite=Lax');
    expect(plain).not.toContain('Secure');
    const tls = await written({ secure: true });
    expect(tls).toContain('SameSite=None');
    expect(tls).toContain('Secure');
  });
});

describe('per-request cookie overrides', () => {
  it('domain, path, secure and sameSite replace the options for one request', async () => {
    const { written } = setup({ cookieDomain: 'example.com' });
    const attributes = await written({
      cookie: { domain: 'tenant.example.org', path: '/t', secure: true, sameSite: 'Strict' },
    });
    expect(attributes.slice(1)).toEqual([
      'Domain=tenant.example.org',
      'Path=/t',
      'Expires=Mon, 15 Jan 2024 00:00:00 GMT',
      'Max-Age=1209600',
      'Secure',
      'HttpOnly',
      'SameSite=Strict',
    ]);
  });

  it('apply to the deletion cookie too', async () => {
    const { deleted } = setup();
    const [header] = await deleted({ cookie: { domain: 'tenant.example.org', path: '/t' } });
    expect(header).toContain('Domain=tenant.example.org; Path=/t; Expires=Thu, 01 Jan 1970');
  });

  it('an override cannot override the other requests', async () => {
    const { written } = setup();
    await written({ cookie: { path: '/t' } });
    expect(await written()).toContain('Path=/');
  });

  it.each([
    { domain: 'example.com; Max-Age=999999999' },
    { path: '/; Domain=evil.example' },
    { path: '/\r\nSet-Cookie: x=1' },
    { domain: 'exa mple.com' },
  ])('an override that would inject attributes (%j) is refused', async (cookie) => {
    const { manager } = setup();
    const request = manager.open({ cookie });
    (await request.load()).set('a', 1);
    await expect(request.commit(200)).rejects.toThrow(TypeError);
  });
});

describe('request cookies', () => {
  it('a jar the framework already parsed takes precedence over the header', async () => {
    const { manager } = setup();
    const cookie = await cookieHeaderFor(manager, { user: 'ada' });
    const request = manager.open({ cookies: parseCookieHeader(cookie), cookieHeader: 'sessionid=other' });
    expect(request.hadCookie).toBe(true);
    expect((await request.load()).get('user')).toBe('ada');
  });
});

describe('schema validation (Standard Schema, zod)', () => {
  const schema = z.object({ count: z.coerce.number(), user: z.string().optional() });

  it('valid data loads as the schema outputs it', async () => {
    const clock = createTestClock();
    const store = createMemoryStore({ clock });
    const plain = createSessionManager({ store, clock });
    const typed = createSessionManager({ store, clock, schema });
    const cookie = await cookieHeaderFor(plain, { count: '5', user: 'ada' });
    const session = await typed.open({ cookieHeader: cookie }).load();
    expect(session.get('count')).toBe(5);
    expect(session.key).toBe(cookie.slice('sessionid='.length));
  });

  it('invalid data starts a fresh session whose key is never adopted', async () => {
    const clock = createTestClock();
    const store = createMemoryStore({ clock });
    const plain = createSessionManager({ store, clock });
    const typed = createSessionManager({ store, clock, schema });
    const cookie = await cookieHeaderFor(plain, { count: 'many' });
    const stale = cookie.slice('sessionid='.length);

    const reader = typed.open({ cookieHeader: cookie });
    const empty = await reader.load();
    expect(empty.key).toBeNull();
    expect(empty.size).toBe(0);
    expect((await reader.commit(200)).setCookie[0]).toMatch(/^sessionid=; .*Max-Age=0/);

    const writer = typed.open({ cookieHeader: cookie });
    (await writer.load()).set('count', 1);
    const [header = ''] = (await writer.commit(200)).setCookie;
    const fresh = /^sessionid=([a-z0-9]{32});/.exec(header)?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(stale);
    expect(store.peek(stale)?.data).toEqual({ count: 'many' });
    expect(store.peek(fresh ?? '')?.data).toEqual({ count: 1 });
  });

  it('an async schema is awaited', async () => {
    const clock = createTestClock();
    const store = createMemoryStore({ clock });
    const plain = createSessionManager({ store, clock });
    const positive = z.object({ count: z.number() }).refine(async (data) => data.count > 0);
    const typed = createSessionManager({ store, clock, schema: positive });
    const good = await typed.open({ cookieHeader: await cookieHeaderFor(plain, { count: 1 }) }).load();
    const bad = await typed.open({ cookieHeader: await cookieHeaderFor(plain, { count: -1 }) }).load();
    expect(good.get('count')).toBe(1);
    expect(bad.key).toBeNull();
  });
});
