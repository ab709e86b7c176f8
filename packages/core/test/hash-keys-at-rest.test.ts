import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  isSessionError,
  type MemoryStore,
  SessionConfigError,
  type SessionEvent,
  type SessionManagerOptions,
} from '../src/index.js';
import { hashSessionKey, isValidSessionKey } from '../src/store/index.js';
import { createTestClock } from '../src/testing.js';
import { providerOf } from './support/providers.js';

const NOW = Date.UTC(2024, 0, 1);
const keyOf = (header: string | undefined) => /^[^=]+=([^;]*)/.exec(header ?? '')?.[1] ?? '';

// One clock for stores and managers: a record written under one manager is read under another.
const clock = createTestClock(NOW);
const newStore = () => createMemoryStore({ clock });

function setup(store: MemoryStore, options: Omit<SessionManagerOptions, 'store'> = {}) {
  const events: SessionEvent[] = [];
  const manager = createSessionManager({ store, clock, onEvent: (e) => events.push(e), ...options });
  /** One request: open with `cookie`, run `handler` on the loaded session, commit. */
  const request = async (
    cookie: string | undefined,
    handler: (session: Awaited<ReturnType<ReturnType<typeof manager.open>['load']>>) => unknown = () => {},
  ) => {
    const open = manager.open({ cookieHeader: cookie ? `sessionid=${cookie}` : undefined });
    const session = await open.load();
    await handler(session);
    const result = await open.commit(200);
    return { result, session, key: keyOf(result.setCookie[0]) || cookie || '' };
  };
  const login = async (owner: string) =>
    (
      await request(undefined, async (s) => {
        s.set('user', owner);
        await s.setOwner(owner);
      })
    ).key;
  return { manager, events, request, login };
}

/**
 * Pinned: a change of the hash would orphan every session stored under it. Computed from the definition
 * with node:crypto (SHA-256 over 'sess key at rest v1\0' + key; byte i mod 36 picks character i).
 */
const KNOWN_ANSWER = 'eg8ufb5jgj9395pbf7y0c5n2y4k2wvkdcjeukctn';

describe('hashSessionKey', () => {
  it('gives a record id that can never pass for a key (40 characters), the same for the same key', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz012345';
    const id = hashSessionKey(key);
    expect(id).toMatch(/^[a-z0-9]{40}$/);
    expect(isValidSessionKey(id)).toBe(false);
    expect(hashSessionKey(key)).toBe(id);
    expect(id).not.toBe(key);
    expect(hashSessionKey('abcdefghijklmnopqrstuvwxyz012346')).not.toBe(id);
  });

  it('matches its known answers (SHA-512 of a fixed context and the key, 40 bytes each mod 36)', () => {
    expect(hashSessionKey('abcdefghijklmnopqrstuvwxyz012345')).toBe(KNOWN_ANSWER);
  });

  it('spreads ids over the whole alphabet (10,000 keys, no id twice)', () => {
    const ids = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = hashSessionKey(`key-${i}`.padEnd(32, 'x'));
      ids.add(id);
      for (const c of id) chars.add(c);
    }
    expect(ids.size).toBe(10_000);
    expect(chars.size).toBe(36);
  });
});

describe('hashKeysAtRest: true', () => {
  it('stores the session under the hash of its key, never under the key', async () => {
    const store = newStore();
    const { request } = setup(store, { hashKeysAtRest: true });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    expect(isValidSessionKey(key)).toBe(true);
    expect(store.peek(key)).toBeNull();
    expect(store.peek(hashSessionKey(key))?.data).toEqual({ n: 1 });
    expect(store.size).toBe(1);

    const again = await request(key, (s) => s.set('n', (s.get('n') as number) + 1));
    expect(again.session.get('n')).toBe(2);
    expect(keyOf(again.result.setCookie[0])).toBe(key);
    expect(store.peek(hashSessionKey(key))?.data).toEqual({ n: 2 });
    expect(store.size).toBe(1);
  });

  it('opens nothing for a cookie that carries a stored id (a stolen dump is no cookie)', async () => {
    const store = newStore();
    const { request } = setup(store, { hashKeysAtRest: true });
    const { key } = await request(undefined, (s) => s.set('secret', 'mine'));
    const stolen = hashSessionKey(key);
    const replay = await request(stolen);
    expect(replay.session.get('secret')).toBeUndefined();
    expect(replay.session.isEmpty()).toBe(true);
    expect(store.peek(hashSessionKey(key))?.data).toEqual({ secret: 'mine' });
  });

  it('destroys the hashed record at flush and at cycleKey', async () => {
    const store = newStore();
    const { request } = setup(store, { hashKeysAtRest: true });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    const cycled = await request(key, (s) => s.cycleKey());
    expect(cycled.key).not.toBe(key);
    expect(store.peek(hashSessionKey(key))).toBeNull();
    expect(store.peek(hashSessionKey(cycled.key))?.data).toEqual({ n: 1 });
    await request(cycled.key, (s) => s.flush());
    expect(store.size).toBe(0);
  });

  it('lists, revokes and logs out other devices by handle, the handle of the request included', async () => {
    const store = newStore();
    const { manager, request, login } = setup(store, { hashKeysAtRest: true });
    const laptop = await login('ada');
    const phone = await login('ada');
    const tablet = await login('ada');
    const current = await request(laptop);
    const listed = await manager.sessionsOf('ada');
    expect(listed).toHaveLength(3);
    expect(listed.map((s) => s.handle)).toContain(current.session.handle);
    for (const key of [laptop, phone, tablet]) {
      expect(JSON.stringify(listed)).not.toContain(key);
    }

    const phoneHandle = (await request(phone)).session.handle as string;
    expect(await manager.revokeSession('ada', phoneHandle)).toBe(true);
    expect(store.peek(hashSessionKey(phone))).toBeNull();

    expect(await manager.revokeSessions('ada', { except: current.session.handle })).toBe(1);
    expect(store.peek(hashSessionKey(tablet))).toBeNull();
    expect(store.peek(hashSessionKey(laptop))?.data).toEqual({ user: 'ada' });
  });

  it('evicts the oldest session under ownerLimit', async () => {
    const store = newStore();
    const { login, events } = setup(store, {
      hashKeysAtRest: true,
      ownerLimit: { max: 1, onLimit: 'evict-oldest' },
    });
    const first = await login('ada');
    const second = await login('ada');
    expect(store.peek(hashSessionKey(first))).toBeNull();
    expect(store.peek(hashSessionKey(second))?.meta.owner).toBe('ada');
    expect(events.filter((e) => e.type === 'destroyed' && e.reason === 'evicted')).toHaveLength(1);
  });
});

describe("hashKeysAtRest: 'migrate'", () => {
  it('moves a session stored under its raw key under the hash on first use, once', async () => {
    const store = newStore();
    const before = setup(store);
    const { key } = await before.request(undefined, (s) => s.set('n', 1));
    expect(store.peek(key)?.data).toEqual({ n: 1 });

    const after = setup(store, { hashKeysAtRest: 'migrate' });
    const first = await after.request(key, (s) => s.set('n', (s.get('n') as number) + 1));
    expect(first.session.get('n')).toBe(2);
    expect(store.peek(key)).toBeNull();
    expect(store.peek(hashSessionKey(key))?.data).toEqual({ n: 2 });
    const second = await after.request(key);
    expect(second.session.get('n')).toBe(2);
    expect(store.size).toBe(1);
  });

  it('creates new sessions under the hash only', async () => {
    const store = newStore();
    const { request } = setup(store, { hashKeysAtRest: 'migrate' });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    expect(store.peek(key)).toBeNull();
    expect(store.peek(hashSessionKey(key))).not.toBeNull();
  });

  it('with true (not migrate), a raw-key session from before is not found and is left alone', async () => {
    const store = newStore();
    const { key } = await setup(store).request(undefined, (s) => s.set('n', 1));
    const strictly = await setup(store, { hashKeysAtRest: true }).request(key);
    expect(strictly.session.isEmpty()).toBe(true);
    expect(store.peek(key)?.data).toEqual({ n: 1 });
  });
});

describe('hashKeysAtRest: false (the default)', () => {
  it('stores the session under its key, as Django does', async () => {
    const store = newStore();
    const { request, manager } = setup(store);
    const { key } = await request(undefined, (s) => s.set('n', 1));
    expect(store.peek(key)?.data).toEqual({ n: 1 });
    expect(manager.options.hashKeysAtRest).toBe(false);
  });
});

describe('hashKeysAtRest validation', () => {
  const error = (options: SessionManagerOptions) => {
    try {
      createSessionManager(options);
    } catch (thrown) {
      return thrown;
    }
    throw new Error('expected the options to be refused');
  };

  it.each([['yes'], [1], [null]])('refuses %j, naming the option', (value) => {
    const thrown = error({ store: createMemoryStore(), hashKeysAtRest: value as never });
    expect(thrown).toBeInstanceOf(SessionConfigError);
    expect((thrown as Error).message).toContain('hashKeysAtRest');
  });

  it('refuses it beside a prebuilt backend, which hashes (or not) on its own', () => {
    const backend = providerOf(createMemoryStore());
    const thrown = error({ store: backend, hashKeysAtRest: true });
    expect(isSessionError(thrown) && thrown.code).toBe('CONFIG_INVALID');
    expect((thrown as Error).message).toContain('hashKeysAtRest');
  });

  it('refuses it for a store whose records another program finds by the raw key (Django)', () => {
    const memory = createMemoryStore();
    const shared = {
      ...memory,
      name: 'django-like',
      capabilities: { ...memory.capabilities, sharedKeys: true },
    };
    const thrown = error({ store: shared, hashKeysAtRest: true });
    expect((thrown as Error).message).toMatch(/hashKeysAtRest.*django-like/s);
    expect(() => createSessionManager({ store: shared, hashKeysAtRest: false })).not.toThrow();
  });
});
