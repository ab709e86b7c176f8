import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineName, FrameworkName } from '../src/config.js';
import { Client, SESSION_COOKIE, userOf, visitsOf } from './client.js';
import { startTestSite, type TestSite } from './sites.js';

/** Debian's Chromium: playwright-core drives it, nothing is downloaded. `.ci/run` installs it. */
const CHROMIUM = '/usr/bin/chromium';
const TWO_WEEKS = 14 * 24 * 3600;

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install chromium, ` +
        'or run bash .ci/run, which installs it). They are never skipped.',
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

async function visits(page: Page): Promise<number> {
  return visitsOf((await page.locator('#visits').textContent()) ?? '');
}

async function sessionCookie(context: BrowserContext, url: string) {
  return (await context.cookies(url)).find((cookie) => cookie.name === SESSION_COOKIE);
}

/** Submits the form of the page's button `name` and waits for the page it leads to. */
async function submit(page: Page, name: string, path: string, base: string): Promise<void> {
  await Promise.all([page.waitForURL(new URL(path, base).href), page.getByRole('button', { name }).click()]);
}

async function logIn(page: Page, base: string, user: string): Promise<void> {
  await page.goto(new URL('/login', base).href);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill('library');
  await submit(page, 'Log in', '/', base);
}

/** A page on another site (another host name) with a form that posts to the LocalLibrary. */
async function startForeignSite(target: string, token: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Win a prize</title>
<form method="post" action="${new URL('/preferences', target).href}">
<input type="hidden" name="csrf_token" value="${token}">
<input type="hidden" name="results_per_page" value="50">
<button type="submit">Claim the prize</button></form>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // `localhost` and `127.0.0.1` are different sites to the browser.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

const cases: [FrameworkName, EngineName][] = [
  ['koa', 'file'],
  ['koa', 'cookie'],
  ['express', 'file'],
  ['hono', 'file'],
  ['fastify', 'file'],
];

describe.each(cases)('Chromium, %s on the %s engine', (framework, engine) => {
  const serverSide = engine !== 'cookie';
  let test: TestSite;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    test = await startTestSite(framework, engine);
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await test?.stop();
  });

  it('the counter rises across reloads, and a fresh browser context starts at 1', async () => {
    await page.goto(test.url);
    expect(await visits(page)).toBe(1);
    expect(await page.locator('#engine').textContent()).toBe(engine);
    await page.reload();
    expect(await visits(page)).toBe(2);
    await page.reload();
    expect(await visits(page)).toBe(3);

    const other = await browser.newContext();
    try {
      const otherPage = await other.newPage();
      await otherPage.goto(test.url);
      expect(await visits(otherPage)).toBe(1);
    } finally {
      await other.close();
    }
    await page.reload();
    expect(await visits(page)).toBe(4);
  });

  it('the session cookie is HttpOnly and SameSite=Lax, lasts two weeks, and scripts cannot read it', async () => {
    const cookie = await sessionCookie(context, test.url);
    expect(cookie).toBeDefined();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.path).toBe('/');
    expect(cookie?.secure).toBe(false);
    expect(Math.abs((cookie?.expires ?? 0) - (Date.now() / 1000 + TWO_WEEKS))).toBeLessThan(120);
    // A script sees an ordinary cookie, but not the HttpOnly session cookie.
    await context.addCookies([{ name: 'visible', value: 'yes', url: test.url }]);
    const scriptView = await page.evaluate<string>('document.cookie');
    expect(scriptView).toContain('visible=yes');
    expect(scriptView).not.toContain(SESSION_COOKIE);
  });

  it('a form posted from another site is refused, even with the right token: the cookie stays home', async () => {
    const preferences = new URL('/preferences', test.url).href;
    await page.goto(preferences);
    await page.getByLabel('Books per page').selectOption('25');
    const [own] = await Promise.all([
      page.waitForResponse(
        (response) => response.url() === preferences && response.request().method() === 'POST',
      ),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    // The site's own form: the browser sends the cookie, the token matches, the choice is saved.
    expect(await own.request().headerValue('cookie')).toContain(`${SESSION_COOKIE}=`);
    expect(own.status()).toBe(303);
    await page.waitForURL(preferences);
    expect(await page.locator('option[selected]').textContent()).toBe('25');

    const token = await page.locator('input[name="csrf_token"]').first().getAttribute('value');
    expect(token).toBeTruthy();
    const foreign = await startForeignSite(test.url, token as string);
    try {
      await page.goto(foreign.url);
      const [response] = await Promise.all([
        page.waitForResponse(new URL('/preferences', test.url).href),
        page.getByRole('button', { name: 'Claim the prize' }).click(),
      ]);
      expect(response.request().method()).toBe('POST');
      // SameSite=Lax: the browser sent no session cookie with the cross-site POST, so no token matched.
      expect((await response.request().headerValue('cookie')) ?? '').not.toContain(`${SESSION_COOKIE}=`);
      expect(response.status()).toBe(403);
    } finally {
      await new Promise((resolve) => foreign.server.close(resolve));
    }
    await page.goto(preferences);
    expect(await page.locator('option[selected]').textContent()).toBe('25');
  });

  it('logging in through the form rotates the session cookie', async () => {
    await page.goto(test.url);
    const before = (await sessionCookie(context, test.url))?.value as string;
    const count = await visits(page);
    await logIn(page, test.url, 'alice');
    expect(await page.locator('#user').textContent()).toBe('Signed in as alice');
    expect(await visits(page)).toBe(count + 1);
    const after = await sessionCookie(context, test.url);
    expect(after?.value).toBeDefined();
    expect(after?.value).not.toBe(before);

    const replay = new Client(test.url);
    replay.cookies.set(SESSION_COOKIE, before);
    const replayed = await replay.get('/');
    expect(userOf(replayed.text)).toBeUndefined();
    // A server store deleted the old record. A sealed cookie has no record: its old copy still opens,
    // with the data it held (the visit of /login only added a CSRF token).
    expect(visitsOf(replayed.text)).toBe(serverSide ? 1 : count + 1);
  });

  it('logging out clears the cookie, and the next visit starts again at 1', async () => {
    await page.goto(test.url);
    expect(userOf(await page.content())).toBe('alice');
    await submit(page, 'Log out', '/logged-out', test.url);
    expect(await sessionCookie(context, test.url)).toBeUndefined();
    await page.goto(test.url);
    expect(await visits(page)).toBe(1);
    expect(userOf(await page.content())).toBeUndefined();
  });

  it('"remember me" off makes a browser-close cookie with no expiry; on brings the expiry back', async () => {
    await page.goto(new URL('/remember', test.url).href);
    await submit(page, 'Forget me when the browser closes', '/remember', test.url);
    expect((await sessionCookie(context, test.url))?.expires).toBe(-1);
    await page.goto(test.url);
    expect(await page.locator('#lifetime').textContent()).toContain('until you close the browser');
    expect((await sessionCookie(context, test.url))?.expires).toBe(-1);

    await page.goto(new URL('/remember', test.url).href);
    await submit(page, 'Remember me on this computer', '/remember', test.url);
    const cookie = await sessionCookie(context, test.url);
    expect(Math.abs((cookie?.expires ?? 0) - (Date.now() / 1000 + TWO_WEEKS))).toBeLessThan(120);
  });
});

describe.each([
  ['koa', 'memory'],
  ['express', 'db'],
] as [FrameworkName, EngineName][])('Chromium, your sessions: %s on the %s engine', (framework, engine) => {
  let test: TestSite;
  let contextA: BrowserContext;
  let contextB: BrowserContext;

  beforeAll(async () => {
    test = await startTestSite(framework, engine);
    contextA = await browser.newContext();
    contextB = await browser.newContext();
  });
  afterAll(async () => {
    await contextA?.close();
    await contextB?.close();
    await test?.stop();
  });

  it('two browsers of one user: A clicks "Log out other devices", and B is anonymous on its next request', async () => {
    const a = await contextA.newPage();
    const b = await contextB.newPage();
    await logIn(a, test.url, 'carol');
    await logIn(b, test.url, 'carol');
    expect(await b.locator('#user').textContent()).toBe('Signed in as carol');

    await Promise.all([
      a.waitForURL(new URL('/sessions', test.url).href),
      a.getByRole('link', { name: 'Your sessions' }).click(),
    ]);
    expect(await a.locator('#session-count').textContent()).toBe('You are logged in on 2 device(s).');
    expect(await a.locator('#sessions tbody tr').count()).toBe(2);
    expect(await a.locator('#sessions tr.current').textContent()).toContain('this device');
    const bCookie = (await sessionCookie(contextB, test.url))?.value as string;
    expect(await a.content()).not.toContain(bCookie);

    await submit(a, 'Log out other devices', '/sessions', test.url);
    expect(await a.locator('.flash').textContent()).toBe('Logged out 1 other device(s).');
    expect(await a.locator('#sessions tbody tr').count()).toBe(1);

    await b.reload();
    expect(userOf(await b.content())).toBeUndefined();
    expect(await b.getByText('You are not logged in.').count()).toBe(1);
    expect(await b.locator('#user').count()).toBe(0);
    await a.goto(test.url);
    expect(await a.locator('#user').textContent()).toBe('Signed in as carol');
  });
});
