import { createSessionManager } from '@sess/core';
import { hashSessionKey } from '@sess/core/store';
import { cookieHeaderFor } from '@sess/core/testing';
import { isDeletion } from '@sess/http-test-suite';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoutes, FRAMEWORKS, gateStore, openEngines, serveApp } from '../src/index.js';
import { keyOf } from './support/meta-race.js';

/**
 * Issue 15 §1 through the adapters: with `hashKeysAtRest: 'migrate'`, a record id taken from a stolen dump
 * and sent back as the cookie opens nothing (the victim stays logged in), and the first use of a legacy
 * session that races a logout never brings the session back. Storage is read around the store.
 */
const { engines, close } = await openEngines(['memory', 'redis', 'db', 'file']);
afterAll(close);

for (const engine of engines) {
  for (const framework of FRAMEWORKS) {
    describe(`${engine.title} through ${framework}: hashKeysAtRest 'migrate' (issue 15 §1)`, () => {
      it('a stored record id sent as the sessionid cookie opens nothing, and the victim stays logged in', async () => {
        const storage = await engine.storage();
        const manager = createSessionManager({ store: storage.store, hashKeysAtRest: 'migrate' });
        const app = await serveApp(framework, { manager }, appRoutes);
        const victim = app.client();
        await victim.get('/login?user=victim');
        const key = keyOf(victim);
        const stolenId = hashSessionKey(key);
        const before = await storage.raw(stolenId);
        expect(before).toMatchObject({ data: { user: 'victim' }, meta: { owner: 'victim' } });

        const attacker = app.client();
        attacker.cookies.set('sessionid', stolenId);
        const probe = await attacker.get('/me');
        expect(probe.body).toBe('anonymous');
        // Any cookie that opens no session is deleted; the stolen id is never answered with a session.
        expect(probe.setCookies.filter((cookie) => !isDeletion(cookie))).toEqual([]);
        attacker.cookies.set('sessionid', stolenId);
        const write = await attacker.get('/set?planted=1');
        const issued = keyOf(attacker);
        expect(issued).not.toBe(stolenId);
        expect(issued).not.toBe(key);
        expect((await storage.raw(hashSessionKey(issued)))?.data).toEqual({ planted: '1' });
        expect(write.status).toBe(200);

        expect(await storage.raw(stolenId)).toEqual(before);
        expect(await storage.raw(hashSessionKey(stolenId))).toBeNull();
        expect((await victim.get('/me')).body).toBe('victim');
        expect(keyOf(victim)).toBe(key);
        if (storage.store.capabilities.ownerIndex) expect(await manager.sessionsOf('victim')).toHaveLength(1);
        expect(app.errors).toEqual([]);
      });

      it('a legacy session moves under its hash on first use, and its cookie keeps working', async () => {
        const storage = await engine.storage();
        const legacy = createSessionManager({ store: storage.store });
        const cookie = await cookieHeaderFor(legacy, { user: 'alice' });
        const key = cookie.slice('sessionid='.length);
        expect((await storage.raw(key))?.data).toEqual({ user: 'alice' });
        const manager = createSessionManager({ store: storage.store, hashKeysAtRest: 'migrate' });
        const app = await serveApp(framework, { manager }, appRoutes);
        const client = app.client();
        client.cookies.set('sessionid', key);
        expect((await client.get('/me')).body).toBe('alice');
        expect(await storage.raw(key)).toBeNull();
        expect((await storage.raw(hashSessionKey(key)))?.data).toEqual({ user: 'alice' });
        expect((await client.get('/me')).body).toBe('alice');
        expect(keyOf(client)).toBe(key);
        expect(app.errors).toEqual([]);
      });

      it("a legacy session's migration racing a logout does not revive it", async () => {
        const storage = await engine.storage();
        const legacy = createSessionManager({ store: storage.store });
        const key = (await cookieHeaderFor(legacy, { user: 'alice' })).slice('sessionid='.length);
        const gated = gateStore(storage.store);
        const manager = createSessionManager({ store: gated.store, hashKeysAtRest: 'migrate' });
        const app = await serveApp(framework, { manager }, appRoutes);
        const slow = app.client();
        slow.cookies.set('sessionid', key);
        const logout = app.client();
        logout.cookies.set('sessionid', key);

        // The slow request found the legacy record and is about to copy it under the hash.
        const gate = gated.holdNext('create');
        const held = slow.get('/me');
        expect(await gate.reached).toBe(hashSessionKey(key));
        const loggedOut = await logout.get('/flush');
        expect(loggedOut.status).toBe(200);
        expect(loggedOut.setCookies.some(isDeletion)).toBe(true);
        expect(await storage.raw(key)).toBeNull();
        expect(await storage.raw(hashSessionKey(key))).toBeNull();
        gate.release();

        const response = await held;
        expect(response.body).toBe('anonymous');
        expect(await storage.raw(key)).toBeNull();
        expect(await storage.raw(hashSessionKey(key))).toBeNull();
        const replay = app.client();
        replay.cookies.set('sessionid', key);
        expect((await replay.get('/me')).body).toBe('anonymous');
        expect(app.errors).toEqual([]);
      });
    });
  }
}
