import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineName, FrameworkName } from '../src/config.js';
import { Client, tokenOf, userOf } from './client.js';
import { startTestSite, type TestSite } from './sites.js';

/** A user name no other test uses. */
const someone = (): string => `reader-${randomBytes(4).toString('hex')}`;

/** Logs `client` in as `user` through the form. */
export async function logIn(client: Client, user: string): Promise<void> {
  const form = await client.get('/login');
  const reply = await client.post('/login', {
    csrf_token: tokenOf(form.text),
    username: user,
    password: 'library',
  });
  expect(reply.status).toBe(303);
}

/** The rows of the "your sessions" table: each row's handle (none for this device) and whether it is current. */
export function sessionRowsOf(text: string): { current: boolean; handle: string | undefined }[] {
  return [...text.matchAll(/<tr class="session( current)?">([\s\S]*?)<\/tr>/g)].map((match) => ({
    current: match[1] !== undefined,
    handle: /name="handle" value="([^"]+)"/.exec(match[2] ?? '')?.[1],
  }));
}

/** "Your sessions" on an engine with an owner index (memory, db): listing and revoking. */
export function describeSessionsPage(framework: FrameworkName, engine: EngineName): void {
  describe(`your sessions: ${framework} on the ${engine} engine`, () => {
    let test: TestSite;

    beforeAll(async () => {
      test = await startTestSite(framework, engine);
    });
    afterAll(async () => {
      await test?.stop();
    });

    it('lists both logins of a user, marks this device, and never shows a key', async () => {
      const user = someone();
      const a = new Client(test.url);
      const b = new Client(test.url);
      await logIn(a, user);
      await logIn(b, user);
      await logIn(new Client(test.url), someone());

      const home = await a.get('/');
      expect(home.text).toContain('<a href="/sessions" id="your-sessions">Your sessions</a>');
      const page = await a.get('/sessions');
      expect(page.status).toBe(200);
      expect(page.text).toContain('You are logged in on 2 device(s).');
      const rows = sessionRowsOf(page.text);
      expect(rows.map((row) => row.current)).toEqual([true, false]);
      expect(rows[1]?.handle).toMatch(/^\S{16,}$/);
      expect(page.text).toContain('<strong>this device</strong>');
      expect(page.text).not.toContain(a.sessionCookie as string);
      expect(page.text).not.toContain(b.sessionCookie as string);
      // B sees the same two, with its own row marked.
      const fromB = sessionRowsOf((await b.get('/sessions')).text);
      expect(fromB.map((row) => row.current)).toEqual([false, true]);
    });

    it('"log out other devices" needs the token, then leaves only this session: the other is anonymous', async () => {
      const user = someone();
      const a = new Client(test.url);
      const b = new Client(test.url);
      await logIn(a, user);
      await logIn(b, user);
      const token = tokenOf((await a.get('/sessions')).text);

      expect((await a.post('/sessions/log-out-others', {})).status).toBe(403);
      const forged = await a.post('/sessions/log-out-others', { csrf_token: `${token}x` });
      expect(forged.status).toBe(403);
      expect(userOf((await b.get('/')).text)).toBe(user);

      const done = await a.post('/sessions/log-out-others', { csrf_token: token });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/sessions');
      const after = await a.get('/sessions');
      expect(after.text).toContain('Logged out 1 other device(s).');
      expect(sessionRowsOf(after.text)).toEqual([{ current: true, handle: undefined }]);

      const bHome = await b.get('/');
      expect(bHome.status).toBe(200);
      expect(userOf(bHome.text)).toBeUndefined();
      expect((await b.get('/sessions')).headers.get('location')).toBe('/login');
      expect(userOf((await a.get('/')).text)).toBe(user);
    });

    it('one row\'s "log out" ends that session only, and needs the token', async () => {
      const user = someone();
      const a = new Client(test.url);
      const b = new Client(test.url);
      const c = new Client(test.url);
      for (const client of [a, b, c]) await logIn(client, user);
      const page = await a.get('/sessions');
      const rows = sessionRowsOf(page.text);
      expect(rows.map((row) => row.current)).toEqual([true, false, false]);
      const bHandle = rows[1]?.handle as string;

      expect((await a.post('/sessions/log-out', { handle: bHandle })).status).toBe(403);
      expect(userOf((await b.get('/')).text)).toBe(user);

      const done = await a.post('/sessions/log-out', { csrf_token: tokenOf(page.text), handle: bHandle });
      expect(done.status).toBe(303);
      expect(userOf((await b.get('/')).text)).toBeUndefined();
      expect(userOf((await c.get('/')).text)).toBe(user);
      const after = await a.get('/sessions');
      expect(after.text).toContain('Logged out that device.');
      expect(sessionRowsOf(after.text).map((row) => row.current)).toEqual([true, false]);
    });

    it('sends an anonymous visitor to the login page', async () => {
      const visitor = new Client(test.url);
      const reply = await visitor.get('/sessions');
      expect(reply.status).toBe(303);
      expect(reply.headers.get('location')).toBe('/login');
    });
  });
}

/** "Your sessions" on an engine without an owner index (file, cookie): a plain message, no 500. */
export function describeSessionsUnsupported(framework: FrameworkName, engine: EngineName): void {
  describe(`your sessions: ${framework} on the ${engine} engine (no owner index)`, () => {
    let test: TestSite;

    beforeAll(async () => {
      test = await startTestSite(framework, engine);
    });
    afterAll(async () => {
      await test?.stop();
    });

    it('logs in as before, and the page says the engine cannot list sessions', async () => {
      const user = someone();
      const a = new Client(test.url);
      await logIn(a, user);
      expect(userOf((await a.get('/')).text)).toBe(user);
      const page = await a.get('/sessions');
      expect(page.status).toBe(200);
      expect(page.text).toContain(`This engine (${engine}) cannot list sessions`);
      expect(sessionRowsOf(page.text)).toEqual([]);

      const home = await a.get('/');
      const refused = await a.post('/sessions/log-out-others', { csrf_token: tokenOf(home.text) });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('cannot list or end them');
      expect(userOf((await a.get('/')).text)).toBe(user);
    });
  });
}
