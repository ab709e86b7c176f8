import { isSessionError } from '@sess/core';
import { isDeletion } from '@sess/http-test-suite';
import { afterAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS, openEngines } from '../src/index.js';
import { raceSetup } from './support/race.js';

/**
 * Races provoked deterministically: request A loads the session and decides to write; the gate holds its
 * `update` before it reaches storage while request B (a write, a flush, a cycleKey) runs to completion;
 * then A's write goes through. What storage ends up holding is read around the store (SQL, HGETALL, a
 * second memcached client, the file itself, the memory store's peek).
 */
const { engines, close } = await openEngines([
  'memory',
  'file',
  'db',
  'django',
  'redis',
  'redis-cluster',
  'memcached',
]);
afterAll(close);

for (const engine of engines) {
  for (const framework of FRAMEWORKS) {
    describe(`${engine.title} through ${framework}`, () => {
      if (engine.name === 'django') {
        it('Django mode, last writer wins: a write held while another request changed another key replaces the record whole', async () => {
          const { storage, gated, app, slow, fast, key } = await raceSetup(engine, framework);
          const gate = gated.holdNext('update');
          const held = slow.get('/set?a=1');
          expect(await gate.reached).toBe(key);
          expect((await fast.get('/set?b=2')).status).toBe(200);
          expect((await storage.raw(key))?.data).toEqual({ base: '1', b: '2' });
          gate.release();
          expect((await held).status).toBe(200);
          // Whole-record writes (capabilities.delta false): B's key is lost, as in Django itself.
          expect((await storage.raw(key))?.data).toEqual({ base: '1', a: '1' });
          expect(app.errors).toEqual([]);
        });
      } else {
        it('delta: two requests that change different keys of one session both survive', async () => {
          const { storage, gated, app, slow, fast, key } = await raceSetup(engine, framework);
          const gate = gated.holdNext('update');
          const held = slow.get('/set?a=1');
          expect(await gate.reached).toBe(key);
          expect((await fast.get('/set?b=2')).status).toBe(200);
          expect((await storage.raw(key))?.data).toEqual({ base: '1', b: '2' });
          gate.release();
          expect((await held).status).toBe(200);
          expect((await storage.raw(key))?.data).toEqual({ base: '1', a: '1', b: '2' });
          expect(app.errors).toEqual([]);
          expect(JSON.parse((await fast.get('/read')).body)).toEqual({ base: '1', a: '1', b: '2' });
        });
      }

      it('no resurrection: a write that commits after a flush elsewhere answers 400 (SessionInterrupted) and the record stays gone', async () => {
        const { storage, gated, app, slow, fast, key } = await raceSetup(engine, framework);
        const gate = gated.holdNext('update');
        const held = slow.get('/set?a=1');
        expect(await gate.reached).toBe(key);
        const flushed = await fast.get('/flush');
        expect(flushed.status).toBe(200);
        expect(flushed.setCookies.some(isDeletion)).toBe(true);
        expect(await storage.raw(key)).toBeNull();
        gate.release();
        const response = await held;
        expect(response.status).toBe(400);
        expect(response.setCookies).toEqual([]);
        expect(app.errors).toHaveLength(1);
        expect(isSessionError(app.errors[0]) && app.errors[0].code).toBe('SESSION_INTERRUPTED');
        expect(await storage.raw(key)).toBeNull();
        expect(JSON.parse((await slow.get('/read')).body)).toEqual({});
        expect(await storage.raw(key)).toBeNull();
      });

      it('no resurrection: a write that commits after a cycleKey elsewhere answers 400 (SessionInterrupted); the old record stays gone, the new one is untouched', async () => {
        const { storage, gated, app, slow, fast, key } = await raceSetup(engine, framework);
        const gate = gated.holdNext('update');
        const held = slow.get('/set?a=1');
        expect(await gate.reached).toBe(key);
        expect((await fast.get('/cycle')).status).toBe(200);
        const cycled = fast.cookies.get('sessionid') as string;
        expect(cycled).not.toBe(key);
        expect(await storage.raw(key)).toBeNull();
        gate.release();
        const response = await held;
        expect(response.status).toBe(400);
        expect(response.setCookies).toEqual([]);
        expect(app.errors).toHaveLength(1);
        expect(isSessionError(app.errors[0]) && app.errors[0].code).toBe('SESSION_INTERRUPTED');
        expect(await storage.raw(key)).toBeNull();
        expect((await storage.raw(cycled))?.data).toEqual({ base: '1' });
      });
    });
  }
}
