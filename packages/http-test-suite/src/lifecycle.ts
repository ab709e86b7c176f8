import { createMemoryStore } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { isDeletion } from './adoption.js';
import type { SuiteContext } from './context.js';
import { standardRoutes } from './routes.js';
import type { SuiteHandler } from './types.js';

/** flush() clears cookie and record; cycleKey() moves the data to a new key; a vanished record is a 400. */
export function lifecycleTests(context: SuiteContext): void {
  const { serve } = context;

  describe('flush and cycleKey', () => {
    it('flush() deletes the record and the cookie', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      await client.get('/count');
      const old = client.cookies.get('sessionid') as string;
      const flushed = await client.get('/flush');
      expect(JSON.parse(flushed.body)).toEqual({});
      expect(flushed.setCookies.every(isDeletion)).toBe(true);
      const deletion = flushed.setCookies.find((cookie) => cookie.name === 'sessionid');
      expect(deletion && isDeletion(deletion)).toBe(true);
      expect(deletion?.attributes.get('path')).toBe('/');
      expect(deletion?.attributes.get('expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
      expect(client.cookies.has('sessionid')).toBe(false);
      // A server store forgets the session; a cookie session cannot be revoked, only its cookie deleted.
      if (server.store) {
        expect(await server.store.load(old)).toBeNull();
        const replay = server.client();
        replay.cookies.set('sessionid', old);
        expect(JSON.parse((await replay.get('/read')).body)).toEqual({});
      }
    });

    it('flush() on a visitor without a session sends no cookie and writes nothing', async () => {
      const server = await serve(standardRoutes);
      const response = await server.client().get('/flush');
      expect(response.setCookies).toEqual([]);
      expect(server.writes()).toBe(0);
    });

    it('cycleKey() issues a new key, keeps the data and deletes the old record', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      await client.get('/count');
      await client.get('/count');
      const old = client.cookies.get('sessionid') as string;
      const cycled = await client.get('/cycle');
      expect(JSON.parse(cycled.body)).toEqual({ num_visits: 2 });
      const issued = cycled.setCookies.find((cookie) => cookie.name === 'sessionid');
      expect(issued?.value).toBeTruthy();
      expect(issued?.value).not.toBe(old);
      expect((await client.get('/count')).body).toBe('3');
      if (server.store) {
        expect(await server.store.load(old)).toBeNull();
        expect((await server.store.load(issued?.value as string))?.data).toEqual({ num_visits: 3 });
        const replay = server.client();
        replay.cookies.set('sessionid', old);
        expect(JSON.parse((await replay.get('/read')).body)).toEqual({});
      }
    });

    it('answers 400 without a cookie when the record vanished during the request (logged out elsewhere)', async () => {
      let store: { destroy(id: string): Promise<unknown> } | undefined;
      const vanish: SuiteHandler = async (request) => {
        if (request.path !== '/vanish') return standardRoutes(request);
        const session = await request.getSession();
        await store?.destroy(session.key as string);
        session.set('num_visits', 99);
        return { body: 'written' };
      };
      // The adapter's handling of SessionInterrupted, over a store (a cookie session cannot vanish).
      const server = await serve(vanish, { storage: { store: createMemoryStore() } });
      if (!server.store) throw new Error('unreachable: served over a store');
      store = server.store;
      const client = server.client();
      await client.get('/count');
      const old = client.cookies.get('sessionid') as string;
      const response = await client.get('/vanish');
      expect(response.status).toBe(400);
      expect(response.body).not.toBe('written');
      expect(response.setCookies).toEqual([]);
      expect(await server.store.load(old)).toBeNull();
    });
  });
}
