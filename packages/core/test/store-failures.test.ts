import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  isSessionError,
  type MemoryStore,
  type Session,
  SessionAlreadyCommitted,
  SessionError,
  SessionInterrupted,
  SessionStoreError,
  SessionStoreTimeout,
} from '../src/index.js';
import type { SessionStore } from '../src/store/index.js';
import { cookieHeaderFor, createTestClock } from '../src/testing.js';

type Operation = 'load' | 'create' | 'update' | 'destroy';
type Failure = 'throw' | 'hang' | 'collide' | 'collide-twice';

const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');

/** A real MemoryStore whose chosen operations fail: they throw, never answer, or (create) always collide. */
function failingStore(inner: MemoryStore, failures: Partial<Record<Operation, Failure>>) {
  const armed = { on: false };
  let collisions = 0;
  const guard =
    <A extends unknown[], R>(operation: Operation, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const failure = armed.on ? failures[operation] : undefined;
      if (failure === 'throw') return Promise.reject(refused);
      if (failure === 'hang') return new Promise<R>(() => {});
      if (failure === 'collide' || (failure === 'collide-twice' && collisions < 2)) {
        collisions++;
        return Promise.resolve(false as R);
      }
      return fn(...args);
    };
  const store: SessionStore = {
    name: 'failing-store',
    capabilities: inner.capabilities,
    load: guard('load', (key: string) => inner.load(key)),
    create: guard('create', (key, record) => inner.create(key, record)),
    update: guard('update', (key, update) => inner.update(key, update)),
    touch: (key, change) => inner.touch(key, change),
    destroy: guard('destroy', (key: string) => inner.destroy(key)),
    clearExpired: () => inner.clearExpired(),
  };
  return { store, armed };
}

async function setup(failures: Partial<Record<Operation, Failure>> = {}) {
  const clock = createTestClock();
  const inner = createMemoryStore({ clock });
  const { store, armed } = failingStore(inner, failures);
  const manager = createSessionManager({ store, clock, storeTimeoutMs: 50 });
  const cookie = await cookieHeaderFor(manager, { user: 'ada' });
  armed.on = true;
  return { inner, manager, cookie, key: cookie.slice('sessionid='.length) };
}

describe('a store that fails', () => {
  it('load throwing rejects the load with SessionStoreError (cause kept), never an empty session', async () => {
    const { manager, cookie } = await setup({ load: 'throw' });
    const request = manager.open({ cookieHeader: cookie });
    const error = await request.load().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', operation: 'load', cause: refused });
    expect((error as Error).message).toContain('failing-store');
    expect((error as Error).message).toContain('ECONNREFUSED');
    await expect(request.commit(200)).rejects.toBeInstanceOf(SessionStoreError);
  });

  it('update throwing rejects the commit with SessionStoreError', async () => {
    const { manager, cookie, inner, key } = await setup({ update: 'throw' });
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).set('n', 1);
    await expect(request.commit(200)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      operation: 'update',
    });
    expect(inner.peek(key)?.data).toEqual({ user: 'ada' });
  });

  it('create throwing rejects the commit with SessionStoreError', async () => {
    const { manager } = await setup({ create: 'throw' });
    const request = manager.open();
    (await request.load()).set('n', 1);
    await expect(request.commit(200)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      operation: 'create',
    });
  });

  it('destroy throwing rejects flush()', async () => {
    const { manager, cookie } = await setup({ destroy: 'throw' });
    const session = await manager.open({ cookieHeader: cookie }).load();
    await expect(session.flush()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', operation: 'destroy' });
  });

  it('a load that never answers rejects with SessionStoreTimeout after storeTimeoutMs', {
    timeout: 2000,
  }, async () => {
    const { manager, cookie } = await setup({ load: 'hang' });
    const error = await manager
      .open({ cookieHeader: cookie })
      .load()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreTimeout);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ code: 'STORE_TIMEOUT', operation: 'load', timeoutMs: 50 });
    expect((error as Error).message).toContain('50 ms');
  });

  it('an update that never answers rejects the commit with SessionStoreTimeout', {
    timeout: 2000,
  }, async () => {
    const { manager, cookie } = await setup({ update: 'hang' });
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).set('n', 1);
    await expect(request.commit(200)).rejects.toMatchObject({ code: 'STORE_TIMEOUT', operation: 'update' });
  });

  it('a MemoryStore whose own method is replaced by one that hangs is timed like any store', {
    timeout: 2000,
  }, async () => {
    const store = createMemoryStore();
    const manager = createSessionManager({ store, storeTimeoutMs: 50 });
    const cookie = await cookieHeaderFor(manager, { user: 'ada' });
    // As made, its calls settle before they return: no deadline is needed, and its data loads.
    expect((await manager.open({ cookieHeader: cookie }).load()).get('user')).toBe('ada');
    const made = store.load;
    store.load = () => new Promise(() => {});
    await expect(manager.open({ cookieHeader: cookie }).load()).rejects.toMatchObject({
      code: 'STORE_TIMEOUT',
      operation: 'load',
    });
    store.owners.list = () => new Promise(() => {});
    store.load = made;
    await expect(manager.sessionsOf('ada')).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
  });

  it('a MemoryStore that throws gives SessionStoreError with the cause, as any store', async () => {
    const store = createMemoryStore();
    const manager = createSessionManager({ store });
    const request = manager.open();
    const session = await request.load();
    session.set('n', 1);
    store.create = async () => {
      throw refused;
    };
    await expect(request.commit(200)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      operation: 'create',
      cause: refused,
    });
  });

  it('a create that collides is retried with fresh keys', async () => {
    const { manager, inner } = await setup({ create: 'collide-twice' });
    const request = manager.open();
    const session = await request.load();
    session.set('n', 1);
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(inner.peek(session.key ?? '')?.data).toEqual({ n: 1 });
  });

  it('a create that always collides gives up with KEY_COLLISION', async () => {
    const { manager } = await setup({ create: 'collide' });
    const request = manager.open();
    (await request.load()).set('n', 1);
    const error = await request.commit(200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code: 'KEY_COLLISION' });
  });
});

describe('a record that vanished during the request', () => {
  it('rejects the commit with SessionInterrupted and is not re-created', async () => {
    const { manager, cookie, inner, key } = await setup();
    const request = manager.open({ cookieHeader: cookie });
    const session = await request.load();
    await inner.destroy(key);
    session.set('n', 1);
    const error = await request.commit(200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionInterrupted);
    expect(error).toMatchObject({ code: 'SESSION_INTERRUPTED', status: 400 });
    expect((error as Error).message).toContain('logged out in a concurrent request');
    expect(inner.peek(key)).toBeNull();
    expect(inner.size).toBe(0);
  });

  it('a concurrent cycleKey() interrupts the other request that writes', async () => {
    const { manager, cookie } = await setup();
    const login = manager.open({ cookieHeader: cookie });
    const other = manager.open({ cookieHeader: cookie });
    const otherSession = await other.load();
    await (await login.load()).cycleKey();
    await login.commit(200);
    otherSession.set('late', true);
    await expect(other.commit(200)).rejects.toBeInstanceOf(SessionInterrupted);
  });

  it('a request that only reads it is not interrupted', async () => {
    const { manager, cookie, inner, key } = await setup();
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).get('user');
    await inner.destroy(key);
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: true, action: 'none' });
  });
});

describe('after the commit', () => {
  const writes: [string, (s: Session) => unknown][] = [
    ['set', (s) => s.set('a', 1)],
    ['delete', (s) => s.delete('user')],
    ['pop', (s) => s.pop('user')],
    ['setDefault', (s) => s.setDefault('new', 1)],
    ['update', (s) => s.update({ a: 1 })],
    ['clear', (s) => s.clear()],
    ['setExpiry', (s) => s.setExpiry(10)],
    ['setTestCookie', (s) => s.setTestCookie()],
    ['flush', (s) => s.flush()],
    ['cycleKey', (s) => s.cycleKey()],
    ['save', (s) => s.save()],
  ];

  it.each(writes)('%s throws SessionAlreadyCommitted', async (_name, write) => {
    const { manager, cookie, inner, key } = await setup();
    const request = manager.open({ cookieHeader: cookie });
    const session = await request.load();
    await request.commit(200);
    const error = await (async () => write(session))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionAlreadyCommitted);
    expect(isSessionError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SESSION_COMMITTED' });
    expect(inner.peek(key)?.data).toEqual({ user: 'ada' });
  });

  it('reads still work', async () => {
    const { manager, cookie } = await setup();
    const request = manager.open({ cookieHeader: cookie });
    const session = await request.load();
    await request.commit(200);
    expect(session.get('user')).toBe('ada');
    expect(session.toJSON()).toEqual({ user: 'ada' });
  });

  it('a session first loaded after the commit refuses writes too', async () => {
    const { manager, cookie } = await setup();
    const request = manager.open({ cookieHeader: cookie });
    await request.commit(200);
    const session = await request.load();
    expect(session.get('user')).toBe('ada');
    expect(() => session.set('a', 1)).toThrow(SessionAlreadyCommitted);
  });

  it('commit runs once: a second call returns the same result without writing again', async () => {
    const { manager, cookie, inner, key } = await setup();
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).set('n', 1);
    const first = await request.commit(200);
    await inner.destroy(key);
    const second = await request.commit(200);
    expect(second).toBe(first);
    expect(inner.peek(key)).toBeNull();
  });

  it('results are not shared between requests', async () => {
    const { manager } = await setup();
    const first = await manager.open().commit(200);
    first.setCookie.push('tampered=1');
    expect((await manager.open().commit(200)).setCookie).toEqual([]);
  });
});

describe('an owner index that fails', () => {
  /** A MemoryStore whose owner index never answers (`hang`) or throws. */
  function withOwners(failure: 'hang' | 'throw') {
    const inner = createMemoryStore();
    const fail = <R>(): Promise<R> =>
      failure === 'hang' ? new Promise<R>(() => {}) : Promise.reject(refused);
    const store: SessionStore = {
      ...inner,
      name: 'failing-owners',
      owners: { list: () => fail(), destroyAll: () => fail() },
    };
    return createSessionManager({ store, storeTimeoutMs: 50 });
  }

  it('a list or revoke that never answers rejects with SessionStoreTimeout', { timeout: 2000 }, async () => {
    const manager = withOwners('hang');
    await expect(manager.sessionsOf('ada')).rejects.toMatchObject({
      code: 'STORE_TIMEOUT',
      operation: 'owners.list',
    });
    await expect(manager.revokeSessions('ada')).rejects.toBeInstanceOf(SessionStoreTimeout);
  });

  it('a list that throws rejects with SessionStoreError, naming the store and keeping the cause', async () => {
    const error = await withOwners('throw')
      .sessionsOf('ada')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', operation: 'owners.list', cause: refused });
    expect((error as Error).message).toContain('failing-owners');
  });
});
