import { type Clock, createSessionManager, isSessionError, type SessionManager } from '@sess/core';
import { createTestClock } from '@sess/core/testing';
import { createFailingStore } from '@sess/http-test-suite';
import { createCookieStore } from '@sess/store-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, atPath, FRAMEWORKS, openEngines, type RawRecord, serveApp } from '../src/index.js';

/**
 * Per-route policy over each engine: a read-only route (`/ro/…`) reads the session but never writes,
 * touches or sends a cookie, and refuses writes; storage is checked around the store. Fail-open over a real
 * outage is proved in the outage-*.test.ts files for the server engines; for the in-process engines here,
 * over the suite's failing double wrapped around the engine's store.
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'django', 'redis', 'memcached']);
afterAll(close);

const readOnlyPolicy = (path: string) => (path.startsWith('/ro/') ? { readOnly: true } : undefined);
const routes: typeof appRoutes = (request) =>
  appRoutes(request.path.startsWith('/ro/') ? atPath(request, request.path.slice(3)) : request);

/** A manager over fresh storage on `clock`, and the raw reader when there is storage to read. */
type Subject = [
  title: string,
  open: (
    clock: Clock,
  ) => Promise<{ manager: SessionManager; raw?: (key: string) => Promise<RawRecord | null> }>,
];

const subjects: Subject[] = [
  ...engines.map(
    (engine): Subject => [
      engine.title,
      async (clock) => {
        const storage = await engine.storage({ clock });
        // Stores that keep no metadata (Django mode) refuse touchInterval; they are read-only all the same.
        const touch = storage.store.capabilities.metadata === false ? {} : { touchInterval: 60 };
        return {
          manager: createSessionManager({ store: storage.store, clock, ...touch }),
          raw: storage.raw,
        };
      },
    ],
  ),
  [
    'the sealed cookie engine',
    async (clock) => ({
      manager: createSessionManager({
        store: createCookieStore({ secretKey: 'integration-policy-secret-0123456789abcdef' }),
        clock,
        touchInterval: 60,
      }),
    }),
  ],
];

for (const [title, open] of subjects) {
  for (const framework of FRAMEWORKS) {
    describe(`${title} through ${framework}`, () => {
      it('read-only route: reads the session, writes and touches nothing (even past touchInterval), sends no cookie, refuses writes with READ_ONLY', async () => {
        const clock = createTestClock(Date.now());
        const { manager, raw } = await open(clock);
        const app = await serveApp(framework, { manager, policy: readOnlyPolicy }, routes);
        const client = app.client();
        await client.get('/set?a=1');
        const key = client.cookies.get('sessionid') as string;
        const before = await raw?.(key);
        clock.advance(3600);
        const read = await client.get('/ro/read');
        expect(JSON.parse(read.body)).toEqual({ a: '1' });
        expect(read.setCookies).toEqual([]);
        const write = await client.get('/ro/set?a=2');
        expect(write.status).toBe(500);
        expect(write.setCookies).toEqual([]);
        expect(isSessionError(app.errors[0]) && app.errors[0].code).toBe('READ_ONLY');
        const flush = await client.get('/ro/flush');
        expect(flush.status).toBe(500);
        expect(flush.setCookies).toEqual([]);
        if (raw) expect(await raw(key)).toEqual(before);
        expect(JSON.parse((await client.get('/read')).body)).toEqual({ a: '1' });
      });
    });
  }
}

for (const engine of engines.filter(
  (candidate) => candidate.name === 'memory' || candidate.name === 'file',
)) {
  for (const framework of FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      it('fail-open route: when the store cannot load, an empty read-only session and a 200 without cookie; writes fail; the record is kept', async () => {
        const storage = await engine.storage();
        const failing = createFailingStore(storage.store, ['load']);
        failing.failing = false;
        const manager = createSessionManager({ store: failing });
        const app = await serveApp(framework, { manager, policy: () => ({ failOpen: true }) }, appRoutes);
        const client = app.client();
        await client.get('/set?a=1');
        const key = client.cookies.get('sessionid') as string;
        const before = await storage.raw(key);
        failing.failing = true;
        const read = await client.get('/read');
        expect(read.status).toBe(200);
        expect(JSON.parse(read.body)).toEqual({});
        expect(read.setCookies).toEqual([]);
        const write = await client.get('/set?a=2');
        expect(write.status).toBe(500);
        expect(write.setCookies).toEqual([]);
        failing.failing = false;
        expect(JSON.parse((await client.get('/read')).body)).toEqual({ a: '1' });
        expect(await storage.raw(key)).toEqual(before);
      });
    });
  }
}
