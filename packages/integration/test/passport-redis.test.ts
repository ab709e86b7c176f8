import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionStore } from '@sess/core/store';
import { Client } from '@sess/http-test-suite';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { type EngineStorage, FRAMEWORKS, type Framework, frameworkEntry, redisEngine } from '../src/index.js';

/**
 * Issue 14 on Redis: the adapters' unchanged Passport apps (Passport 0.7 + passport-local + connect-flash +
 * csrf-sync on Express, koa-passport 6 + passport-local + @koa/router + @koa/bodyparser on Koa; the apps of
 * packages/express/test/apps and packages/koa/test/apps, which their packages run on the memory store) over
 * @sess/store-redis: login moves the session to a new key and removes the old record, the protected page,
 * logout, and the flash messages. What Redis holds is read around the store (HGETALL).
 */
const engine = redisEngine();
afterAll(() => engine.close());

/** The Passport app of `framework` over fresh Redis storage, on a real socket closed when the test ends. */
async function start(passportServer: (store: SessionStore) => Promise<Server>) {
  const storage: EngineStorage = await engine.storage();
  const server = await passportServer(storage.store);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { storage, url, client: new Client(url) };
}

/** A form body, as a browser posts it. */
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const keyOf = (client: Client) => client.cookies.get('sessionid') as string;

/** Passport 0.7 on Express: CSRF tokens from `/form`, connect-flash messages as `errors` and `notices`. */
function expressScenarios(framework: Framework, server: (store: SessionStore) => Promise<Server>) {
  describe(`an unchanged ${framework} app over Redis: Passport 0.7, passport-local, connect-flash, csrf-sync`, () => {
    const csrf = async (client: Client) => JSON.parse((await client.get('/form')).body).csrf as string;
    const login = async (client: Client, password = 'secret') =>
      client.request('/login', form({ username: 'alice', password, _csrf: await csrf(client) }));

    it('keeps the protected page from an anonymous visitor', async () => {
      const { client } = await start(server);
      const response = await client.get('/account');
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/form');
    });

    it('logs in: a new key, the old record gone from Redis, the user on the protected page', async () => {
      const { storage, client } = await start(server);
      await csrf(client);
      const before = keyOf(client);
      expect(await storage.raw(before)).not.toBeNull();
      const response = await login(client);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/account');
      const after = keyOf(client);
      expect(after).toMatch(/^[a-z0-9]{32}$/);
      expect(after).not.toBe(before);
      expect(await storage.raw(before)).toBeNull();
      expect((await storage.raw(after))?.data).toEqual({ passport: { user: 1 } });
      const account = await client.get('/account');
      expect(JSON.parse(account.body)).toEqual({ user: 'alice', data: { passport: { user: 1 } } });
    });

    it('a wrong password: back to the form with a flash message shown once, and no login', async () => {
      const { client } = await start(server);
      const response = await login(client, 'wrong');
      expect(response.headers.get('location')).toBe('/form');
      expect(JSON.parse((await client.get('/form')).body).errors).toEqual(['Invalid username or password.']);
      expect(JSON.parse((await client.get('/form')).body).errors).toEqual([]);
      expect((await client.get('/account')).status).toBe(302);
    });

    it('logs out: the logged-in record gone from Redis, the key dead, the notice flashed on the new session', async () => {
      const { storage, client, url } = await start(server);
      await login(client);
      const loggedIn = keyOf(client);
      const response = await client.request('/logout', form({ _csrf: await csrf(client) }));
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/form');
      expect(await storage.raw(loggedIn)).toBeNull();
      const fresh = keyOf(client);
      expect(fresh).not.toBe(loggedIn);
      expect((await storage.raw(fresh))?.data).toEqual({ flash: { info: ['You are logged out.'] } });
      expect(JSON.parse((await client.get('/form')).body).notices).toEqual(['You are logged out.']);
      expect((await client.get('/account')).status).toBe(302);
      const replay = new Client(url);
      replay.cookies.set('sessionid', loggedIn);
      expect((await replay.get('/account')).status).toBe(302);
    });
  });
}

/** koa-passport 6 on Koa: Passport's failure messages kept in the session, shown by `/form`. */
function koaScenarios(framework: Framework, server: (store: SessionStore) => Promise<Server>) {
  describe(`an unchanged ${framework} app over Redis: koa-passport 6, passport-local, @koa/router, @koa/bodyparser`, () => {
    const login = (client: Client, password = 'secret') =>
      client.request('/login', form({ username: 'alice', password }));

    it('keeps the protected page from an anonymous visitor', async () => {
      const { client } = await start(server);
      const response = await client.get('/account');
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/form');
    });

    it('logs in: a new key, the old record gone from Redis, the data kept as koa-session keeps it', async () => {
      const { storage, client } = await start(server);
      await client.request('/cart', form({ item: 'pen' }));
      const before = keyOf(client);
      expect((await storage.raw(before))?.data).toEqual({ cart: ['pen'] });
      const response = await login(client);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/account');
      const after = keyOf(client);
      expect(after).toMatch(/^[a-z0-9]{32}$/);
      expect(after).not.toBe(before);
      expect(await storage.raw(before)).toBeNull();
      expect((await storage.raw(after))?.data).toEqual({ cart: ['pen'], passport: { user: 1 } });
      expect(JSON.parse((await client.get('/account')).body)).toEqual({
        user: 'alice',
        data: { cart: ['pen'], passport: { user: 1 } },
      });
    });

    it('a wrong password: back to the form with Passport’s message, shown once, and no login', async () => {
      const { client } = await start(server);
      const response = await login(client, 'wrong');
      expect(response.headers.get('location')).toBe('/form');
      expect(JSON.parse((await client.get('/form')).body).messages).toEqual([
        'Invalid username or password.',
      ]);
      expect(JSON.parse((await client.get('/form')).body).messages).toEqual([]);
      expect((await client.get('/account')).status).toBe(302);
    });

    it('logs out: answers, the logged-in record gone from Redis, the key dead', async () => {
      const { storage, client, url } = await start(server);
      await login(client);
      const loggedIn = keyOf(client);
      const response = await client.request('/logout', { method: 'POST' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/form');
      expect(await storage.raw(loggedIn)).toBeNull();
      expect((await client.get('/account')).status).toBe(302);
      expect((await storage.raw(keyOf(client)))?.data).toEqual({ passport: {} });
      const replay = new Client(url);
      replay.cookies.set('sessionid', loggedIn);
      expect((await replay.get('/account')).status).toBe(302);
    });
  });
}

/** @fastify/passport 4 on Fastify (which registers @fastify/flash), JSON logins: the user id at `passport`. */
function fastifyScenarios(framework: Framework, server: (store: SessionStore) => Promise<Server>) {
  describe(`an unchanged ${framework} app over Redis: @fastify/passport 4, passport-local, @fastify/flash`, () => {
    const login = (client: Client, password = 'lovelace') =>
      client.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada', password }),
      });

    it('logs in: a new key, the old record gone from Redis, the user id at `passport`', async () => {
      const { storage, client } = await start(server);
      await client.get('/before-login');
      const before = keyOf(client);
      expect(await storage.raw(before)).not.toBeNull();
      const response = await login(client);
      expect(response.headers.get('location')).toBe('/me');
      expect(keyOf(client)).not.toBe(before);
      expect(await storage.raw(before)).toBeNull();
      expect((await storage.raw(keyOf(client)))?.data).toEqual({ passport: '7' });
      expect((await client.get('/me')).body).toBe('ada');
    });

    it('a wrong password: back to the form with the flashed message, shown once, and no login', async () => {
      const { client } = await start(server);
      const response = await login(client, 'wrong');
      expect(response.headers.get('location')).toBe('/login');
      expect(JSON.parse((await client.get('/login')).body)).toEqual(['Wrong credentials']);
      expect(JSON.parse((await client.get('/login')).body)).toEqual([]);
      expect((await client.get('/me')).body).toBe('anonymous');
    });

    it('logs out: the logged-in record gone from Redis, the key dead', async () => {
      const { storage, client, url } = await start(server);
      await login(client);
      const loggedIn = keyOf(client);
      expect((await client.request('/logout', { method: 'POST' })).body).toBe('bye');
      expect(await storage.raw(loggedIn)).toBeNull();
      const replay = new Client(url);
      replay.cookies.set('sessionid', loggedIn);
      expect((await replay.get('/me')).body).toBe('anonymous');
    });
  });
}

/** The scenarios of each adapter's Passport app. */
const SCENARIOS: Record<string, typeof koaScenarios> = {
  koa: koaScenarios,
  express: expressScenarios,
  fastify: fastifyScenarios,
};

for (const framework of FRAMEWORKS) {
  const entry = frameworkEntry(framework);
  if (!entry.passportServer) continue;
  const scenarios = SCENARIOS[entry.adapter];
  if (!scenarios) throw new Error(`${framework} has a Passport app but no scenarios here`);
  scenarios(framework, entry.passportServer);
}
