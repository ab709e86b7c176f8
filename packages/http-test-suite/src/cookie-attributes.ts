import { describe, expect, it } from 'vitest';
import type { SetCookie } from './client.js';
import type { ServeOptions, SuiteContext } from './context.js';
import { standardRoutes } from './routes.js';

const TWO_WEEKS = 1_209_600;

/** The cookie's attributes: Django's defaults, browser-close cookies, options, per-request overrides, Vary. */
export function cookieAttributeTests(context: SuiteContext): void {
  const { serve } = context;

  async function issued(path: string, options: ServeOptions = {}) {
    const server = await serve(standardRoutes, options);
    const response = await server.client().get(path);
    expect(response.setCookies.length).toBeGreaterThan(0);
    const cookie = response.setCookies[0] as SetCookie;
    return { cookie, server, response };
  }

  describe('cookie attributes', () => {
    it('defaults to HttpOnly; SameSite=Lax; Path=/ with a two-week Max-Age and matching Expires', async () => {
      const { cookie, server } = await issued('/count');
      expect(cookie.name).toBe('sessionid');
      expect(cookie.attributes.get('path')).toBe('/');
      expect(cookie.attributes.get('httponly')).toBe('');
      expect(cookie.attributes.get('samesite')).toBe('Lax');
      expect(cookie.attributes.get('max-age')).toBe(String(TWO_WEEKS));
      expect(cookie.attributes.get('expires')).toBe(
        new Date(server.clock.now() + TWO_WEEKS * 1000).toUTCString(),
      );
      expect(cookie.attributes.has('secure')).toBe(false);
      expect(cookie.attributes.has('domain')).toBe(false);
      expect(cookie.attributes.has('partitioned')).toBe(false);
    });

    it('sends a browser-session cookie (no Max-Age, no Expires) with expireAtBrowserClose', async () => {
      const { cookie } = await issued('/count', { options: { expireAtBrowserClose: true } });
      expect(cookie.attributes.has('max-age')).toBe(false);
      expect(cookie.attributes.has('expires')).toBe(false);
      expect(cookie.attributes.get('httponly')).toBe('');
    });

    it('sends a browser-session cookie after setExpiry(0)', async () => {
      const { cookie } = await issued('/expiry?seconds=0');
      expect(cookie.attributes.has('max-age')).toBe(false);
      expect(cookie.attributes.has('expires')).toBe(false);
    });

    it('follows setExpiry(seconds) in Max-Age and Expires', async () => {
      const { cookie, server } = await issued('/expiry?seconds=300');
      expect(cookie.attributes.get('max-age')).toBe('300');
      expect(cookie.attributes.get('expires')).toBe(new Date(server.clock.now() + 300_000).toUTCString());
    });

    it('follows cookieAge', async () => {
      const { cookie } = await issued('/count', { options: { cookieAge: 3600 } });
      expect(cookie.attributes.get('max-age')).toBe('3600');
    });

    it('follows the cookie options', async () => {
      const { cookie } = await issued('/count', {
        options: {
          cookieName: 'sid',
          cookieSecure: true,
          cookieDomain: 'example.test',
          cookieSameSite: 'strict',
          cookieHttpOnly: false,
          cookiePath: '/',
          cookiePartitioned: true,
          cookiePriority: 'high',
        },
      });
      expect(cookie.name).toBe('sid');
      expect(cookie.attributes.get('secure')).toBe('');
      expect(cookie.attributes.get('domain')).toBe('example.test');
      expect(cookie.attributes.get('samesite')).toBe('Strict');
      expect(cookie.attributes.has('httponly')).toBe(false);
      expect(cookie.attributes.get('partitioned')).toBe('');
      expect(cookie.attributes.get('priority')).toBe('High');
    });

    it("omits Secure with cookieSecure 'auto' over plain HTTP", async () => {
      const { cookie } = await issued('/count', { options: { cookieSecure: 'auto' } });
      expect(cookie.attributes.has('secure')).toBe(false);
    });

    it('applies per-request cookie overrides', async () => {
      const options: ServeOptions = {
        cookieFor: (path) =>
          path === '/count' ? { domain: 'tenant.example.test', sameSite: 'Strict' } : undefined,
      };
      const { cookie } = await issued('/count', options);
      expect(cookie.attributes.get('domain')).toBe('tenant.example.test');
      expect(cookie.attributes.get('samesite')).toBe('Strict');
      const other = await issued('/set?x=1', options);
      expect(other.cookie.attributes.has('domain')).toBe(false);
    });

    it('adds Vary: Cookie when the session was used, and not when it was not', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      expect((await client.get('/count')).headers.get('vary')).toMatch(/\bCookie\b/);
      expect((await client.get('/read')).headers.get('vary')).toMatch(/\bCookie\b/);
      expect((await client.get('/none')).headers.get('vary') ?? '').not.toMatch(/cookie/i);
    });
  });
}
