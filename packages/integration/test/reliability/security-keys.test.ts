import { createRequire, syncBuiltinESMExports } from 'node:module';
import { createMemoryStore, createSessionManager, type SessionEvent } from '@sess/core';
import { generateSessionKey } from '@sess/core/store';
import { Client } from '@sess/http-test-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { type OpenEngine, openEngine, SERVER_ENGINES } from './support/engines.js';

/**
 * Session identifiers (ASVS 5 V7.2): drawn from the OS CSPRNG with more than 128 bits, never adopted when
 * a client chooses them, taken only from the cookie, replaced at login and dead at logout, on the server.
 */
const require = createRequire(import.meta.url);
/** Django's `VALID_KEY_CHARS`, and the length of every key sess issues (facts of the format, not imported). */
const SESSION_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SESSION_KEY_LENGTH = 32;

describe('key generation', () => {
  it('draws every key from the OS CSPRNG (crypto.randomFillSync, 4 KiB at a time)', () => {
    const crypto = require('node:crypto') as {
      randomFillSync: <T extends ArrayBufferView>(buffer: T) => T;
    };
    const original = crypto.randomFillSync;
    let drawn = 0;
    crypto.randomFillSync = <T extends ArrayBufferView>(buffer: T) => {
      drawn += buffer.byteLength;
      return original(buffer);
    };
    syncBuiltinESMExports();
    const keys = 1000;
    try {
      for (let i = 0; i < keys; i++) generateSessionKey();
    } finally {
      crypto.randomFillSync = original;
      syncBuiltinESMExports();
    }
    // At least one random byte per character: 32 bytes per key, less what the 4 KiB pool held already.
    expect(drawn).toBeGreaterThanOrEqual(keys * SESSION_KEY_LENGTH - 4096);
  });

  it('32 characters of [a-z0-9], about 165 bits, at least 128', () => {
    const keys = Array.from({ length: 1000 }, () => generateSessionKey());
    for (const key of keys) expect(key).toMatch(/^[a-z0-9]{32}$/);
    // Every character of the alphabet is drawn (32,000 draws over 36 characters).
    const alphabet = [...new Set(keys.join(''))].sort().join('');
    expect(alphabet).toBe([...SESSION_KEY_CHARS].sort().join(''));
    expect(SESSION_KEY_LENGTH * Math.log2(alphabet.length)).toBeGreaterThan(165);
  });

  it('uniform over the alphabet (chi-squared) and without a collision in 100,000 keys', () => {
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const key = generateSessionKey();
      seen.add(key);
      for (const char of key) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(seen.size).toBe(100_000);
    const expected = (100_000 * SESSION_KEY_LENGTH) / 36;
    const chiSquared = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(counts.size).toBe(36);
    // 35 degrees of freedom: the 1e-9 tail starts near 110; a modulo bias (252/256) would score in the thousands.
    expect(chiSquared).toBeLessThan(110);
  });
});

describe.each(SERVER_ENGINES)('identifiers on the %s engine, over HTTP', (name) => {
  let engine: OpenEngine;
  beforeAll(async () => {
    engine = await openEngine(name);
  });
  afterAll(() => engine?.close());

  it('strict: a well-formed key the client chose is never adopted, nothing is stored under it, and it is reported', async () => {
    const events: SessionEvent[] = [];
    const app = await startApp('koa', { store: engine.store, onEvent: (event) => events.push(event) });
    const chosen = generateSessionKey();
    const response = await new Client(app.url).get('/count?tag=fixation', { cookie: `sessionid=${chosen}` });
    const issued = response.setCookies[0]?.value as string;
    expect(issued).toMatch(/^[a-z0-9]{32}$/);
    expect(issued).not.toBe(chosen);
    expect(await engine.holds(chosen)).toBe(false);
    expect(await engine.holds(issued)).toBe(true);
    expect(events).toContainEqual({ type: 'rejected', reason: 'unknown-or-invalid' });
    await app.close();
  });

  it('login (cycleKey) issues a new key, keeps the data and destroys the old record; logout (flush) destroys it', async () => {
    const app = await startApp('express', { store: engine.store });
    const client = new Client(app.url);
    await client.get('/count?tag=login');
    const anonymous = client.cookies.get('sessionid') as string;
    await client.request('/login?user=ann', { method: 'POST' });
    const loggedIn = client.cookies.get('sessionid') as string;
    expect(loggedIn).not.toBe(anonymous);
    expect(await engine.holds(anonymous)).toBe(false);
    expect(JSON.parse((await client.get('/peek')).body)).toEqual({ tag: 'login', count: 1, user: 'ann' });
    const replayed = await new Client(app.url).get('/peek', { cookie: `sessionid=${anonymous}` });
    expect(JSON.parse(replayed.body)).toEqual({});

    const logout = await client.request('/logout', { method: 'POST' });
    expect(logout.setCookies[0]).toMatchObject({ name: 'sessionid', value: '' });
    expect(await engine.holds(loggedIn)).toBe(false);
    const afterLogout = await new Client(app.url).get('/peek', { cookie: `sessionid=${loggedIn}` });
    expect(JSON.parse(afterLogout.body)).toEqual({});
    await app.close();
  });
});

describe('where the key is accepted from', () => {
  it('only the configured cookie: a key in the query, the body or another header is ignored', async () => {
    const store = createMemoryStore();
    const app = await startApp('koa', { store });
    const owner = new Client(app.url);
    await owner.get('/count?tag=owner');
    const key = owner.cookies.get('sessionid') as string;
    const stranger = new Client(app.url);
    for (const attempt of [
      stranger.get(`/peek?sessionid=${key}`),
      stranger.request('/peek', {
        method: 'GET',
        headers: { authorization: `Bearer ${key}`, 'x-session-id': key },
      }),
      stranger.request('/peek', { method: 'GET', headers: { cookie: `other=${key}; sessionidx=${key}` } }),
    ]) {
      expect(JSON.parse((await attempt).body)).toEqual({});
    }
    await app.close();
  });

  it('with the opt-in header transport, only that header: the Cookie is then ignored', async () => {
    const store = createMemoryStore();
    const manager = createSessionManager({
      store,
      tokenHeader: { request: 'Authorization', response: 'X-Session-Token' },
    });
    const first = manager.open({ header: () => undefined });
    (await first.load()).set('user', 'ann');
    const committed = await first.commit(200);
    const key = committed.headers?.[0]?.[1] as string;
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    const viaCookie = manager.open({ cookieHeader: `sessionid=${key}`, header: () => undefined });
    expect((await viaCookie.load()).toJSON()).toEqual({});
    const viaHeader = manager.open({
      header: (name) => (name === 'authorization' ? `Bearer ${key}` : undefined),
    });
    expect((await viaHeader.load()).toJSON()).toEqual({ user: 'ann' });
  });
});
