import { createMemoryStore, type MemoryStore } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import { describe, expect, it, onTestFinished } from 'vitest';
import './app.js';
import { type AuthAppOptions, authApp, USERS } from './apps/auth-app.js';
import { listen } from './harness.js';

/** The @fastify/passport app (test/apps/auth-app.ts) over a fresh memory store, on a real socket. */
async function passportApp(options: AuthAppOptions = {}) {
  const store = createMemoryStore();
  const server = await listen(authApp(store, options));
  onTestFinished(() => server.close());
  return { client: () => new Client(server.url), store };
}

async function logIn(c: Client, password = 'lovelace') {
  return c.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password }),
  });
}

function stored(store: MemoryStore, c: Client) {
  return store.peek(c.cookies.get('sessionid') as string)?.data;
}

describe('@fastify/passport on @sess/fastify', () => {
  it('logs in: a new key (the visitor’s record deleted), the user id at `passport`, the earlier data dropped', async () => {
    const { client, store } = await passportApp();
    const c = client();
    await c.get('/before-login');
    const visitorKey = c.cookies.get('sessionid') as string;
    expect(store.peek(visitorKey)?.data).toMatchObject({ theme: 'dark' });

    const login = await logIn(c);
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/me');
    expect(c.cookies.get('sessionid')).not.toBe(visitorKey);
    expect(store.peek(visitorKey)).toBeNull();
    expect(stored(store, c)).toEqual({ passport: '7' });
    expect((await c.get('/me')).body).toBe('ada');
  });

  it('logs out: the user gone, a new key, the logged-in record deleted', async () => {
    const { client, store } = await passportApp();
    const c = client();
    await logIn(c);
    const loggedIn = c.cookies.get('sessionid') as string;
    const logout = await c.request('/logout', { method: 'POST' });
    expect(logout.body).toBe('bye');
    expect(store.peek(loggedIn)).toBeNull();
    expect((await c.get('/me')).body).toBe('anonymous');
  });

  it('a failed login flashes the strategy’s message, shown once on the next request', async () => {
    const { client } = await passportApp();
    const c = client();
    const failed = await logIn(c, 'wrong');
    expect(failed.headers.get('location')).toBe('/login');
    expect(JSON.parse((await c.get('/login')).body)).toEqual(['Wrong credentials']);
    expect(JSON.parse((await c.get('/login')).body)).toEqual([]);
  });

  it('@fastify/flash keeps messages across requests (request.flash, reply.flash)', async () => {
    const { client } = await passportApp();
    const c = client();
    await c.get('/before-login');
    expect(JSON.parse((await c.get('/flash')).body)).toEqual(['welcome']);
    expect(JSON.parse((await c.get('/flash')).body)).toEqual([]);
  });

  it('keepSessionInfo: the earlier data survives the login (regenerate with every key, read by Object.keys)', async () => {
    const { client, store } = await passportApp({ login: { keepSessionInfo: true } });
    const c = client();
    await c.get('/before-login');
    const visitorKey = c.cookies.get('sessionid') as string;
    await logIn(c);
    expect(c.cookies.get('sessionid')).not.toBe(visitorKey);
    expect(stored(store, c)).toEqual({ theme: 'dark', flash: { info: ['welcome'] }, passport: '7' });
  });

  it('clearSessionOnLogin: false keeps the data through session.data() (lost with @fastify/session)', async () => {
    const { client, store } = await passportApp({ authenticator: { clearSessionOnLogin: false } });
    const c = client();
    await c.get('/before-login');
    const visitorKey = c.cookies.get('sessionid') as string;
    await logIn(c);
    expect(c.cookies.get('sessionid')).not.toBe(visitorKey);
    expect(store.peek(visitorKey)).toBeNull();
    expect(stored(store, c)).toEqual({ theme: 'dark', flash: { info: ['welcome'] }, passport: '7' });
  });

  it('a deserializer that no longer finds the user logs the session out', async () => {
    let known = true;
    const { client, store } = await passportApp({ deserialize: (id) => (known ? USERS.get(id) : null) });
    const c = client();
    await logIn(c);
    expect((await c.get('/me')).body).toBe('ada');
    const loggedIn = c.cookies.get('sessionid') as string;
    known = false;
    expect((await c.get('/me')).body).toBe('anonymous');
    expect(store.peek(loggedIn)).toBeNull();
  });

  it('without eager, secureSession() fails naming the way out (it reads request.session synchronously)', async () => {
    const { client } = await passportApp({ session: { eager: false } });
    const response = await client().get('/me');
    expect(response.status).toBe(500);
    expect(response.body).toContain('eager');
  });
});
