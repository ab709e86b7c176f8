/**
 * The README's "Migrating from @hono/session" table, row by row: what @hono/session 0.2.1 does (run here,
 * side by side) and what the sess way does instead.
 */
import { type SessionEnv as PeerEnv, useSession, useSessionStorage } from '@hono/session';
import { createMemoryStore, type SessionEvent, SessionNotLoaded } from '@sess/core';
import { createTestClock } from '@sess/core/testing';
import { createCookieStore } from '@sess/store-cookie';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type HonoSessionOptions, type SessionEnv, session } from '../src/index.js';
import { AppClient } from './app-client.js';

type Data = { n?: number; a?: string; b?: string };

const SECRET = 'migration-test-secret-0123456789abcdefghijklmnop';

/** A Map as @hono/session's `Storage`, counting what it holds. */
function peerStorage() {
  const map = new Map<string, Data>();
  return {
    map,
    storage: {
      get: (sid: string) => map.get(sid) ?? null,
      set: (sid: string, value: Data) => void map.set(sid, value),
      delete: (sid: string) => void map.delete(sid),
    },
  };
}

function peerApp(
  storage?: ReturnType<typeof peerStorage>['storage'],
  duration?: { absolute: number; inactivity?: number },
) {
  const app = new Hono<PeerEnv<Data>>();
  if (storage) app.use(useSessionStorage(storage));
  return app.use(useSession<Data>({ secret: SECRET, ...(duration ? { duration } : {}) }));
}

function sessApp(options: Partial<HonoSessionOptions<Data>> = {}) {
  const store = createMemoryStore(options.clock ? { clock: options.clock } : {});
  return { store, app: new Hono<SessionEnv<Data>>().use(session<Data>({ store, ...options })) };
}

describe('migrating from @hono/session', () => {
  it('all data: `await session.get()` is null for a new visitor; sess: `(await c.var.getSession()).toJSON()` is {}', async () => {
    const peer = peerApp().get('/', async (c) => c.json(await c.var.session.get()));
    const { app } = sessApp();
    app.get('/', async (c) => c.json((await c.var.getSession()).toJSON()));
    expect(await (await peer.request('/')).json()).toBeNull();
    expect(await (await app.request('/')).json()).toEqual({});
  });

  it('a read issues a cookie with @hono/session; sess sets none until data is written', async () => {
    const peer = peerApp().get('/', async (c) => c.text(String(await c.var.session.get())));
    const { app } = sessApp();
    app.get('/', async (c) => c.text(String((await c.var.getSession()).size)));
    expect((await peer.request('/')).headers.getSetCookie()).toHaveLength(1);
    expect((await app.request('/')).headers.getSetCookie()).toEqual([]);
  });

  it('replacing the data: `update(data)`; sess: `s.clear(); s.update(data)`', async () => {
    const peer = new AppClient(
      peerApp().get('/:v', async (c) => {
        await c.var.session.update(c.req.param('v') === 'b' ? { b: 'b' } : { a: 'a' });
        return c.json(c.var.session.data);
      }),
    );
    const { app } = sessApp();
    app.get('/:v', async (c) => {
      const s = await c.var.getSession();
      s.clear();
      s.update(c.req.param('v') === 'b' ? { b: 'b' } : { a: 'a' });
      return c.json(s.toJSON());
    });
    const ours = new AppClient(app);
    for (const client of [peer, ours]) {
      await client.get('/b');
      expect(JSON.parse((await client.get('/a')).body)).toEqual({ a: 'a' });
    }
  });

  it('an update from the previous data: `update((prev) => …)`; sess: `s.set(key, f(s.get(key, fallback)))`', async () => {
    const peer = new AppClient(
      peerApp().get('/', async (c) => {
        await c.var.session.update((prev) => ({ ...prev, n: (prev?.n ?? 0) + 1 }));
        return c.text(String(c.var.session.data?.n));
      }),
    );
    const { app } = sessApp();
    app.get('/', async (c) => {
      const s = await c.var.getSession();
      s.set('n', s.get('n', 0) + 1);
      return c.text(String(s.get('n')));
    });
    const ours = new AppClient(app);
    for (const client of [peer, ours]) {
      await client.get('/');
      expect((await client.get('/')).body).toBe('2');
    }
  });

  it('ending the session: `delete()` without a read leaves the stored entry; sess: `await s.flush()` deletes it', async () => {
    const { map, storage } = peerStorage();
    const peer = new AppClient(
      peerApp(storage)
        .get('/set', async (c) => {
          await c.var.session.update({ a: 'x' });
          return c.text('ok');
        })
        .get('/logout', (c) => {
          c.var.session.delete();
          return c.text('bye');
        }),
    );
    await peer.get('/set');
    const peerLogout = await peer.get('/logout');
    expect(peerLogout.setCookies[0]?.attributes.get('max-age')).toBe('0');
    expect(map.size).toBe(1);

    const { app, store } = sessApp();
    app.get('/set', async (c) => {
      (await c.var.getSession()).set('a', 'x');
      return c.text('ok');
    });
    app.get('/logout', async (c) => {
      await (await c.var.getSession()).flush();
      return c.text('bye');
    });
    const ours = new AppClient(app);
    await ours.get('/set');
    const logout = await ours.get('/logout');
    expect(logout.setCookies[0]?.attributes.get('max-age')).toBe('0');
    expect(store.size).toBe(0);
  });

  it('`data` and `id` throw before get(); sess: c.var.session throws SessionNotLoaded before getSession()', async () => {
    const peer = peerApp().get('/', (c) => c.text(String(c.var.session.data)));
    peer.onError((error, c) => c.text(error.message, 500));
    const { app } = sessApp();
    app.get('/', (c) => c.text(String(c.var.session.size)));
    app.onError((error, c) => c.text(error instanceof SessionNotLoaded ? error.message : 'other', 500));
    expect(await (await peer.request('/')).text()).toBe(
      'Session not initialised. Call get() or update() first.',
    );
    expect(await (await app.request('/')).text()).toContain('await c.var.getSession()');
  });

  it('`id` to show: sess’s `handle` (an HMAC of the key, stable, never the key itself)', async () => {
    const { app } = sessApp();
    app.get('/', async (c) => {
      const s = await c.var.getSession();
      s.set('a', 'x');
      return c.json({ handle: s.handle, key: s.key });
    });
    const client = new AppClient(app);
    await client.get('/');
    const first = JSON.parse((await client.get('/')).body);
    const second = JSON.parse((await client.get('/')).body);
    expect(first.handle).toMatch(/^\S{16,}$/);
    expect(first.handle).not.toContain(first.key);
    expect(second.handle).toBe(first.handle);
  });

  it('the cookie: `sid`, HttpOnly, Lax, no Secure; sess: `sessionid` (cookieName), HttpOnly, Lax, Max-Age two weeks', async () => {
    const peer = peerApp().get('/', async (c) => {
      await c.var.session.update({ a: 'x' });
      return c.text('ok');
    });
    const { app } = sessApp();
    app.get('/', async (c) => {
      (await c.var.getSession()).set('a', 'x');
      return c.text('ok');
    });
    expect((await peer.request('/')).headers.get('set-cookie')).toMatch(
      /^sid=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const ours = (await app.request('/')).headers.get('set-cookie') as string;
    expect(ours).toMatch(/^sessionid=[a-z0-9]{32};/);
    expect(ours).toMatch(/; Max-Age=1209600;/);
    expect(ours).toMatch(/; HttpOnly/);
    expect(ours).toMatch(/; SameSite=Lax/);
  });

  it('with cookieName: "sid", an old @hono/session cookie is no session (a fresh one, no error)', async () => {
    const peer = peerApp().get('/', async (c) => {
      await c.var.session.update({ a: 'old' });
      return c.text('ok');
    });
    const old = ((await peer.request('/')).headers.get('set-cookie') as string).split(';')[0] as string;
    const { app } = sessApp({ cookieName: 'sid' });
    app.get('/', async (c) => c.json((await c.var.getSession()).toJSON()));
    const response = await app.request('/', { headers: { cookie: old } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  it('`duration: { inactivity, absolute }`: sess’s `cookieAge` and `absoluteTimeout`', async () => {
    const clock = createTestClock(Date.now());
    const { app } = sessApp({ cookieAge: 600, absoluteTimeout: 3600, clock });
    app.get('/', async (c) => {
      const s = await c.var.getSession();
      s.set('n', s.get('n', 0) + 1);
      return c.text(String(s.get('n')));
    });
    const client = new AppClient(app);
    expect((await client.get('/')).setCookies[0]?.attributes.get('max-age')).toBe('600');
    clock.advance(500);
    expect((await client.get('/')).body).toBe('2');
    clock.advance(601);
    expect((await client.get('/')).body).toBe('1');
    // Active every 500 s: the idle timeout never ends it, the absolute one does, 3600 s after its creation.
    for (let visit = 2; visit <= 8; visit += 1) {
      clock.advance(500);
      expect((await client.get('/')).body).toBe(String(visit));
    }
    clock.advance(200);
    expect((await client.get('/')).body).toBe('1');
  });

  it('with a storage, a later update() does not re-send the cookie; sess re-sends it on each save (sliding)', async () => {
    const { storage } = peerStorage();
    const peer = new AppClient(
      peerApp(storage, { absolute: 3600, inactivity: 600 }).get('/', async (c) => {
        await c.var.session.update((prev) => ({ n: (prev?.n ?? 0) + 1 }));
        return c.text('ok');
      }),
    );
    const { app } = sessApp();
    app.get('/', async (c) => {
      const s = await c.var.getSession();
      s.set('n', s.get('n', 0) + 1);
      return c.text('ok');
    });
    const ours = new AppClient(app);
    await peer.get('/');
    await ours.get('/');
    expect((await peer.get('/')).setCookies).toEqual([]);
    expect((await ours.get('/')).setCookies).toHaveLength(1);
  });

  it('`onCreate` / `onDelete`: sess’s `onEvent` (created, destroyed), with a handle instead of the data', async () => {
    const events: SessionEvent['type'][] = [];
    const { app } = sessApp({ onEvent: (event) => events.push(event.type) });
    app.get('/in', async (c) => {
      (await c.var.getSession()).set('a', 'x');
      return c.text('ok');
    });
    app.get('/out', async (c) => {
      await (await c.var.getSession()).flush();
      return c.text('ok');
    });
    const client = new AppClient(app);
    await client.get('/in');
    await client.get('/out');
    expect(events).toEqual(['created', 'destroyed']);
  });

  it('a session in the cookie (no storage, `AUTH_SECRET`): `store: createCookieStore({ secretKey })`', async () => {
    const app = new Hono<SessionEnv<Data>>().use(
      session<Data>({ store: createCookieStore({ secretKey: SECRET }) }),
    );
    app.get('/', async (c) => {
      const s = await c.var.getSession();
      s.set('n', s.get('n', 0) + 1);
      return c.text(String(s.get('n')));
    });
    const client = new AppClient(app);
    await client.get('/');
    expect((await client.get('/')).body).toBe('2');
    expect(peerApp).toBeTypeOf('function');
    const missing = new Hono().use(useSession()).get('/', (c) => c.text('ok'));
    missing.onError((error, c) => c.text(error.message, 500));
    expect(await (await missing.request('/')).text()).toBe('Missing AUTH_SECRET');
  });
});
