import fastifyPassport from '@fastify/passport';
import { createMemoryStore, type MemoryStore } from '@sess/core';
import type { Client } from '@sess/http-test-suite';
import { Strategy as LocalStrategy } from 'passport-local';
import { describe, expect, it } from 'vitest';
import type { FastifySessionOptions } from '../src/index.js';
import { startApp } from './app.js';

const USERS = new Map([['7', { id: '7', username: 'ada', password: 'lovelace' }]]);

interface PassportSetup {
  /** Options of the Authenticator (clearSessionOnLogin…). */
  authenticator?: ConstructorParameters<typeof fastifyPassport.Authenticator>[0];
  /** Options of `authenticate('local', …)` besides the redirects. */
  login?: Record<string, unknown>;
  /** What the deserializer answers for a stored id. */
  deserialize?: (id: string) => unknown;
  session?: Partial<FastifySessionOptions>;
}

/**
 * The @fastify/passport README's setup on @sess/fastify: `initialize()` (which registers @fastify/flash),
 * `secureSession()`, a local strategy at POST /login, GET /me, POST /logout, and flash messages.
 */
async function passportApp(setup: PassportSetup = {}) {
  const store = createMemoryStore();
  const passport = new fastifyPassport.Authenticator(setup.authenticator);
  passport.use(
    'local',
    new LocalStrategy((username, password, done) => {
      const user = [...USERS.values()].find((u) => u.username === username);
      if (!user || user.password !== password)
        return done(null, false, { type: 'error', message: 'Wrong credentials' } as { message: string });
      return done(null, user);
    }),
  );
  passport.registerUserSerializer(async (user: { id: string }) => user.id);
  passport.registerUserDeserializer(async (id: string) =>
    (setup.deserialize ?? ((key) => USERS.get(key)))(id),
  );

  const { client } = await startApp({ store, eager: true, ...setup.session } as FastifySessionOptions, {
    routes: (app) => {
      app.register(passport.initialize());
      app.register(passport.secureSession());
      app.post(
        '/login',
        {
          preValidation: passport.authenticate('local', {
            successRedirect: '/me',
            failureRedirect: '/login',
            failureFlash: true,
            ...setup.login,
          }),
        },
        async () => 'unreachable',
      );
      app.get('/login', async (_request, reply) => JSON.stringify(reply.flash('error')));
      app.get('/me', async (request) =>
        request.user ? (request.user as { username: string }).username : 'anonymous',
      );
      app.post('/logout', async (request) => {
        await request.logout();
        return 'bye';
      });
      app.get('/before-login', async (request) => {
        request.session.set('theme', 'dark');
        request.flash('info', 'welcome');
        return 'noted';
      });
      app.get('/flash', async (_request, reply) => JSON.stringify(reply.flash('info')));
    },
  });
  return { client, store };
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
