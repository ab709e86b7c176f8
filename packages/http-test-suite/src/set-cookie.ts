import { createMemoryStore } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { Client } from './client.js';
import type { SuiteContext } from './context.js';
import { standardRoutes } from './routes.js';

/**
 * `Set-Cookie` goes out only when something changed. The exceptions: save-every-request, a touch after
 * `touchInterval`, and a re-seal with a newer secret (when the storage has `reseal`).
 */
export function setCookieTests(context: SuiteContext): void {
  const { serve, storage } = context;

  describe('when Set-Cookie is sent', () => {
    it('sends no Set-Cookie when a loaded session did not change, but still Vary: Cookie', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      expect((await client.get('/count')).setCookies).toHaveLength(1);
      const read = await client.get('/read');
      expect(JSON.parse(read.body)).toEqual({ num_visits: 1 });
      expect(read.setCookies).toEqual([]);
      expect(read.headers.get('vary')).toMatch(/\bCookie\b/);
      expect(server.writes()).toBe(1);
    });

    it('re-sends the cookie when the data changes', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      const first = (await client.get('/count')).setCookies[0];
      const second = (await client.get('/count')).setCookies[0];
      expect(second?.name).toBe('sessionid');
      if (server.store) expect(second?.value).toBe(first?.value);
    });

    it('with saveEveryRequest, saves and re-sends the cookie on a read, and on a route that never asks', async () => {
      const server = await serve(standardRoutes, { options: { saveEveryRequest: true } });
      const client = server.client();
      await client.get('/count');
      server.counter.reset();
      const read = await client.get('/read');
      expect(read.setCookies).toHaveLength(1);
      expect(server.writes()).toBe(1);
      const none = await client.get('/none');
      expect(none.setCookies).toHaveLength(1);
      expect(server.writes()).toBe(2);
      expect(JSON.parse((await client.get('/read')).body)).toEqual({ num_visits: 1 });
    });

    it('with saveEveryRequest, still creates nothing for a visitor without a session', async () => {
      const server = await serve(standardRoutes, { options: { saveEveryRequest: true } });
      const response = await server.client().get('/none');
      expect(response.setCookies).toEqual([]);
      expect(server.writes()).toBe(0);
    });

    it('with touchInterval, re-sends the cookie of an unchanged session once the interval passed, by a touch', async () => {
      const server = await serve(standardRoutes, { options: { touchInterval: 60 } });
      const client = server.client();
      await client.get('/count');
      server.counter.reset();
      server.clock.advance(30);
      expect((await client.get('/read')).setCookies).toEqual([]);
      expect(server.writes()).toBe(0);
      server.clock.advance(31);
      const touched = await client.get('/read');
      expect(JSON.parse(touched.body)).toEqual({ num_visits: 1 });
      expect(touched.setCookies).toHaveLength(1);
      const cookie = touched.setCookies[0];
      expect(cookie?.attributes.get('max-age')).toBe('1209600');
      expect(cookie?.attributes.get('expires')).toBe(
        new Date(server.clock.now() + 1_209_600_000).toUTCString(),
      );
      expect(server.counter.count('touch')).toBe(1);
      expect(server.writes()).toBe(1);
      expect((await client.get('/read')).setCookies).toEqual([]);
      expect(server.writes()).toBe(1);
    });

    it('with rotateInterval, gives an unchanged session a new key once the interval passed; the old key works for rotationGrace', async () => {
      // Periodic rotation is for server stores: proved over a memory store whatever the storage under test.
      const server = await serve(standardRoutes, {
        storage: { store: createMemoryStore({ clock: { now: () => Date.now() } }) },
        options: { rotateInterval: 60, rotationGrace: 30 },
      });
      const client = server.client();
      await client.get('/count');
      const first = client.cookies.get('sessionid') as string;
      server.clock.advance(61);
      const rotated = await client.get('/read');
      expect(JSON.parse(rotated.body)).toEqual({ num_visits: 1 });
      const second = rotated.setCookies.find((cookie) => cookie.name === 'sessionid')?.value;
      expect(second).toMatch(/^[a-z0-9]{32}$/);
      expect(second).not.toBe(first);
      expect((await client.get('/read')).setCookies).toEqual([]);
      const inFlight = server.client();
      inFlight.cookies.set('sessionid', first);
      expect(JSON.parse((await inFlight.get('/read')).body)).toEqual({ num_visits: 1 });
      expect((await client.get('/count')).body).toBe('2');
    });

    const { reseal } = storage;
    if (reseal) {
      it('re-seals a cookie made with an older secret once, on a read-only request', async () => {
        const { old, current } = await reseal({ clock: { now: () => Date.now() } });
        const before = await serve(standardRoutes, { storage: old });
        const oldClient = before.client();
        await oldClient.get('/count');
        const oldValue = oldClient.cookies.get('sessionid') as string;
        const after = await serve(standardRoutes, { storage: current });
        const client = new Client(after.url);
        client.cookies.set('sessionid', oldValue);
        const read = await client.get('/read');
        expect(JSON.parse(read.body)).toEqual({ num_visits: 1 });
        expect(read.setCookies).toHaveLength(1);
        expect(read.setCookies[0]?.value).not.toBe(oldValue);
        const again = await client.get('/read');
        expect(JSON.parse(again.body)).toEqual({ num_visits: 1 });
        expect(again.setCookies).toEqual([]);
      });
    }
  });
}
