import { Readable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import {
  createMemoryStore,
  createSessionManager,
  isSessionError,
  SessionAlreadyCommitted,
  SessionConfigError,
  type SessionManager,
  SessionStoreError,
} from '@sess/core';
import { Client, createFailingStore } from '@sess/http-test-suite';
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import {
  type FastifySession,
  type FastifySessionOptions,
  type SessionDataOf,
  session,
} from '../src/index.js';
import { startApp } from './app.js';
import { listen } from './harness.js';

describe('options', () => {
  const store = createMemoryStore();
  const manager = createSessionManager<SessionDataOf>({ store });

  it.each<[string, FastifySessionOptions]>([
    ['manager options', { store, cookieName: 'sid' }],
    ['eager: true', { store, eager: true }],
    ['eager as a function of the request', { store, eager: (request) => request.url === '/' }],
    ['cookieFor', { store, cookieFor: () => ({ domain: 'example.test' }) }],
    ['a static route policy', { store, policy: { readOnly: true, failOpen: true } }],
    ['a route policy per request', { store, policy: () => ({ readOnly: true }) }],
    ['a prebuilt manager', { manager }],
    ['a prebuilt manager with adapter options', { manager, eager: true }],
  ])('accepts %s', async (_name, options) => {
    const app = Fastify().register(session, options);
    await expect(app.ready()).resolves.toBeDefined();
    await app.close();
  });

  it('decorates the instance with the manager it was given', async () => {
    const app = Fastify().register(session, { manager });
    await app.ready();
    expect(app.sessionManager).toBe(manager);
    await app.close();
  });

  it.each<[string, string, unknown]>([
    ['eager as a string', 'eager', { store, eager: 'yes' }],
    ['cookieFor that is not a function', 'cookieFor', { store, cookieFor: { domain: 'x' } }],
    ['@fastify/session’s cookie object', 'cookie', { store, cookie: { secure: false } }],
    ['@fastify/session’s secret', 'secret', { store, secret: 'a secret with more than 32 characters!!' }],
    ['a policy with a misspelt flag', 'policy', { store, policy: { readonly: true } }],
    ['a store beside a manager', 'store', { manager, store }],
    ['no store', 'store', {}],
  ])('rejects %s at registration, naming `%s`', async (_name, option, options) => {
    const app = Fastify().register(session, options as FastifySessionOptions);
    const ready = app.ready();
    await expect(ready).rejects.toBeInstanceOf(SessionConfigError);
    await expect(ready).rejects.toMatchObject({ code: 'CONFIG_INVALID', option });
    await expect(ready).rejects.toThrow(/^\[@sess\/(fastify|core)\] /);
    await app.close();
  });

  it('types request.session and request.getSession() from the merged FastifySessionData', () => {
    expectTypeOf<FastifyRequest['getSession']>().returns.resolves.toEqualTypeOf<FastifySession>();
    expectTypeOf<FastifyRequest['session']>().toEqualTypeOf<FastifySession>();
    expectTypeOf<FastifySession['get']>().toBeCallableWith('num_visits');
    expectTypeOf<ReturnType<FastifySession['data']>>().toEqualTypeOf<SessionDataOf>();
    expectTypeOf<SessionDataOf['num_visits']>().toEqualTypeOf<number>();
    const typed = (s: FastifySession) => {
      // @ts-expect-error num_visits is a number in the merged FastifySessionData
      s.set('num_visits', 'one');
      return s.get('num_visits');
    };
    expectTypeOf(typed).returns.toEqualTypeOf<number | undefined>();
    expectTypeOf<Fastify.FastifyInstance['sessionManager']>().toEqualTypeOf<SessionManager<SessionDataOf>>();
  });
});

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

describe('the commit in onSend', () => {
  it('a redirect carries the cookie, and the record is stored when the client sees it', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/go', async (request, reply) => {
            (await request.getSession()).set('items', ['redirect']);
            return reply.redirect('/elsewhere');
          });
        },
      },
    );
    const response = await client().get('/go');
    expect(response.status).toBe(302);
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['redirect'] });
  });

  it('a streamed payload carries the cookie', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/stream', async (request, reply) => {
            (await request.getSession()).set('items', ['stream']);
            reply.type('text/plain');
            return reply.send(Readable.from(['a', 'b', 'c']));
          });
        },
      },
    );
    const response = await client().get('/stream');
    expect(response.body).toBe('abc');
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['stream'] });
  });

  it('a store failure becomes Fastify’s error reply: no Set-Cookie at all, one store call', async () => {
    const store = createFailingStore(createMemoryStore(), ['create']);
    let creates = 0;
    const create = store.create.bind(store);
    store.create = (...args: Parameters<typeof create>) => {
      creates += 1;
      return create(...args);
    };
    const { client, errors } = await startApp(
      { store },
      {
        before: (app) => {
          app.register(fastifyCookie);
        },
        routes: (app) => {
          app.get('/write', async (request, reply) => {
            (await request.getSession()).set('items', ['lost']);
            reply.setCookie('theme', 'dark');
            return 'handler answered';
          });
        },
      },
    );
    const response = await client().get('/write');
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(response.setCookies).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);
    expect(creates).toBe(1);
  });

  it('an error handler of the app answers a failed commit, once, and its reply carries no session cookie', async () => {
    const store = createFailingStore(createMemoryStore(), ['create']);
    const handled: unknown[] = [];
    const { client } = await startApp(
      { store },
      {
        before: (app) => {
          app.setErrorHandler(async (error, _request, reply) => {
            handled.push(error);
            if (isSessionError(error)) return reply.code(503).send('sessions are unavailable');
            return reply.send(error);
          });
        },
      },
    );
    const response = await client().get('/count');
    expect(response.status).toBe(503);
    expect(response.body).toBe('sessions are unavailable');
    expect(response.setCookies).toEqual([]);
    expect(handled).toHaveLength(1);
  });

  it('with eager, a store that cannot load fails the request in onRequest: the handler does not run', async () => {
    const store = createFailingStore(createMemoryStore(), ['load']);
    let ran = false;
    const { client } = await startApp(
      { store, eager: true },
      {
        routes: (app) => {
          app.get('/eager', async () => {
            ran = true;
            return 'ran';
          });
        },
      },
    );
    // A cookie of the right shape, so that the eager load asks the store.
    const response = await client().get('/eager', { cookie: `sessionid=${'a'.repeat(32)}` });
    expect(response.status).toBe(500);
    expect(ran).toBe(false);
    expect(response.setCookies).toEqual([]);
  });

  it('a hook that replies without `return reply` (as @fastify/passport redirects): the first reply wins', async () => {
    const store = createMemoryStore();
    let handlerRan = false;
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get(
            '/guarded',
            {
              preValidation: async (request, reply) => {
                (await request.getSession()).set('items', ['from the hook']);
                reply.redirect('/login');
              },
            },
            async () => {
              handlerRan = true;
              return 'the handler’s reply';
            },
          );
        },
      },
    );
    const response = await client().get('/guarded');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login');
    expect(response.body).toBe('');
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['from the hook'] });
    // Fastify runs the handler because the hook's reply had not gone out yet; its reply is dropped.
    expect(handlerRan).toBe(true);
  });

  it('a reply that sets the session cookie is not cached: Cache-Control: no-store, Vary: Cookie', async () => {
    const { client } = await startApp({ store: createMemoryStore() });
    const response = await client().get('/count');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('Cookie');
  });

  it('a hijacked reply commits nothing: no cookie, no record', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/raw', async (request, reply) => {
            (await request.getSession()).set('items', ['never saved']);
            reply.hijack();
            reply.raw.end('raw');
          });
        },
      },
    );
    const response = await client().get('/raw');
    expect(response.body).toBe('raw');
    expect(response.setCookies).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('a write after the commit (in onResponse) throws SessionAlreadyCommitted', async () => {
    let late: unknown;
    const { client } = await startApp(
      { store: createMemoryStore() },
      {
        routes: (app) => {
          app.addHook('onResponse', async (request) => {
            try {
              request.session.set('items', ['too late']);
            } catch (error) {
              late = error;
            }
          });
        },
      },
    );
    await client().get('/count');
    expect(late).toBeInstanceOf(SessionAlreadyCommitted);
  });

  it('a handler error with a 4xx status still commits (as Django), a 5xx one does not', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/fail', async (request) => {
            (await request.getSession()).set('items', ['kept']);
            const status = Number((request.query as { status: string }).status);
            throw Object.assign(new Error('handler failed'), { statusCode: status });
          });
        },
      },
    );
    const bad = await client().get('/fail?status=422');
    expect(bad.status).toBe(422);
    expect(store.peek(bad.setCookies[0]?.value as string)?.data).toEqual({ items: ['kept'] });
    const broken = await client().get('/fail?status=500');
    expect(broken.status).toBe(500);
    expect(broken.setCookies).toEqual([]);
  });
});
