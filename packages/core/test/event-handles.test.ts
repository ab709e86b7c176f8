import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  type SessionEvent,
  type SessionManagerOptions,
} from '../src/index.js';
import { createTestClock } from '../src/testing.js';

// Counts the HMACs core computes: an event's handle is one (see session-handles.ts).
const hmacs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  const createHmac: typeof crypto.createHmac = (...args) => {
    hmacs.count++;
    return crypto.createHmac(...args);
  };
  return { ...crypto, createHmac };
});

/** One request without a cookie that writes a key, logs in and, with `flush`, logs out again. */
async function visit(
  onEvent: ((event: SessionEvent) => void) | undefined,
  steps: { cycle?: boolean; flush?: boolean },
) {
  const manager = createSessionManager({ store: createMemoryStore(), ...(onEvent ? { onEvent } : {}) });
  const open = manager.open({});
  const session = await open.load();
  session.set('visits', 1);
  await session.save();
  if (steps.cycle) await session.cycleKey();
  if (steps.flush) await session.flush();
  return open.commit(200);
}

describe('event handles', () => {
  beforeEach(() => {
    hmacs.count = 0;
  });

  it('are not derived when nobody listens: creating, cycling and flushing a session computes no HMAC', async () => {
    const result = await visit(undefined, { cycle: true });
    expect(result.setCookie).toHaveLength(1);
    await visit(undefined, { flush: true });
    expect(hmacs.count).toBe(0);
  });

  it('are derived for a listener, one per session named (created, then the cycled key and its predecessor)', async () => {
    const events: SessionEvent[] = [];
    await visit((event) => events.push(event), { cycle: true });
    expect(events.map((event) => event.type)).toEqual(['created', 'created', 'destroyed']);
    const [created, recreated, destroyed] = events as [SessionEvent, SessionEvent, SessionEvent];
    expect('handle' in created && created.handle).toMatch(/^[\w-]{43}$/);
    expect('handle' in destroyed && destroyed.handle).toBe('handle' in created && created.handle);
    expect('handle' in recreated && recreated.handle).not.toBe('handle' in created && created.handle);
    expect(hmacs.count).toBe(3);
  });

  it('are not derived on the rarer paths either: an absolute timeout, an eviction under ownerLimit', async () => {
    const clock = createTestClock();
    const store = createMemoryStore({ clock });
    const options: SessionManagerOptions = {
      store,
      clock,
      absoluteTimeout: 60,
      ownerLimit: { max: 1, onLimit: 'evict-oldest' },
    };
    const manager = createSessionManager(options);
    const login = async (cookieHeader?: string) => {
      const open = manager.open({ cookieHeader });
      const session = await open.load();
      session.set('n', 1);
      await session.setOwner('ada');
      const result = await open.commit(200);
      return result.setCookie[0]?.split(';')[0] ?? '';
    };
    const first = await login();
    await login();
    expect(await store.owners.list('ada')).toHaveLength(1);
    clock.advance(61);
    const expired = manager.open({ cookieHeader: first });
    expect((await expired.load()).size).toBe(0);
    const cookie = await login();
    // The store keeps the record past the session's deadline (written under a longer policy, say): core
    // ends it at the load.
    const now = clock.now();
    const expiry = { expiresAt: now + 86_400_000, lifetime: 0 };
    expect(await store.touch(cookie.split('=')[1] ?? '', { now, defaultLifetime: 1_209_600, expiry })).toBe(
      true,
    );
    clock.advance(61);
    const again = manager.open({ cookieHeader: cookie });
    expect((await again.load()).size).toBe(0);
    expect(hmacs.count).toBe(0);
  });
});
