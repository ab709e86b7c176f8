import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isSessionError } from '@sess/core';
import { hashSessionKey } from '@sess/core/store';
import { Client } from '@sess/http-test-suite';
import { createDjangoDbStore } from '@sess/store-db';
import { createDjangoFileStore } from '@sess/store-file';
import { createTestDatabase } from '@sess/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp } from './support/app.js';
import { type OpenEngine, openEngine, SERVER_ENGINES } from './support/engines.js';

/**
 * Keys hashed at rest (OWASP session cheat sheet, ASVS 5 V16.2.5 in spirit): with `hashKeysAtRest` (on
 * under `preset: 'strict'`), what the server holds — rows, Redis keys and values, file names and contents —
 * never contains a cookie's key, and a stolen stored id opens nothing.
 */
describe.each(SERVER_ENGINES)('keys hashed at rest on the %s engine', (name) => {
  let engine: OpenEngine;
  beforeAll(async () => {
    engine = await openEngine(name);
  });
  afterAll(() => engine?.close());

  it.each(ADAPTERS)('through %s: the server holds the hash of each key, never the key', async (adapter) => {
    const app = await startApp(adapter, { store: engine.store, hashKeysAtRest: true });
    const client = new Client(app.url);
    await client.get('/count?tag=at-rest');
    const anonymous = client.cookies.get('sessionid') as string;
    await client.request('/login?user=ann', { method: 'POST' });
    const key = client.cookies.get('sessionid') as string;
    expect(JSON.parse((await client.get('/count')).body)).toMatchObject({ count: 2, tag: 'at-rest' });

    expect(key).toMatch(/^[a-z0-9]{32}$/);
    expect(await engine.holds(key)).toBe(false);
    expect(await engine.holds(hashSessionKey(key))).toBe(true);
    expect(await engine.holds(hashSessionKey(anonymous))).toBe(false);
    const dump = await engine.dump();
    if (dump !== null) {
      expect(dump).toContain(hashSessionKey(key));
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(anonymous);
    }

    // A stored id used as a cookie is an unknown key: a fresh session, and the real one is untouched.
    const thief = await new Client(app.url).get('/count', { cookie: `sessionid=${hashSessionKey(key)}` });
    expect(JSON.parse(thief.body)).toMatchObject({ count: 1, fresh: true });
    expect(JSON.parse((await client.get('/peek')).body)).toEqual({ tag: 'at-rest', count: 2, user: 'ann' });

    await client.request('/logout', { method: 'POST' });
    expect(await engine.holds(hashSessionKey(key))).toBe(false);
    await app.close();
  });

  it("'migrate' moves a session stored under its raw key on first use, and it keeps working", async () => {
    const before = await startApp('koa', { store: engine.store });
    const client = new Client(before.url);
    await client.get('/count?tag=legacy');
    const key = client.cookies.get('sessionid') as string;
    expect(await engine.holds(key)).toBe(true);
    await before.close();

    const after = await startApp('express', { store: engine.store, hashKeysAtRest: 'migrate' });
    const moved = new Client(after.url);
    moved.cookies.set('sessionid', key);
    expect(JSON.parse((await moved.get('/count')).body)).toMatchObject({ count: 2, tag: 'legacy' });
    expect(await engine.holds(key)).toBe(false);
    expect(await engine.holds(hashSessionKey(key))).toBe(true);
    expect(JSON.parse((await moved.get('/count')).body)).toMatchObject({ count: 3, tag: 'legacy' });
    await after.close();
  });
});

describe("preset 'strict' on a server engine, over HTTP", () => {
  let engine: OpenEngine;
  beforeAll(async () => {
    engine = await openEngine('redis');
  });
  afterAll(() => engine?.close());

  it.each(ADAPTERS)('through %s: a __Host- browser-session cookie, keys hashed at rest', async (adapter) => {
    const app = await startApp(adapter, { store: engine.store, preset: 'strict' });
    const client = new Client(app.url);
    const first = await client.get('/count');
    const cookie = first.setCookies[0];
    expect(cookie?.name).toBe('__Host-sessionid');
    const attributes = Object.fromEntries(cookie?.attributes ?? []);
    expect(attributes).toEqual({ path: '/', secure: '', httponly: '', samesite: 'Lax' });
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse((await client.get('/count')).body)).toMatchObject({ count: 2 });
    const key = client.cookies.get('__Host-sessionid') as string;
    expect(await engine.holds(key)).toBe(false);
    expect(await engine.holds(hashSessionKey(key))).toBe(true);
    await app.close();
  });
});

describe('Django formats keep raw keys: hashKeysAtRest and the strict preset are refused', () => {
  it('on the Django table and in Django session files, naming the option', async () => {
    const database = await createTestDatabase('rel');
    const pool = new pg.Pool({ connectionString: database.url });
    const directory = mkdtempSync(path.join(tmpdir(), 'sess-rel-django-'));
    try {
      const secretKey = 'django-insecure-at-rest-test-secret-key-0123456789';
      const stores = [
        createDjangoDbStore(pool, { secretKey }),
        createDjangoFileStore({ directory, secretKey }),
      ];
      for (const store of stores) {
        for (const [options, option] of [
          [{ hashKeysAtRest: true }, 'hashKeysAtRest'],
          [{ preset: 'strict' }, 'preset'],
        ] as const) {
          let thrown: unknown;
          try {
            await startApp('koa', { store, ...options });
          } catch (error) {
            thrown = error;
          }
          expect(isSessionError(thrown) && thrown.code).toBe('CONFIG_INVALID');
          expect((thrown as Error).message).toContain(option);
        }
      }
    } finally {
      await pool.end();
      await database.drop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
