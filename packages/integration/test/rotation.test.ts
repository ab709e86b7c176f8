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
 * Periodic key rotation: once per `rotateInterval` of the session's life the key is replaced (data kept);
 * the previous key keeps working for `rotationGrace` seconds, for requests already in flight, then is gone
 * on the server. The cookie engine has no server-side key and refuses the option. Django mode refuses the option:
 * see BEHAVIOUR.md ("key rotation").
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'redis', 'memcached']);
afterAll(close);

const INTERVAL = 2;
const GRACE = 1;

for (const engine of engines) {
  for (const framework of TIMING_FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      it('key rotation: a new key once per rotateInterval with the data kept; the old key works for rotationGrace, then is gone', async () => {
        const timeline = timelineFor(engine.realTimeExpiry);
        const storage = await engine.storage({ clock: timeline.clock });
        const manager = createSessionManager(
          withClock(timeline, { store: storage.store, rotateInterval: INTERVAL, rotationGrace: GRACE }),
        );
        const app = await serveApp(framework, { manager }, appRoutes);
        const client = app.client();
        await client.get('/set?a=1');
        const createdAt = timeline.now();
        const first = client.cookies.get('sessionid') as string;
        await timeline.advance(INTERVAL / 2);
        expect((await client.get('/read')).setCookies).toEqual([]);
        await timeline.advanceTo(createdAt + INTERVAL * 1000);
        const rotated = await client.get('/read');
        const rotatedAt = timeline.now();
        expect(JSON.parse(rotated.body)).toEqual({ a: '1' });
        const second = sessionCookie(rotated)?.value as string;
        expect(second).toMatch(/^[a-z0-9]{32}$/);
        expect(second).not.toBe(first);
        expect((await storage.raw(second))?.data).toEqual({ a: '1' });
        const inFlight = app.client();
        inFlight.cookies.set('sessionid', first);
        expect(JSON.parse((await inFlight.get('/read')).body)).toEqual({ a: '1' });
        await timeline.advanceTo(rotatedAt + GRACE * 1000);
        const late = app.client();
        late.cookies.set('sessionid', first);
        expect(JSON.parse((await late.get('/read')).body)).toEqual({});
        expectGoneOrExpired(await storage.raw(first), timeline.now());
        expect((await client.get('/set?b=2')).status).toBe(200);
        expect((await storage.raw(second))?.data).toEqual({ a: '1', b: '2' });
        expect(app.errors).toEqual([]);
      });
    });
  }
}

describe('the sealed cookie engine', () => {
  it('key rotation: refused at construction by both adapters (no server-side key to rotate)', () => {
    const options = {
      store: createCookieStore({ secretKey: 'integration-rotation-0123456789abcdefghij' }),
      rotateInterval: INTERVAL,
    };
    for (const build of [
      () => koaSession(options),
      () => expressSession(options),
      () => createSessionManager(options),
    ]) {
      expect(build).toThrow(SessionConfigError);
      expect(build).toThrow(/rotateInterval/);
    }
  });
});
