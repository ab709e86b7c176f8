import { createMemoryStore, type MemoryStore } from '@sess/core';
import { Client, type RunningServer } from '@sess/http-test-suite';
import express5 from 'express';
import express4 from 'express4';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { afterEach, describe, expect, it } from 'vitest';
import { session } from '../src/index.js';
import { type ExpressFactory, errorHandler, listen } from './harness.js';

interface User {
  id: number;
  username: string;
}

const USERS: User[] = [{ id: 1, username: 'alice' }];

/** An app as Passport's docs build it: a local strategy, serialize by id, login and logout routes. */
function passportApp(factory: ExpressFactory, store: MemoryStore, keepSessionInfo = false) {
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy((username, password, done) => {
      const user = USERS.find((u) => u.username === username);
      done(null, user && password === 'secret' ? user : false);
    }),
  );
  authenticator.serializeUser((user, done) => done(null, (user as User).id));
  authenticator.deserializeUser((id: number, done) => done(null, USERS.find((u) => u.id === id) ?? false));

  const app = factory();
  app.use(factory.urlencoded({ extended: false }));
  app.use(session({ store, eager: true }));
  app.use(authenticator.session());
  app.get('/count', (req, res) => {
    const s = req.session;
    if (!s) throw new Error('eager: req.session is set');
    s.num_visits = ((s.num_visits as number | undefined) ?? 0) + 1;
    res.send(`You have visited this page ${s.num_visits} time(s).`);
  });
  app.post(
    '/login',
    authenticator.authenticate('local', {
      successRedirect: '/me',
      failureRedirect: '/login',
      keepSessionInfo,
    }),
  );
  app.get('/me', (req, res) => {
    res.json({ user: (req.user as User | undefined)?.username ?? null, data: req.session?.toJSON() });
  });
  app.post('/logout', (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.redirect('/')));
  });
  app.use(errorHandler);
  return app;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe.each<[string, ExpressFactory]>([
  ['Express 5', express5],
  ['Express 4', express4],
])('%s with Passport 0.7 and passport-local, unchanged', (_name, factory) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(keepSessionInfo = false) {
    const store = createMemoryStore();
    server = await listen(passportApp(factory, store, keepSessionInfo));
    return { store, client: new Client(server.url) };
  }

  it('logs in: the key rotates, the old record is gone, and the user is deserialized on the next request', async () => {
    const { store, client } = await start();
    expect((await client.get('/count')).body).toBe('You have visited this page 1 time(s).');
    const before = client.cookies.get('sessionid') as string;

    const login = await client.request('/login', form({ username: 'alice', password: 'secret' }));
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/me');
    const after = client.cookies.get('sessionid') as string;
    expect(after).toMatch(/^[a-z0-9]{32}$/);
    expect(after).not.toBe(before);
    expect(store.peek(before)).toBeNull();
    expect(store.peek(after)?.data).toEqual({ passport: { user: 1 } });

    expect(JSON.parse((await client.get('/me')).body)).toEqual({
      user: 'alice',
      data: { passport: { user: 1 } },
    });
  });

  it('refuses a wrong password without logging in', async () => {
    const { client } = await start();
    const login = await client.request('/login', form({ username: 'alice', password: 'wrong' }));
    expect(login.headers.get('location')).toBe('/login');
    expect(JSON.parse((await client.get('/me')).body).user).toBeNull();
  });

  it('logs out: the record is deleted, the cookie cleared, and the user is gone', async () => {
    const { store, client } = await start();
    await client.request('/login', form({ username: 'alice', password: 'secret' }));
    const key = client.cookies.get('sessionid') as string;
    const logout = await client.request('/logout', { method: 'POST' });
    expect(logout.status).toBe(302);
    expect(logout.setCookies.find((c) => c.name === 'sessionid')?.attributes.get('max-age')).toBe('0');
    expect(client.cookies.has('sessionid')).toBe(false);
    expect(store.peek(key)).toBeNull();
    const replay = new Client(server?.url as string);
    replay.cookies.set('sessionid', key);
    expect(JSON.parse((await replay.get('/me')).body).user).toBeNull();
  });

  it('keeps the previous data across login with keepSessionInfo', async () => {
    const { client } = await start(true);
    await client.get('/count');
    await client.get('/count');
    await client.request('/login', form({ username: 'alice', password: 'secret' }));
    expect(JSON.parse((await client.get('/me')).body)).toEqual({
      user: 'alice',
      data: { num_visits: 2, passport: { user: 1 } },
    });
  });
});
