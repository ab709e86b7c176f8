import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  createStoreBackend,
  type MemoryStore,
  type SessionBackend,
  type SessionData,
  type SessionManagerOptions,
  type SessionStore,
} from '../src/index.js';
import { cookieHeaderFor, createTestClock } from '../src/testing.js';

const NOW = Date.UTC(2024, 0, 1);
const DELETION =
  'sessionid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax';

type Operation = 'load' | 'create' | 'update' | 'touch' | 'destroy';

/** Passes every call through to a real MemoryStore, counting them. */
function countingStore(inner: MemoryStore) {
  const calls: Record<Operation, number> = { load: 0, create: 0, update: 0, touch: 0, destroy: 0 };
  const count =
    <A extends unknown[], R>(operation: Operation, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls[operation]++;
      return fn(...args);
    };
  const store: SessionStore = {
    name: 'counting MemoryStore',
    capabilities: inner.capabilities,
    load: count('load', (key) => inner.load(key)),
    create: count('create', (key, record) => inner.create(key, record)),
    update: count('update', (key, update) => inner.update(key, update)),
    touch: count('touch', (key, expiresAt, lastSeenAt) => inner.touch(key, expiresAt, lastSeenAt)),
    destroy: count('destroy', (key) => inner.destroy(key)),
    clearExpired: () => inner.clearExpired(),
  };
  const total = () => calls.load + calls.create + calls.update + calls.touch + calls.destroy;
  const reset = () => {
    for (const key of Object.keys(calls) as Operation[]) calls[key] = 0;
  };
  return { store, calls, total, reset };
}

function setup(options: Omit<SessionManagerOptions, 'store'> = {}) {
  const clock = createTestClock(NOW);
  const store = createMemoryStore({ clock });
  const counting = countingStore(store);
  const manager = createSessionManager({ store: counting.store, clock, ...options });
  /** A cookie header for a stored session holding `data`; the store counters start at 0 afterwards. */
  const existing = async (data: SessionData = { user: 'ada' }) => {
    const cookie = await cookieHeaderFor(manager, data);
    counting.reset();
    return { cookie, key: cookie.slice(cookie.indexOf('=') + 1) };
  };
  return { ...counting, counted: counting.store, clock, store, manager, existing };
}

const keyOf = (header: string | undefined) => /^[^=]+=([^;]*)/.exec(header ?? '')?.[1];

describe('commit: flush and deletion', () => {
  it('flush with a request cookie destroys the record at once and deletes the cookie', async () => {
    const { manager, existing, store } = setup();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    const session = await request.load();
    await session.flush();
    expect(store.peek(key)).toBeNull();
    expect(session.key).toBeNull();
    expect(session.isEmpty()).toBe(true);
    expect(await request.commit(200)).toEqual({ setCookie: [DELETION], vary: true, action: 'delete' });
  });

  it('flush is not undone by a 500, and the cookie is still deleted (Django deletes regardless of status)', async () => {
    const { manager, existing, store } = setup();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    await (await request.load()).flush();
    const result = await request.commit(500);
    expect(result.setCookie).toEqual([DELETION]);
    expect(store.peek(key)).toBeNull();
  });

  it('flush without a request cookie sends no Set-Cookie but Vary: Cookie', async () => {
    const { manager, total } = setup();
    const request = manager.open();
    await (await request.load()).flush();
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: true, action: 'none' });
    expect(total()).toBe(0);
  });

  it('writing after flush starts a new record under a new key; the old one stays gone', async () => {
    const { manager, existing, store } = setup();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    const session = await request.load();
    await session.flush();
    session.set('guest', true);
    const result = await request.commit(200);
    const fresh = keyOf(result.setCookie[0]) ?? '';
    expect(fresh).not.toBe(key);
    expect(store.peek(key)).toBeNull();
    expect(store.peek(fresh)?.data).toEqual({ guest: true });
  });
});

describe('commit: cycleKey', () => {
  it('keeps the data under a new key, deletes the old record at once and sends the new cookie', async () => {
    const { manager, existing, store, clock } = setup();
    const { cookie, key } = await existing({ cart: ['apple'] });
    clock.advance(60);
    const request = manager.open({ cookieHeader: cookie });
    const session = await request.load();
    session.set('user', 'ada');
    await session.cycleKey();
    const fresh = session.key ?? '';
    expect(fresh).toMatch(/^[a-z0-9]{32}$/);
    expect(fresh).not.toBe(key);
    expect(store.peek(key)).toBeNull();
    expect(store.peek(fresh)?.meta.createdAt).toBe(NOW);

    const result = await request.commit(200);
    expect(keyOf(result.setCookie[0])).toBe(fresh);
    expect(store.peek(fresh)?.data).toEqual({ cart: ['apple'], user: 'ada' });
    expect(store.peek(fresh)?.meta.createdAt).toBe(NOW);

    const replay = manager.open({ cookieHeader: cookie });
    expect((await replay.load()).key).toBeNull();
  });

  it('on a new session, creates the record under a key that is then sent', async () => {
    const { manager, store, clock } = setup();
    const request = manager.open();
    const session = await request.load();
    session.set('a', 1);
    await session.cycleKey();
    const key = session.key ?? '';
    expect(store.peek(key)?.data).toEqual({ a: 1 });
    clock.advance(5);
    const result = await request.commit(200);
    expect(keyOf(result.setCookie[0])).toBe(key);
    expect(store.peek(key)?.meta).toEqual({ createdAt: NOW, lastSeenAt: NOW + 5000 });
  });
});

describe('Session.save()', () => {
  it('writes at once, and the commit still sends the cookie', async () => {
    const { manager, store, calls } = setup();
    const request = manager.open();
    const session = await request.load();
    session.set('user', 'ada');
    await session.save();
    const key = session.key ?? '';
    expect(store.peek(key)?.data).toEqual({ user: 'ada' });
    expect(calls.create).toBe(1);
    session.set('theme', 'dark');
    const result = await request.commit(200);
    expect(keyOf(result.setCookie[0])).toBe(key);
    expect(store.peek(key)?.data).toEqual({ user: 'ada', theme: 'dark' });
    expect(calls.create).toBe(1);
  });
});

describe('Session.key', () => {
  it('is read-only, as Django’s session_key', async () => {
    const { manager, existing } = setup();
    const { cookie, key } = await existing();
    const session = await manager.open({ cookieHeader: cookie }).load();
    expect(() => {
      (session as { key: string | null }).key = 'a'.repeat(32);
    }).toThrow(TypeError);
    expect(session.key).toBe(key);
  });
});

describe('a backend that asks for the cookie to be re-issued', () => {
  function reissuing() {
    const env = setup();
    const inner = createStoreBackend(env.counted);
    const backend: SessionBackend = {
      ...inner,
      load: async (jar, name) => {
        const loaded = await inner.load(jar, name);
        return loaded && { ...loaded, reissue: true };
      },
    };
    return { ...env, manager: createSessionManager({ backend, clock: env.clock }) };
  }

  it('gets an unmodified loaded session saved and its cookie sent again', async () => {
    const { manager, existing, calls } = reissuing();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    await request.load();
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(result.vary).toBe(false);
    expect(keyOf(result.setCookie[0])).toBe(key);
    expect(calls.update).toBe(1);
  });

  it('not on a 5xx, and not when the handler never loaded the session', async () => {
    const { manager, existing, total } = reissuing();
    const { cookie } = await existing();
    const failed = manager.open({ cookieHeader: cookie });
    await failed.load();
    expect((await failed.commit(500)).setCookie).toEqual([]);
    const untouched = manager.open({ cookieHeader: cookie });
    expect((await untouched.commit(200)).setCookie).toEqual([]);
    expect(total()).toBe(1);
  });
});
