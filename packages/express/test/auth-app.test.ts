import { createMemoryStore } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { Client, type RunningServer } from '@sess/http-test-suite';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { authApp, form } from './apps/auth-app.js';
import { type ExpressFactory, listen } from './harness.js';

/** Storages the unchanged app runs over (the integration package adds Redis and the other engines). */
const storages: [string, () => SessionStore][] = [['MemoryStore', () => createMemoryStore()]];

describe.each(
  storages.flatMap(([storage, create]) =>
    (
      [
        ['Express 5', express5],
        ['Express 4', express4],
      ] as [string, ExpressFactory][]
    ).map(([name, factory]) => [`${name} over ${storage}`, factory, create] as const),
  ),
)('an unchanged %s app: Passport 0.7, passport-local, connect-flash, csrf-sync', (_name, factory, create) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(options: Parameters<typeof authApp>[2] = {}) {
    const store = create();
    server = await listen(authApp(factory, store, options));
    return { store, client: new Client(server.url), url: server.url };
  }

  /** A fresh CSRF token (csrf-sync keeps it in the session). */
  async function csrf(client: Client): Promise<string> {
    return JSON.parse((await client.get('/form')).body).csrf as string;
  }

  async function login(client: Client, password = 'secret') {
    return client.request('/login', form({ username: 'alice', password, _csrf: await csrf(client) }));
  }

  it('keeps the protected page from an anonymous visitor', async () => {
    const { client } = await start();
    const response = await client.get('/account');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/form');
  });

  it('csrf-sync: a post without the session’s token is refused (403), with it accepted', async () => {
    const { client } = await start();
    const token = await csrf(client);
    expect(token).toMatch(/^[0-9a-f]{256}$/);
    expect(await csrf(client)).toBe(token);
    const refused = await client.request('/cart', form({ item: 'pen', _csrf: 'forged' }));
    expect(refused.status).toBe(403);
    expect(refused.body).toBe('EBADCSRFTOKEN');
    const accepted = await client.request('/cart', form({ item: 'pen', _csrf: token }));
    expect(JSON.parse(accepted.body)).toEqual(['pen']);
    const again = await client.request('/cart', form({ item: 'ink', _csrf: token }));
    expect(JSON.parse(again.body)).toEqual(['pen', 'ink']);
  });

  it('logs in: 302 to the protected page, a new key, the old record gone, the user there next request', async () => {
    const { store, client } = await start();
    await csrf(client);
    const before = client.cookies.get('sessionid') as string;
    expect(await store.load(before)).not.toBeNull();
    const response = await login(client);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/account');
    const after = client.cookies.get('sessionid') as string;
    expect(after).toMatch(/^[a-z0-9]{32}$/);
    expect(after).not.toBe(before);
    expect(await store.load(before)).toBeNull();
    // express-session's regenerate drops the data (the CSRF token too) unless keepSessionInfo.
    expect((await store.load(after))?.data).toEqual({ passport: { user: 1 } });
    const account = await client.get('/account');
    expect(JSON.parse(account.body)).toEqual({ user: 'alice', data: { passport: { user: 1 } } });
  });

  it('login writes the new session once (Passport’s save(cb)), not again at the end of the request', async () => {
    const { store, client } = await start();
    const token = await csrf(client);
    const calls: string[] = [];
    for (const method of ['create', 'update', 'touch', 'destroy'] as const) {
      const original = store[method] as (...args: unknown[]) => Promise<unknown>;
      (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        calls.push(method);
        return original.apply(store, args);
      };
    }
    await client.request('/login', form({ username: 'alice', password: 'secret', _csrf: 'x' }));
    expect(calls).toEqual([]); // refused by csrf-sync: nothing written
    await client.request('/login', form({ username: 'alice', password: 'secret', _csrf: token }));
    // regenerate: the old record destroyed; save(cb): the new one created; the end of the request: nothing.
    expect(calls).toEqual(['destroy', 'create']);
  });

  it('a wrong password: back to the form with a flash message shown once, and no login', async () => {
    const { client } = await start();
    const response = await login(client, 'wrong');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/form');
    const shown = JSON.parse((await client.get('/form')).body);
    expect(shown.errors).toEqual(['Invalid username or password.']);
    expect(JSON.parse((await client.get('/form')).body).errors).toEqual([]);
    expect((await client.get('/account')).status).toBe(302);
  });

  it('logs out: answers, clears the login, deletes the old record, and flashes on the new session', async () => {
    const { store, client, url } = await start();
    await login(client);
    const loggedIn = client.cookies.get('sessionid') as string;
    const response = await client.request('/logout', form({ _csrf: await csrf(client) }));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/form');
    expect(await store.load(loggedIn)).toBeNull();
    const fresh = client.cookies.get('sessionid') as string;
    expect(fresh).not.toBe(loggedIn);
    expect((await store.load(fresh))?.data).toEqual({ flash: { info: ['You are logged out.'] } });
    expect(JSON.parse((await client.get('/form')).body).notices).toEqual(['You are logged out.']);
    expect((await client.get('/account')).status).toBe(302);
    const replay = new Client(url);
    replay.cookies.set('sessionid', loggedIn);
    expect((await replay.get('/account')).status).toBe(302);
  });

  it('keepSessionInfo keeps the data across login and logout (the cart, the CSRF token)', async () => {
    const { client } = await start({ keepSessionInfo: true });
    const token = await csrf(client);
    await client.request('/cart', form({ item: 'pen', _csrf: token }));
    await login(client);
    const account = JSON.parse((await client.get('/account')).body);
    // connect-flash leaves an empty `flash` object once read, as it does on express-session.
    expect(account.data).toEqual({ csrfToken: token, flash: {}, cart: ['pen'], passport: { user: 1 } });
    await client.request('/logout', form({ _csrf: token }));
    const after = JSON.parse((await client.get('/form')).body);
    expect(after.csrf).toBe(token);
    expect(after.notices).toEqual(['You are logged out.']);
  });

  it('a route before the middleware needs no session: no cookie, no store call', async () => {
    const { client } = await start();
    const response = await client.get('/health');
    expect(response.body).toBe('ok');
    expect(response.setCookies).toEqual([]);
  });

  it('lazy loading with passport.session(): a clear SessionNotLoaded naming eager, not Passport’s message', async () => {
    const { client } = await start({ eager: false });
    const response = await client.get('/account');
    expect(response.status).toBe(500);
    expect(response.body).toBe('NOT_LOADED');
  });

  it('eager as a function: the routes it loads for work with Passport, the others answer NOT_LOADED', async () => {
    const { client } = await start({ eager: (req) => req.url !== '/public' });
    await login(client);
    expect(JSON.parse((await client.get('/account')).body).user).toBe('alice');
    expect((await client.get('/public')).body).toBe('NOT_LOADED');
  });
});
