import { createMemoryStore } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { Client, type RunningServer } from '@sess/http-test-suite';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuthAppOptions, authApp, form } from './apps/auth-app.js';
import { listen } from './harness.js';

/** Storages the unchanged app runs over (the integration package adds Redis and the other engines). */
const storages: [string, () => SessionStore][] = [['MemoryStore', () => createMemoryStore()]];

const majors: [string, typeof Koa3][] = [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as typeof Koa3],
];

describe.each(
  storages.flatMap(([storage, create]) =>
    majors.map(([name, KoaClass]) => [`${name} over ${storage}`, KoaClass, create] as const),
  ),
)(
  'an unchanged %s app: koa-passport 6, passport-local, @koa/router, @koa/bodyparser',
  (_name, KoaClass, create) => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    async function start(options: AuthAppOptions = {}) {
      const store = create();
      const app = authApp(KoaClass, store, options);
      const errors: unknown[] = [];
      app.on('error', (error) => errors.push(error));
      server = await listen(app);
      return { store, client: new Client(server.url), url: server.url, errors };
    }

    const login = (client: Client, password = 'secret') =>
      client.request('/login', form({ username: 'alice', password }));

    it('keeps the protected page from an anonymous visitor', async () => {
      const { client } = await start();
      const response = await client.get('/account');
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/form');
    });

    it('logs in: 302 to the protected page, a new key, the old record gone, the data kept as koa-session does', async () => {
      const { store, client } = await start();
      await client.request('/cart', form({ item: 'pen' }));
      const before = client.cookies.get('sessionid') as string;
      expect((await store.load(before))?.data).toEqual({ cart: ['pen'] });
      const response = await login(client);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/account');
      const after = client.cookies.get('sessionid') as string;
      expect(after).toMatch(/^[a-z0-9]{32}$/);
      expect(after).not.toBe(before);
      expect(await store.load(before)).toBeNull();
      expect((await store.load(after))?.data).toEqual({ cart: ['pen'], passport: { user: 1 } });
      expect(JSON.parse((await client.get('/account')).body)).toEqual({
        user: 'alice',
        data: { cart: ['pen'], passport: { user: 1 } },
      });
    });

    it('logs in a visitor who had no session yet', async () => {
      const { store, client } = await start();
      const response = await login(client);
      expect(response.status).toBe(302);
      const key = client.cookies.get('sessionid') as string;
      expect((await store.load(key))?.data).toEqual({ passport: { user: 1 } });
      expect(JSON.parse((await client.get('/account')).body).user).toBe('alice');
    });

    it('a wrong password: back to the form with Passport’s message, shown once, and no login', async () => {
      const { client } = await start();
      const response = await login(client, 'wrong');
      expect(response.headers.get('location')).toBe('/form');
      expect(JSON.parse((await client.get('/form')).body).messages).toEqual([
        'Invalid username or password.',
      ]);
      expect(JSON.parse((await client.get('/form')).body).messages).toEqual([]);
      expect((await client.get('/account')).status).toBe(302);
    });

    it('logs out: answers, clears the login, and the logged-in key no longer works', async () => {
      const { store, client, url } = await start();
      await login(client);
      const loggedIn = client.cookies.get('sessionid') as string;
      const response = await client.request('/logout', { method: 'POST' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/form');
      expect(await store.load(loggedIn)).toBeNull();
      expect((await client.get('/account')).status).toBe(302);
      const fresh = client.cookies.get('sessionid') as string;
      // koa-session keeps the (emptied) `passport` object across logout; so does sess on Koa.
      expect((await store.load(fresh))?.data).toEqual({ passport: {} });
      const replay = new Client(url);
      replay.cookies.set('sessionid', loggedIn);
      expect((await replay.get('/account')).status).toBe(302);
    });

    it('keepSessionInfo changes nothing on Koa: the data is kept either way, as with koa-session', async () => {
      for (const keepSessionInfo of [true, false]) {
        const { client } = await start({ keepSessionInfo });
        await client.request('/cart', form({ item: 'ink' }));
        await login(client);
        expect(JSON.parse((await client.get('/account')).body).data).toEqual({
          cart: ['ink'],
          passport: { user: 1 },
        });
        await server?.close();
        server = undefined;
      }
    });

    it('lazy loading with passport.session(): a clear SessionNotLoaded naming eager, not Passport’s message', async () => {
      const { client, errors } = await start({ eager: false });
      const response = await client.get('/account');
      expect(response.status).toBe(500);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'NOT_LOADED' });
      expect((errors[0] as Error).message).toContain('eager');
    });
  },
);
