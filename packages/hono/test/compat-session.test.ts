import { createMemoryStore, type MemoryStore } from '@sess/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type HonoSessionOptions, type SessionEnv, session } from '../src/index.js';
import { AppClient } from './app-client.js';

type Data = { items?: string[]; userId?: string; flash?: string; csrf?: string };

/** An app whose `/seed` route stores `{ items: ['a'], csrf: 't' }`, plus the test's routes. */
function app(routes: (app: Hono<SessionEnv<Data>>) => void, options: Partial<HonoSessionOptions<Data>> = {}) {
  const store = createMemoryStore();
  const hono = new Hono<SessionEnv<Data>>().use(session<Data>({ store, eager: true, ...options }));
  hono.onError((error, c) => c.text(`${error.name}: ${error.message}`, 500));
  hono.get('/seed', (c) => {
    c.var.session.update({ items: ['a'], csrf: 't' });
    return c.text('seeded');
  });
  routes(hono);
  return { store, client: new AppClient(hono) };
}

function keyOf(client: AppClient): string {
  return client.cookies.get('sessionid') as string;
}

function record(store: MemoryStore, key: string) {
  return store.peek(key)?.data;
}

describe('c.var.session: the compatible session, in Hono', () => {
  it('reads, writes and deletes data keys as properties, persisted like set()', async () => {
    const { store, client } = app((hono) => {
      hono.get('/props', (c) => {
        const s = c.var.session;
        s.items = [...(s.items ?? []), 'b'];
        delete s.csrf;
        return c.json(Object.keys(s));
      });
    });
    await client.get('/seed');
    expect(JSON.parse((await client.get('/props')).body)).toEqual(['items']);
    expect(record(store, keyOf(client))).toEqual({ items: ['a', 'b'] });
  });

  it('refuses to overwrite a member by property', async () => {
    const { client } = app((hono) => {
      hono.get('/member', (c) => {
        (c.var.session as unknown as Record<string, unknown>).get = 1;
        return c.text('overwritten');
      });
    });
    expect((await client.get('/member')).body).toMatch(/^TypeError: \[@sess\/hono\] "get" is a member/);
  });

  it('regenerate(): new key, data dropped, old record gone, and c.var.session is the new session', async () => {
    const { store, client } = app((hono) => {
      hono.get('/login', async (c) => {
        const before = c.var.session;
        await before.regenerate();
        const after = c.var.session;
        after.userId = 'u1';
        let oldWrite = '';
        try {
          before.flash = 'x';
        } catch (error) {
          oldWrite = (error as Error).message;
        }
        return c.json({
          replaced: before !== after,
          fromGetSession: (await c.var.getSession()) === after,
          oldReadsCopy: before.items,
          oldWrite,
        });
      });
    });
    await client.get('/seed');
    const old = keyOf(client);
    const result = JSON.parse((await client.get('/login')).body);
    expect(result).toMatchObject({ replaced: true, fromGetSession: true, oldReadsCopy: ['a'] });
    expect(result.oldWrite).toContain('set "flash" on the new c.var.session');
    expect(keyOf(client)).not.toBe(old);
    expect(record(store, old)).toBeUndefined();
    expect(record(store, keyOf(client))).toEqual({ userId: 'u1' });
  });

  it('regenerate(keysToKeep, cb) keeps the listed keys and calls back once the store answered', async () => {
    const { store, client } = app((hono) => {
      hono.get('/login', async (c) => {
        await new Promise<void>((resolve, reject) =>
          c.var.session.regenerate(['csrf'], (error) => (error ? reject(error) : resolve())),
        );
        return c.json(c.var.session.toJSON());
      });
    });
    await client.get('/seed');
    expect(JSON.parse((await client.get('/login')).body)).toEqual({ csrf: 't' });
    expect(record(store, keyOf(client))).toEqual({ csrf: 't' });
  });

  it('save() writes the store before the handler goes on', async () => {
    let seen: unknown;
    const { store, client } = app((hono) => {
      hono.get('/save', async (c) => {
        c.var.session.items = ['saved'];
        await c.var.session.save();
        seen = record(store, c.var.session.id as string);
        return c.text('ok');
      });
    });
    await client.get('/save');
    expect(seen).toEqual({ items: ['saved'] });
  });

  it('destroy() deletes the record and the cookie; writes through it throw, regenerate() starts a new session', async () => {
    let write = '';
    const { store, client } = app((hono) => {
      hono.get('/logout', async (c) => {
        await c.var.session.destroy();
        return c.text('bye');
      });
      hono.get('/logout-flash', async (c) => {
        await c.var.session.destroy();
        try {
          c.var.session.flash = 'lost';
        } catch (error) {
          write = (error as Error).message;
        }
        await c.var.session.regenerate();
        c.var.session.flash = 'logged out';
        return c.text('bye');
      });
    });
    await client.get('/seed');
    const old = keyOf(client);
    const logout = await client.get('/logout');
    expect(logout.setCookies[0]?.attributes.get('max-age')).toBe('0');
    expect(record(store, old)).toBeUndefined();
    await client.get('/seed');
    const seeded = keyOf(client);
    await client.get('/logout-flash');
    expect(write).toContain('the session was destroyed');
    expect(record(store, seeded)).toBeUndefined();
    expect(record(store, keyOf(client))).toEqual({ flash: 'logged out' });
  });

  it('flush() ends the session and leaves c.var.session usable: a message after logout is a new session', async () => {
    const { store, client } = app((hono) => {
      hono.get('/logout', async (c) => {
        const before = c.var.session;
        await before.flush();
        c.var.session.flash = 'logged out';
        return c.text(String(before === c.var.session));
      });
    });
    await client.get('/seed');
    const seeded = keyOf(client);
    expect((await client.get('/logout')).body).toBe('true');
    expect(record(store, seeded)).toBeUndefined();
    expect(keyOf(client)).not.toBe(seeded);
    expect(record(store, keyOf(client))).toEqual({ flash: 'logged out' });
  });

  it('cookie.maxAge (milliseconds) sets this session’s expiry; touch() re-sends an unchanged session', async () => {
    const { client } = app((hono) => {
      hono.get('/remember', (c) => {
        c.var.session.items = ['r'];
        c.var.session.cookie.maxAge = 60_000;
        return c.text('ok');
      });
      hono.get('/touch', (c) => {
        c.var.session.touch();
        return c.text('ok');
      });
      hono.get('/nothing', (c) => c.text(String(c.var.session.size)));
    });
    expect((await client.get('/remember')).setCookies[0]?.attributes.get('max-age')).toBe('60');
    expect((await client.get('/nothing')).setCookies).toEqual([]);
    expect((await client.get('/touch')).setCookies).toHaveLength(1);
  });

  it('koa-session’s manuallyCommit() writes the store at once; the response carries one Set-Cookie', async () => {
    let storedDuringHandler: unknown;
    const { store, client } = app((hono) => {
      hono.get('/manual', async (c) => {
        c.var.session.items = ['m'];
        await c.var.session.manuallyCommit();
        storedDuringHandler = record(store, c.var.session.id as string);
        return new Response('raw');
      });
    });
    const response = await client.get('/manual');
    expect(storedDuringHandler).toEqual({ items: ['m'] });
    expect(response.setCookies).toHaveLength(1);
    expect(response.headers.get('vary')).toBe('Cookie');
  });

  it('id is the key a new session will carry (reserved when first read)', async () => {
    let id: string | null = null;
    const { client } = app((hono) => {
      hono.get('/id', (c) => {
        id = c.var.session.id;
        c.var.session.items = ['x'];
        return c.text('ok');
      });
    });
    await client.get('/id');
    expect(id).toMatch(/^[a-z0-9]{32}$/);
    expect(keyOf(client)).toBe(id);
  });
});
