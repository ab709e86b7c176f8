import { isSessionError } from '@sess/core';
import { isDeletion } from '@sess/http-test-suite';
import { afterAll, describe, expect, it } from 'vitest';
import { type GatedOperation, NEWEST_FRAMEWORKS, openEngines } from '../src/index.js';
import { keyOf, type MetaRace, metaRace, variantsOf } from './support/meta-race.js';
import { expectGoneOrExpired, sessionCookie, timelineFor } from './support/timeline.js';

/**
 * Issue 15 §4 through the adapters: a logout ends the whole rotation family of a session with
 * `rotateInterval`, under the new key or the old, and a periodic rotation racing a logout leaves no live
 * copy of the logged-out session, whichever step of the rotation the logout lands before (the gate holds
 * the rotation at the old record's marking, the successor's create, or the final check of the old record).
 * Engines that expire by their own clock run on real time with a two-second interval.
 */
const { engines, close } = await openEngines(['memory', 'file', 'db', 'redis', 'memcached']);
afterAll(close);

/** The store call a rotation is held at, and which call of it (a rotating request first loads its session). */
const STEPS: { step: string; operation: GatedOperation; skip: number; on: 'old' | 'successor' }[] = [
  { step: "the old record's marking (touch)", operation: 'touch', skip: 0, on: 'old' },
  { step: "the successor's create", operation: 'create', skip: 0, on: 'successor' },
  { step: 'the final check of the old record (load)', operation: 'load', skip: 1, on: 'old' },
];

for (const variant of variantsOf(engines)) {
  const { engine } = variant;
  // Real time: two seconds, so a test's requests after the rotation stay well inside the next interval.
  const interval = engine.realTimeExpiry ? 2 : 60;
  const grace = engine.realTimeExpiry ? 30 : 300;

  /** An app with rotation on, a client logged in as alice, and time moved to where a rotation is due. */
  async function rotationDue(framework: (typeof NEWEST_FRAMEWORKS)[number]) {
    const timeline = timelineFor(engine.realTimeExpiry);
    const race = await metaRace(variant, framework, {
      clock: timeline.clock,
      rotateInterval: interval,
      rotationGrace: grace,
    });
    const browser = race.app.client();
    await browser.get('/login?user=alice');
    const loggedIn = timeline.now();
    const oldKey = keyOf(browser);
    await timeline.advanceTo(loggedIn + interval * 1000);
    return { ...race, timeline, browser, oldKey };
  }

  /** No record of the race is left alive, and no owner index lists one. */
  async function expectNoLiveCopy(race: MetaRace, now: number): Promise<void> {
    const ids = new Set(race.gated.calls.map((call) => call.id));
    for (const id of ids) expectGoneOrExpired(await race.storage.raw(id), now);
    if (race.storage.store.capabilities.ownerIndex)
      expect(await race.manager.sessionsOf('alice')).toEqual([]);
  }

  for (const framework of NEWEST_FRAMEWORKS) {
    describe(`${variant.title} through ${framework}: rotation and logout (issue 15 §4)`, () => {
      it('logging out under the new key ends the old key too, within its grace', async () => {
        const race = await rotationDue(framework);
        const { app, browser, oldKey, timeline } = race;
        const rotated = await browser.get('/me');
        expect(rotated.body).toBe('alice');
        const newKey = sessionCookie(rotated)?.value as string;
        expect(newKey).toMatch(/^[a-z0-9]{32}$/);
        expect(newKey).not.toBe(oldKey);
        const inFlight = race.clientWith(oldKey);
        expect((await inFlight.get('/me')).body).toBe('alice');

        const logout = await browser.get('/flush');
        expect(logout.setCookies.some(isDeletion)).toBe(true);
        expect((await race.clientWith(oldKey).get('/me')).body).toBe('anonymous');
        expect((await race.clientWith(newKey).get('/me')).body).toBe('anonymous');
        expect(await race.raw(newKey)).toBeNull();
        expectGoneOrExpired(await race.raw(oldKey), timeline.now());
        await expectNoLiveCopy(race, timeline.now());
        expect(app.errors).toEqual([]);
      });

      it('logging out under the old key within its grace ends the new key too', async () => {
        const race = await rotationDue(framework);
        const { app, browser, oldKey, timeline } = race;
        const newKey = sessionCookie(await browser.get('/me'))?.value as string;
        expect(newKey).not.toBe(oldKey);
        const oldTab = race.clientWith(oldKey);
        const logout = await oldTab.get('/flush');
        expect(logout.setCookies.some(isDeletion)).toBe(true);
        expect((await browser.get('/me')).body).toBe('anonymous');
        expect(await race.raw(newKey)).toBeNull();
        expectGoneOrExpired(await race.raw(oldKey), timeline.now());
        await expectNoLiveCopy(race, timeline.now());
        expect(app.errors).toEqual([]);
      });

      for (const { step, operation, skip, on } of STEPS) {
        it(`a rotation racing a logout that lands before ${step} leaves no live copy, and sessionsOf lists none`, async () => {
          const race = await rotationDue(framework);
          const { app, gated, browser, oldKey, timeline, idOf } = race;
          const gate = gated.holdNext(operation, { skip });
          const rotating = browser.get('/me');
          // A rotation written another way may never make this call: then the logout simply comes after it.
          const heldId = await Promise.race([gate.reached, rotating.then(() => null)]);
          if (heldId === null) gate.release();
          else if (on === 'old') expect(heldId).toBe(idOf(oldKey));
          else expect(heldId).not.toBe(idOf(oldKey));
          const logout = await race.clientWith(oldKey).get('/flush');
          expect(logout.status).toBe(200);
          expect(logout.setCookies.some(isDeletion)).toBe(true);
          gate.release();
          const response = await rotating;
          if (response.status === 200) {
            // A rotation that completed: whatever key it sent opens nothing.
            const issued = sessionCookie(response)?.value;
            if (issued) expect(await race.raw(issued)).toBeNull();
          } else {
            expect(response.status).toBe(400);
            expect(app.errors.map((error) => isSessionError(error) && error.code)).toEqual([
              'SESSION_INTERRUPTED',
            ]);
          }
          expect((await browser.get('/me')).body).toBe('anonymous');
          expect(await race.storage.raw(idOf(oldKey))).toBeNull();
          await expectNoLiveCopy(race, timeline.now());
        });
      }
    });
  }
}
