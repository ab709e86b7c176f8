import { createSessionManager, isSessionError } from '@sess/core';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, FRAMEWORKS, openEngines, serveApp } from '../src/index.js';

/**
 * Owners through HTTP on the engines with an owner index: login binds the owner, "your sessions" lists
 * handles (never keys), "log out other devices" makes the other client's next request anonymous, and
 * storage (read around the store) holds what it should.
 */
const { engines, close } = await openEngines(['memory', 'db', 'redis', 'redis-cluster']);
afterAll(close);

interface Listed {
  handle: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

for (const engine of engines) {
  for (const framework of FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      it('login binds the owner; the sessions list shows handles, not keys; log out other devices makes the other client anonymous', async () => {
        const storage = await engine.storage();
        const app = await serveApp(
          framework,
          { manager: createSessionManager({ store: storage.store }) },
          appRoutes,
        );
        const laptop = app.client();
        const phone = app.client();
        const stranger = app.client();

        await laptop.get('/set?theme=dark');
        const anonymousKey = laptop.cookies.get('sessionid') as string;
        const handle = (await laptop.get('/login?user=ada')).body;
        const laptopKey = laptop.cookies.get('sessionid') as string;
        expect(laptopKey).not.toBe(anonymousKey);
        expect(await storage.raw(anonymousKey)).toBeNull();
        expect(await storage.raw(laptopKey)).toMatchObject({
          data: { theme: 'dark', user: 'ada' },
          meta: { owner: 'ada' },
        });
        await phone.get('/login?user=ada');
        const phoneKey = phone.cookies.get('sessionid') as string;
        await stranger.get('/login?user=bob');

        const listed = JSON.parse((await laptop.get('/sessions')).body) as Listed[];
        expect(listed).toHaveLength(2);
        expect(listed.filter((entry) => entry.current).map((entry) => entry.handle)).toEqual([handle]);
        for (const entry of listed) {
          expect([laptopKey, phoneKey]).not.toContain(entry.handle);
          expect(JSON.stringify(entry)).not.toContain(phoneKey);
          expect(Date.parse(entry.createdAt)).toBeLessThanOrEqual(Date.parse(entry.lastSeenAt));
          expect(Date.parse(entry.expiresAt)).toBeGreaterThan(Date.parse(entry.lastSeenAt));
        }

        expect((await laptop.get('/logout-others')).body).toBe('1');
        expect(await storage.raw(phoneKey)).toBeNull();
        const revoked = await phone.get('/me');
        expect(revoked.body).toBe('anonymous');
        expect(phone.cookies.has('sessionid')).toBe(false);
        expect((await laptop.get('/me')).body).toBe('ada');
        expect((await stranger.get('/me')).body).toBe('bob');
        const after = JSON.parse((await laptop.get('/sessions')).body) as Listed[];
        expect(after.map((entry) => entry.handle)).toEqual([handle]);
        expect(app.errors).toEqual([]);
      });

      it('revoking one device by its handle ends only that session', async () => {
        const storage = await engine.storage();
        const app = await serveApp(
          framework,
          { manager: createSessionManager({ store: storage.store }) },
          appRoutes,
        );
        const laptop = app.client();
        const phone = app.client();
        await laptop.get('/login?user=grace');
        const phoneHandle = (await phone.get('/login?user=grace')).body;
        const phoneKey = phone.cookies.get('sessionid') as string;
        expect((await laptop.get(`/revoke?handle=${phoneHandle}`)).body).toBe('true');
        expect(await storage.raw(phoneKey)).toBeNull();
        expect((await phone.get('/me')).body).toBe('anonymous');
        expect((await laptop.get('/me')).body).toBe('grace');
        expect((await laptop.get(`/revoke?handle=${phoneHandle}`)).body).toBe('false');
        expect(app.errors.filter(isSessionError)).toEqual([]);
      });
    });
  }
}
