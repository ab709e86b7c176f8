import { createMemoryStore, createSessionManager, type SessionData, SessionInterrupted } from '@sess/core';
import { type CompatIdioms, type HeaderSink, RequestBinding } from '@sess/core/adapter';
import { describe, expect, it } from 'vitest';
import type { ExpressSession } from '../src/index.js';

/** The idioms the Express adapter gives the kit. */
const IDIOMS: CompatIdioms = { source: '@sess/express', property: 'req.session', regenerate: 'new-session' };

interface Cart extends SessionData {
  items?: string[];
  num_visits?: number;
}

/** A loaded session behind the express-session-style proxy, over a memory store. */
async function setup(data: Cart = {}) {
  const store = createMemoryStore();
  const manager = createSessionManager<Cart>({ store });
  let key: string | null = null;
  if (Object.keys(data).length > 0) {
    const first = manager.open();
    (await first.load()).update(data);
    const header = (await first.commit(200)).setCookie[0] as string;
    key = header.slice(header.indexOf('=') + 1, header.indexOf(';'));
  }
  const request = manager.open({ cookieHeader: key ? `sessionid=${key}` : undefined });
  const headers = new Map<string, string>();
  const sink: HeaderSink = {
    get: (name) => headers.get(name.toLowerCase()),
    set: (name, value) => headers.set(name.toLowerCase(), value),
    append: (name, value) => headers.set(name.toLowerCase(), value),
  };
  const binding = new RequestBinding<Cart>(request, IDIOMS, { status: () => 200, headers: sink });
  const proxy = (await binding.getSession()) as ExpressSession<Cart>;
  const current = () => binding.read() as ExpressSession<Cart> | null | undefined;
  return {
    store,
    request,
    session: request.session as NonNullable<typeof request.session>,
    binding,
    proxy,
    current,
    key,
  };
}

describe('req.session: express-session-style access onto the typed Session', () => {
  it('reads and writes data keys as properties, tracked like set()', async () => {
    const { proxy, session } = await setup({ num_visits: 1 });
    expect(proxy.num_visits).toBe(1);
    proxy.num_visits = 2;
    expect(session.get('num_visits')).toBe(2);
    expect(session.modified).toBe(true);
  });

  it('detects nested mutation of a value read as a property (Passport sets session.passport.user)', async () => {
    const { proxy, binding, store, key } = await setup({ items: ['a'] });
    proxy.items?.push('b');
    expect((await binding.commit(200))?.action).toBe('save');
    expect((await store.load(key as string))?.data).toEqual({ items: ['a', 'b'] });
  });

  it('supports delete, in, Object.keys, for…in, spread and JSON.stringify', async () => {
    const { proxy } = await setup({ num_visits: 3, items: ['x'] });
    expect('num_visits' in proxy).toBe(true);
    expect('missing' in proxy).toBe(false);
    expect(Object.keys(proxy).sort()).toEqual(['items', 'num_visits']);
    const seen: string[] = [];
    for (const key in proxy) seen.push(key);
    expect(seen.sort()).toEqual(['items', 'num_visits']);
    expect({ ...proxy }).toEqual({ num_visits: 3, items: ['x'] });
    expect(JSON.parse(JSON.stringify(proxy))).toEqual({ num_visits: 3, items: ['x'] });
    expect(delete proxy.items).toBe(true);
    expect(proxy.has('items')).toBe(false);
  });

  it('assigning undefined removes the key', async () => {
    const { proxy } = await setup({ num_visits: 3 });
    proxy.num_visits = undefined;
    expect(proxy.keys()).toEqual([]);
  });

  it('keeps the Session API working through the proxy', async () => {
    const { proxy } = await setup({ num_visits: 3 });
    expect(proxy.get('num_visits')).toBe(3);
    proxy.set('items', ['y']);
    expect(proxy.size).toBe(2);
    expect(proxy.key).toMatch(/^[a-z0-9]{32}$/);
    expect(proxy.touch()).toBe(proxy);
  });

  it('refuses to overwrite a member of the session by property', async () => {
    const { proxy } = await setup();
    expect(() => {
      (proxy as unknown as Record<string, unknown>).save = 1;
    }).toThrow(/session\.set\('save', value\)/);
    expect(() => {
      (proxy as unknown as Record<string, unknown>).keys = 1;
    }).toThrow(TypeError);
  });

  it('save(cb) writes the store now and calls back', async () => {
    const { proxy, store } = await setup();
    proxy.num_visits = 1;
    await new Promise<void>((resolve, reject) => proxy.save((error) => (error ? reject(error) : resolve())));
    expect((await store.load(proxy.key as string))?.data).toEqual({ num_visits: 1 });
  });

  it('regenerate(cb) drops data and record, and replaces req.session; the old object reads a copy', async () => {
    const { proxy, store, key, current } = await setup({ num_visits: 5 });
    await new Promise<void>((resolve) => proxy.regenerate(() => resolve()));
    expect(await store.load(key as string)).toBeNull();
    const fresh = current() as ExpressSession<Cart>;
    expect(fresh).not.toBe(proxy);
    expect(fresh.keys()).toEqual([]);
    expect(fresh.key).toBeNull();
    expect(proxy.num_visits).toBe(5);
    expect({ ...proxy }).toEqual({ num_visits: 5 });
    expect(() => {
      proxy.num_visits = 6;
    }).toThrow(/regenerated/);
    fresh.num_visits = 1;
    expect(fresh.num_visits).toBe(1);
  });

  it('destroy() flushes: data and record gone', async () => {
    const { proxy, store, key } = await setup({ num_visits: 5 });
    await proxy.destroy();
    expect(proxy.keys()).toEqual([]);
    expect(await store.load(key as string)).toBeNull();
  });

  it('reload() replaces unsaved changes with the stored data', async () => {
    const { proxy } = await setup({ num_visits: 5 });
    proxy.num_visits = 6;
    await proxy.reload();
    expect(proxy.num_visits).toBe(5);
  });

  it('reload() of a record deleted meanwhile fails with SessionInterrupted, and the response commits nothing', async () => {
    const { proxy, store, key, binding } = await setup({ num_visits: 5 });
    await store.destroy(key as string);
    const error = await new Promise((resolve) => proxy.reload(resolve));
    expect(error).toBeInstanceOf(SessionInterrupted);
    expect(await binding.commit(200)).toBeNull();
  });

  it('reports failures of store operations (cycleKey, flush, save) to the binding: nothing is committed', async () => {
    const { proxy, store, binding } = await setup({ num_visits: 5 });
    store.destroy = async () => {
      throw new Error('down');
    };
    await expect(proxy.flush()).rejects.toThrow();
    expect(await binding.commit(200)).toBeNull();
  });
});
