import { SessionInterrupted } from '@sess/core';
import { describe, expect, it } from 'vitest';
import {
  driveCompressedBothWays,
  driveDjangoLogin,
  driveDjangoLogout,
  driveDjangoRoundTrip,
  driveKeySalt,
  driveLastWriterWins,
  driveNodeRoundTrip,
  driveTamperedByDjango,
  driveTamperedByNode,
  INTEROP_SAMPLES,
} from '../../django-interop/src/index.js';
import { djangoRow, managerFor, nodeRequest, openDjangoWorld } from './django-support.js';

/**
 * Sessions shared with a real Django (Debian's python3-django, through Django's own SessionStore and
 * SessionMiddleware) on one PostgreSQL table that Django's migration created.
 */
const world = await openDjangoWorld('store_db_django');
const { django } = world;
const store = world.store();
const manager = managerFor(store);

/** Replaces one character of the payload, keeping the signature: what an attacker with DB access can do. */
async function tamper(key: string): Promise<void> {
  const row = await djangoRow(world, key);
  const text = row?.sessionData as string;
  const forged = `${text[0] === 'e' ? 'f' : 'e'}${text.slice(1)}`;
  await world.pool.query('UPDATE django_session SET session_data = $2 WHERE session_key = $1', [key, forged]);
}

/** This engine's side of the cases shared with store-file (django-interop/src/interop-cases.ts). */
const engine = {
  django,
  store,
  manager,
  storeWith: world.store,
  managerFor,
  stored: async (key: string) => (await djangoRow(world, key))?.sessionData ?? null,
  tamper,
};

describe('Django creates, Node reads and changes it, Django reads the change', () => {
  for (const [name, data] of Object.entries(INTEROP_SAMPLES)) {
    it(`${name}`, () => driveDjangoRoundTrip(django, manager, data));
  }

  it('compressed payloads (zlib, a "." before the payload) go both ways', () =>
    driveCompressedBothWays(engine));

  it('a Node handler sees who is logged in, and leaves Django’s login keys intact', () =>
    driveDjangoLogin(django, manager));
});

describe('Node creates, Django reads and changes it, Node reads the change', () => {
  for (const [name, data] of Object.entries(INTEROP_SAMPLES)) {
    it(`${name}`, () => driveNodeRoundTrip(django, manager, data));
  }
});

describe('a project with its own SessionStore subclass (another key salt)', () => {
  it('keySalt makes both sides agree, and the default salt refuses those rows', () => driveKeySalt(engine));
});

describe('bad rows are rejected by both', () => {
  it('a tampered session_data written by Django: Node starts a new session, Django logs it and keeps the key', () =>
    driveTamperedByDjango(engine));

  it('a tampered session_data written by Node: Django rejects it, and so does Node', () =>
    driveTamperedByNode(engine));

  it('a row signed under another SECRET_KEY is refused (a misconfigured secretKey shows in onInvalidData)', async () => {
    const reasons: string[] = [];
    const wrong = world.store({
      secretKey: 'not-the-project-key',
      onInvalidData: (reason) => reasons.push(reason),
    });
    const key = (await django.createSession({ a: 1 })).key as string;
    expect(await wrong.load(key)).toBeNull();
    expect(reasons).toEqual(['bad-signature']);
    expect((await store.load(key))?.data).toEqual({ a: 1 });
  });

  it('an expired row is invisible to both, and neither adopts its key', async () => {
    const key = (await nodeRequest(manager, null, (session) => session.set('a', 1))).cookieKey as string;
    await world.pool.query(
      "UPDATE django_session SET expire_date = now() - interval '1 second' WHERE session_key = $1",
      [key],
    );
    expect(await store.load(key)).toBeNull();
    const seenByDjango = await django.loadSession(key);
    expect(seenByDjango).toMatchObject({ key: null, data: {} });

    // Django's own negative expiry writes a row that is already expired.
    const dead = (await django.createSession({ b: 2 }, { expiry: -10 })).key as string;
    expect(await djangoRow(world, dead)).not.toBeNull();
    const response = await nodeRequest(manager, dead, (session) => {
      expect(session.size).toBe(0);
      session.set('fresh', true);
    });
    expect(response.cookieKey).toMatch(/^[a-z0-9]{32}$/);
    expect(response.cookieKey).not.toBe(dead);
  });

  it('clearExpired() removes expired rows, Django’s and ours, and keeps live ones', async () => {
    const live = (await django.createSession({ live: true })).key as string;
    const dead = (await django.createSession({ dead: true }, { expiry: -5 })).key as string;
    expect(await store.clearExpired()).toBeGreaterThanOrEqual(1);
    expect(await djangoRow(world, dead)).toBeNull();
    expect((await django.loadSession(live)).data).toEqual({ live: true });
  });
});

describe('lifecycle across the two apps', () => {
  it('cycleKey() in Node moves a Django session to a new key and deletes the old row', async () => {
    const old = (await django.createSession({ _auth_user_id: '5' })).key as string;
    const response = await nodeRequest(manager, old, (session) => session.cycleKey());
    const fresh = response.cookieKey as string;
    expect(fresh).toMatch(/^[a-z0-9]{32}$/);
    expect(fresh).not.toBe(old);
    expect(await djangoRow(world, old)).toBeNull();
    expect((await django.loadSession(fresh)).data).toEqual({ _auth_user_id: '5' });
    expect((await django.loadSession(old)).key).toBeNull();
  });

  it('flush() in Node logs the user out of Django too', async () => {
    const key = (await django.createSession({ _auth_user_id: '6' })).key as string;
    const response = await nodeRequest(manager, key, (session) => session.flush());
    expect(response.cookieKey).toBeNull();
    expect(await djangoRow(world, key)).toBeNull();
    expect(await django.loadSession(key)).toMatchObject({ key: null, data: {} });
  });

  it('a logout in Django (flush) ends the session for Node', () => driveDjangoLogout(engine));

  it('a session deleted by Django during a Node request raises SessionInterrupted, never re-creates it', async () => {
    const key = (await django.createSession({ n: 1 })).key as string;
    const request = manager.open({ cookieHeader: `sessionid=${key}` });
    (await request.load()).set('n', 2);
    await django.request(`sessionid=${key}`, [['flush']]);
    await expect(request.commit(200)).rejects.toBeInstanceOf(SessionInterrupted);
    expect(await djangoRow(world, key)).toBeNull();
  });

  it('a row Node destroyed is not adopted by Django: the next save gets a new key', async () => {
    const key = (await nodeRequest(manager, null, (session) => session.set('n', 1))).cookieKey as string;
    await store.destroy(key);
    const response = await django.request(`sessionid=${key}`, [['set', 'n', 3]]);
    expect(response.key).toMatch(/^[a-z0-9]{32}$/);
    expect(response.key).not.toBe(key);
    expect(response.cookies.sessionid?.value).toBe(response.key);
    expect(await djangoRow(world, key)).toBeNull();
  });

  it('whole-record writes: the last writer wins (a documented limit of Django mode)', () =>
    driveLastWriterWins(engine));
});
