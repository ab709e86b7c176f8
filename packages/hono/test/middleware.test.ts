import {
  createMemoryStore,
  isSessionError,
  type Session,
  SessionAlreadyCommitted,
  SessionNotLoaded,
  SessionStoreError,
} from '@sess/core';
import { Client, createFailingStore, type RunningServer } from '@sess/http-test-suite';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import { afterEach, describe, expect, it } from 'vitest';
import { type HonoSessionOptions, type SessionEnv, session } from '../src/index.js';
import { listen } from './harness.js';

type Cart = { items?: string[]; num_visits?: number; userId?: string };

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An app with the middleware and a `/count` route; `routes` adds the test's own. */
async function start(options: HonoSessionOptions<Cart>, routes: (app: Hono<SessionEnv<Cart>>) => void) {
  const app = new Hono<SessionEnv<Cart>>().use(session<Cart>(options));
  const errors: unknown[] = [];
  app.onError((error, c) => {
    errors.push(error);
    return c.text(isSessionError(error) ? `session error: ${error.code}` : error.message, 500);
  });
  app.get('/count', async (c) => {
    const s = await c.var.getSession();
    s.set('num_visits', (s.get('num_visits') ?? 0) + 1);
    return c.text(String(s.get('num_visits')));
  });
  routes(app);
  server = await listen(app.fetch);
  return { client: new Client(server.url), errors, app };
}

describe('the Hono middleware', () => {
  it('does no store I/O and sets no cookie on a route that never asks; c.var.session throws until loaded', async () => {
    const store = createMemoryStore();
    let thrown: unknown;
    const { client } = await start({ store }, (app) => {
      app.get('/none', (c) => {
        try {
          c.var.session.get('items');
        } catch (error) {
          thrown = error;
        }
        return c.text('none');
      });
    });
    const response = await client.get('/none');
    expect(response.body).toBe('none');
    expect(response.setCookies).toEqual([]);
    expect(response.headers.get('vary')).toBeNull();
    expect(thrown).toBeInstanceOf(SessionNotLoaded);
    expect((thrown as Error).message).toContain('`await c.var.getSession()`');
  });

  it('after getSession(), c.get("session") and c.var.session are the loaded session', async () => {
    const { client } = await start({ store: createMemoryStore() }, (app) => {
      app.get('/same', async (c) => {
        const s = await c.var.getSession();
        return c.text(
          String(s === c.get('session') && s === c.var.session && s === (await c.var.getSession())),
        );
      });
    });
    expect((await client.get('/same')).body).toBe('true');
  });

  it('eager loads before the handler; as a function, only where it says', async () => {
    const { client } = await start(
      { store: createMemoryStore(), eager: (c) => c.req.path === '/eager' },
      (app) => {
        app.get('*', (c) => {
          try {
            return c.text(`loaded ${c.var.session.size}`);
          } catch {
            return c.text('lazy');
          }
        });
      },
    );
    expect((await client.get('/eager')).body).toBe('loaded 0');
    expect((await client.get('/other')).body).toBe('lazy');
  });

  it('commits nothing when the handler threw (c.error), even when onError answers 200', async () => {
    const store = createMemoryStore();
    const app = new Hono<SessionEnv<Cart>>().use(session<Cart>({ store }));
    app.onError((error, c) =>
      error instanceof HTTPException ? error.getResponse() : c.text('recovered', 200),
    );
    app.get('/boom', async (c) => {
      (await c.var.getSession()).set('items', ['lost']);
      throw new Error('boom');
    });
    app.get('/forbidden', async (c) => {
      (await c.var.getSession()).set('items', ['lost']);
      throw new HTTPException(403, { message: 'nope' });
    });
    server = await listen(app.fetch);
    const client = new Client(server.url);
    const boom = await client.get('/boom');
    expect(boom.status).toBe(200);
    expect(boom.body).toBe('recovered');
    expect(boom.setCookies).toEqual([]);
    const forbidden = await client.get('/forbidden');
    expect(forbidden.status).toBe(403);
    expect(forbidden.setCookies).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('throws a store failure of the commit into app.onError: an error response, no cookie', async () => {
    const store = createFailingStore(createMemoryStore(), ['create']);
    const { client, errors } = await start({ store }, () => {});
    const response = await client.get('/count');
    expect(response.status).toBe(500);
    expect(response.body).toBe('session error: STORE_UNAVAILABLE');
    expect(response.setCookies).toEqual([]);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);
  });

  it('answers SessionInterrupted (status 400) when the record vanished during the request', async () => {
    const store = createMemoryStore();
    const app = new Hono<SessionEnv<Cart>>().use(session<Cart>({ store }));
    app.onError((error, c) => c.text(error.message, (error as { status?: 400 }).status ?? 500));
    app.get('/count', async (c) => {
      const s = await c.var.getSession();
      if (c.req.query('vanish')) await store.destroy(s.key as string);
      s.set('num_visits', 1);
      return c.text('written');
    });
    server = await listen(app.fetch);
    const client = new Client(server.url);
    await client.get('/count');
    const response = await client.get('/count?vanish=1');
    expect(response.status).toBe(400);
    expect(response.setCookies).toEqual([]);
  });

  it('a Response.redirect() returned by the handler carries the cookie', async () => {
    const store = createMemoryStore();
    const { client } = await start({ store }, (app) => {
      app.get('/go', async (c) => {
        (await c.var.getSession()).set('items', ['redirect']);
        return Response.redirect(new URL('/elsewhere', c.req.url), 303);
      });
    });
    const response = await client.get('/go');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/\/elsewhere$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['redirect'] });
  });

  it('keeps the handler’s own headers and cookies, and merges Vary', async () => {
    const { client } = await start({ store: createMemoryStore() }, (app) => {
      app.get('/own', async (c) => {
        (await c.var.getSession()).set('items', ['own']);
        c.header('Vary', 'Accept-Encoding');
        c.header('Set-Cookie', 'theme=dark; Path=/', { append: true });
        return c.text('own');
      });
    });
    const response = await client.get('/own');
    expect(response.setCookies.map((cookie) => cookie.name).sort()).toEqual(['sessionid', 'theme']);
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
  });

  it('a streamed body carries the cookie; writes from the stream after the commit throw', async () => {
    const store = createMemoryStore();
    let late: unknown;
    const { client } = await start({ store }, (app) => {
      app.get('/stream', async (c) => {
        const s = await c.var.getSession();
        s.set('items', ['stream']);
        return stream(c, async (out) => {
          await out.write('a');
          try {
            s.set('items', ['late']);
          } catch (error) {
            late = error;
          }
          await out.write('b');
        });
      });
    });
    const response = await client.get('/stream');
    expect(response.body).toBe('ab');
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['stream'] });
    expect(late).toBeInstanceOf(SessionAlreadyCommitted);
  });

  it('mounted twice, runs once: one Set-Cookie', async () => {
    const sessions = session<Cart>({ store: createMemoryStore() });
    const app = new Hono().use(sessions).use(sessions);
    app.get('/', async (c) => {
      const s = await c.var.getSession();
      s.set('num_visits', (s.get('num_visits') ?? 0) + 1);
      return c.text(String(s.get('num_visits')));
    });
    server = await listen(app.fetch);
    const client = new Client(server.url);
    expect((await client.get('/')).setCookies).toHaveLength(1);
    expect((await client.get('/')).body).toBe('2');
  });

  it('a session kept past its response throws SessionAlreadyCommitted', async () => {
    let kept: Session<Cart> | undefined;
    const { client } = await start({ store: createMemoryStore() }, (app) => {
      app.get('/keep', async (c) => {
        kept = await c.var.getSession();
        return c.text('ok');
      });
    });
    await client.get('/keep');
    expect(() => kept?.set('items', [])).toThrow(SessionAlreadyCommitted);
  });

  it("cookieSecure 'auto' follows the request URL's scheme (app.request with an https URL)", async () => {
    const app = new Hono().use(session<Cart>({ store: createMemoryStore(), cookieSecure: 'auto' }));
    app.get('/', async (c) => {
      (await c.var.getSession()).set('num_visits', 1);
      return c.text('ok');
    });
    const secure = await app.request('https://example.test/');
    const plain = await app.request('http://example.test/');
    expect(secure.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(plain.headers.get('set-cookie')).not.toMatch(/; Secure/);
  });

  it('behind a TLS proxy, cookieFor can read X-Forwarded-Proto', async () => {
    const { client } = await start(
      {
        store: createMemoryStore(),
        cookieFor: (c) => ({ secure: c.req.header('x-forwarded-proto') === 'https' }),
      },
      () => {},
    );
    const response = await client.get('/count', { 'x-forwarded-proto': 'https' });
    expect(response.setCookies[0]?.attributes.has('secure')).toBe(true);
  });

  it('runs on a sub-app mounted with app.route(), typed by the parent env', async () => {
    const store = createMemoryStore();
    const api = new Hono<SessionEnv<Cart>>().get('/cart', async (c) => {
      const s = await c.var.getSession();
      s.set('items', [...(s.get('items') ?? []), 'book']);
      return c.json(s.get('items'));
    });
    const app = new Hono().use(session<Cart>({ store })).route('/api', api);
    server = await listen(app.fetch);
    const client = new Client(server.url);
    await client.get('/api/cart');
    expect(JSON.parse((await client.get('/api/cart')).body)).toEqual(['book', 'book']);
  });
});
