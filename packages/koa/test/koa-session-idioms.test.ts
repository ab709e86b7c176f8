import { createMemoryStore, type MemoryStore, SessionAlreadyCommitted, SessionInterrupted } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createTestClock, type TestClock } from '@sess/core/testing';
import { Client, createFailingStore, type RunningServer, type StoreOperation } from '@sess/http-test-suite';
import Koa3, { type Context } from 'koa';
import Koa2 from 'koa2';
import { afterEach, describe, expect, it } from 'vitest';
import { type KoaSessionOptions, type SessionContext, session } from '../src/index.js';
import { listen } from './harness.js';

type Ctx = Context & SessionContext;
type Route = (ctx: Ctx) => unknown;

/** Waits long enough for any late or repeated callback to have run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Records the writes a memory store receives. */
function recordWrites(store: MemoryStore): string[] {
  const calls: string[] = [];
  for (const method of ['create', 'update', 'touch', 'destroy'] as const) {
    const original = store[method] as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      calls.push(method);
      return original.apply(store, args);
    };
  }
  return calls;
}

describe.each<[string, typeof Koa3]>([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as typeof Koa3],
])('%s: koa-session’s ctx.session idioms', (_name, Koa) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** An eager app with `/set?k=v`, `/read` and `routes` (a route's result is the JSON body). */
  async function start(
    routes: Record<string, Route>,
    options: { store?: SessionStore; absoluteTimeout?: number } = {},
  ) {
    const clock: TestClock = createTestClock(Date.now());
    const store = (options.store ?? createMemoryStore({ clock })) as MemoryStore;
    const app = new Koa();
    app.silent = true;
    const errors: unknown[] = [];
    app.on('error', (error) => errors.push(error));
    app.use(session({ clock, eager: true, ...options, store } as KoaSessionOptions));
    app.use(async (context) => {
      const ctx = context as unknown as Ctx;
      if (ctx.path === '/set') {
        for (const [k, v] of new URLSearchParams(ctx.querystring)) ctx.session[k] = v;
        ctx.body = ctx.session.toJSON();
        return;
      }
      if (ctx.path === '/read') {
        ctx.body = ctx.session.toJSON();
        return;
      }
      const route = routes[ctx.path];
      if (!route) return ctx.throw(404);
      const result = await route(ctx);
      if (ctx.body === undefined) ctx.body = result === undefined ? 'null' : JSON.stringify(result);
    });
    server = await listen(app);
    return { store, clock, errors, client: new Client(server.url) };
  }

  it('ctx.session = null: the record deleted, the cookie cleared, ctx.session null', async () => {
    const { client, store } = await start({
      '/end': (ctx) => {
        (ctx as { session: unknown }).session = null;
        return ctx.session;
      },
    });
    await client.get('/set?a=1');
    const key = client.cookies.get('sessionid') as string;
    const response = await client.get('/end');
    expect(response.body).toBe('null');
    expect(await store.load(key)).toBeNull();
    expect(response.setCookies[0]?.attributes.get('max-age')).toBe('0');
    expect(JSON.parse((await client.get('/read')).body)).toEqual({});
  });

  it('ctx.session = { … } replaces the data under the same key', async () => {
    const { client } = await start({
      '/replace': (ctx) => {
        (ctx as { session: unknown }).session = { b: 2 };
        return ctx.session.toJSON();
      },
    });
    await client.get('/set?a=1');
    const key = client.cookies.get('sessionid');
    expect(JSON.parse((await client.get('/replace')).body)).toEqual({ b: 2 });
    expect(JSON.parse((await client.get('/read')).body)).toEqual({ b: 2 });
    expect(client.cookies.get('sessionid')).toBe(key);
  });

  it('maxAge (ms) sets the expiry: Max-Age, and maxAge on the next request; "session" a browser-session cookie', async () => {
    const { client } = await start({
      '/remember': (ctx) => {
        ctx.session.maxAge = 60_000;
        return ctx.session.maxAge;
      },
      '/age': (ctx) => ctx.session.maxAge,
      '/browser': (ctx) => {
        ctx.session.maxAge = 'session';
        return ctx.session.maxAge;
      },
    });
    await client.get('/set?a=1');
    const remembered = await client.get('/remember');
    expect(remembered.body).toBe('60000');
    expect(remembered.setCookies[0]?.attributes.get('max-age')).toBe('60');
    expect((await client.get('/age')).body).toBe('60000');
    const browser = await client.get('/browser');
    expect(browser.body).toBe('"session"');
    expect(browser.setCookies[0]?.attributes.has('max-age')).toBe(false);
    expect((await client.get('/age')).body).toBe('"session"');
  });

  it('isNew: true until a stored session is found; populated and length follow the data', async () => {
    const { client } = await start({
      '/facts': (ctx) => ({
        isNew: ctx.session.isNew,
        populated: ctx.session.populated,
        length: ctx.session.length,
      }),
    });
    expect(JSON.parse((await client.get('/facts')).body)).toEqual({
      isNew: true,
      populated: false,
      length: 0,
    });
    await client.get('/set?a=1&b=2');
    expect(JSON.parse((await client.get('/facts')).body)).toEqual({
      isNew: false,
      populated: true,
      length: 2,
    });
  });

  it('regenerate(): a new key, the data and the object kept, the old record gone (callback or promise)', async () => {
    const { client, store } = await start({
      '/promise': async (ctx) => {
        const before = ctx.session;
        await ctx.session.regenerate();
        return ctx.session === before;
      },
      '/callback': (ctx) =>
        new Promise((resolve) => ctx.session.regenerate((error) => resolve({ error: error ?? null }))),
    });
    await client.get('/set?a=1');
    for (const path of ['/promise', '/callback']) {
      const before = client.cookies.get('sessionid') as string;
      const response = await client.get(path);
      expect(JSON.parse(response.body)).toEqual(path === '/promise' ? true : { error: null });
      const after = client.cookies.get('sessionid') as string;
      expect(after).not.toBe(before);
      expect(await store.load(before)).toBeNull();
      expect((await store.load(after))?.data).toEqual({ a: '1' });
    }
  });

  it('save(): written when it resolves, and not again at the end of the request', async () => {
    const { client, store } = await start({
      '/save': async (ctx) => {
        ctx.session.n = 1;
        await ctx.session.save();
        return (await store.load(ctx.session.id as string))?.data;
      },
    });
    await client.get('/set?a=1');
    const writes = recordWrites(store);
    expect(JSON.parse((await client.get('/save')).body)).toEqual({ a: '1', n: 1 });
    expect(writes).toEqual(['update']);
  });

  it('manuallyCommit(): commits now with one Set-Cookie; a later write throws SessionAlreadyCommitted', async () => {
    const { client, store } = await start({
      '/commit': async (ctx) => {
        ctx.session.n = 1;
        await ctx.session.manuallyCommit();
        const stored = (await store.load(ctx.session.id as string))?.data;
        try {
          ctx.session.late = true;
          return { stored, late: 'kept' };
        } catch (error) {
          return { stored, late: error instanceof SessionAlreadyCommitted ? 'refused' : 'other' };
        }
      },
    });
    const response = await client.get('/commit');
    expect(JSON.parse(response.body)).toEqual({ stored: { n: 1 }, late: 'refused' });
    expect(response.setCookies).toHaveLength(1);
  });

  describe('express-session’s methods on ctx.session (what Passport calls)', () => {
    it('reload(cb): unsaved changes dropped; past the absolute deadline it fails with SessionInterrupted', async () => {
      const { client, clock, store } = await start(
        {
          '/reload': (ctx) => {
            ctx.session.a = 'changed';
            return new Promise((resolve) =>
              ctx.session.reload((error) => resolve([error ?? null, ctx.session.a])),
            );
          },
          '/late': (ctx) => {
            clock.advance(3601);
            return new Promise((resolve) =>
              ctx.session.reload((error) => resolve(error instanceof SessionInterrupted)),
            );
          },
        },
        { absoluteTimeout: 3600 },
      );
      await client.get('/set?a=1');
      expect(JSON.parse((await client.get('/reload')).body)).toEqual([null, '1']);
      const key = client.cookies.get('sessionid') as string;
      expect((await client.get('/late')).body).toBe('true');
      expect(await store.load(key)).toBeNull();
    });

    it('destroy(cb): the record gone, the cookie cleared; ctx.session stays an (empty) session', async () => {
      const { client, store } = await start({
        '/destroy': (ctx) =>
          new Promise((resolve) =>
            ctx.session.destroy((error) => resolve({ error: error ?? null, data: ctx.session.toJSON() })),
          ),
      });
      await client.get('/set?a=1');
      const key = client.cookies.get('sessionid') as string;
      const response = await client.get('/destroy');
      expect(JSON.parse(response.body)).toEqual({ error: null, data: {} });
      expect(await store.load(key)).toBeNull();
      expect(response.setCookies[0]?.attributes.get('max-age')).toBe('0');
    });

    it('touch(): the cookie re-sent with a refreshed expiry, no data write', async () => {
      const { client, store, clock } = await start({
        '/touch': (ctx) => ctx.session.touch() === ctx.session,
      });
      await client.get('/set?a=1');
      clock.advance(600);
      const writes = recordWrites(store);
      const response = await client.get('/touch');
      expect(response.body).toBe('true');
      expect(writes).toEqual(['touch']);
      expect(response.setCookies[0]?.attributes.get('max-age')).toBe('1209600');
    });

    it('id and externalKey: the key, reserved for a new session and then issued', async () => {
      const { client } = await start({
        '/id': (ctx) => {
          ctx.session.seen = true;
          return { id: ctx.session.id };
        },
        '/key': (ctx) => ({ id: ctx.session.id, externalKey: ctx.session.externalKey }),
      });
      const first = await client.get('/id');
      const { id } = JSON.parse(first.body);
      expect(id).toMatch(/^[a-z0-9]{32}$/);
      expect(first.setCookies[0]?.value).toBe(id);
      expect(JSON.parse((await client.get('/key')).body)).toEqual({ id, externalKey: id });
    });

    it('cookie.maxAge (ms) maps onto setExpiry, as on Express', async () => {
      const { client } = await start({
        '/remember': (ctx) => {
          ctx.session.cookie.maxAge = 3_600_000;
          return ctx.session.cookie.originalMaxAge;
        },
      });
      await client.get('/set?a=1');
      const response = await client.get('/remember');
      expect(response.body).toBe('3600000');
      expect(response.setCookies[0]?.attributes.get('max-age')).toBe('3600');
    });

    it.each<[string, StoreOperation[], 'save' | 'regenerate' | 'destroy' | 'reload']>([
      ['save(cb) when the store cannot update', ['update'], 'save'],
      ['regenerate(cb) when the store cannot create the new key', ['create'], 'regenerate'],
      ['destroy(cb) when the store cannot destroy', ['destroy'], 'destroy'],
      ['reload(cb) when the store cannot load', ['load'], 'reload'],
    ])('%s: the callback once, with the error; no cookie', async (_title, operations, method) => {
      const store = createFailingStore(createMemoryStore(), operations);
      store.failing = false;
      const calls: unknown[][] = [];
      const { client } = await start(
        {
          '/call': (ctx) => {
            ctx.session.n = 2;
            store.failing = true;
            return new Promise((resolve) =>
              ctx.session[method]((...args: unknown[]) => {
                calls.push(args);
                resolve({ failed: args[0] instanceof Error });
              }),
            );
          },
        },
        { store },
      );
      await client.get('/set?a=1');
      const response = await client.get('/call');
      await settled();
      expect(calls).toHaveLength(1);
      expect(JSON.parse(response.body)).toEqual({ failed: true });
      expect(response.setCookies).toEqual([]);
    });

    it.each(['save', 'regenerate', 'destroy', 'reload'] as const)(
      '%s(cb) that succeeds: once, without an error, on a later tick',
      async (method) => {
        const calls: unknown[][] = [];
        const { client } = await start({
          '/call': (ctx) =>
            new Promise((resolve) => {
              let synchronous = true;
              ctx.session[method]((...args: unknown[]) => {
                calls.push([...args, synchronous]);
                resolve('ok');
              });
              synchronous = false;
            }),
        });
        await client.get('/set?a=1');
        await client.get('/call');
        await settled();
        expect(calls).toEqual([[false]]);
      },
    );
  });
});
