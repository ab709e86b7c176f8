import { Readable } from 'node:stream';
import {
  createMemoryStore,
  createSessionManager,
  isSessionError,
  SessionAlreadyCommitted,
  SessionConfigError,
  SessionNotLoaded,
  SessionStoreError,
} from '@sess/core';
import { Client, createFailingStore, type RunningServer } from '@sess/http-test-suite';
import Koa3, { type DefaultState } from 'koa';
import Koa2 from 'koa2';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type KoaSession, type KoaSessionOptions, type SessionContext, session } from '../src/index.js';
import { listen } from './harness.js';

type Cart = { items: string[]; num_visits?: number };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('KoaSessionOptions', () => {
  const store = createMemoryStore();
  const manager = createSessionManager({ store });

  it.each<[string, KoaSessionOptions]>([
    ['manager options', { store, cookieName: 'sid' }],
    ['eager: true', { store, eager: true }],
    ['eager as a function', { store, eager: (ctx) => ctx.path === '/' }],
    ['a cookieFor function', { store, cookieFor: () => ({ domain: 'example.test' }) }],
    ['a static route policy', { store, policy: { readOnly: true, failOpen: true } }],
    ['a route policy per request', { store, policy: () => ({ readOnly: true }) }],
    ['a prebuilt manager', { manager }],
    ['a prebuilt manager with adapter options', { manager, eager: true }],
  ])('accepts %s', (_name, options) => {
    expect(typeof session(options)).toBe('function');
  });

  it('uses the prebuilt manager as it is', () => {
    expect(session({ manager }).manager).toBe(manager);
  });

  it.each<[string, string, unknown]>([
    ['eager as a string', 'eager', { store, eager: 'yes' }],
    ['cookieFor that is not a function', 'cookieFor', { store, cookieFor: { domain: 'x' } }],
    ['a policy given as a string', 'policy', { store, policy: 'readOnly' }],
    ['a policy with a misspelt flag', 'policy', { store, policy: { readonly: true } }],
    ['a policy flag that is not a boolean', 'policy', { store, policy: { failOpen: 'yes' } }],
    ['a manager that is not one', 'manager', { manager: { open: 1 } }],
    ['a store beside a manager', 'store', { manager, store }],
    ['a manager option beside a manager', 'cookieAge', { manager, cookieAge: 60 }],
    ['options that are not an object', 'options', undefined],
  ])('rejects %s, naming `%s`', (_name, option, options) => {
    const error = thrown(() => session(options as KoaSessionOptions));
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', option });
    expect((error as Error).message).toMatch(/^\[@sess\/koa\] option `/);
  });

  it('types ctx.getSession() and ctx.session for the middleware chained after it', () => {
    const app = new Koa3().use(session<Cart>({ store }));
    app.use(async (ctx) => {
      expectTypeOf(ctx.getSession).returns.resolves.toEqualTypeOf<KoaSession<Cart>>();
      // The getter throws SessionNotLoaded before the load, so what it returns is always a session.
      expectTypeOf(ctx.session).toEqualTypeOf<KoaSession<Cart>>();
    });
    expectTypeOf<SessionContext<Cart>['getSession']>().returns.resolves.toEqualTypeOf<KoaSession<Cart>>();
  });
});

describe.each<[string, typeof Koa3]>([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2],
])('%s', (_name, Koa) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** An app with the session middleware, the counter at /count and `routes` after it. */
  async function start(
    options: KoaSessionOptions<Cart>,
    routes: (app: Koa3<DefaultState, SessionContext<Cart>>) => void,
  ) {
    const app = new Koa().use(session<Cart>(options));
    app.silent = true;
    const errors: unknown[] = [];
    app.on('error', (error) => errors.push(error));
    app.use(async (ctx, next) => {
      if (ctx.path !== '/count') return next();
      const s = await ctx.getSession();
      s.set('num_visits', (s.get('num_visits') ?? 0) + 1);
      ctx.body = String(s.get('num_visits'));
    });
    routes(app);
    server = await listen(app);
    return { client: new Client(server.url), errors };
  }

  it.each([
    ['https', true],
    ['http', false],
  ])(
    "cookieSecure 'auto' behind a trusted proxy: X-Forwarded-Proto %s gives Secure %s",
    async (proto, secure) => {
      const app = new Koa().use(session<Cart>({ store: createMemoryStore(), cookieSecure: 'auto' }));
      app.proxy = true;
      app.use(async (ctx) => {
        const s = await (ctx as unknown as SessionContext<Cart>).getSession();
        s.set('num_visits', 1);
        ctx.body = 'ok';
      });
      server = await listen(app);
      const response = await new Client(server.url).get('/', { 'x-forwarded-proto': proto });
      expect(response.setCookies).toHaveLength(1);
      expect(response.setCookies[0]?.attributes.has('secure')).toBe(secure);
    },
  );

  it('a streamed body carries the cookie, and the record is stored when the client sees it', async () => {
    const store = createMemoryStore();
    const { client } = await start({ store }, (app) => {
      app.use(async (ctx) => {
        (await ctx.getSession()).set('items', ['stream']);
        ctx.type = 'text/plain';
        ctx.body = Readable.from(['a', 'b', 'c']);
      });
    });
    const response = await client.get('/stream');
    expect(response.body).toBe('abc');
    const key = response.setCookies[0]?.value as string;
    expect(store.peek(key)?.data).toEqual({ items: ['stream'] });
  });

  it('a redirect carries the cookie', async () => {
    const store = createMemoryStore();
    const { client } = await start({ store }, (app) => {
      app.use(async (ctx) => {
        (await ctx.getSession()).set('items', ['redirect']);
        ctx.redirect('/elsewhere');
      });
    });
    const response = await client.get('/go');
    expect(response.status).toBe(302);
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['redirect'] });
  });

  it('commits nothing when the downstream middleware throws: Koa answers the error, without a cookie', async () => {
    const store = createMemoryStore();
    const { client } = await start({ store }, (app) => {
      app.use(async (ctx) => {
        (await ctx.getSession()).set('items', ['lost']);
        ctx.throw(403, 'nope');
      });
    });
    const response = await client.get('/forbidden');
    expect(response.status).toBe(403);
    expect(response.setCookies).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('throws a store failure of the commit into Koa’s error handling: an error response, no cookie', async () => {
    const store = createFailingStore(createMemoryStore(), ['create']);
    const { client, errors } = await start({ store }, () => {});
    const response = await client.get('/count');
    expect(response.status).toBe(500);
    expect(response.body).toBe('Internal Server Error');
    expect(response.setCookies).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);
  });

  it('lets an upstream error middleware render its own page for a store failure', async () => {
    const store = createFailingStore(createMemoryStore(), ['create']);
    const app = new Koa();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = 503;
        ctx.body = isSessionError(error) ? `sessions are down: ${error.code}` : 'error';
      }
    });
    app.use(session({ store }));
    app.use(async (ctx) => {
      (await (ctx as unknown as SessionContext).getSession()).set('n', 1);
      ctx.body = 'saved?';
    });
    server = await listen(app);
    const response = await new Client(server.url).get('/');
    expect(response.status).toBe(503);
    expect(response.body).toBe('sessions are down: STORE_UNAVAILABLE');
    expect(response.setCookies).toEqual([]);
  });

  it('answers 400 (SessionInterrupted) when the record vanished during the request', async () => {
    const store = createMemoryStore();
    const { client } = await start({ store }, (app) => {
      app.use(async (ctx) => {
        const s = await ctx.getSession();
        await store.destroy(s.key as string);
        s.set('items', ['late']);
        ctx.body = 'written';
      });
    });
    await client.get('/count');
    const response = await client.get('/vanish');
    expect(response.status).toBe(400);
    expect(response.setCookies).toEqual([]);
  });

  it('with ctx.respond = false, commits only when asked by ctx.commitSession()', async () => {
    const store = createMemoryStore();
    const { client } = await start({ store }, (app) => {
      app.use(async (ctx) => {
        (await ctx.getSession()).set('items', [ctx.path]);
        ctx.respond = false;
        if (ctx.path === '/manual') await ctx.commitSession();
        ctx.res.statusCode = 200;
        ctx.res.end('raw');
      });
    });
    const skipped = await client.get('/skipped');
    expect(skipped.body).toBe('raw');
    expect(skipped.setCookies).toEqual([]);
    expect(store.size).toBe(0);
    const manual = await client.get('/manual');
    expect(manual.body).toBe('raw');
    expect(store.peek(manual.setCookies[0]?.value as string)?.data).toEqual({ items: ['/manual'] });
    expect(manual.headers.get('vary')).toMatch(/\bCookie\b/);
  });

  it('eager as a function loads only where it says', async () => {
    const { client } = await start(
      { store: createMemoryStore(), eager: (ctx) => ctx.path === '/eager' },
      (app) => {
        app.use(async (ctx) => {
          try {
            ctx.body = ctx.session ? 'loaded' : 'none';
          } catch (error) {
            ctx.body = error instanceof SessionNotLoaded && error.code === 'NOT_LOADED' ? 'lazy' : 'other';
          }
        });
      },
    );
    expect((await client.get('/eager')).body).toBe('loaded');
    expect((await client.get('/other')).body).toBe('lazy');
  });

  it('mounted twice, runs once: one Set-Cookie', async () => {
    const sessions = session<Cart>({ store: createMemoryStore() });
    const app = new Koa().use(sessions).use(sessions);
    app.use(async (ctx) => {
      const s = await ctx.getSession();
      s.set('num_visits', (s.get('num_visits') ?? 0) + 1);
      ctx.body = String(s.get('num_visits'));
    });
    server = await listen(app);
    const client = new Client(server.url);
    expect((await client.get('/')).setCookies).toHaveLength(1);
    expect((await client.get('/')).body).toBe('2');
  });

  it('a session written after the commit throws SessionAlreadyCommitted', async () => {
    let kept: KoaSession<Cart> | undefined;
    const { client } = await start({ store: createMemoryStore() }, (app) => {
      app.use(async (ctx) => {
        kept = await ctx.getSession();
        ctx.body = 'ok';
      });
    });
    await client.get('/keep');
    expect(() => kept?.set('items', [])).toThrow(SessionAlreadyCommitted);
  });
});
