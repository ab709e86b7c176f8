import { createSessionManager } from '@sess/core';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, FRAMEWORKS, memcachedEngine, openEngines, serveApp } from '../src/index.js';

/**
 * Real concurrency, without a hook: 20 requests in flight at once on one session, each setting its own key.
 * Delta engines keep all 20 (what the deterministic races prove, here under whatever interleaving the
 * servers produce); Django mode writes whole records, so only the last writers' keys remain.
 *
 * memcached applies a delta with a gets/cas loop: each round at least one writer wins, so N writers at once
 * need up to N rounds. Its `casAttempts` (default 10) is raised to the number of writers here; with the
 * default, 20 writers on one session make some requests fail with "gave up" (a loud 500, never a lost key).
 */
const PARALLEL = 20;
const opened = await openEngines(['memory', 'file', 'db', 'django', 'redis', 'redis-cluster']);
const engines = [...opened.engines, memcachedEngine(undefined, { casAttempts: PARALLEL })];
afterAll(async () => {
  await opened.close();
  await engines.at(-1)?.close();
});

for (const engine of engines) {
  for (const framework of FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      const title =
        engine.name === 'django'
          ? 'Django mode, last writer wins: 20 parallel requests setting k<i> all succeed; the record keeps the base key and at least one k<i>'
          : '20 parallel requests each setting k<i> on one session: all succeed and all 20 keys are stored';
      it(title, async () => {
        const storage = await engine.storage();
        const app = await serveApp(
          framework,
          { manager: createSessionManager({ store: storage.store }) },
          appRoutes,
        );
        const first = app.client();
        await first.get('/set?base=1');
        const key = first.cookies.get('sessionid') as string;
        const responses = await Promise.all(
          Array.from({ length: PARALLEL }, (_, i) => {
            const client = app.client();
            client.cookies.set('sessionid', key);
            return client.get(`/set?k${i}=${i}`);
          }),
        );
        expect(app.errors.map(String)).toEqual([]);
        expect(responses.map((response) => response.status)).toEqual(Array(PARALLEL).fill(200));
        for (const response of responses) {
          expect(response.setCookies.map((cookie) => cookie.value)).toEqual([key]);
        }
        const stored = (await storage.raw(key))?.data ?? {};
        const keys = Object.keys(stored).filter((name) => /^k\d+$/.test(name));
        expect(stored.base).toBe('1');
        if (engine.name === 'django') {
          expect(keys.length).toBeGreaterThanOrEqual(1);
          for (const name of keys) expect(stored[name]).toBe(name.slice(1));
        } else {
          const expected = Object.fromEntries(
            Array.from({ length: PARALLEL }, (_, i) => [`k${i}`, String(i)]),
          );
          expect(stored).toEqual({ base: '1', ...expected });
        }
      });
    });
  }
}
