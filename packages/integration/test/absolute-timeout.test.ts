import { createSessionManager, SessionConfigError } from '@sess/core';
import { session as expressSession } from '@sess/express';
import { session as koaSession } from '@sess/koa';
import { createCookieStore } from '@sess/store-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, openEngines, serveApp } from '../src/index.js';
import {
  expectGoneOrExpired,
  sessionCookie,
  TIMING_FRAMEWORKS,
  timelineFor,
  withClock,
} from './support/timeline.js';

/**
 * The absolute timeout: `absoluteTimeout` seconds after creation the session ends, however active; the
 * record's expiry and the cookie's Max-Age are capped by the deadline, so the server enforces it. Stores that
 * keep no metadata (Django mode, the cookie engine) refuse the option at construction.
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'redis', 'memcached', 'django']);
afterAll(close);

const ABSOLUTE = 3;

for (const engine of engines.filter((candidate) => candidate.name !== 'django')) {
  for (const framework of TIMING_FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      it('absolute timeout: an active session ends absoluteTimeout seconds after creation; Max-Age and the stored deadline are capped', async () => {
        const timeline = timelineFor(engine.realTimeExpiry);
        const storage = await engine.storage({ clock: timeline.clock });
        const manager = createSessionManager(
          withClock(timeline, { store: storage.store, absoluteTimeout: ABSOLUTE }),
        );
        const app = await serveApp(framework, { manager }, appRoutes);
        const client = app.client();
        const created = timeline.now();
        const first = await client.get('/set?a=1');
        const createdBy = timeline.now();
        expect(sessionCookie(first)?.attributes.get('max-age')).toBe(String(ABSOLUTE));
        const key = client.cookies.get('sessionid') as string;
        const stored = await storage.raw(key);
        const deadline = stored?.meta?.deadline as number;
        expect(deadline - created).toBeGreaterThanOrEqual(ABSOLUTE * 1000);
        expect(deadline - created).toBeLessThan(ABSOLUTE * 1000 + 1000);
        expect(stored?.expiresAt).toBe(deadline);
        for (const value of ['2', '3']) {
          await timeline.advance(1);
          const write = await client.get(`/set?a=${value}`);
          expect(Number(sessionCookie(write)?.attributes.get('max-age'))).toBeLessThan(ABSOLUTE);
          expect((await storage.raw(key))?.meta?.deadline).toBe(deadline);
        }
        await timeline.advanceTo(createdBy + ABSOLUTE * 1000);
        const replay = app.client();
        replay.cookies.set('sessionid', key);
        const ended = await replay.get('/read');
        expect(JSON.parse(ended.body)).toEqual({});
        expect(sessionCookie(ended)?.attributes.get('max-age')).toBe('0');
        expectGoneOrExpired(await storage.raw(key), timeline.now());
        expect(app.errors).toEqual([]);
      });
    });
  }
}

const django = engines.find((candidate) => candidate.name === 'django');
const refusing: [string, () => Promise<{ store: never }>][] = [
  ['PostgreSQL (Django mode)', async () => ({ store: (await django?.storage())?.store as never })],
  [
    'the sealed cookie engine',
    async () => ({
      store: createCookieStore({ secretKey: 'integration-absolute-0123456789abcdefghij' }) as never,
    }),
  ],
];

for (const [title, storage] of refusing) {
  describe(title, () => {
    it('absolute timeout: refused at construction by both adapters (no session metadata to keep a deadline)', async () => {
      const options = { ...(await storage()), absoluteTimeout: ABSOLUTE };
      for (const build of [
        () => koaSession(options),
        () => expressSession(options),
        () => createSessionManager(options),
      ]) {
        expect(build).toThrow(SessionConfigError);
        expect(build).toThrow(/absoluteTimeout/);
      }
    });
  });
}
