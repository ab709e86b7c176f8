import { describe, expect, it } from 'vitest';
import { createSessionManager } from '../src/index.js';
import { cookieHeaderFor, createTestClock, createTestStore } from '../src/testing.js';

describe('createTestClock', () => {
  it('starts at 2024-01-01T00:00:00Z, or where told', () => {
    expect(createTestClock().now()).toBe(Date.UTC(2024, 0, 1));
    expect(createTestClock(5).now()).toBe(5);
    expect(createTestClock(new Date(Date.UTC(2030, 5, 1))).now()).toBe(Date.UTC(2030, 5, 1));
  });

  it('stands still until advanced (in seconds) or set', () => {
    const clock = createTestClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(2);
    expect(clock.now()).toBe(3000);
    clock.advance(0.5);
    expect(clock.now()).toBe(3500);
    clock.set(10);
    expect(clock.now()).toBe(10);
    clock.set(new Date(Date.UTC(2025, 0, 1)));
    expect(clock.now()).toBe(Date.UTC(2025, 0, 1));
  });
});

describe('createTestStore', () => {
  it('is a MemoryStore that expires records by the given clock', async () => {
    const clock = createTestClock();
    const store = createTestStore(clock);
    const meta = { createdAt: clock.now(), lastSeenAt: clock.now() };
    await store.create('a'.repeat(32), { data: { n: 1 }, expiresAt: clock.now() + 10_000, meta });
    clock.advance(9);
    expect((await store.load('a'.repeat(32)))?.data).toEqual({ n: 1 });
    clock.advance(1);
    expect(await store.load('a'.repeat(32))).toBeNull();
  });
});

describe('cookieHeaderFor', () => {
  it('returns a Cookie header that opens a session holding the data', async () => {
    const clock = createTestClock();
    const store = createTestStore(clock);
    const manager = createSessionManager<{ user: string; roles: string[] }>({ store, clock });
    const header = await cookieHeaderFor(manager, { user: 'ada', roles: ['admin'] });
    expect(header).toMatch(/^sessionid=[a-z0-9]{32}$/);
    const request = manager.open({ cookieHeader: header });
    const session = await request.load();
    expect(session.toJSON()).toEqual({ user: 'ada', roles: ['admin'] });
    expect(session.key).toBe(header.slice('sessionid='.length));
    expect(store.size).toBe(1);
  });

  it('follows the manager’s cookie name', async () => {
    const manager = createSessionManager({ store: createTestStore(), cookieName: 'sid' });
    const header = await cookieHeaderFor(manager, { a: 1 });
    expect(header).toMatch(/^sid=[a-z0-9]{32}$/);
    expect((await manager.open({ cookieHeader: header }).load()).get('a')).toBe(1);
  });

  it('gives two independent sessions for two calls', async () => {
    const manager = createSessionManager({ store: createTestStore() });
    const first = await cookieHeaderFor(manager, { n: 1 });
    const second = await cookieHeaderFor(manager, { n: 2 });
    expect(first).not.toBe(second);
    expect((await manager.open({ cookieHeader: second }).load()).get('n')).toBe(2);
  });
});
