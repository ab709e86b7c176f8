import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineName, FrameworkName } from '../src/config.js';
import { MAX_FORM_BYTES } from '../src/form.js';
import { Client, SESSION_COOKIE, tokenOf, userOf, visitsOf } from './client.js';
import { startTestSite, type TestSite } from './sites.js';

const TWO_WEEKS = String(14 * 24 * 3600);

const bookCount = (text: string): number => text.match(/<li><cite>/g)?.length ?? 0;

/** Logs `client` in as `user` through the form; returns the response of the POST. */
async function logIn(client: Client, user = 'alice') {
  const form = await client.get('/login');
  return client.post('/login', { csrf_token: tokenOf(form.text), username: user, password: 'library' });
}

/**
 * The site's behaviour over HTTP, for one framework on one engine. The cookie engine differs in one
 * documented way: it has no server record, so a copy of an old cookie keeps opening until it expires.
 */
export function describeSite(framework: FrameworkName, engine: EngineName): void {
  const serverSide = engine !== 'cookie';

  describe(`${framework} on the ${engine} engine`, () => {
    let test: TestSite;
    const client = () => new Client(test.url);

    beforeAll(async () => {
      test = await startTestSite(framework, engine);
    });
    afterAll(async () => {
      await test?.stop();
    });

    it('counts visits 1, 2, 3 with one cookie jar, and a new jar starts at 1', async () => {
      const browser = client();
      const first = await browser.get('/');
      expect(first.status).toBe(200);
      expect(visitsOf(first.text)).toBe(1);
      expect(first.text).toContain(`<span id="engine">${engine}</span>`);
      expect(first.text).toContain(`<span id="framework">${framework}</span>`);
      const cookie = first.session;
      expect(cookie?.attributes.get('httponly')).toBe(true);
      expect(cookie?.attributes.get('samesite')).toBe('Lax');
      expect(cookie?.attributes.get('path')).toBe('/');
      expect(cookie?.attributes.get('max-age')).toBe(TWO_WEEKS);
      expect(first.headers.get('vary')).toMatch(/\bCookie\b/);
      expect(visitsOf((await browser.get('/')).text)).toBe(2);
      expect(visitsOf((await browser.get('/')).text)).toBe(3);
      expect(visitsOf((await client().get('/')).text)).toBe(1);
      expect(visitsOf((await browser.get('/')).text)).toBe(4);
    });

    it('a page that never opens the session sets no cookie and sends no Vary: Cookie', async () => {
      const browser = client();
      for (const path of ['/logged-out', '/favicon.ico']) {
        const reply = await browser.get(path);
        expect(reply.status).toBe(path === '/logged-out' ? 200 : 404);
        expect(reply.setCookies).toEqual([]);
        expect(reply.headers.get('vary') ?? '').not.toMatch(/\bCookie\b/);
      }
      expect(browser.cookies.size).toBe(0);
    });

    it('keeps the page size in the session, validates it, and refuses forms without the token', async () => {
      const browser = client();
      const form = await browser.get('/preferences');
      expect(form.status).toBe(200);
      const token = tokenOf(form.text);
      expect(form.text).toContain('<option value="10" selected>');

      expect((await browser.post('/preferences', { results_per_page: '25' })).status).toBe(403);
      const forged = await browser.post('/preferences', { csrf_token: `${token}x`, results_per_page: '25' });
      expect(forged.status).toBe(403);
      expect(bookCount((await browser.get('/books')).text)).toBe(10);

      const invalid = await browser.post('/preferences', { csrf_token: token, results_per_page: '7' });
      expect(invalid.status).toBe(400);
      expect(invalid.text).toContain('Books per page must be one of 5, 10, 25, 50.');

      const saved = await browser.post('/preferences', { csrf_token: token, results_per_page: '25' });
      expect(saved.status).toBe(303);
      expect(saved.headers.get('location')).toBe('/preferences');
      const after = await browser.get('/preferences');
      expect(after.text).toContain('Saved: 25 books per page.');
      expect(after.text).toContain('<option value="25" selected>');
      expect((await browser.get('/preferences')).text).not.toContain('Saved:');
      expect(bookCount((await browser.get('/books')).text)).toBe(25);
      expect(bookCount((await browser.get('/books?page=2')).text)).toBe(3);
      expect(bookCount((await client().get('/books')).text)).toBe(10);
    });

    it('refuses bodies that are not url-encoded forms, or too large', async () => {
      const browser = client();
      const token = tokenOf((await browser.get('/preferences')).text);
      const plain = await browser.post(
        '/preferences',
        { csrf_token: token, results_per_page: '5' },
        'text/plain',
      );
      expect(plain.status).toBe(415);
      const huge = await browser.post('/preferences', {
        csrf_token: token,
        results_per_page: '5',
        padding: 'x'.repeat(MAX_FORM_BYTES),
      });
      expect(huge.status).toBe(413);
      expect((await browser.get('/preferences')).text).toContain('<option value="10" selected>');
      const wrongMethod = await browser.request('DELETE', '/');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('GET');
    });

    it('login cycles the key and keeps the data; a wrong password logs nobody in', async () => {
      const browser = client();
      await browser.get('/');
      await browser.get('/');
      const before = browser.sessionCookie;
      expect(before).toBeDefined();
      const oldToken = tokenOf((await browser.get('/login')).text);

      const wrong = await browser.post('/login', {
        csrf_token: oldToken,
        username: 'alice',
        password: 'nope',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.session).toBeUndefined();
      expect(userOf((await browser.get('/')).text)).toBeUndefined();

      const loggedIn = await browser.post('/login', {
        csrf_token: oldToken,
        username: 'alice',
        password: 'library',
      });
      expect(loggedIn.status).toBe(303);
      expect(loggedIn.headers.get('location')).toBe('/');
      expect(loggedIn.session?.value).toBeDefined();
      expect(loggedIn.session?.value).not.toBe(before);
      const home = await browser.get('/');
      expect(userOf(home.text)).toBe('alice');
      expect(visitsOf(home.text)).toBe(4);
      expect(home.text).toContain('Welcome, alice.');

      // The token seen before login is worthless after it.
      const stale = await browser.post('/preferences', { csrf_token: oldToken, results_per_page: '5' });
      expect(stale.status).toBe(403);

      const replay = new Client(test.url);
      replay.cookies.set(SESSION_COOKIE, before as string);
      const replayed = await replay.get('/');
      expect(userOf(replayed.text)).toBeUndefined();
      // A server store deleted the old record; a sealed cookie has no record, so its old copy (two
      // visits) still opens.
      expect(visitsOf(replayed.text)).toBe(serverSide ? 1 : 3);
    });

    it('logout flushes the session and deletes the cookie', async () => {
      const browser = client();
      await logIn(browser, 'bob');
      const home = await browser.get('/');
      expect(userOf(home.text)).toBe('bob');
      const loggedInCookie = browser.sessionCookie as string;

      expect((await browser.post('/logout', {})).status).toBe(403);
      expect(userOf((await browser.get('/')).text)).toBe('bob');

      const out = await browser.post('/logout', { csrf_token: tokenOf(home.text) });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/logged-out');
      expect(out.session?.value).toBe('');
      expect(out.session?.attributes.get('max-age')).toBe('0');
      expect(browser.sessionCookie).toBeUndefined();
      const page = await browser.get('/logged-out');
      expect(page.setCookies).toEqual([]);
      const fresh = await browser.get('/');
      expect(visitsOf(fresh.text)).toBe(1);
      expect(userOf(fresh.text)).toBeUndefined();

      const replay = new Client(test.url);
      replay.cookies.set(SESSION_COOKIE, loggedInCookie);
      // flush() deleted the server record; a sealed cookie cannot be revoked before it expires.
      expect(userOf((await replay.get('/')).text)).toBe(serverSide ? undefined : 'bob');
    });

    it('"remember me" off makes a browser-session cookie; on brings back the two-week cookie', async () => {
      const browser = client();
      await browser.get('/');
      const token = tokenOf((await browser.get('/remember')).text);

      const off = await browser.post('/remember', { csrf_token: token, remember: 'off' });
      expect(off.status).toBe(303);
      expect(off.session).toBeDefined();
      expect(off.session?.attributes.has('max-age')).toBe(false);
      expect(off.session?.attributes.has('expires')).toBe(false);
      const home = await browser.get('/');
      expect(home.session?.attributes.has('max-age')).toBe(false);
      expect(home.text).toContain('Your session cookie lasts until you close the browser.');
      expect(visitsOf(home.text)).toBe(2);

      const on = await browser.post('/remember', { csrf_token: token, remember: 'on' });
      expect(on.session?.attributes.get('max-age')).toBe(TWO_WEEKS);
      expect((await browser.get('/remember')).text).toContain('On: the session cookie expires on');
      expect((await browser.post('/remember', { csrf_token: token, remember: 'maybe' })).status).toBe(400);
    });

    it('escapes what the visitor typed', async () => {
      const browser = client();
      const token = tokenOf((await browser.get('/login')).text);
      const reply = await browser.post('/login', {
        csrf_token: token,
        username: '<img src=x onerror=alert(1)>',
        password: 'library',
      });
      expect(reply.status).toBe(400);
      expect(reply.text).toContain('value="&lt;img src=x onerror=alert(1)&gt;"');
      expect(reply.text).not.toContain('<img');
    });
  });
}
