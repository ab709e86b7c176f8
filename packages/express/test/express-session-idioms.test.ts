import type { IncomingMessage } from 'node:http';
import { createMemoryStore, type MemoryStore, SessionInterrupted } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createTestClock, type TestClock } from '@sess/core/testing';
import { Client, createFailingStore, type RunningServer, type StoreOperation } from '@sess/http-test-suite';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExpressSessionOptions, type SessionRequestFields, session } from '../src/index.js';
import { type ExpressFactory, errorHandler, listen } from './harness.js';

type Handler = (req: IncomingMessage & SessionRequestFields, reply: (body: unknown) => void) => void;

/** Waits long enough for any late or repeated callback to have run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe.each<[string, ExpressFactory]>([
  ['Express 5', express5],
  ['Express 4', express4],
])('%s: express-session’s req.session behaviours', (_name, factory) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** An eager app over `store` with `/set?k=v`, `/read` and the given routes (each answers JSON). */
  async function start(
    routes: Record<string, Handler>,
    options: { store?: SessionStore; absoluteTimeout?: number } = {},
  ) {
    const clock: TestClock = createTestClock(Date.now());
    const memory = createMemoryStore({ clock });
    const store = (options.store ?? memory) as MemoryStore;
    const app = factory();
    app.use(session({ clock, eager: true, ...options, store } as ExpressSessionOptions));
    app.get('/set', (req, res) => {
      for (const [k, v] of Object.entries(req.query)) req.session[k] = v;
      res.json(req.session.toJSON());
    });
    app.get('/read', (req, res) => {
      res.json(req.session.toJSON());
    });
    for (const [path, handler] of Object.entries(routes)) {
      app.get(path, (req, res) => handler(req as never, (body) => res.json(body)));
    }
    app.use(errorHandler);
    server = await listen(app);
    return { store, clock, client: new Client(server.url), url: server.url };
  }

  /** Counts the writes a memory store receives. */
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

  it('regenerate(cb): a new key and a new req.session object, the data dropped, the old record gone', async () => {
    const { client, store } = await start({
      '/regenerate': (req, reply) => {
        const old = req.session;
        const oldId = req.sessionID;
        req.session.regenerate((error) => {
          req.session.fresh = 'yes';
          reply({ error: error ?? null, replaced: req.session !== old, dropped: req.session.a, oldId });
        });
      },
    });
    await client.get('/set?a=1');
    const before = client.cookies.get('sessionid') as string;
    const response = await client.get('/regenerate');
    expect(JSON.parse(response.body)).toEqual({ error: null, replaced: true, oldId: before });
    const after = client.cookies.get('sessionid') as string;
    expect(after).not.toBe(before);
    expect(await store.load(before)).toBeNull();
    expect(JSON.parse((await client.get('/read')).body)).toEqual({ fresh: 'yes' });
  });

  it('save(cb): written before the callback, and not written again at the end of the request', async () => {
    const { client, store } = await start({
      '/save': (req, reply) => {
        req.session.n = 1;
        req.session.save(async (error) => {
          const stored = (await store.load(req.sessionID))?.data;
          reply({ error: error ?? null, stored });
        });
      },
    });
    await client.get('/set?a=1');
    const writes = recordWrites(store);
    expect(JSON.parse((await client.get('/save')).body)).toEqual({ error: null, stored: { a: '1', n: 1 } });
    expect(writes).toEqual(['update']);
    // A new session: one create, and its cookie goes out with the response.
    const other = new Client(server?.url as string);
    const first = await other.get('/save');
    expect(JSON.parse(first.body).stored).toEqual({ n: 1 });
    expect(first.setCookies).toHaveLength(1);
    expect(writes).toEqual(['update', 'create']);
  });

  it('reload(cb): unsaved changes dropped, the stored data back', async () => {
    const { client } = await start({
      '/reload': (req, reply) => {
        req.session.a = 'changed';
        req.session.reload((error) => reply({ error: error ?? null, a: req.session.a }));
      },
    });
    await client.get('/set?a=1');
    expect(JSON.parse((await client.get('/reload')).body)).toEqual({ error: null, a: '1' });
    expect(JSON.parse((await client.get('/read')).body)).toEqual({ a: '1' });
  });

  it('reload(cb) goes through core’s load: past the absolute deadline it fails and the record is gone', async () => {
    const { client, clock, store } = await start(
      {
        '/reload-late': (req, reply) => {
          clock.advance(3601);
          req.session.reload((error) => reply({ interrupted: error instanceof SessionInterrupted }));
        },
      },
      { absoluteTimeout: 3600 },
    );
    await client.get('/set?a=1');
    const key = client.cookies.get('sessionid') as string;
    expect(JSON.parse((await client.get('/reload-late')).body)).toEqual({ interrupted: true });
    expect(await store.load(key)).toBeNull();
  });

  it('destroy(cb): the record gone, req.session undefined, the cookie cleared', async () => {
    const { client, store } = await start({
      '/destroy': (req, reply) => {
        req.session.destroy((error) => reply({ error: error ?? null, session: req.session ?? 'undefined' }));
      },
    });
    await client.get('/set?a=1');
    const key = client.cookies.get('sessionid') as string;
    const response = await client.get('/destroy');
    expect(JSON.parse(response.body)).toEqual({ error: null, session: 'undefined' });
    expect(await store.load(key)).toBeNull();
    expect(response.setCookies[0]?.attributes.get('max-age')).toBe('0');
  });

  it('touch(): the expiry refreshed and the cookie re-sent, without rewriting the data', async () => {
    const { client, store, clock } = await start({
      '/touch': (req, reply) => reply(req.session.touch() === req.session),
    });
    await client.get('/set?a=1');
    clock.advance(600);
    const writes = recordWrites(store);
    const response = await client.get('/touch');
    expect(response.body).toBe('true');
    expect(writes).toEqual(['touch']);
    expect(response.setCookies[0]?.attributes.get('max-age')).toBe('1209600');
    expect(response.setCookies[0]?.attributes.get('expires')).toBe(
      new Date(clock.now() + 1_209_600_000).toUTCString(),
    );
  });

  it('req.sessionID and req.session.id: the key, reserved for a new session and then issued', async () => {
    const { client } = await start({
      '/id': (req, reply) => {
        req.session.seen = true;
        reply({ sessionID: req.sessionID, id: req.session.id });
      },
    });
    const first = await client.get('/id');
    const ids = JSON.parse(first.body);
    expect(ids.sessionID).toMatch(/^[a-z0-9]{32}$/);
    expect(ids.id).toBe(ids.sessionID);
    expect(first.setCookies[0]?.value).toBe(ids.sessionID);
    expect(JSON.parse((await client.get('/id')).body)).toEqual(ids);
  });

  it('cookie.maxAge (ms) maps onto setExpiry: Max-Age, and maxAge / originalMaxAge on the next request', async () => {
    const { client } = await start({
      '/remember': (req, reply) => {
        req.session.cookie.maxAge = 30 * 24 * 3600 * 1000;
        reply(req.session.cookie.originalMaxAge);
      },
      '/cookie': (req, reply) =>
        reply({
          maxAge: req.session.cookie.maxAge,
          originalMaxAge: req.session.cookie.originalMaxAge,
          expires: req.session.cookie.expires,
        }),
    });
    await client.get('/set?a=1');
    const response = await client.get('/remember');
    expect(response.body).toBe(String(30 * 24 * 3600 * 1000));
    expect(response.setCookies[0]?.attributes.get('max-age')).toBe(String(30 * 24 * 3600));
    const seen = JSON.parse((await client.get('/cookie')).body);
    expect(seen.maxAge).toBe(30 * 24 * 3600 * 1000);
    expect(seen.originalMaxAge).toBe(30 * 24 * 3600 * 1000);
    expect(typeof seen.expires).toBe('string');
  });

  it('cookie.expires (a Date) fixes the expiry there; cookie.maxAge = null gives a browser-session cookie', async () => {
    const { client, clock } = await start({
      '/until': (req, reply) => {
        req.session.cookie.expires = new Date(clock.now() + 7200_000);
        reply(req.session.cookie.maxAge);
      },
      '/browser': (req, reply) => {
        req.session.cookie.maxAge = null;
        reply({ maxAge: req.session.cookie.maxAge, expires: req.session.cookie.expires });
      },
    });
    await client.get('/set?a=1');
    const until = await client.get('/until');
    expect(Number(until.body)).toBe(7200_000);
    expect(until.setCookies[0]?.attributes.get('max-age')).toBe('7200');
    const browser = await client.get('/browser');
    expect(JSON.parse(browser.body)).toEqual({ maxAge: null, expires: null });
    expect(browser.setCookies[0]?.attributes.has('max-age')).toBe(false);
    expect(browser.setCookies[0]?.attributes.has('expires')).toBe(false);
  });

  it('req.session = null ends the session: the record deleted and the cookie cleared', async () => {
    const { client, store } = await start({
      '/end': (req, reply) => {
        (req as { session: unknown }).session = null;
        reply(req.session);
      },
    });
    await client.get('/set?a=1');
    const key = client.cookies.get('sessionid') as string;
    const response = await client.get('/end');
    expect(response.body).toBe('null');
    expect(await store.load(key)).toBeNull();
    expect(response.setCookies[0]?.attributes.get('max-age')).toBe('0');
  });

  describe('every callback is called exactly once, errors included', () => {
    async function failing(
      operations: StoreOperation[],
      method: 'save' | 'regenerate' | 'destroy' | 'reload',
    ) {
      const memory = createMemoryStore();
      const store = createFailingStore(memory, operations);
      store.failing = false;
      const calls: unknown[][] = [];
      const { client } = await start(
        {
          '/call': (req, reply) => {
            req.session.n = 2;
            store.failing = true;
            req.session[method]((...args: unknown[]) => {
              calls.push(args);
              reply({ failed: args[0] instanceof Error });
            });
          },
        },
        { store },
      );
      await client.get('/set?a=1');
      const response = await client.get('/call');
      await settled();
      return { response, calls };
    }

    it.each<[string, StoreOperation[], 'save' | 'regenerate' | 'destroy' | 'reload']>([
      ['save(cb) when the store cannot update', ['update'], 'save'],
      ['regenerate(cb) when the store cannot destroy', ['destroy'], 'regenerate'],
      ['destroy(cb) when the store cannot destroy', ['destroy'], 'destroy'],
      ['reload(cb) when the store cannot load', ['load'], 'reload'],
    ])('%s: once, with the error; the response carries no cookie', async (_title, operations, method) => {
      const { response, calls } = await failing(operations, method);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.[0]).toBeInstanceOf(Error);
      expect(JSON.parse(response.body)).toEqual({ failed: true });
      expect(response.setCookies).toEqual([]);
    });

    it.each(['save', 'regenerate', 'destroy', 'reload'] as const)(
      '%s(cb) that succeeds: once, without an error, on a later tick',
      async (method) => {
        const calls: unknown[][] = [];
        let synchronous = true;
        const { client } = await start({
          '/call': (req, reply) => {
            req.session[method]((...args: unknown[]) => {
              calls.push([...args, synchronous]);
              reply('ok');
            });
            synchronous = false;
          },
        });
        await client.get('/set?a=1');
        await client.get('/call');
        await settled();
        expect(calls).toEqual([[false]]);
      },
    );
  });
});
