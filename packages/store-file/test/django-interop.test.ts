import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
import { managerFor, nodeRequest, openDjangoFileWorld, sessionFile, sessionPath } from './django-support.js';

/**
 * Sessions shared with a real Django (Debian's python3-django, through Django's own file SessionStore
 * and SessionMiddleware) in one SESSION_FILE_PATH.
 */
const world = await openDjangoFileWorld('interop');
const { django } = world;
const store = world.store();
const manager = managerFor(store);

/** Replaces one character of the payload, keeping the signature: what an attacker with write access can do. */
async function tamper(key: string): Promise<void> {
  const text = (await sessionFile(world, key)) as string;
  await writeFile(sessionPath(world, key), `${text[0] === 'e' ? 'f' : 'e'}${text.slice(1)}`);
}

/** This engine's side of the cases shared with store-db (django-interop/src/interop-cases.ts). */
const engine = {
  django,
  store,
  manager,
  storeWith: world.store,
  managerFor,
  stored: (key: string) => sessionFile(world, key),
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

  it("writes Django's file: sessionid<key> in SESSION_FILE_PATH, holding exactly encode(data)", async () => {
    const key = (await nodeRequest(manager, null, (session) => session.set('a', 'é'))).cookieKey as string;
    expect(store.pathOf(key)).toBe(sessionPath(world, key));
    expect(await readdir(world.directory)).toContain(`sessionid${key}`);
    const content = (await sessionFile(world, key)) as string;
    expect(content).toMatch(/^[\x21-\x7e]+$/);
    expect((await django.decode(content)).data).toEqual({ a: 'é' });
    const [exists] = await django.run([{ op: 'exists', key }]);
    expect(exists).toMatchObject({ ok: true, exists: true });
  });
});

describe('a project with its own SessionStore subclass (another key salt)', () => {
  it('keySalt makes both sides agree, and the default salt refuses those files', () => driveKeySalt(engine));
});

describe('bad files are rejected by both', () => {
  it('a tampered file written by Django: Node starts a new session, Django logs it', () =>
    driveTamperedByDjango(engine));

  it('a tampered file written by Node: Django rejects it, and so does Node', () =>
    driveTamperedByNode(engine));

  it('a file signed under another SECRET_KEY is refused, and a sweep with that key leaves it alone', async () => {
    const reasons: string[] = [];
    const wrong = world.store({
      secretKey: 'not-the-project-key',
      onInvalidData: (reason) => reasons.push(reason),
    });
    const key = (await django.createSession({ a: 1 })).key as string;
    expect(await wrong.load(key)).toBeNull();
    expect(reasons).toEqual(['bad-signature']);
    await wrong.clearExpired();
    expect(await sessionFile(world, key)).not.toBeNull();
    expect((await store.load(key))?.data).toEqual({ a: 1 });
  });

  it('a key with a path in it reaches neither side’s file system', async () => {
    for (const key of ['../../etc/passwd', 'abc/def12345', 'ABCDEFGH12345678', 'a'.repeat(7)]) {
      expect(store.pathOf(key)).toBeNull();
      expect(await store.load(key)).toBeNull();
      const [loaded] = await django.run([{ op: 'load', key }]);
      expect(loaded).toMatchObject({ ok: true, data: {} });
    }
  });
});

describe('lifecycle across the two apps', () => {
  it('cycleKey() in Node moves a Django session to a new key and deletes the old file', async () => {
    const old = (await django.createSession({ _auth_user_id: '5' })).key as string;
    const response = await nodeRequest(manager, old, (session) => session.cycleKey());
    const fresh = response.cookieKey as string;
    expect(fresh).toMatch(/^[a-z0-9]{32}$/);
    expect(fresh).not.toBe(old);
    expect(await sessionFile(world, old)).toBeNull();
    expect((await django.loadSession(fresh)).data).toEqual({ _auth_user_id: '5' });
  });

  it('cycle_key() in Django moves a Node session, and Node follows the new cookie', async () => {
    const old = (await nodeRequest(manager, null, (session) => session.set('n', 1))).cookieKey as string;
    const response = await django.request(`sessionid=${old}`, [['cycle_key']]);
    const fresh = response.cookies.sessionid?.value as string;
    expect(fresh).not.toBe(old);
    expect(await store.load(old)).toBeNull();
    expect((await store.load(fresh))?.data).toEqual({ n: 1 });
  });

  it('flush() in Node logs the user out of Django too', async () => {
    const key = (await django.createSession({ _auth_user_id: '6' })).key as string;
    const response = await nodeRequest(manager, key, (session) => session.flush());
    expect(response.cookieKey).toBeNull();
    expect(await sessionFile(world, key)).toBeNull();
    const [exists] = await django.run([{ op: 'exists', key }]);
    expect(exists).toMatchObject({ ok: true, exists: false });
  });

  it('a logout in Django (flush) ends the session for Node', () => driveDjangoLogout(engine));

  it('a session deleted by Django during a Node request raises SessionInterrupted, never re-creates it', async () => {
    const key = (await django.createSession({ n: 1 })).key as string;
    const request = manager.open({ cookieHeader: `sessionid=${key}` });
    (await request.load()).set('n', 2);
    await django.request(`sessionid=${key}`, [['flush']]);
    await expect(request.commit(200)).rejects.toBeInstanceOf(SessionInterrupted);
    expect(await sessionFile(world, key)).toBeNull();
  });

  it('a session Node destroyed is not adopted by Django: the next save gets a new key', async () => {
    const key = (await nodeRequest(manager, null, (session) => session.set('n', 1))).cookieKey as string;
    await store.destroy(key);
    const response = await django.request(`sessionid=${key}`, [['set', 'n', 3]]);
    expect(response.key).toMatch(/^[a-z0-9]{32}$/);
    expect(response.key).not.toBe(key);
    expect(await sessionFile(world, key)).toBeNull();
  });

  it('whole-record writes: the last writer wins (a documented limit of Django mode)', () =>
    driveLastWriterWins(engine));
});

describe('the shared directory', () => {
  it("Node's lock and temp files never trouble Django's clear_expired(), and Django's temp files never trouble Node's sweep", async () => {
    const key = (await nodeRequest(manager, null, (session) => session.set('n', 1))).cookieKey as string;
    const lock = `${sessionPath(world, key)}.lock`;
    const ours = `${sessionPath(world, key)}.${Date.now().toString(36)}-9f3c0a7d21be.tmp`;
    const theirs = `${sessionPath(world, key)}_out_k2j4h5g6`;
    for (const file of [lock, ours, theirs]) await writeFile(file, 'not a session');

    const [cleared] = await django.run([{ op: 'clearExpired' }]);
    expect(cleared).toMatchObject({ ok: true });
    await store.clearExpired();
    const names = await readdir(world.directory);
    for (const file of [lock, ours, theirs]) expect(names).toContain(path.basename(file));
    expect((await django.loadSession(key)).data).toEqual({ n: 1 });
    for (const file of [lock, ours, theirs]) await rm(file);
  });
});
