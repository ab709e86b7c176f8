import { createMemoryStore, type SessionManagerOptions } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import { createCookieStore } from '@sess/store-cookie';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp, startApp } from './support/app.js';

/**
 * Cookie attributes and transport (ASVS 5 V3.3, V7.2, V14): the attributes of every session cookie, the
 * `__Host-`/`__Secure-` prefixes refused when misconfigured, `Cache-Control: no-store` wherever a session
 * cookie is set or cleared, logout clearing with the same Path and Domain, the size limit. Through both
 * adapters, over real sockets.
 */
const apps: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function serve(adapter: (typeof ADAPTERS)[number], options: Partial<SessionManagerOptions> = {}) {
  const app = await startApp(adapter, { store: createMemoryStore(), ...options });
  apps.push(app);
  return { app, client: new Client(app.url) };
}

describe.each(ADAPTERS)('cookie attributes through %s', (adapter) => {
  it("Django's defaults: HttpOnly, SameSite=Lax, Path=/, no Domain, two weeks; the generic name sessionid", async () => {
    const { client } = await serve(adapter);
    const response = await client.get('/count?tag=a');
    expect(response.setCookies).toHaveLength(1);
    const [cookie] = response.setCookies;
    expect(cookie?.name).toBe('sessionid');
    expect(cookie?.value).toMatch(/^[a-z0-9]{32}$/);
    expect(Object.fromEntries(cookie?.attributes ?? [])).toEqual({
      path: '/',
      expires: expect.any(String),
      'max-age': '1209600',
      httponly: '',
      samesite: 'Lax',
    });
  });

  it('Secure when configured; a browser-session cookie (no Max-Age, no Expires) with expireAtBrowserClose', async () => {
    const { client } = await serve(adapter, { cookieSecure: true, expireAtBrowserClose: true });
    const [cookie] = (await client.get('/count?tag=a')).setCookies;
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(cookie?.attributes.has('max-age')).toBe(false);
    expect(cookie?.attributes.has('expires')).toBe(false);
  });

  it('a __Host- cookie is Secure, Path=/ and host-only', async () => {
    const { client } = await serve(adapter, { cookieName: '__Host-sessionid', cookieSecure: true });
    const [cookie] = (await client.get('/count?tag=a')).setCookies;
    expect(cookie?.name).toBe('__Host-sessionid');
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(cookie?.attributes.get('path')).toBe('/');
    expect(cookie?.attributes.has('domain')).toBe(false);
  });

  it.each([
    ['__Host- without Secure', { cookieName: '__Host-sid' }, 'cookieSecure'],
    [
      '__Host- with Secure only over HTTPS',
      { cookieName: '__Host-sid', cookieSecure: 'auto' },
      'cookieSecure',
    ],
    [
      '__Host- with a Domain',
      { cookieName: '__Host-sid', cookieSecure: true, cookieDomain: 'example.com' },
      'cookieDomain',
    ],
    [
      '__Host- under a path',
      { cookieName: '__Host-sid', cookieSecure: true, cookiePath: '/app' },
      'cookiePath',
    ],
    ['__Secure- without Secure', { cookieName: '__Secure-sid' }, 'cookieSecure'],
    ['SameSite=None without Secure', { cookieSameSite: 'None' }, 'cookieSameSite'],
    ['Partitioned without Secure', { cookiePartitioned: true }, 'cookiePartitioned'],
  ] as const)('refuses %s at construction, naming the option', async (_case, options, option) => {
    await expect(
      startApp(adapter, { store: createMemoryStore(), ...options } as SessionManagerOptions),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      option,
    });
  });

  it('Cache-Control: no-store on every response that sets or clears the session cookie; Vary: Cookie', async () => {
    const { client } = await serve(adapter);
    const created = await client.get('/count?tag=a');
    const saved = await client.get('/count?tag=a');
    const rotated = await client.request('/login?user=u', { method: 'POST' });
    const read = await client.get('/peek');
    const cleared = await client.request('/logout', { method: 'POST' });
    for (const response of [created, saved, rotated, cleared]) {
      expect(response.setCookies).toHaveLength(1);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('vary')).toMatch(/\bCookie\b/);
    }
    expect(read.setCookies).toEqual([]);
    expect(read.headers.get('vary')).toMatch(/\bCookie\b/);
  });

  it('logout clears the cookie with the same Path and Domain it was set with', async () => {
    const { client } = await serve(adapter, { cookieDomain: 'localhost', cookiePath: '/' });
    const [set] = (await client.get('/count?tag=a')).setCookies;
    const [cleared] = (await client.request('/logout', { method: 'POST' })).setCookies;
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes.get('max-age')).toBe('0');
    expect(cleared?.attributes.get('domain')).toBe(set?.attributes.get('domain'));
    expect(cleared?.attributes.get('path')).toBe(set?.attributes.get('path'));
  });

  it('the key travels only in Set-Cookie: never in the body or another header', async () => {
    const { client } = await serve(adapter);
    const response = await client.get('/count?tag=a');
    const key = response.setCookies[0]?.value as string;
    expect(response.body).not.toContain(key);
    for (const [name, value] of response.headers) if (name !== 'set-cookie') expect(value).not.toContain(key);
  });

  it('a cookie session over 4096 bytes is an error before headers, never a cookie the browser would drop', async () => {
    const store = createCookieStore({ secretKey: 'security-checklist-secret-0123456789abcdef' });
    const { client } = await serve(adapter, { store });
    const small = await client.get('/set?k=small&v=1');
    expect(small.status).toBe(200);
    const [cookie] = small.setCookies;
    expect((cookie?.name.length ?? 0) + 1 + (cookie?.value.length ?? 0)).toBeLessThanOrEqual(4096);
    const big = await client.get(`/set?k=${'x'.repeat(5000)}&v=1`);
    expect(big.status).toBe(500);
    expect(JSON.parse(big.body)).toEqual({ error: 'COOKIE_TOO_LARGE' });
    expect(big.setCookies).toEqual([]);
  });
});
