import { createSessionManager } from '@sess/core';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, FRAMEWORKS, openEngines, serveApp } from '../src/index.js';

/**
 * What reaches storage, read around the store: an unchanged session is not rewritten and gets no
 * Set-Cookie; a 5xx response (a status the handler chose, or a handler that threw) saves nothing.
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'django', 'redis', 'memcached']);
afterAll(close);

for (const engine of engines) {
  for (const framework of FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      async function withSession() {
        const storage = await engine.storage();
        const app = await serveApp(
          framework,
          { manager: createSessionManager({ store: storage.store }) },
          appRoutes,
        );
        const client = app.client();
        expect((await client.get('/set?a=1')).setCookies).toHaveLength(1);
        const key = client.cookies.get('sessionid') as string;
        const before = await storage.raw(key);
        expect(before?.data).toEqual({ a: '1' });
        return { storage, app, client, key, before };
      }

      it('no Set-Cookie when a loaded session did not change (Vary: Cookie), and the stored record is not rewritten', async () => {
        const { storage, client, key, before } = await withSession();
        const read = await client.get('/read');
        expect(JSON.parse(read.body)).toEqual({ a: '1' });
        expect(read.setCookies).toEqual([]);
        expect(read.headers.get('vary')).toMatch(/\bCookie\b/);
        expect(await storage.raw(key)).toEqual(before);
      });

      it('5xx does not save: a 500/503 chosen by the handler or a handler that threw leaves the stored record unchanged, without Set-Cookie', async () => {
        const { storage, app, client, key, before } = await withSession();
        for (const code of [500, 503]) {
          const response = await client.get(`/status?code=${code}`);
          expect(response.status).toBe(code);
          expect(response.setCookies).toEqual([]);
        }
        const thrown = await client.get('/fail?a=2&b=3');
        expect(thrown.status).toBe(500);
        expect(thrown.setCookies).toEqual([]);
        expect(app.errors).toHaveLength(1);
        expect(await storage.raw(key)).toEqual(before);
        const newcomer = app.client();
        expect((await newcomer.get('/status?code=500')).setCookies).toEqual([]);
        expect(newcomer.cookies.size).toBe(0);
      });
    });
  }
}
