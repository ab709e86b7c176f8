import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Django,
  type DjangoEngine,
  type DjangoResponseView,
  majorMinor,
  openDjango,
  runDjango,
} from '../../../packages/django-interop/src/index.js';
import { Client, SESSION_COOKIE, tokenOf, userOf, visitsOf } from './client.js';
import { startTestSite, type TestSite } from './sites.js';

/** Django's engine for each of the site's engines that can share with it. */
const DJANGO_ENGINES = { db: 'db', file: 'file', cookie: 'signed_cookies' } as const satisfies Record<
  string,
  DjangoEngine
>;

/** Takes over the session cookie a Django response set (or deleted), as a browser would. */
function follow(browser: Client, response: DjangoResponseView): void {
  const cookie = response.cookies[SESSION_COOKIE];
  if (cookie === undefined) return;
  if (cookie.value === '') browser.cookies.delete(SESSION_COOKIE);
  else browser.cookies.set(SESSION_COOKIE, cookie.value);
}

/**
 * The site with `SESSION_COMPAT=django` and a real Django (Debian's python3-django, through its own
 * SessionMiddleware and SessionStore) sharing one visitor's session: a Django view running the tutorial's
 * `num_visits` counter and the site's home page take turns on the same `sessionid` cookie.
 */
for (const engine of ['db', 'file', 'cookie'] as const) {
  describe(`Django and the Koa site share sessions on the ${engine} engine`, () => {
    const secretKey = `django-insecure-${randomBytes(25).toString('hex')}`;
    let site: TestSite;
    let django: Django;

    /** One request to the Django view: `num_visits = session.get('num_visits', 0) + 1`. */
    async function djangoVisit(browser: Client): Promise<number> {
      const cookie = browser.sessionCookie;
      const response = await django.request(cookie === undefined ? undefined : `sessionid=${cookie}`, [
        ['increment', 'num_visits'],
      ]);
      follow(browser, response);
      return response.seen.num_visits as number;
    }

    beforeAll(async () => {
      const [asked] = await runDjango([{ op: 'version' }], { secretKey });
      if (!asked.ok) throw new Error(`django.VERSION: ${asked.message}`);
      site = await startTestSite('koa', engine, {
        SESSION_COMPAT: 'django',
        SECRET_KEY: secretKey,
        DJANGO_VERSION: majorMinor(asked.version),
      });
      const { env } = site.site.config;
      django = await openDjango({
        secretKey,
        engine: DJANGO_ENGINES[engine],
        ...(engine === 'db' ? { databaseUrl: env.DATABASE_URL as string } : {}),
        ...(engine === 'file' ? { sessionFilePath: env.SESSION_FILE_PATH as string } : {}),
      });
      // Django's migrations own django_session; the site never creates it in Django mode.
      if (engine === 'db') await django.migrate();
    });
    afterAll(async () => {
      await django?.close();
      await site?.stop();
    });

    it('says in the footer that the sessions are Django’s', async () => {
      const page = await new Client(site.url).get('/');
      const where = {
        db: 'Django&#39;s django_session table at postgres://',
        file: `Django&#39;s session files in ${site.site.config.env.SESSION_FILE_PATH}`,
        cookie: 'the browser, signed in Django&#39;s signed_cookies format',
      }[engine];
      expect(page.text).toContain(where);
      expect(page.session?.name).toBe('sessionid');
    });

    it('a Django view and a Koa route take turns incrementing num_visits: 1, 2, 3, 4', async () => {
      const browser = new Client(site.url);
      expect(await djangoVisit(browser)).toBe(1);
      const key = browser.sessionCookie;
      expect(visitsOf((await browser.get('/')).text)).toBe(2);
      expect(await djangoVisit(browser)).toBe(3);
      expect(visitsOf((await browser.get('/')).text)).toBe(4);
      if (engine === 'cookie') expect(browser.sessionCookie).not.toBe(key);
      else expect(browser.sessionCookie).toBe(key);
      expect(await djangoVisit(browser)).toBe(5);
    });

    it('and the other way round: Koa first, then Django, then Koa', async () => {
      const browser = new Client(site.url);
      expect(visitsOf((await browser.get('/')).text)).toBe(1);
      expect(await djangoVisit(browser)).toBe(2);
      expect(visitsOf((await browser.get('/')).text)).toBe(3);
    });

    it('a login on the site is seen by Django, and a logout in Django ends it on the site', async () => {
      const browser = new Client(site.url);
      const form = await browser.get('/login');
      const login = await browser.post('/login', {
        csrf_token: tokenOf(form.text),
        username: 'ada',
        password: 'library',
      });
      expect(login.status).toBe(303);
      expect(userOf((await browser.get('/')).text)).toBe('ada');

      const seen = await django.request(`sessionid=${browser.sessionCookie}`, [['get', 'user']]);
      expect(seen.seen).toEqual({ user: 'ada' });

      const logout = await django.request(`sessionid=${browser.sessionCookie}`, [['flush']]);
      expect(logout.cookies.sessionid?.value).toBe('');
      follow(browser, logout);
      const after = await browser.get('/');
      expect(userOf(after.text)).toBeUndefined();
      expect(visitsOf(after.text)).toBe(1);
    });
  });
}
