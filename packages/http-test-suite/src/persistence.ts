import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { standardRoutes } from './routes.js';

/** Data survives across requests; lazy loading does no I/O; eager loading loads before the handler. */
export function persistenceTests(context: SuiteContext): void {
  const { serve } = context;

  describe('persistence and lazy loading', () => {
    it('keeps data across requests (the LocalLibrary counter)', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      expect((await client.get('/count')).body).toBe('1');
      expect((await client.get('/count')).body).toBe('2');
      expect((await client.get('/count')).body).toBe('3');
      expect(JSON.parse((await client.get('/read')).body)).toEqual({ num_visits: 3 });
    });

    it('keeps two clients apart', async () => {
      const server = await serve(standardRoutes);
      const alice = server.client();
      const bob = server.client();
      await alice.get('/count');
      await alice.get('/count');
      expect((await bob.get('/count')).body).toBe('1');
      expect((await alice.get('/count')).body).toBe('3');
    });

    it('does no store I/O and sends no cookie or Vary on a route that never asks, even with a session cookie', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      await client.get('/count');
      server.counter.reset();
      const response = await client.get('/none');
      expect(response.status).toBe(200);
      expect(response.body).toBe('no session here');
      expect(server.counter.total()).toBe(0);
      expect(response.setCookies).toEqual([]);
      expect(response.headers.get('vary') ?? '').not.toMatch(/cookie/i);
    });

    it('does no store I/O for a new visitor that only reads, and sends no cookie', async () => {
      const server = await serve(standardRoutes);
      const response = await server.client().get('/read');
      expect(JSON.parse(response.body)).toEqual({});
      expect(response.setCookies).toEqual([]);
      expect(server.io()).toBe(0);
    });

    it('loads once for a read, and writes nothing', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      await client.get('/count');
      server.counter.reset();
      expect(JSON.parse((await client.get('/read')).body)).toEqual({ num_visits: 1 });
      expect(server.counter.total()).toBe(1);
      expect(server.loads()).toBe(1);
    });

    it('shares one load between concurrent getSession() calls', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      await client.get('/count');
      server.counter.reset();
      expect((await client.get('/twice')).body).toBe('true');
      expect(server.loads()).toBe(1);
    });

    it('throws SessionNotLoaded from the synchronous session property until the session is asked for, naming getSession() and eager', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      await client.get('/count');
      server.counter.reset();
      const body = (await client.get('/sync')).body;
      expect(body).toMatch(/^not loaded: NOT_LOADED /);
      expect(body).toContain('getSession()');
      expect(body).toContain('eager');
      expect(server.counter.total()).toBe(0);
    });

    it('with eager, loads before the handler: the synchronous property holds the data', async () => {
      const server = await serve(standardRoutes, { options: { eager: true } });
      const client = server.client();
      await client.get('/count');
      server.counter.reset();
      const response = await client.get('/sync');
      expect(JSON.parse(response.body)).toEqual({ num_visits: 1 });
      expect(server.loads()).toBe(1);
      expect(server.counter.total()).toBe(1);
      expect(response.setCookies).toEqual([]);
    });

    it('with eager, a visitor without a cookie costs no store I/O', async () => {
      const server = await serve(standardRoutes, { options: { eager: true } });
      const response = await server.client().get('/none');
      expect(response.setCookies).toEqual([]);
      expect(server.io()).toBe(0);
    });
  });
}
