import { describe, expect, it } from 'vitest';
import { generateSessionKey } from '../src/store/index.js';
import { countingManager, DELETION, keyOf, NOW } from './support/counting-manager.js';

describe('commit: nothing to do', () => {
  it('a request without a cookie whose handler never loads the session: no I/O, no headers', async () => {
    const { manager, total } = countingManager();
    const request = manager.open({});
    expect(request.hadCookie).toBe(false);
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: false, action: 'none' });
    expect(total()).toBe(0);
  });

  it('a request with a cookie whose handler never loads the session: no store I/O at all', async () => {
    const { manager, existing, total } = countingManager();
    const { cookie } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    expect(request.hadCookie).toBe(true);
    expect(request.session).toBeUndefined();
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: false, action: 'none' });
    expect(total()).toBe(0);
  });

  it('a loaded session that was never read adds nothing', async () => {
    const { manager, existing, calls } = countingManager();
    const { cookie } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    await request.load();
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: false, action: 'none' });
    expect(calls.load).toBe(1);
  });

  it('accessed but unmodified: only Vary: Cookie', async () => {
    const { manager, existing, calls, total } = countingManager();
    const { cookie } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    expect((await request.load()).get('user')).toBe('ada');
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: true, action: 'none' });
    expect(calls.load).toBe(1);
    expect(total()).toBe(1);
  });

  it('concurrent load() calls share one store read and one session', async () => {
    const { manager, existing, calls } = countingManager();
    const { cookie } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    const [a, b] = await Promise.all([request.load(), request.load()]);
    expect(a).toBe(b);
    expect(request.session).toBe(a);
    expect(calls.load).toBe(1);
  });
});

describe('commit: save', () => {
  it('a modified new session is created and gets the Django default cookie', async () => {
    const { manager, store, calls } = countingManager();
    const request = manager.open();
    (await request.load()).set('user', 'ada');
    const result = await request.commit(200);
    const key = keyOf(result.setCookie[0]) ?? '';
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    expect(result).toEqual({
      setCookie: [
        `sessionid=${key}; Path=/; Expires=Mon, 15 Jan 2024 00:00:00 GMT; Max-Age=1209600; HttpOnly; SameSite=Lax`,
      ],
      vary: true,
      action: 'save',
    });
    expect(calls.create).toBe(1);
    expect(store.peek(key)).toEqual({
      data: { user: 'ada' },
      expiresAt: NOW + 1_209_600_000,
      meta: { createdAt: NOW, lastSeenAt: NOW },
    });
  });

  it('a modified existing session is updated under its key, keeping createdAt', async () => {
    const { manager, existing, store, clock, calls } = countingManager();
    const { cookie, key } = await existing();
    clock.advance(3600);
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).set('theme', 'dark');
    const result = await request.commit(200);
    expect(keyOf(result.setCookie[0])).toBe(key);
    expect(result.setCookie[0]).toContain('Expires=Mon, 15 Jan 2024 01:00:00 GMT; Max-Age=1209600');
    expect(calls.update).toBe(1);
    expect(calls.create).toBe(0);
    expect(store.peek(key)).toEqual({
      data: { user: 'ada', theme: 'dark' },
      expiresAt: NOW + 3_600_000 + 1_209_600_000,
      meta: { createdAt: NOW, lastSeenAt: NOW + 3_600_000 },
    });
  });

  it.each([
    { name: 'expireAtBrowserClose: true', option: { expireAtBrowserClose: true }, expiry: undefined },
    { name: 'setExpiry(0)', option: {}, expiry: 0 },
  ])('a browser-session cookie ($name) has no Max-Age or Expires', async (row) => {
    const { manager } = countingManager(row.option);
    const request = manager.open();
    const session = await request.load();
    session.set('a', 1);
    if (row.expiry !== undefined) session.setExpiry(row.expiry);
    const [header] = (await request.commit(200)).setCookie;
    expect(header).toBe(`sessionid=${session.key}; Path=/; HttpOnly; SameSite=Lax`);
  });

  it.each([200, 204, 302, 400, 403, 404, 499])('status %d saves', async (status) => {
    const { manager, existing, store } = countingManager();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).set('n', status);
    const result = await request.commit(status);
    expect(result.action).toBe('save');
    expect(result.setCookie).toHaveLength(1);
    expect(store.peek(key)?.data).toEqual({ user: 'ada', n: status });
  });

  it.each([500, 502, 503, 599])('status %d neither saves nor sets a cookie', async (status) => {
    const { manager, existing, store, calls } = countingManager();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).set('n', status);
    expect(await request.commit(status)).toEqual({ setCookie: [], vary: true, action: 'skipped-5xx' });
    expect(calls.update).toBe(0);
    expect(store.peek(key)?.data).toEqual({ user: 'ada' });

    const fresh = manager.open();
    (await fresh.load()).set('n', 1);
    expect((await fresh.commit(status)).setCookie).toEqual([]);
    expect(calls.create).toBe(0);
  });

  it('a session emptied of data but holding a key is saved, not deleted', async () => {
    const { manager, existing, store } = countingManager();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).delete('user');
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(keyOf(result.setCookie[0])).toBe(key);
    expect(store.peek(key)?.data).toEqual({});
  });

  it('a new session that was written and emptied again is not saved', async () => {
    const { manager, total } = countingManager();
    const request = manager.open();
    const session = await request.load();
    session.set('a', 1);
    session.delete('a');
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: true, action: 'none' });
    expect(total()).toBe(0);
  });
});

describe('commit: keys a client sends are never adopted', () => {
  const forged = [
    ['a path', '../etc'],
    ['31 characters', 'a'.repeat(31)],
    ['33 characters', 'a'.repeat(33)],
    ['upper case', 'A'.repeat(32)],
    ['8 characters (enough for Django, not for sess)', 'abcdefgh'],
    ['an empty value', ''],
    ['percent-encoding', '%2e%2e%2f'.padEnd(32, 'a')],
  ];

  it.each(forged)(
    'a malformed key (%s) loads a fresh session without any store I/O',
    async (_name, value) => {
      const { manager, store, total } = countingManager();
      const request = manager.open({ cookieHeader: `sessionid=${value}` });
      const session = await request.load();
      expect(session.key).toBeNull();
      expect(session.size).toBe(0);
      expect(total()).toBe(0);
      session.set('a', 1);
      const fresh = keyOf((await request.commit(200)).setCookie[0]);
      expect(fresh).toMatch(/^[a-z0-9]{32}$/);
      expect(fresh).not.toBe(value);
      expect(store.peek(value)).toBeNull();
    },
  );

  it.each(forged)(
    'a malformed key (%s) on a read-only request gets the cookie deleted',
    async (_name, value) => {
      const { manager } = countingManager();
      const request = manager.open({ cookieHeader: `sessionid=${value}` });
      (await request.load()).get('a');
      expect(await request.commit(200)).toEqual({ setCookie: [DELETION], vary: true, action: 'delete' });
    },
  );

  it('a well-formed but unknown key is looked up once, then replaced by a new key', async () => {
    const { manager, store, calls } = countingManager();
    const unknown = generateSessionKey();
    const request = manager.open({ cookieHeader: `sessionid=${unknown}` });
    const session = await request.load();
    expect(calls.load).toBe(1);
    expect(session.key).toBeNull();
    session.set('a', 1);
    const fresh = keyOf((await request.commit(200)).setCookie[0]);
    expect(fresh).not.toBe(unknown);
    expect(store.peek(unknown)).toBeNull();
    expect(store.peek(fresh ?? '')?.data).toEqual({ a: 1 });
  });

  it('an expired session is not loaded; a read-only request deletes its cookie, a write gets a new key', async () => {
    const { manager, existing, clock, store } = countingManager({ cookieAge: 60 });
    const { cookie, key } = await existing();
    clock.advance(60);
    const reader = manager.open({ cookieHeader: cookie });
    const stale = await reader.load();
    expect(stale.key).toBeNull();
    expect(stale.get('user')).toBeUndefined();
    expect((await reader.commit(200)).setCookie).toEqual([
      'sessionid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax',
    ]);

    const writer = manager.open({ cookieHeader: cookie });
    (await writer.load()).set('user', 'eve');
    const fresh = keyOf((await writer.commit(200)).setCookie[0]);
    expect(fresh).not.toBe(key);
    expect(store.peek(fresh ?? '')?.data).toEqual({ user: 'eve' });
  });

  it('only the first of duplicate session cookies is used', async () => {
    const { manager, existing } = countingManager();
    const { key } = await existing();
    const request = manager.open({ cookieHeader: `sessionid=${key}; sessionid=${generateSessionKey()}` });
    expect((await request.load()).get('user')).toBe('ada');
  });
});

describe('commit: saveEveryRequest', () => {
  it('loads and saves a session the handler never touched, extending its expiry', async () => {
    const { manager, existing, store, clock, calls } = countingManager({ saveEveryRequest: true });
    const { cookie, key } = await existing();
    clock.advance(100);
    const request = manager.open({ cookieHeader: cookie });
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(result.vary).toBe(false);
    expect(keyOf(result.setCookie[0])).toBe(key);
    expect(calls.load).toBe(1);
    expect(calls.update).toBe(1);
    expect(store.peek(key)?.expiresAt).toBe(NOW + 100_000 + 1_209_600_000);
    expect(store.peek(key)?.data).toEqual({ user: 'ada' });
  });

  it('saves a session that was only read', async () => {
    const { manager, existing, calls } = countingManager({ saveEveryRequest: true });
    const { cookie } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    (await request.load()).get('user');
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(result.vary).toBe(true);
    expect(calls.update).toBe(1);
  });

  it('deletes a stale cookie instead of creating an empty session for it', async () => {
    const { manager, store, calls } = countingManager({ saveEveryRequest: true });
    const request = manager.open({ cookieHeader: `sessionid=${generateSessionKey()}` });
    const result = await request.commit(200);
    expect(result).toEqual({ setCookie: [DELETION], vary: true, action: 'delete' });
    expect(calls.load).toBe(1);
    expect(calls.create).toBe(0);
    expect(store.size).toBe(0);
  });

  it('does nothing for a request without a cookie', async () => {
    const { manager, total } = countingManager({ saveEveryRequest: true });
    expect(await manager.open().commit(200)).toEqual({ setCookie: [], vary: false, action: 'none' });
    const loaded = manager.open();
    await loaded.load();
    expect((await loaded.commit(200)).setCookie).toEqual([]);
    expect(total()).toBe(0);
  });
});
