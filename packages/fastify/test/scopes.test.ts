import fastifyCookie from '@fastify/cookie';
import { createMemoryStore } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { session } from '../src/index.js';
import { startApp } from './app.js';
import { listen } from './harness.js';

describe('decorators and encapsulation', () => {
  it('declares request.session and request.getSession() at registration, before the app is ready', async () => {
    const app = Fastify();
    app.register(session, { store: createMemoryStore() });
    let seen: boolean[] = [];
    app.register(async (scope) => {
      seen = [scope.hasRequestDecorator('session'), scope.hasRequestDecorator('getSession')];
    });
    await app.ready();
    expect(seen).toEqual([true, true]);
    await app.close();
  });

  /** Two sibling scopes under /a and /b, each with its own plugin; `root` registers one at the root after them. */
  async function siblings(root: boolean) {
    const app = Fastify();
    for (const name of ['a', 'b']) {
      app.register(
        async (scope) => {
          scope.register(session, { store: createMemoryStore(), cookieName: `sid_${name}` });
          scope.get('/visit', async (request) => {
            const s = await request.getSession();
            s.set('num_visits', (s.get('num_visits') ?? 0) + 1);
            return `${name}:${s.get('num_visits')}`;
          });
        },
        { prefix: `/${name}` },
      );
    }
    if (root) app.register(session, { store: createMemoryStore() });
    app.get('/root', async (request) => `${'getSession' in request} ${'session' in request}`);
    const server = await listen(app);
    onTestFinished(() => server.close());
    return new Client(server.url);
  }

  it('serves the scope it is registered in: sibling scopes have their own sessions, the root none', async () => {
    const c = await siblings(false);
    expect((await c.get('/a/visit')).body).toBe('a:1');
    expect((await c.get('/b/visit')).body).toBe('b:1');
    expect((await c.get('/a/visit')).body).toBe('a:2');
    expect([...c.cookies.keys()].sort()).toEqual(['sid_a', 'sid_b']);
    expect((await c.get('/root')).body).toBe('false false');
  });

  it('fails the requests of a scope that an enclosing registration, made after it, also covers', async () => {
    const c = await siblings(true);
    const response = await c.get('/a/visit');
    expect(response.status).toBe(500);
    expect(response.body).toContain('register one session plugin per scope');
    expect(response.setCookies).toEqual([]);
  });

  it('is refused in a scope whose enclosing scope already has it, naming the rule', async () => {
    const app = Fastify();
    app.register(session, { store: createMemoryStore() });
    app.register(async (scope) => {
      scope.register(session, { store: createMemoryStore(), cookieName: 'inner' });
    });
    await expect(app.ready()).rejects.toThrow(/\[@sess\/fastify\] request\.session is already decorated/);
    await app.close();
  });

  it('is refused beside another plugin that decorates request.session (@fastify/session)', async () => {
    const app = Fastify();
    app.decorateRequest('session', null, []);
    app.register(session, { store: createMemoryStore() });
    await expect(app.ready()).rejects.toThrow(/register one session plugin per scope/);
    await app.close();
  });
});

describe('cookies, with and without @fastify/cookie', () => {
  it('reads the Cookie header itself when @fastify/cookie is not registered', async () => {
    const { client } = await startApp({ store: createMemoryStore() });
    const c = client();
    await c.get('/count');
    expect((await c.get('/count')).body).toBe('2');
  });

  it('reads request.cookies when @fastify/cookie parsed them first', async () => {
    const store = createMemoryStore();
    let issued = '';
    const { client } = await startApp(
      { store },
      {
        before: (app) => {
          app.register(fastifyCookie);
          // Between @fastify/cookie's parse and the session plugin: put the session key into request.cookies
          // only. The session is found, so the plugin read request.cookies, not the raw header.
          app.addHook('onRequest', async (request) => {
            if (issued) request.cookies.sessionid = issued;
          });
        },
      },
    );
    const first = await client().get('/count');
    issued = first.setCookies[0]?.value ?? '';
    expect(issued).toMatch(/^[a-z0-9]{32}$/);
    expect((await client().get('/count')).body).toBe('2');
  });

  it('works with @fastify/cookie registered after it, and keeps the cookies the handler set', async () => {
    const { client } = await startApp(
      { store: createMemoryStore() },
      {
        routes: (app) => {
          app.register(fastifyCookie);
          app.get('/theme', async (request, reply) => {
            const s = await request.getSession();
            s.setDefault('theme', 'dark');
            reply.setCookie('theme', 'dark', { path: '/' });
            return `cookies parsed: ${Object.keys(request.cookies).sort().join(',')}`;
          });
        },
      },
    );
    const c = client();
    const first = await c.get('/theme');
    expect(first.setCookies.map((cookie) => cookie.name).sort()).toEqual(['sessionid', 'theme']);
    const second = await c.get('/theme');
    expect(second.body).toBe('cookies parsed: sessionid,theme');
    expect(second.setCookies.map((cookie) => cookie.name)).toEqual(['theme']);
  });

  it.each([
    ['https', true],
    ['http', false],
  ])("cookieSecure 'auto' with trustProxy: X-Forwarded-Proto %s gives Secure %s", async (proto, secure) => {
    const { client } = await startApp(
      { store: createMemoryStore(), cookieSecure: 'auto' },
      { fastify: { trustProxy: true } },
    );
    const response = await client().get('/count', { 'x-forwarded-proto': proto });
    expect(response.setCookies).toHaveLength(1);
    expect(response.setCookies[0]?.attributes.has('secure')).toBe(secure);
  });
});
