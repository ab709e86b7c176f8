import { describe, expect, it } from 'vitest';
import { createSessionManager } from '../src/index.js';
import type { SessionBackend } from '../src/store/index.js';
import { countingManager, DELETION, keyOf, NOW } from './support/counting-manager.js';
import { providerOf } from './support/providers.js';

describe('commit: flush and deletion', () => {
  it('flush with a request cookie destroys the record at once and deletes the cookie', async () => {
    const { manager, existing, store } = countingManager();
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
    const { manager, existing, store } = countingManager();
    const { cookie, key } = await existing();
    const request = manager.open({ cookieHeader: cookie });
    await (await request.load()).flush();
    const result = await request.commit(500);
    expect(result.setCookie).toEqual([DELETION]);
    expect(store.peek(key)).toBeNull();
  });

  it('flush without a request cookie sends no Set-Cookie but Vary: Cookie', async () => {
    const { manager, total } = countingManager();
    const request = manager.open();
    await (await request.load()).flush();
    expect(await request.commit(200)).toEqual({ setCookie: [], vary: true, action: 'none' });
    expect(total()).toBe(0);
  });

  it('writing after flush starts a new record under a new key; the old one stays gone', async () => {
    const { manager, existing, store } = countingManager();
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
    const { manager, existing, store, clock } = countingManager();
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
    const { manager, store, clock } = countingManager();
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
    const { manager, store, calls } = countingManager();
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
    const { manager, existing } = countingManager();
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
    const env = countingManager();
    const backend = providerOf(env.counted, {
      wrap: (inner): SessionBackend => ({
        ...inner,
        open: async (jar) => {
          const opened = await inner.open(jar);
          return opened.record ? { ...opened, reissue: true } : opened;
        },
      }),
    });
    return { ...env, manager: createSessionManager({ store: backend, clock: env.clock }) };
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
