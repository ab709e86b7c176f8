import type { IncomingMessage } from 'node:http';
import {
  createMemoryStore,
  createSessionManager,
  SessionConfigError,
  type SessionData,
  SessionNotLoaded,
} from '@sess/core';
import { Client, type RunningServer } from '@sess/http-test-suite';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type ExpressSession, type ExpressSessionOptions, session } from '../src/index.js';
import { type ExpressFactory, errorHandler, listen } from './harness.js';

type Cart = { items: string[]; num_visits?: number };

const store = createMemoryStore();

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ExpressSessionOptions', () => {
  const manager = createSessionManager({ store });

  it.each<[string, ExpressSessionOptions]>([
    ['manager options', { store, cookieName: 'sid' }],
    ['eager: true', { store, eager: true }],
    ['eager as a function', { store, eager: (req: IncomingMessage) => req.url === '/' }],
    ['a cookieFor function', { store, cookieFor: () => ({ domain: 'example.test' }) }],
    ['a static route policy', { store, policy: { readOnly: true, failOpen: true } }],
    ['a route policy per request', { store, policy: () => ({ readOnly: true }) }],
    ['a prebuilt manager', { manager }],
    ['a prebuilt manager with adapter options', { manager, eager: true, cookieFor: () => undefined }],
  ])('accepts %s', (_name, options) => {
    expect(typeof session(options)).toBe('function');
  });

  it('uses the prebuilt manager as it is', () => {
    expect(session({ manager }).manager).toBe(manager);
  });

  it.each<[string, string, unknown]>([
    ['eager as a string', 'eager', { store, eager: 'yes' }],
    ['eager as a number', 'eager', { store, eager: 1 }],
    ['cookieFor that is not a function', 'cookieFor', { store, cookieFor: { domain: 'x' } }],
    ['a policy given as a string', 'policy', { store, policy: 'readOnly' }],
    ['a policy with a misspelt flag', 'policy', { store, policy: { readonly: true } }],
    ['a policy flag that is not a boolean', 'policy', { store, policy: { failOpen: 'yes' } }],
    ['a manager that is not one', 'manager', { manager: {} }],
    ['a store beside a manager', 'store', { manager, store }],
    ['a manager option beside a manager', 'cookieAge', { manager, cookieAge: 60 }],
    ['options that are not an object', 'options', null],
  ])('rejects %s, naming `%s`', (_name, option, options) => {
    const error = thrown(() => session(options as ExpressSessionOptions));
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', option });
    expect((error as Error).message).toMatch(/^\[@sess\/express\] option `/);
  });

  it('lets core name invalid manager options', () => {
    const error = thrown(() => session({ store, cookieSameSite: 'sideways' as 'Lax' }));
    expect(error).toMatchObject({ option: 'cookieSameSite' });
    expect((error as Error).message).toMatch(/^\[@sess\/core\]/);
  });

  it('types the session through the generic', () => {
    const sessions = session<Cart>({ store });
    expectTypeOf(sessions.getSession).returns.resolves.toEqualTypeOf<ExpressSession<Cart>>();
    expectTypeOf<ExpressSession<Cart>['items']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf((s: ExpressSession<Cart>) => s.get('items')).returns.toEqualTypeOf<string[] | undefined>();
    // @ts-expect-error: not a key of Cart
    expectTypeOf((s: ExpressSession<Cart>) => s.get('nope')).toBeFunction();
  });
});

describe.each<[string, ExpressFactory]>([
  ['Express 5', express5],
  ['Express 4', express4],
])('%s: middleware', (_name, factory) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('eager as a function loads only where it says', async () => {
    const app = factory();
    app.use(session({ store: createMemoryStore(), eager: (req) => req.url?.startsWith('/eager') === true }));
    app.get('/:where', (req, res) => {
      try {
        res.send(req.session ? 'loaded' : 'none');
      } catch (error) {
        res.send(error instanceof SessionNotLoaded && error.code === 'NOT_LOADED' ? 'lazy' : 'other');
      }
    });
    server = await listen(app);
    const client = new Client(server.url);
    expect((await client.get('/eager')).body).toBe('loaded');
    expect((await client.get('/other')).body).toBe('lazy');
  });

  it('mounted twice, runs once: one load, one Set-Cookie', async () => {
    const sessions = session<Cart>({ store: createMemoryStore() });
    const app = factory();
    app.use(sessions);
    const router = factory.Router();
    router.use(sessions);
    router.get('/count', async (req, res) => {
      const s = await sessions.getSession(req);
      s.num_visits = (s.num_visits ?? 0) + 1;
      res.send(String(s.num_visits));
    });
    app.use(router);
    server = await listen(app);
    const client = new Client(server.url);
    const first = await client.get('/count');
    expect(first.setCookies).toHaveLength(1);
    expect((await client.get('/count')).body).toBe('2');
  });

  it('holds the response of a mounted sub-app, and keeps req.session across it', async () => {
    const sessions = session<Cart>({ store: createMemoryStore() });
    const app = factory();
    app.use(sessions);
    const sub = factory();
    sub.get('/count', async (req, res) => {
      const s = await sessions.getSession(req);
      s.num_visits = (s.num_visits ?? 0) + 1;
      res.send(`${String(s.num_visits)} ${(req as unknown as { session: unknown }).session === s}`);
    });
    app.use('/sub', sub);
    server = await listen(app);
    const client = new Client(server.url);
    const first = await client.get('/sub/count');
    expect(first.body).toBe('1 true');
    expect(first.setCookies).toHaveLength(1);
    expect((await client.get('/sub/count')).body).toBe('2 true');
  });

  it('leaves req.session assignable on requests of an app without the middleware', async () => {
    const withSessions = factory();
    withSessions.use(session({ store: createMemoryStore() }));
    withSessions.get('/', (_req, res) => {
      res.send('ok');
    });
    const first = await listen(withSessions);
    await new Client(first.url).get('/');
    await first.close();
    const other = factory();
    other.get('/', (req, res) => {
      const carrier = req as unknown as { session: unknown; getSession: unknown };
      carrier.session = { mine: true };
      res.send(JSON.stringify(carrier.session));
    });
    server = await listen(other);
    expect((await new Client(server.url).get('/')).body).toBe('{"mine":true}');
  });

  it.each([
    ['https', true],
    ['http', false],
  ])(
    "cookieSecure 'auto' behind a trusted proxy: X-Forwarded-Proto %s gives Secure %s",
    async (proto, secure) => {
      const sessions = session<Cart>({ store: createMemoryStore(), cookieSecure: 'auto' });
      const app = factory();
      app.set('trust proxy', 1);
      app.use(sessions);
      app.get('/', async (req, res) => {
        (await sessions.getSession(req)).set('num_visits', 1);
        res.send('ok');
      });
      server = await listen(app);
      const response = await new Client(server.url).get('/', { 'x-forwarded-proto': proto });
      expect(response.setCookies).toHaveLength(1);
      expect(response.setCookies[0]?.attributes.has('secure')).toBe(secure);
    },
  );

  it('getSession(req) of the middleware rejects for a request it did not see', async () => {
    const sessions = session({ store: createMemoryStore() });
    const app = factory();
    app.get('/', (req, res, next) => {
      sessions.getSession(req).then(() => res.send('loaded'), next);
    });
    app.use(errorHandler);
    server = await listen(app);
    const response = await new Client(server.url).get('/');
    expect(response.status).toBe(500);
  });

  it('two middlewares over one prebuilt manager share its sessions', async () => {
    const manager = createSessionManager<SessionData>({ store: createMemoryStore() });
    const app = factory();
    app.use('/a', session({ manager }));
    app.use('/b', session({ manager, eager: true }));
    app.get('/a/set', async (req, res) => {
      (await req.getSession()).set('from', 'a');
      res.send('ok');
    });
    app.get('/b/get', (req, res) => {
      res.send(String(req.session?.get('from')));
    });
    server = await listen(app);
    const client = new Client(server.url);
    await client.get('/a/set');
    expect((await client.get('/b/get')).body).toBe('a');
  });

  it('a store failure of an eager load goes to next(err) before the handler', async () => {
    const failing = createMemoryStore();
    const app = factory();
    app.use(session({ store: failing, eager: true }));
    let handled = false;
    app.get('/', (_req, res) => {
      handled = true;
      res.send('handled');
    });
    app.get('/set', async (req, res) => {
      (await req.getSession()).set('n', 1);
      res.send('set');
    });
    app.use(errorHandler);
    server = await listen(app);
    const client = new Client(server.url);
    await client.get('/set');
    failing.load = async () => {
      throw new Error('down');
    };
    const response = await client.get('/');
    expect(response.status).toBe(500);
    expect(response.body).toBe('STORE_UNAVAILABLE');
    expect(handled).toBe(false);
  });
});

describe('on node:http without Express', () => {
  it('holds the response on the request itself and commits before the headers', async () => {
    const sessions = session<Cart>({ store: createMemoryStore() });
    const server = await listen((req, res) => {
      sessions(req, res, async () => {
        const s = await sessions.getSession(req);
        s.num_visits = (s.num_visits ?? 0) + 1;
        res.end(`${String(s.num_visits)} ${(req as unknown as { session: unknown }).session === s}`);
      });
    });
    try {
      const client = new Client(server.url);
      const first = await client.get('/');
      expect(first.body).toBe('1 true');
      expect(first.setCookies).toHaveLength(1);
      expect((await client.get('/')).body).toBe('2 true');
    } finally {
      await server.close();
    }
  });
});
