import { createMemoryStore, type MemoryStore } from '@sess/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { FastifySession } from '../src/index.js';
import { startApp } from './app.js';

// One test per row of the README's "Migrating from @fastify/session" table: the @fastify/session idiom,
// written as a @fastify/session user writes it, and what it does here.

type Route = (session: FastifySession, request: FastifyRequest) => Promise<unknown> | unknown;

/** An app with `/set` (stores num_visits, user and theme) and `/run`, which runs `route` on the loaded session. */
async function idiom(route: Route, store: MemoryStore = createMemoryStore()) {
  const { client } = await startApp(
    { store, eager: true },
    {
      routes: (app: FastifyInstance) => {
        app.get('/set', async (request) => {
          request.session.set('num_visits', 1);
          request.session.set('user', 'ada');
          request.session.set('theme', 'dark');
          return request.session.sessionId;
        });
        app.get('/run', async (request) => JSON.stringify((await route(request.session, request)) ?? null));
        app.get('/read', async (request) => JSON.stringify(request.session.toJSON()));
      },
    },
  );
  const c = client();
  const key = (await c.get('/set')).body;
  const run = await c.get('/run');
  return { c, key, run, result: JSON.parse(run.body) as unknown, store };
}

describe('Migrating from @fastify/session: each row of the README table', () => {
  it('session.get(key) / session.set(key, value)', async () => {
    const { c, result } = await idiom((s) => {
      s.set('theme', 'light');
      return s.get('user');
    });
    expect(result).toBe('ada');
    expect(JSON.parse((await c.get('/read')).body)).toMatchObject({ theme: 'light' });
  });

  it('data keys as properties: session.user, session.theme = …, delete, Object.keys(session)', async () => {
    const { c, result } = await idiom((s) => {
      const seen = [s.user, Object.keys(s).sort()];
      s.theme = 'light';
      delete s.num_visits;
      return seen;
    });
    expect(result).toEqual(['ada', ['num_visits', 'theme', 'user']]);
    expect(JSON.parse((await c.get('/read')).body)).toEqual({ user: 'ada', theme: 'light' });
  });

  it('session.sessionId and session.encryptedSessionId: the key the cookie carries (no signature)', async () => {
    const { key, result, run } = await idiom((s) => [s.sessionId, s.encryptedSessionId]);
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    expect(result).toEqual([key, key]);
    expect(run.setCookies).toEqual([]);
  });

  it('await session.regenerate(): new key, data dropped, old record deleted, a new request.session', async () => {
    const { c, key, run, result, store } = await idiom(async (s, request) => {
      await s.regenerate();
      return [request.session === s, request.session.size, request.session.sessionId];
    });
    const [same, size, newKey] = result as [boolean, number, string];
    expect([same, size]).toEqual([false, 0]);
    expect(newKey).not.toBe(key);
    expect(store.peek(key)).toBeNull();
    // The new session is empty: nothing to store, and the old cookie is deleted.
    expect(run.setCookies.map((cookie) => [cookie.name, cookie.attributes.get('max-age')])).toEqual([
      ['sessionid', '0'],
    ]);
    expect(c.cookies.size).toBe(0);
  });

  it('await session.regenerate(["user"]): keeps the listed keys under the new key', async () => {
    const { c, key, run, store } = await idiom(async (s) => {
      await s.regenerate(['user']);
    });
    const newKey = run.setCookies[0]?.value as string;
    expect(newKey).not.toBe(key);
    expect(store.peek(key)).toBeNull();
    expect(store.peek(newKey)?.data).toEqual({ user: 'ada' });
    expect(JSON.parse((await c.get('/read')).body)).toEqual({ user: 'ada' });
  });

  it('session.regenerate(callback): the callback runs once the old record is gone', async () => {
    const { key, result, store } = await idiom(
      (s) =>
        new Promise((resolve, reject) => {
          s.regenerate((error?: unknown) => (error ? reject(error) : resolve('called')));
        }),
    );
    expect(result).toBe('called');
    expect(store.peek(key)).toBeNull();
  });

  it('await session.destroy(): record deleted now, the cookie cleared in this response, request.session gone', async () => {
    const { key, run, result, store } = await idiom(async (s, request) => {
      await s.destroy();
      return request.session === undefined;
    });
    expect(result).toBe(true);
    expect(store.peek(key)).toBeNull();
    expect(run.setCookies[0]?.attributes.get('max-age')).toBe('0');
  });

  it('await session.reload(): unsaved changes dropped, the stored data read again', async () => {
    const { result } = await idiom(async (s, request) => {
      s.set('theme', 'unsaved');
      await s.reload();
      return request.session.get('theme');
    });
    expect(result).toBe('dark');
  });

  it('await session.save(): written before the handler goes on; isSaved() then says so', async () => {
    const store = createMemoryStore();
    const { key, result } = await idiom(async (s) => {
      s.set('theme', 'saved early');
      const before = s.isSaved();
      await s.save();
      return [before, s.isSaved(), store.peek(s.sessionId as string)?.data.theme];
    }, store);
    expect(result).toEqual([false, true, 'saved early']);
    expect(store.peek(key)?.data).toMatchObject({ theme: 'saved early' });
  });

  it('session.isModified(): false after a read, true after a write', async () => {
    const { result } = await idiom((s) => {
      const read = s.isModified();
      s.get('user');
      const afterGet = s.isModified();
      s.set('theme', 'light');
      return [read, afterGet, s.isModified()];
    });
    expect(result).toEqual([false, false, true]);
  });

  it('session.touch(): the expiry refreshed and the cookie re-sent, with no change of data', async () => {
    const store = createMemoryStore();
    const { run, key } = await idiom((s) => {
      s.touch();
    }, store);
    expect(run.setCookies.map((cookie) => cookie.value)).toEqual([key]);
    expect(store.peek(key)?.data).toEqual({ num_visits: 1, user: 'ada', theme: 'dark' });
  });

  it('session.options({ maxAge }) and session.cookie.maxAge: milliseconds, as in @fastify/session', async () => {
    const { run } = await idiom((s) => {
      s.options({ maxAge: 3_600_000 });
      return s.cookie.maxAge;
    });
    expect(JSON.parse(run.body)).toBe(3_600_000);
    expect(run.setCookies[0]?.attributes.get('max-age')).toBe('3600');
  });

  it('session.cookie.maxAge = ms sets this session’s lifetime', async () => {
    const { run } = await idiom((s) => {
      s.cookie.maxAge = 60_000;
    });
    expect(run.setCookies[0]?.attributes.get('max-age')).toBe('60');
  });

  it('request.session = null (sess) ends the session with the response', async () => {
    const { key, run, store } = await idiom((_s, request) => {
      // Typed as is, unless @fastify/secure-session's own declaration of request.session is in the program
      // (@fastify/flash's types import it, and the workspace installs it for the bench): see the README.
      (request as { session: unknown }).session = null;
    });
    expect(store.peek(key)).toBeNull();
    expect(run.setCookies[0]?.attributes.get('max-age')).toBe('0');
  });

  it('session.data() (as @fastify/secure-session): a copy of the data', async () => {
    const { result, c } = await idiom((s) => {
      const data = s.data();
      const copy = { ...data };
      data.theme = 'not saved';
      return [copy, s.get('theme')];
    });
    expect(result).toEqual([{ num_visits: 1, user: 'ada', theme: 'dark' }, 'dark']);
    expect(JSON.parse((await c.get('/read')).body)).toMatchObject({ theme: 'dark' });
  });

  it('request.sessionStore and decryptSession(): the manager reads a session from a Cookie header', async () => {
    const store = createMemoryStore();
    const { app, client } = await startApp({ store });
    const c = client();
    await c.get('/count');
    const loaded = app.sessionManager.open({ cookieHeader: c.cookieHeader });
    expect((await loaded.load()).get('num_visits')).toBe(1);
  });

  it('saveUninitialized: a session that only was read is never stored, and no cookie is sent', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/peek', async (request) => String((await request.getSession()).get('user') ?? 'nobody'));
        },
      },
    );
    const response = await client().get('/peek');
    expect(response.body).toBe('nobody');
    expect(response.setCookies).toEqual([]);
  });
});
