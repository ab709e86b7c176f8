import { describe, expect, it } from 'vitest';
import {
  CapabilityMissing,
  createMemoryStore,
  createSessionManager,
  SessionConfigError,
  type SessionEvent,
  type SessionManagerOptions,
  SessionStoreError,
} from '../src/index.js';
import type { SessionBackend, SessionStore } from '../src/store/index.js';
import { createTestClock } from '../src/testing.js';
import { providerOf } from './support/providers.js';

const NOW = Date.UTC(2024, 0, 1);
const keyOf = (header: string | undefined) => /^[^=]+=([^;]*)/.exec(header ?? '')?.[1] ?? '';
const maxAgeOf = (header: string | undefined) => Number(/Max-Age=(\d+)/.exec(header ?? '')?.[1]);

function setup(options: Omit<SessionManagerOptions, 'store'> = {}) {
  const clock = createTestClock(NOW);
  const store = createMemoryStore({ clock });
  const events: SessionEvent[] = [];
  const manager = createSessionManager({ store, clock, onEvent: (e) => events.push(e), ...options });
  /** One request: open with `cookie`, run `handler` on the loaded session, commit with `status`. */
  const request = async (
    cookie: string | undefined,
    handler: (session: Awaited<ReturnType<ReturnType<typeof manager.open>['load']>>) => unknown = () => {},
    extra: { status?: number; readOnly?: boolean; failOpen?: boolean } = {},
  ) => {
    const policy = { readOnly: extra.readOnly === true, failOpen: extra.failOpen === true };
    const open = manager.open({ cookieHeader: cookie ? `sessionid=${cookie}` : undefined, policy });
    const session = await open.load();
    await handler(session);
    const result = await open.commit(extra.status ?? 200);
    return { result, session, key: keyOf(result.setCookie[0]) || cookie || '' };
  };
  const login = async (owner: string) => {
    const { key } = await request(undefined, async (s) => {
      s.set('user', owner);
      await s.setOwner(owner);
    });
    return key;
  };
  return { clock, store, manager, events, request, login };
}

describe('policy options', () => {
  const store = createMemoryStore();
  const rows: [string, unknown][] = [
    ['touchInterval', 0],
    ['touchInterval', 1.5],
    ['touchInterval', '60'],
    ['absoluteTimeout', -1],
    ['rotateInterval', true],
    ['rotationGrace', null],
    ['rotationGrace', 0],
    ['ownerLimit', { max: 0, onLimit: 'reject' }],
    ['ownerLimit.onLimit', { max: 2, onLimit: 'drop' }],
    ['handleSecret', 'short'],
    ['handleSecret', 42],
    ['onEvent', 'log'],
  ];
  it.each(rows)('rejects %s = %j, naming it', (option, value) => {
    const name = option.split('.')[0] as string;
    let error: unknown;
    try {
      createSessionManager({ store, [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).option).toBe(option);
  });

  it('accepts nulls for the optional lifetimes and a long handle secret', () => {
    const policy = createSessionManager({
      store,
      touchInterval: null,
      absoluteTimeout: 3600,
      rotateInterval: null,
      handleSecret: 'x'.repeat(32),
      ownerLimit: { max: 3, onLimit: 'evict-oldest' },
    }).options;
    expect(policy).toMatchObject({ touchInterval: null, absoluteTimeout: 3600, rotationGrace: 30 });
  });

  it('refuses rotation without server-side keys and an owner limit without an owner index', () => {
    const cookieLike = providerOf(store, {
      wrap: (inner): SessionBackend => ({
        ...inner,
        capabilities: { ...inner.capabilities, serverSide: false, delta: false, ownerIndex: false },
      }),
    });
    expect(() => createSessionManager({ store: cookieLike, rotateInterval: 60 })).toThrow(/rotateInterval/);
    const noIndex: SessionStore = { ...store, capabilities: { ...store.capabilities, ownerIndex: false } };
    expect(() => createSessionManager({ store: noIndex, ownerLimit: { max: 1, onLimit: 'reject' } })).toThrow(
      /ownerLimit/,
    );
  });
});

describe('touch throttling', () => {
  it('refreshes an unmodified session at most once per interval, without rewriting data', async () => {
    const { request, clock, store } = setup({ touchInterval: 60, cookieAge: 600 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    const before = store.peek(key);
    clock.advance(30);
    expect((await request(key, (s) => s.get('n'))).result.action).toBe('none');
    clock.advance(31);
    const touched = await request(key, (s) => s.get('n'));
    expect(touched.result.action).toBe('touch');
    expect(maxAgeOf(touched.result.setCookie[0])).toBe(600);
    const after = store.peek(key);
    expect(after?.data).toEqual(before?.data);
    expect(after?.expiresAt).toBe(NOW + 61_000 + 600_000);
    expect(after?.meta.lastSeenAt).toBe(NOW + 61_000);
    clock.advance(10);
    expect((await request(key, (s) => s.get('n'))).result.setCookie).toEqual([]);
  });

  it('is off by default, as in Django: an unmodified session is never rewritten', async () => {
    const { request, clock } = setup();
    const { key } = await request(undefined, (s) => s.set('n', 1));
    clock.advance(86_400);
    expect((await request(key, (s) => s.get('n'))).result).toMatchObject({ action: 'none', setCookie: [] });
  });

  it('keeps an idle-expired session dead: touch never resurrects it', async () => {
    const { request, clock } = setup({ touchInterval: 60, cookieAge: 120 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    clock.advance(121);
    const { session } = await request(key, (s) => s.get('n'));
    expect(session.key).toBeNull();
    expect(session.size).toBe(0);
  });
});

describe('absolute timeout', () => {
  it('ends the session at its deadline whatever the activity, on the server', async () => {
    const { request, clock, store, events } = setup({ absoluteTimeout: 3600, cookieAge: 1800 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    expect(store.peek(key)?.meta.deadline).toBe(NOW + 3_600_000);
    for (let minute = 0; minute < 50; minute += 10) {
      clock.advance(600);
      await request(key, (s) => s.set('n', minute));
    }
    // 50 minutes in: the record's expiry and the cookie's Max-Age are capped at the deadline.
    const late = await request(key, (s) => s.set('n', 99));
    expect(maxAgeOf(late.result.setCookie[0])).toBe(600);
    expect(store.peek(key)?.expiresAt).toBe(NOW + 3_600_000);
    clock.advance(600);
    const after = await request(key, (s) => s.get('n'));
    expect(after.session.size).toBe(0);
    expect(after.session.key).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'rejected' });
  });

  it('is enforced by core even when the store still holds the record past the deadline', async () => {
    const { request, clock, store, events } = setup({ absoluteTimeout: 60 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    // The store keeps it longer than the deadline (written under an older, longer policy, say).
    await store.touch(key, {
      now: NOW,
      defaultLifetime: 1_209_600,
      expiry: { expiresAt: NOW + 86_400_000, lifetime: 0 },
    });
    clock.advance(61);
    const after = await request(key, (s) => s.get('n'));
    expect(after.session.size).toBe(0);
    expect(store.peek(key)).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'expired', reason: 'absolute-timeout' });
    expect(JSON.stringify(events)).not.toContain(key);
  });

  it('survives cycleKey: the deadline counts from the first creation', async () => {
    const { request, clock, store } = setup({ absoluteTimeout: 3600 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    clock.advance(1800);
    const cycled = await request(key, (s) => s.cycleKey());
    expect(store.peek(cycled.key)?.meta.deadline).toBe(NOW + 3_600_000);
  });
});

describe('periodic key rotation', () => {
  it('issues a new key once per interval and keeps the old one working for the grace window', async () => {
    const { request, clock, store, events } = setup({ rotateInterval: 600, rotationGrace: 20 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    clock.advance(300);
    expect((await request(key, (s) => s.set('n', 2))).key).toBe(key);
    clock.advance(301);
    const rotated = await request(key, (s) => s.get('n'));
    expect(rotated.result.action).toBe('rotate');
    expect(rotated.key).not.toBe(key);
    expect(store.peek(rotated.key)?.data).toEqual({ n: 2 });
    // A request already in flight with the old key still gets the data during the grace window.
    clock.advance(10);
    expect((await request(key, (s) => s.get('n'))).session.get('n')).toBe(2);
    clock.advance(11);
    expect((await request(key, (s) => s.get('n'))).session.size).toBe(0);
    expect(events.find((e) => e.type === 'rotated')).toMatchObject({ type: 'rotated' });
    // The new key does not rotate again within its interval.
    expect((await request(rotated.key, (s) => s.set('n', 3))).result.action).toBe('save');
  });

  it('never rotates on a read-only route or a 5xx', async () => {
    const { request, clock } = setup({ rotateInterval: 60 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    clock.advance(120);
    expect((await request(key, (s) => s.get('n'), { readOnly: true })).result.setCookie).toEqual([]);
    expect((await request(key, (s) => s.get('n'), { status: 503 })).result.setCookie).toEqual([]);
  });
});

describe('per-route policy', () => {
  it('read-only: writes throw, nothing is written, touched or deleted', async () => {
    const { request, clock, store } = setup({ touchInterval: 1 });
    const { key } = await request(undefined, (s) => s.set('n', 1));
    clock.advance(5);
    const before = store.peek(key);
    const handler = async (s: { set(k: string, v: unknown): unknown; flush(): Promise<void> }) => {
      expect(() => s.set('n', 2)).toThrow(/read-only/);
      await expect(s.flush()).rejects.toMatchObject({ code: 'READ_ONLY' });
    };
    const { result, session } = await request(key, handler, { readOnly: true });
    expect(session.get('n')).toBe(1);
    expect(result).toMatchObject({ setCookie: [], action: 'read-only' });
    expect(store.peek(key)).toEqual(before);
  });

  it('fail-closed by default: a store outage rejects the load', async () => {
    const broken = brokenStore();
    const manager = createSessionManager({ store: broken });
    await expect(manager.open({ cookieHeader: `sessionid=${'a'.repeat(32)}` }).load()).rejects.toBeInstanceOf(
      SessionStoreError,
    );
  });

  it('fail-open: an empty read-only session, degraded, and nothing written', async () => {
    const broken = brokenStore();
    const manager = createSessionManager({ store: broken });
    const open = manager.open({ cookieHeader: `sessionid=${'a'.repeat(32)}`, policy: { failOpen: true } });
    const session = await open.load();
    expect(open.degraded).toBe(true);
    expect(session.size).toBe(0);
    expect(() => session.set('n', 1)).toThrow(/read-only/);
    expect((await open.commit(200)).setCookie).toEqual([]);
    expect(broken.writes).toBe(0);
  });
});

describe('owners', () => {
  it('lists an owner’s sessions by handle, never by key, oldest first', async () => {
    const { manager, login, clock } = setup();
    const first = await login('ada');
    clock.advance(5);
    const second = await login('ada');
    await login('grace');
    const sessions = await manager.sessionsOf('ada');
    expect(sessions).toHaveLength(2);
    const text = JSON.stringify(sessions);
    expect(text).not.toContain(first);
    expect(text).not.toContain(second);
    expect(sessions[0]?.createdAt.getTime()).toBeLessThan(sessions[1]?.createdAt.getTime() ?? 0);
    expect(sessions.every((s) => /^[A-Za-z0-9_-]{43}$/.test(s.handle))).toBe(true);
  });

  it('revokes all but the current session ("log out other devices")', async () => {
    const { manager, login, request } = setup();
    const laptop = await login('ada');
    const phone = await login('ada');
    const { session } = await request(laptop, (s) => s.get('user'));
    expect(await manager.revokeSessions('ada', { except: session.handle })).toBe(1);
    expect((await request(phone, (s) => s.get('user'))).session.size).toBe(0);
    expect((await request(laptop, (s) => s.get('user'))).session.get('user')).toBe('ada');
  });

  it('revokes one session by handle', async () => {
    const { manager, login, request } = setup();
    const phone = await login('ada');
    const [listed] = await manager.sessionsOf('ada');
    expect(await manager.revokeSession('ada', listed?.handle ?? '')).toBe(true);
    expect(await manager.revokeSession('ada', listed?.handle ?? '')).toBe(false);
    expect((await request(phone, (s) => s.get('user'))).session.size).toBe(0);
  });

  it('ownerLimit reject: the login beyond the cap fails and nothing is bound', async () => {
    const { manager, login } = setup({ ownerLimit: { max: 2, onLimit: 'reject' } });
    await login('ada');
    await login('ada');
    await expect(login('ada')).rejects.toMatchObject({ code: 'OWNER_LIMIT' });
    expect(await manager.sessionsOf('ada')).toHaveLength(2);
  });

  it('ownerLimit evict-oldest: the oldest session goes to make room', async () => {
    const { manager, login, request, clock } = setup({ ownerLimit: { max: 2, onLimit: 'evict-oldest' } });
    const oldest = await login('ada');
    clock.advance(1);
    await login('ada');
    clock.advance(1);
    await login('ada');
    expect(await manager.sessionsOf('ada')).toHaveLength(2);
    expect((await request(oldest, (s) => s.get('user'))).session.size).toBe(0);
  });

  it('answers CapabilityMissing where the store has no owner index', async () => {
    const store = createMemoryStore();
    const bare: SessionStore = { ...store, capabilities: { ...store.capabilities, ownerIndex: false } };
    delete (bare as { owners?: unknown }).owners;
    const manager = createSessionManager({ store: bare });
    await expect(manager.sessionsOf('ada')).rejects.toBeInstanceOf(CapabilityMissing);
    await expect(manager.revokeSessions('ada')).rejects.toBeInstanceOf(CapabilityMissing);
  });
});

describe('events', () => {
  it('reports created, destroyed and rejected without ever carrying a key', async () => {
    const { request, events, login } = setup();
    const key = await login('ada');
    await request(key, (s) => s.cycleKey());
    const { key: current } = await request(undefined, (s) => s.set('n', 1));
    await request(current, (s) => s.flush());
    await request('z'.repeat(32), (s) => s.get('n'));
    const types = events.map((e) => e.type);
    expect(types).toEqual(['created', 'created', 'destroyed', 'created', 'destroyed', 'rejected']);
    expect(events[2]).toMatchObject({ reason: 'cycle', owner: 'ada' });
    const text = JSON.stringify(events);
    for (const k of [key, current]) expect(text).not.toContain(k);
  });
});

/** A store whose every call fails, counting writes. */
function brokenStore(): SessionStore & { writes: number } {
  const fail = async () => {
    throw new Error('ECONNREFUSED');
  };
  const store = {
    name: 'broken',
    capabilities: { delta: false, ownerIndex: false, nativeExpiry: true, expiryResolution: 'ms' as const },
    writes: 0,
    load: fail,
    create: async () => {
      store.writes++;
      return fail();
    },
    update: async () => {
      store.writes++;
      return fail();
    },
    touch: fail,
    destroy: fail,
    clearExpired: async () => 0,
  };
  return store;
}

describe('stores that keep no metadata', () => {
  const store = createMemoryStore();
  const dataOnly: SessionStore = { ...store, capabilities: { ...store.capabilities, metadata: false } };

  it.each(['absoluteTimeout', 'touchInterval', 'rotateInterval'])(
    'refuse %s at construction, naming it',
    (option) => {
      expect(() => createSessionManager({ store: dataOnly, [option]: 60 })).toThrow(
        new RegExp(`\`${option}\``),
      );
    },
  );

  it('answer setOwner() with CapabilityMissing before anything is written', async () => {
    const manager = createSessionManager({ store: dataOnly });
    const session = await manager.open().load();
    await expect(session.setOwner('ada')).rejects.toBeInstanceOf(CapabilityMissing);
    expect(session.modified).toBe(false);
  });
});
