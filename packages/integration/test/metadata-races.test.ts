import { afterAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS, NEWEST_FRAMEWORKS, openEngines } from '../src/index.js';
import { keyOf, metaRace, variantsOf } from './support/meta-race.js';
import { expectGoneOrExpired, timelineFor } from './support/timeline.js';

/**
 * Issue 15 §2 and §3 through the adapters: a save by a request that loaded the session before another
 * request changed its metadata keeps that change. Each race is put in order with the gate (a write loaded,
 * then held right before its `update`, while the other request runs to completion), and the owner case is
 * also sent together, without a gate, over many rounds. What storage holds is read around the store.
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'redis', 'memcached']);
afterAll(close);

/** The engines with an owner index (`sessionsOf`, `revokeSessions`), raw and with keys hashed at rest. */
const OWNER_VARIANTS = variantsOf(
  engines.filter((engine) => ['memory', 'db', 'redis'].includes(engine.name)),
  ['memory', 'db', 'redis'],
);
/** Rounds of the ungated owner race (a login and three writes sent together). */
const ROUNDS = 25;

for (const variant of OWNER_VARIANTS) {
  for (const framework of FRAMEWORKS) {
    describe(`${variant.title} through ${framework}: a concurrent save keeps the owner (issue 15 §2)`, () => {
      it('a write that loaded before a login (setOwner, same key) saves after it: the owner stays, sessionsOf lists the session, revokeSessions ends it', async () => {
        const { gated, manager, app, idOf, raw, clientWith } = await metaRace(variant, framework);
        const device = app.client();
        await device.get('/set?base=1');
        const key = keyOf(device);
        const stale = clientWith(key);
        const gate = gated.holdNext('update');
        const held = stale.get('/set?views=1');
        expect(await gate.reached).toBe(idOf(key));
        expect((await device.get('/bind?user=alice')).status).toBe(200);
        expect((await raw(key))?.meta?.owner).toBe('alice');
        gate.release();
        expect((await held).status).toBe(200);
        const stored = await raw(key);
        expect(stored?.data).toEqual({ base: '1', user: 'alice', views: '1' });
        expect(stored?.meta?.owner).toBe('alice');
        expect(await manager.sessionsOf('alice')).toHaveLength(1);
        expect(await manager.revokeSessions('alice')).toBe(1);
        expect(await raw(key)).toBeNull();
        expect((await device.get('/me')).body).toBe('anonymous');
        expect((await stale.get('/me')).body).toBe('anonymous');
        expect(app.errors).toEqual([]);
      });

      it('a login held while three writes that loaded before it save, some before and some after it (every split): the owner stays', async () => {
        const { gated, manager, app, idOf, raw, clientWith } = await metaRace(variant, framework);
        for (let before = 0; before <= 3; before++) {
          const user = `user${before}`;
          const device = app.client();
          await device.get('/set?base=1');
          const key = keyOf(device);
          const writers = [];
          for (let i = 0; i < 3; i++) {
            const gate = gated.holdNext('update');
            const response = clientWith(key).get(`/set?w${i}=${before}`);
            expect(await gate.reached).toBe(idOf(key));
            writers.push({ gate, response });
          }
          const loginGate = gated.holdNext('update');
          const login = device.get(`/bind?user=${user}`);
          expect(await loginGate.reached).toBe(idOf(key));
          for (const writer of writers.slice(0, before)) {
            writer.gate.release();
            expect((await writer.response).status).toBe(200);
          }
          loginGate.release();
          expect((await login).status).toBe(200);
          for (const writer of writers.slice(before)) {
            writer.gate.release();
            expect((await writer.response).status).toBe(200);
          }
          const value = String(before);
          const stored = await raw(key);
          expect(stored?.data).toEqual({ base: '1', user, w0: value, w1: value, w2: value });
          expect(stored?.meta?.owner, `${before} writes before the login`).toBe(user);
          expect(await manager.sessionsOf(user), `${before} writes before the login`).toHaveLength(1);
        }
        expect(app.errors).toEqual([]);
      });

      it(`a login sent together with three ordinary writes, ${ROUNDS} rounds: the owner is never lost`, async () => {
        const { manager, app, raw, clientWith } = await metaRace(variant, framework);
        const lost: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const user = `round${round}`;
          const device = app.client();
          await device.get('/set?base=1');
          const key = keyOf(device);
          const responses = await Promise.all([
            device.get(`/bind?user=${user}`),
            ...[0, 1, 2].map((i) => clientWith(key).get(`/set?w${i}=${round}`)),
          ]);
          expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
          const stored = await raw(key);
          expect(stored?.data).toMatchObject({ user, w0: `${round}`, w1: `${round}`, w2: `${round}` });
          const listed = await manager.sessionsOf(user);
          if (stored?.meta?.owner !== user || listed.length !== 1) lost.push(round);
        }
        expect(lost, 'rounds whose session lost its owner').toEqual([]);
        expect(app.errors).toEqual([]);
      });
    });
  }
}

/** The engines whose records keep a lifetime, where §3 applies. */
const EXPIRY_VARIANTS = variantsOf(
  engines.filter((engine) => ['file', 'db', 'redis', 'memcached', 'memory'].includes(engine.name)),
);

for (const variant of EXPIRY_VARIANTS) {
  const { engine } = variant;
  // Engines that expire by their own clock (Redis, memcached) get a short real lifetime; the others a test clock.
  const lifetime = engine.realTimeExpiry ? 2 : 60;
  const later = engine.realTimeExpiry ? lifetime + 1 : 3600;
  for (const framework of NEWEST_FRAMEWORKS) {
    describe(`${variant.title} through ${framework}: a concurrent save keeps setExpiry() (issue 15 §3)`, () => {
      it(`a write that loaded before setExpiry(${lifetime}) saves after it: the record keeps the ${lifetime}-second lifetime, and ${later} seconds later the cookie opens nothing`, async () => {
        const timeline = timelineFor(engine.realTimeExpiry);
        const { gated, app, idOf, raw, clientWith } = await metaRace(variant, framework, {
          clock: timeline.clock,
        });
        const device = app.client();
        await device.get('/set?base=1');
        const key = keyOf(device);
        const stale = clientWith(key);
        const gate = gated.holdNext('update');
        const held = stale.get('/set?views=1');
        expect(await gate.reached).toBe(idOf(key));
        expect((await device.get(`/expiry?seconds=${lifetime}`)).status).toBe(200);
        gate.release();
        expect((await held).status).toBe(200);
        const written = timeline.now();
        const stored = await raw(key);
        expect(stored?.data).toMatchObject({ base: '1', views: '1', num_visits: 1 });
        expect(stored?.meta?.lifetime).toBe(lifetime);
        if (engine.realTimeExpiry) expect(stored?.expiresAt).toBeLessThanOrEqual(written + lifetime * 1000);
        else expect(stored?.expiresAt).toBe(written + lifetime * 1000);
        await timeline.advance(later);
        const replay = clientWith(key);
        expect(JSON.parse((await replay.get('/read')).body)).toEqual({});
        expectGoneOrExpired(await raw(key), timeline.now());
        expect(app.errors).toEqual([]);
      });
    });
  }
}
