import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  type Session,
  type SessionData,
  type SessionManagerOptions,
  TEST_COOKIE_NAME,
  TEST_COOKIE_VALUE,
} from '../src/index.js';
import { cookieHeaderFor, createTestClock } from '../src/testing.js';

/** A manager over a real MemoryStore, and a way to run one request through it. */
function setup(options: Omit<SessionManagerOptions, 'store'> = {}) {
  const clock = createTestClock();
  const store = createMemoryStore({ clock });
  const manager = createSessionManager({ store, clock, ...options });
  const open = async (cookieHeader?: string) => {
    const request = manager.open({ cookieHeader });
    const session = await request.load();
    return { request, session };
  };
  return { clock, store, manager, open };
}

/** A session loaded from the store, holding `data`. */
async function loaded(data: SessionData) {
  const env = setup();
  const cookie = await cookieHeaderFor(env.manager, data);
  const { request, session } = await env.open(cookie);
  return { ...env, cookie, request, session };
}

describe('Session dict methods (Django §1.2)', () => {
  it('get returns the value, undefined or the fallback, and never marks the session modified', async () => {
    const { session } = await loaded({ a: 1, nothing: null });
    expect(session.get('a')).toBe(1);
    expect(session.get('missing')).toBeUndefined();
    expect(session.get('missing', 'fallback')).toBe('fallback');
    expect(session.get('a', 2)).toBe(1);
    expect(session.get('nothing', 'fallback')).toBeNull();
    expect(session.accessed).toBe(true);
    expect(session.modified).toBe(false);
  });

  it('set stores the value, marks the session modified and chains', async () => {
    const { session } = await loaded({ a: 1 });
    expect(session.set('b', 2).set('a', 3)).toBe(session);
    expect(session.toJSON()).toEqual({ a: 3, b: 2 });
    expect(session.modified).toBe(true);
    expect(session.accessed).toBe(true);
  });

  it('has answers membership without modifying', async () => {
    const { session } = await loaded({ a: 1, z: 0 });
    expect(session.has('a')).toBe(true);
    expect(session.has('z')).toBe(true);
    expect(session.has('missing')).toBe(false);
    expect(session.has('toString')).toBe(false);
    expect(session.has('__proto__')).toBe(false);
    expect(session.accessed).toBe(true);
    expect(session.modified).toBe(false);
  });

  it('keeps a key named __proto__ as data and sees no inherited member, after writes too', async () => {
    const { session } = await loaded({ a: 1 });
    session.set('__proto__', { admin: true });
    session.set('b', 2);
    expect(session.has('__proto__')).toBe(true);
    expect(session.get('__proto__')).toEqual({ admin: true });
    expect(session.keys()).toEqual(['a', '__proto__', 'b']);
    expect(session.has('constructor')).toBe(false);
    expect(session.get('hasOwnProperty')).toBeUndefined();
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
  });

  it.each([
    { key: 'a', result: true, modified: true, after: { b: 2 } },
    { key: 'missing', result: false, modified: false, after: { a: 1, b: 2 } },
  ])('delete($key) returns $result and sets modified=$modified', async ({ key, result, modified, after }) => {
    const { session } = await loaded({ a: 1, b: 2 });
    expect(session.delete(key)).toBe(result);
    expect(session.modified).toBe(modified);
    expect(session.accessed).toBe(true);
    expect(session.toJSON()).toEqual(after);
  });

  it.each([
    { key: 'a', fallback: undefined, value: 1, modified: true, after: { b: 2 } },
    { key: 'a', fallback: 9, value: 1, modified: true, after: { b: 2 } },
    { key: 'missing', fallback: undefined, value: undefined, modified: false, after: { a: 1, b: 2 } },
    { key: 'missing', fallback: 9, value: 9, modified: false, after: { a: 1, b: 2 } },
  ])('pop($key, $fallback) returns $value and sets modified=$modified', async (row) => {
    const { session } = await loaded({ a: 1, b: 2 });
    const value = row.fallback === undefined ? session.pop(row.key) : session.pop(row.key, row.fallback);
    expect(value).toBe(row.value);
    expect(session.modified).toBe(row.modified);
    expect(session.toJSON()).toEqual(row.after);
  });

  it('setDefault inserts (and modifies) only when the key is absent', async () => {
    const { session } = await loaded({ a: 1 });
    expect(session.setDefault('a', 5)).toBe(1);
    expect(session.modified).toBe(false);
    expect(session.toJSON()).toEqual({ a: 1 });
    expect(session.setDefault('b', 5)).toBe(5);
    expect(session.modified).toBe(true);
    expect(session.toJSON()).toEqual({ a: 1, b: 5 });
  });

  it.each([
    { values: { b: 2 }, after: { a: 1, b: 2 } },
    { values: { a: 1 }, after: { a: 1 } },
    { values: {}, after: { a: 1 } },
  ])('update($values) always marks the session modified', async ({ values, after }) => {
    const { session } = await loaded({ a: 1 });
    session.update(values);
    expect(session.modified).toBe(true);
    expect(session.accessed).toBe(true);
    expect(session.toJSON()).toEqual(after);
  });

  it('clear empties the data and sets accessed and modified', async () => {
    const { session } = await loaded({ a: 1, b: 2 });
    session.clear();
    expect(session.accessed).toBe(true);
    expect(session.modified).toBe(true);
    expect(session.size).toBe(0);
    expect(session.key).not.toBeNull();
  });

  it('keys, values and entries list the data in insertion order without modifying', async () => {
    const { session } = await loaded({ b: 2, a: { x: 1 }, c: 'three' });
    expect(session.keys()).toEqual(['b', 'a', 'c']);
    expect(session.values()).toEqual([2, { x: 1 }, 'three']);
    expect(session.entries()).toEqual([
      ['b', 2],
      ['a', { x: 1 }],
      ['c', 'three'],
    ]);
    expect(session.size).toBe(3);
    expect(session.accessed).toBe(true);
    expect(session.modified).toBe(false);
  });

  it('toJSON is a deep copy: changing it changes neither the session nor what is saved', async () => {
    const { session, request, store } = await loaded({ car: { wheels: 'steel' } });
    const copy = session.toJSON() as { car: { wheels: string } };
    copy.car.wheels = 'alloy';
    expect(session.get('car')).toEqual({ wheels: 'steel' });
    session.set('other', 1);
    await request.commit(200);
    expect(store.peek(session.key ?? '')?.data).toEqual({ car: { wheels: 'steel' }, other: 1 });
  });
});

describe('Session.isEmpty (Django §1.5: no key and no data)', () => {
  it('is true for a new untouched session, false once it has data', async () => {
    const { open } = setup();
    const { session } = await open();
    expect(session.isEmpty()).toBe(true);
    session.set('a', 1);
    expect(session.isEmpty()).toBe(false);
    session.delete('a');
    expect(session.isEmpty()).toBe(true);
  });

  it('is false for a loaded session whose data was emptied (it still has a key)', async () => {
    const { session } = await loaded({ a: 1 });
    session.delete('a');
    expect(session.size).toBe(0);
    expect(session.isEmpty()).toBe(false);
    session.clear();
    expect(session.isEmpty()).toBe(false);
  });

  it('is false when a stored session has no data at all, and true after flush', async () => {
    const env = await loaded({ a: 1 });
    env.session.delete('a');
    await env.request.commit(200);
    const { session } = await env.open(env.cookie);
    expect(session.key).not.toBeNull();
    expect(session.size).toBe(0);
    expect(session.isEmpty()).toBe(false);
    await session.flush();
    expect(session.isEmpty()).toBe(true);
  });

  it('does not mark the session accessed', async () => {
    const { session } = await loaded({ a: 1 });
    session.isEmpty();
    void session.key;
    expect(session.accessed).toBe(false);
  });
});

describe('Session test cookie (Django §1.3)', () => {
  it('setTestCookie stores "worked" under "testcookie" and modifies', async () => {
    const { open } = setup();
    const { session } = await open();
    expect(session.testCookieWorked()).toBe(false);
    expect(session.modified).toBe(false);
    session.setTestCookie();
    expect(session.get(TEST_COOKIE_NAME)).toBe(TEST_COOKIE_VALUE);
    expect(TEST_COOKIE_NAME).toBe('testcookie');
    expect(TEST_COOKIE_VALUE).toBe('worked');
    expect(session.modified).toBe(true);
    expect(session.testCookieWorked()).toBe(true);
  });

  it('testCookieWorked is true on the next request, and deleteTestCookie removes it', async () => {
    const env = setup();
    const first = await env.open();
    first.session.setTestCookie();
    const result = await first.request.commit(200);
    const cookie = result.setCookie[0]?.split(';')[0] ?? '';
    const { session } = await env.open(cookie);
    expect(session.testCookieWorked()).toBe(true);
    expect(session.modified).toBe(false);
    session.deleteTestCookie();
    expect(session.modified).toBe(true);
    expect(session.testCookieWorked()).toBe(false);
  });

  it('a string other than "worked" does not count, and deleting an absent test cookie is a no-op', async () => {
    const { session } = await loaded({ testcookie: 'nope' });
    expect(session.testCookieWorked()).toBe(false);
    session.delete(TEST_COOKIE_NAME);
    expect(() => session.deleteTestCookie()).not.toThrow();
    const { session: fresh } = await setup().open();
    fresh.deleteTestCookie();
    expect(fresh.modified).toBe(false);
  });
});

describe('Session flags (Django §1.1)', () => {
  const operations: [string, (s: Session) => unknown][] = [
    ['get', (s) => s.get('a')],
    ['has', (s) => s.has('a')],
    ['set', (s) => s.set('b', 1)],
    ['delete', (s) => s.delete('missing')],
    ['pop', (s) => s.pop('missing')],
    ['setDefault', (s) => s.setDefault('a', 2)],
    ['update', (s) => s.update({})],
    ['clear', (s) => s.clear()],
    ['keys', (s) => s.keys()],
    ['values', (s) => s.values()],
    ['entries', (s) => s.entries()],
    ['size', (s) => s.size],
    ['toJSON', (s) => s.toJSON()],
    ['setExpiry', (s) => s.setExpiry(60)],
    ['getExpiryAge', (s) => s.getExpiryAge()],
    ['getExpiryDate', (s) => s.getExpiryDate()],
    ['getExpireAtBrowserClose', (s) => s.getExpireAtBrowserClose()],
    ['setTestCookie', (s) => s.setTestCookie()],
    ['testCookieWorked', (s) => s.testCookieWorked()],
    ['deleteTestCookie', (s) => s.deleteTestCookie()],
  ];

  it.each(operations)('%s sets accessed', async (_name, operation) => {
    const { session } = await loaded({ a: 1 });
    expect(session.accessed).toBe(false);
    operation(session);
    expect(session.accessed).toBe(true);
  });

  it('a new session starts neither accessed nor modified', async () => {
    const { session } = await setup().open();
    expect(session.accessed).toBe(false);
    expect(session.modified).toBe(false);
    expect(session.key).toBeNull();
  });

  it('assigning modified = true forces a save of an unchanged session', async () => {
    const { session, request, store, clock } = await loaded({ a: 1 });
    const before = store.peek(session.key ?? '');
    clock.advance(60);
    session.modified = true;
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(result.setCookie).toHaveLength(1);
    const after = store.peek(session.key ?? '');
    expect(after?.data).toEqual({ a: 1 });
    expect(after?.expiresAt).toBe((before?.expiresAt ?? 0) + 60_000);
  });
});
