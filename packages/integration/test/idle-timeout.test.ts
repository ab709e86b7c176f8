import { createSessionManager, type SessionManager } from '@sess/core';
import { createCookieStore } from '@sess/store-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, openEngines, type RawRecord, serveApp } from '../src/index.js';
import {
  expectGoneOrExpired,
  sessionCookie,
  TIMING_FRAMEWORKS,
  type Timeline,
  timelineFor,
  withClock,
} from './support/timeline.js';

/**
 * The idle timeout (Django's expiry, `cookieAge` seconds after the last save), enforced by the server, not
 * only by the cookie's Max-Age: a client that replays the cookie after it expired gets no session. A read
 * does not extend it (Django's rule); a write does. The test clock where the engine takes one, real time
 * (two-second sessions) for Redis and memcached.
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'django', 'redis', 'memcached']);
afterAll(close);

const COOKIE_AGE = 3;
const SECRET = 'integration-idle-secret-0123456789abcdefghij';

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
        const manager = createSessionManager(
          withClock(timeline, { store: storage.store, cookieAge: COOKIE_AGE }),
        );
        return { manager, raw: storage.raw };
      },
    }),
  ),
  {
    title: 'the sealed cookie engine',
    realTime: false,
    open: async (timeline) => ({
      manager: createSessionManager(
        withClock(timeline, { store: createCookieStore({ secretKey: SECRET }), cookieAge: COOKIE_AGE }),
      ),
    }),
  },
];

for (const subject of subjects) {
  for (const framework of TIMING_FRAMEWORKS) {
    describe(`${subject.title} through ${framework}`, () => {
      it('idle timeout: a session not saved for cookieAge seconds is gone on the server, even when its cookie is replayed', async () => {
        const timeline = timelineFor(subject.realTime);
        const { manager, raw } = await subject.open(timeline);
        const app = await serveApp(framework, { manager }, appRoutes);
        const client = app.client();
        const created = await client.get('/set?a=1');
        expect(sessionCookie(created)?.attributes.get('max-age')).toBe(String(COOKIE_AGE));
        await timeline.advance(1.5);
        expect(JSON.parse((await client.get('/read')).body)).toEqual({ a: '1' });
        expect((await client.get('/set?b=2')).status).toBe(200);
        const saved = timeline.now();
        const cookie = client.cookies.get('sessionid') as string;
        // Past the first save's expiry: alive only because the second save moved it.
        await timeline.advance(2);
        expect(JSON.parse((await client.get('/read')).body)).toEqual({ a: '1', b: '2' });
        await timeline.advanceTo(saved + COOKIE_AGE * 1000);
        const replay = app.client();
        replay.cookies.set('sessionid', cookie);
        const expired = await replay.get('/read');
        expect(JSON.parse(expired.body)).toEqual({});
        expect(sessionCookie(expired)?.attributes.get('max-age')).toBe('0');
        if (raw) expectGoneOrExpired(await raw(cookie), timeline.now());
        expect(app.errors).toEqual([]);
      });
    });
  }
}
