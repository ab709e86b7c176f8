import { createMemoryStore, SessionConfigError } from '@sess/core';
import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { standardRoutes } from './routes.js';

const BEARER = { request: 'Authorization', response: 'X-Session-Token' };
const CUSTOM = { request: 'X-Session', response: 'X-Session' };

/** The key carried in headers (core's `tokenHeader`) instead of cookies, for API clients. */
export function tokenHeaderTests(context: SuiteContext): void {
  const { serve, adapter, createStorage } = context;
  // The adapter only copies headers: proved over a memory store, whatever the storage under test.
  const memory = () => ({ storage: { store: createMemoryStore() } });

  describe('tokenHeader', () => {
    it('issues the key in the response header and reads it back from Authorization: Bearer', async () => {
      const server = await serve(standardRoutes, { ...memory(), options: { tokenHeader: BEARER } });
      const client = server.client();
      const first = await client.get('/count');
      expect(first.setCookies).toEqual([]);
      const token = first.headers.get('x-session-token');
      expect(token).toMatch(/^[a-z0-9]{32}$/);
      expect(first.headers.get('vary')).toMatch(/\bAuthorization\b/);
      const second = await client.get('/count', { authorization: `Bearer ${token}` });
      expect(second.body).toBe('2');
      expect(second.headers.get('x-session-token')).toBe(token);
      const read = await client.get('/read', { authorization: `bearer  ${token}` });
      expect(JSON.parse(read.body)).toEqual({ num_visits: 2 });
      expect(read.headers.has('x-session-token')).toBe(false);
      expect(read.headers.get('vary')).toMatch(/\bAuthorization\b/);
      expect(read.headers.get('vary') ?? '').not.toMatch(/\bCookie\b/);
    });

    it('ignores the Cookie header and other Authorization schemes', async () => {
      const server = await serve(standardRoutes, { ...memory(), options: { tokenHeader: BEARER } });
      const client = server.client();
      const token = (await client.get('/count')).headers.get('x-session-token') as string;
      expect((await client.get('/count', { cookie: `sessionid=${token}` })).body).toBe('1');
      expect((await client.get('/count', { authorization: `Basic ${token}` })).body).toBe('1');
      expect((await client.get('/count', { authorization: `Bearer ${token}` })).body).toBe('2');
    });

    it('sends an empty token when the session is flushed, and deletes the record', async () => {
      const server = await serve(standardRoutes, { ...memory(), options: { tokenHeader: BEARER } });
      const client = server.client();
      const token = (await client.get('/count')).headers.get('x-session-token') as string;
      const flushed = await client.get('/flush', { authorization: `Bearer ${token}` });
      expect(flushed.headers.get('x-session-token')).toBe('');
      expect(await server.store?.load(token)).toBeNull();
    });

    it('carries the bare key in a custom header', async () => {
      const server = await serve(standardRoutes, { ...memory(), options: { tokenHeader: CUSTOM } });
      const client = server.client();
      const token = (await client.get('/count')).headers.get('x-session') as string;
      expect(token).toMatch(/^[a-z0-9]{32}$/);
      expect((await client.get('/count', { 'x-session': token })).body).toBe('2');
      expect((await client.get('/none', { 'x-session': token })).headers.has('x-session')).toBe(false);
    });

    it('works with the storage under test when it is a server store, and is refused at start otherwise', async () => {
      const instance = await createStorage(createTestClock(Date.now()));
      if (typeof (instance.store as { createBackend?: unknown }).createBackend !== 'function') {
        const server = await serve(standardRoutes, { storage: instance, options: { tokenHeader: BEARER } });
        const client = server.client();
        const token = (await client.get('/count')).headers.get('x-session-token') as string;
        expect((await client.get('/count', { authorization: `Bearer ${token}` })).body).toBe('2');
      } else {
        const started = adapter.start(
          { options: { store: instance.store, tokenHeader: BEARER } },
          standardRoutes,
        );
        await expect(started).rejects.toBeInstanceOf(SessionConfigError);
        await expect(started).rejects.toMatchObject({ option: 'tokenHeader' });
      }
    });
  });
}
