import { createMemoryStore } from '@sess/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { createFailingStore, type StoreOperation } from './failing-store.js';
import { standardRoutes } from './routes.js';

/** 5xx responses do not save; a store outage is an error response without a cookie, never an empty session. */
export function failureTests(context: SuiteContext): void {
  const { serve } = context;

  describe('error responses and store outages', () => {
    it.each([500, 503])('does not save on a %i response, and sends no cookie', async (code) => {
      const server = await serve(standardRoutes);
      const response = await server.client().get(`/status?code=${code}`);
      expect(response.status).toBe(code);
      expect(response.setCookies).toEqual([]);
      expect(server.writes()).toBe(0);
    });

    it('keeps the stored data unchanged on a 5xx response', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      await client.get('/set?num_visits=7');
      expect((await client.get('/status?code=500')).setCookies).toEqual([]);
      expect(JSON.parse((await client.get('/read')).body)).toEqual({ num_visits: '7' });
    });

    it('saves on a 4xx response, as Django does', async () => {
      const server = await serve(standardRoutes);
      const response = await server.client().get('/status?code=404');
      expect(response.status).toBe(404);
      expect(response.setCookies).toHaveLength(1);
    });

    /** A server over a memory store whose `operations` fail once `failing` is switched on. */
    async function outage(operations: StoreOperation[], mode: 'throw' | 'hang' = 'throw') {
      const failing = createFailingStore(createMemoryStore(), operations, mode);
      failing.failing = false;
      const server = await serve(standardRoutes, {
        storage: { store: failing },
        ...(mode === 'hang' ? { options: { storeTimeoutMs: 50 } } : {}),
      });
      return { server, failing, client: server.client() };
    }

    it('answers an error, not an empty session, when the store cannot load', async () => {
      const { client, failing } = await outage(['load']);
      await client.get('/count');
      failing.failing = true;
      const response = await client.get('/read');
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.body).not.toBe('{}');
      expect(response.setCookies).toEqual([]);
      failing.failing = false;
      expect(JSON.parse((await client.get('/read')).body)).toEqual({ num_visits: 1 });
    });

    it('answers an error without a cookie when the store cannot create the session', async () => {
      const { client, failing } = await outage(['create']);
      failing.failing = true;
      const response = await client.get('/count');
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.body).not.toBe('1');
      expect(response.setCookies).toEqual([]);
      expect(client.cookies.size).toBe(0);
    });

    it('answers an error without a cookie when the store cannot update, and keeps the stored data', async () => {
      const { client, failing } = await outage(['update']);
      await client.get('/count');
      failing.failing = true;
      const response = await client.get('/count');
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.body).not.toBe('2');
      expect(response.setCookies).toEqual([]);
      failing.failing = false;
      expect(JSON.parse((await client.get('/read')).body)).toEqual({ num_visits: 1 });
    });

    it('answers an error when the store cannot delete at flush()', async () => {
      const { client, failing } = await outage(['destroy']);
      await client.get('/count');
      failing.failing = true;
      const response = await client.get('/flush');
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.setCookies).toEqual([]);
    });

    it('answers an error when the store does not answer within storeTimeoutMs', async () => {
      const { client, failing } = await outage(['load'], 'hang');
      await client.get('/count');
      failing.failing = true;
      const response = await client.get('/read');
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.setCookies).toEqual([]);
    });
  });
}
