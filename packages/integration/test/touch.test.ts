import { createSessionManager, type SessionManager } from '@sess/core';
import { createCookieStore } from '@sess/store-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, openEngines, type RawRecord, serveApp } from '../src/index.js';
import {
  sessionCookie,
  TIMING_FRAMEWORKS,
  type Timeline,
  timelineFor,
  withClock,
} from './support/timeline.js';

/**
 * Touch throttling: with `touchInterval`, an unchanged session's expiry is refreshed at most once per
 * interval, by a touch that never rewrites the data (checked byte for byte around the store), and the cookie
 * is re-sent so its Max-Age follows. Django mode refuses the option (django-policy-refused.test.ts).
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'redis', 'memcached']);
afterAll(close);

const INTERVAL = 2;

interface Subject {
  title: string;
  realTime: boolean;
  open(
    timeline: Timeline,
  ): Promise<{ manager: SessionManager; raw?: (key: string) => Promise<RawRecord | null> }>;
}

const subjects: Subject[] = [
  ...engines.map(
    (engine): Subject => ({
      title: engine.title,
      realTime: engine.realTimeExpiry,
      async open(timeline) {
        const storage = await engine.storage({ clock: timeline.clock });
        return {
          manager: createSessionManager(
            withClock(timeline, { store: storage.store, touchInterval: INTERVAL }),
          ),
          raw: storage.raw,
        };
      },
    }),
  ),
  {
    title: 'the sealed cookie engine',
    realTime: false,
    open: async (timeline) => ({
      manager: createSessionManager(
        withClock(timeline, {
          store: createCookieStore({ secretKey: 'integration-touch-secret-0123456789abcdefgh' }),
          touchInterval: INTERVAL,
        }),
      ),
    }),
  },
];

for (const subject of subjects) {
  for (const framework of TIMING_FRAMEWORKS) {
    describe(`${subject.title} through ${framework}`, () => {
      it('touch throttling: an unchanged session is touched at most once per touchInterval, its data never rewritten, its cookie re-sent', async () => {
        const timeline = timelineFor(subject.realTime);
        const { manager, raw } = await subject.open(timeline);
        const app = await serveApp(framework, { manager }, appRoutes);
        const client = app.client();
        await client.get('/set?a=1');
        const savedAt = timeline.now();
        const key = client.cookies.get('sessionid') as string;
        const saved = await raw?.(key);
        await timeline.advance(INTERVAL / 2);
        const early = await client.get('/read');
        expect(early.setCookies).toEqual([]);
        if (raw) expect(await raw(key)).toEqual(saved);
        await timeline.advanceTo(savedAt + INTERVAL * 1000);
        const touched = await client.get('/read');
        expect(JSON.parse(touched.body)).toEqual({ a: '1' });
        expect(sessionCookie(touched)?.attributes.get('max-age')).toBe('1209600');
        if (raw) {
          const after = await raw(key);
          expect(after?.data).toEqual(saved?.data);
          expect(after?.expiresAt).toBeGreaterThan(saved?.expiresAt as number);
          expect(after?.meta?.lastSeenAt).toBeGreaterThan(saved?.meta?.lastSeenAt as number);
          expect(after?.meta?.createdAt).toBe(saved?.meta?.createdAt);
        }
        expect((await client.get('/read')).setCookies).toEqual([]);
        expect(JSON.parse((await client.get('/read')).body)).toEqual({ a: '1' });
        expect(app.errors).toEqual([]);
      });
    });
  }
}
