import { createSessionManager, isSessionError, type SessionStoreError } from '@sess/core';
import { createFailingStore, type StoreOperation } from '@sess/http-test-suite';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, FRAMEWORKS, openEngines, serveApp } from '../src/index.js';

/**
 * Store failures of the engines that have no server to kill (the memory store, files): the suite's failing
 * double wraps the real engine's store and makes one operation throw like a failed I/O, or hang past
 * `storeTimeoutMs`. Each request answers 5xx through the framework's error handling with a store error
 * naming the operation, sends no cookie, and storage keeps the record as it was (read around the store).
 * Real outages of PostgreSQL, Redis and memcached are in outage-*.test.ts.
 */
const { engines, close } = await openEngines(['memory', 'file']);
afterAll(close);

const TIMEOUT_MS = 200;
const cases: [StoreOperation, string, 'throw' | 'hang', string][] = [
  ['load', '/read', 'throw', 'STORE_UNAVAILABLE'],
  ['update', '/set?a=2', 'throw', 'STORE_UNAVAILABLE'],
  ['destroy', '/flush', 'throw', 'STORE_UNAVAILABLE'],
  ['load', '/read', 'hang', 'STORE_TIMEOUT'],
];

for (const engine of engines) {
  for (const framework of FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      it('outage error: a failing or hanging store operation answers 5xx with a store error naming it, without Set-Cookie; the record is kept', async () => {
        for (const [operation, path, mode, code] of cases) {
          const storage = await engine.storage();
          const failing = createFailingStore(storage.store, [operation], mode);
          failing.failing = false;
          const manager = createSessionManager({ store: failing, storeTimeoutMs: TIMEOUT_MS });
          const app = await serveApp(framework, { manager }, appRoutes);
          const client = app.client();
          await client.get('/set?a=1');
          const key = client.cookies.get('sessionid') as string;
          const before = await storage.raw(key);
          failing.failing = true;
          const response = await client.get(path);
          expect(response.status).toBeGreaterThanOrEqual(500);
          expect(response.setCookies).toEqual([]);
          const error = app.errors.at(-1) as SessionStoreError;
          expect(isSessionError(error)).toBe(true);
          expect(error).toMatchObject({ code, operation });
          expect(error.message).toContain(engine.name === 'file' ? '@sess/store-file' : '@sess/core');
          failing.failing = false;
          expect(await storage.raw(key)).toEqual(before);
          expect(JSON.parse((await client.get('/read')).body)).toEqual({ a: '1' });
        }
      });
    });
  }
}
