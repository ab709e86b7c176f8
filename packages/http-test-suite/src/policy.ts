import { createMemoryStore } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { createFailingStore } from './failing-store.js';
import { standardRoutes } from './routes.js';

/** The adapter's per-route `policy`: read-only routes never write; fail-open routes survive an outage. */
export function policyTests(context: SuiteContext): void {
  const { serve } = context;

  describe('route policy', () => {
    /** Two servers over one store: a normal one and one with `readOnly`. */
    async function readOnlyPair(extra: { touchInterval?: number } = {}) {
      const store: SessionStore = createMemoryStore();
      const normal = await serve(standardRoutes, { storage: { store }, options: extra });
      const readOnly = await serve(standardRoutes, {
        storage: { store },
        options: { ...extra, policy: { readOnly: true } },
      });
      const writer = normal.client();
      await writer.get('/count');
      const reader = readOnly.client();
      reader.cookies.set('sessionid', writer.cookies.get('sessionid') as string);
      return { normal, readOnly, writer, reader };
    }

    it('readOnly: reads the session, writes nothing and sends no cookie', async () => {
      const { readOnly, reader } = await readOnlyPair();
      const response = await reader.get('/read');
      expect(JSON.parse(response.body)).toEqual({ num_visits: 1 });
      expect(response.setCookies).toEqual([]);
      expect(readOnly.writes()).toBe(0);
    });

    it('readOnly: a write fails the request (READ_ONLY) and changes nothing', async () => {
      const { readOnly, reader, writer } = await readOnlyPair();
      const response = await reader.get('/count');
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.setCookies).toEqual([]);
      expect(readOnly.writes()).toBe(0);
      expect(JSON.parse((await writer.get('/read')).body)).toEqual({ num_visits: 1 });
    });

    it('readOnly: no touch either, however long since the last one', async () => {
      const { readOnly, reader } = await readOnlyPair({ touchInterval: 60 });
      readOnly.clock.advance(3600);
      const response = await reader.get('/read');
      expect(response.setCookies).toEqual([]);
      expect(readOnly.writes()).toBe(0);
    });

    it('failOpen: a store that cannot load gives an empty session and a normal response, without a cookie', async () => {
      const failing = createFailingStore(createMemoryStore(), ['load']);
      failing.failing = false;
      const server = await serve(standardRoutes, {
        storage: { store: failing },
        options: { policy: { failOpen: true } },
      });
      const client = server.client();
      await client.get('/count');
      failing.failing = true;
      const response = await client.get('/read');
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({});
      expect(response.setCookies).toEqual([]);
      // The handler can tell: session.degraded, through every adapter.
      expect((await client.get('/degraded')).body).toBe('true');
      const write = await client.get('/count');
      expect(write.status).toBeGreaterThanOrEqual(500);
      expect(write.setCookies).toEqual([]);
      failing.failing = false;
      expect(JSON.parse((await client.get('/read')).body)).toEqual({ num_visits: 1 });
      expect((await client.get('/degraded')).body).toBe('false');
    });
  });
}
