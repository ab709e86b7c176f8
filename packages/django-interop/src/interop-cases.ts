import { expect } from 'vitest';
import type { Django } from './django.js';
import { type ManagerLike, nodeRequest } from './node-request.js';
import { INTEROP_SAMPLES, type SessionLike } from './round-trips.js';

/** The store options the interop cases set (each engine's Django-mode store takes them). */
export interface InteropStoreOptions {
  keySalt?: string;
  onInvalidData?: (reason: string) => void;
}

/** What the interop cases do with a Django-mode store. */
export interface InteropStore {
  load(key: string): Promise<{ data: Record<string, unknown> } | null>;
}

/** One engine's side of the shared interop cases: a real Django beside the engine's Django-mode store. */
export interface InteropEngine<S extends SessionLike, T extends InteropStore> {
  django: Django;
  /** The project's store (its SECRET_KEY, the default salt) and the manager over it. */
  store: T;
  manager: ManagerLike<S>;
  /** Another store on the same storage, with `options` over the project's. */
  storeWith(options: InteropStoreOptions): T;
  managerFor(store: T): ManagerLike<S>;
  /** The signed text of session `key` as stored, by a raw read, or null. */
  stored(key: string): Promise<string | null>;
  /** Changes one character of the stored payload of `key`, keeping the signature, by a raw write. */
  tamper(key: string): Promise<void>;
}

/** Compressed payloads (zlib, a "." before the payload) from Django open in Node, and back. */
export async function driveCompressedBothWays<S extends SessionLike, T extends InteropStore>(
  engine: InteropEngine<S, T>,
): Promise<void> {
  const { django, store, manager, stored } = engine;
  const data = INTEROP_SAMPLES['large and compressible'] as Record<string, unknown>;
  const fromDjango = (await django.createSession(data)).key as string;
  expect(await stored(fromDjango)).toMatch(/^\.eJ/);
  expect((await store.load(fromDjango))?.data).toEqual(data);

  const fromNode = (await nodeRequest(manager, null, (session) => session.update(data))).cookieKey as string;
  const text = (await stored(fromNode)) as string;
  expect(text).toMatch(/^\.eJ/);
  expect(text.length).toBeLessThan(JSON.stringify(data).length / 4);
  expect((await django.loadSession(fromNode)).data).toEqual(data);
  expect((await django.decode(text)).data).toEqual(data);
}

/** A project's own SessionStore subclass (another key salt): `keySalt` agrees, the default refuses. */
export async function driveKeySalt<S extends SessionLike, T extends InteropStore>(
  engine: InteropEngine<S, T>,
): Promise<void> {
  const { django, store } = engine;
  const keySalt = 'django.contrib.sessions.ProjectSessionStore';
  const key = (await django.createSession({ a: 1 }, { keySalt })).key as string;
  expect(await store.load(key)).toBeNull();

  const salted = engine.managerFor(engine.storeWith({ keySalt }));
  await nodeRequest(salted, key, (session) => session.set('b', 2));
  expect((await django.loadSession(key, { keySalt })).data).toEqual({ a: 1, b: 2 });
  const plain = await django.loadSession(key);
  expect(plain.data).toEqual({});
  expect(plain.logs.map((log) => log.message)).toContain('Session data corrupted');
}

/** Django writes a session, it is tampered with: Node starts a new one (no adoption), Django logs it. */
export async function driveTamperedByDjango<
  S extends SessionLike & { size: number; key: string | null },
  T extends InteropStore,
>(engine: InteropEngine<S, T>): Promise<void> {
  const { django } = engine;
  const reasons: string[] = [];
  const watched = engine.managerFor(engine.storeWith({ onInvalidData: (reason) => reasons.push(reason) }));
  const key = (await django.createSession({ _auth_user_id: '7' })).key as string;
  await engine.tamper(key);

  let size = -1;
  const response = await nodeRequest(watched, key, (session) => {
    size = session.size;
    expect(session.key).toBeNull();
  });
  expect(size).toBe(0);
  // Not adopted: the request carried a cookie and the session is empty, so the cookie is deleted.
  expect(response.cookieKey).toBeNull();
  expect(reasons).toEqual(['bad-signature']);

  const back = await django.loadSession(key);
  expect(back.data).toEqual({});
  expect(back.logs.map((log) => log.message)).toContain('Session data corrupted');
}

/** Node writes a session, it is tampered with: Django rejects it, and so does Node. */
export async function driveTamperedByNode<S extends SessionLike, T extends InteropStore>(
  engine: InteropEngine<S, T>,
): Promise<void> {
  const { django, store, manager } = engine;
  const key = (await nodeRequest(manager, null, (session) => session.set('_auth_user_id', '8'))).cookieKey;
  await engine.tamper(key as string);
  expect(await store.load(key as string)).toBeNull();
  const back = await django.loadSession(key as string);
  expect(back.data).toEqual({});
  expect(back.logs.map((log) => log.message)).toContain('Session data corrupted');
}

/** A logout in Django (flush) deletes the cookie and ends the session for Node. */
export async function driveDjangoLogout<S extends SessionLike, T extends InteropStore>(
  engine: InteropEngine<S, T>,
): Promise<void> {
  const { django, store, manager } = engine;
  const key = (await nodeRequest(manager, null, (session) => session.set('_auth_user_id', '9'))).cookieKey;
  const response = await django.request(`sessionid=${key}`, [['flush']]);
  expect(response.cookies.sessionid?.value).toBe('');
  expect(await store.load(key as string)).toBeNull();
}

/** Django changes a session while a Node request holds it: the last whole-record write wins. */
export async function driveLastWriterWins<S extends SessionLike, T extends InteropStore>(
  engine: InteropEngine<S, T>,
): Promise<void> {
  const { django, manager } = engine;
  const key = (await django.createSession({ a: 1 })).key as string;
  const request = manager.open({ cookieHeader: `sessionid=${key}` });
  (await request.load()).set('fromNode', true);
  await django.modifySession(key, [['set', 'fromDjango', true]]);
  await request.commit(200);
  expect((await django.loadSession(key)).data).toEqual({ a: 1, fromNode: true });
}
