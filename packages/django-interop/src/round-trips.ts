import { expect } from 'vitest';
import type { Django } from './django.js';
import { type ManagerLike, nodeRequest } from './node-request.js';

/** What the round trips do with a session (sess's `Session`, typed loosely here). */
export interface SessionLike {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
  update(values: Record<string, unknown>): unknown;
  toJSON(): unknown;
}

/** Session data both sides must carry unchanged: unicode, nesting, a payload zlib shrinks, a login. */
export const INTEROP_SAMPLES: Record<string, Record<string, unknown>> = {
  unicode: {
    accents: 'Zoë ☃ héllo',
    cjk: '日本語のテキスト',
    astral: '😀 👩‍👩‍👧 𝕳',
    quotes: 'he said "hi"\n\t\\ /',
    controls: 'nul\u0000 del\u007f sep\u2028',
    'ключ 🔑': 'a unicode key',
  },
  nested: {
    cart: { items: [{ sku: 'a-1', qty: 2, price: 9.99 }], coupon: null, gift: false },
    matrix: [[1, 2], [3, [4, []]], {}],
    big: 2 ** 53 - 1,
    negative: -17,
    tiny: 1e-7,
  },
  'large and compressible': {
    history: Array.from({ length: 400 }, (_, i) => ({ page: `/catalog/books/${i % 20}`, seen: true })),
  },
  'a Django login': {
    _auth_user_id: '42',
    _auth_user_backend: 'django.contrib.auth.backends.ModelBackend',
    _auth_user_hash: 'f1c3b5a8e0d94c2b7a6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a',
  },
};

/** Django creates a session holding `data`, Node reads it and adds a key, Django reads the change. */
export async function driveDjangoRoundTrip<S extends SessionLike>(
  django: Django,
  manager: ManagerLike<S>,
  data: Record<string, unknown>,
): Promise<void> {
  const created = await django.createSession(data);
  const key = created.key as string;
  expect(key).toMatch(/^[a-z0-9]{32}$/);
  let seen: unknown;
  const response = await nodeRequest(manager, key, (session) => {
    seen = session.toJSON();
    session.set('fromNode', 'ñ ✓ 😀');
  });
  expect(seen).toEqual(data);
  expect(response.cookieKey).toBe(key);

  const back = await django.loadSession(key);
  expect(back.key).toBe(key);
  expect(back.data).toEqual({ ...data, fromNode: 'ñ ✓ 😀' });
  expect(back.logs).toEqual([]);
}

/** Node creates a session holding `data`, Django reads it and adds a key, Node reads the change. */
export async function driveNodeRoundTrip<S extends SessionLike>(
  django: Django,
  manager: ManagerLike<S>,
  data: Record<string, unknown>,
): Promise<void> {
  const created = await nodeRequest(manager, null, (session) => {
    session.update(data);
  });
  const key = created.cookieKey as string;
  expect(key).toMatch(/^[a-z0-9]{32}$/);
  const response = await django.request(`sessionid=${key}`, [
    ['get', Object.keys(data)[0] as string],
    ['set', 'fromDjango', 'Ünïcødé ✓'],
  ]);
  expect(response.seen).toEqual({ [Object.keys(data)[0] as string]: Object.values(data)[0] });
  expect(response.cookies.sessionid?.value).toBe(key);
  expect(response.data).toEqual({ ...data, fromDjango: 'Ünïcødé ✓' });

  let seen: unknown;
  await nodeRequest(manager, key, (session) => {
    seen = session.toJSON();
  });
  expect(seen).toEqual({ ...data, fromDjango: 'Ünïcødé ✓' });
}

/** A Node handler reads Django's login and changes the cart; Django still sees every login key. */
export async function driveDjangoLogin<S extends SessionLike>(
  django: Django,
  manager: ManagerLike<S>,
): Promise<void> {
  const login = INTEROP_SAMPLES['a Django login'] as Record<string, string>;
  const key = (await django.createSession({ ...login, cart: [1] })).key as string;
  let user: unknown;
  await nodeRequest(manager, key, (session) => {
    user = session.get('_auth_user_id');
    session.set('cart', [1, 2]);
  });
  expect(user).toBe('42');
  const back = await django.request(`sessionid=${key}`, [
    ['get', '_auth_user_id'],
    ['get', '_auth_user_backend'],
    ['get', '_auth_user_hash'],
    ['get', 'cart'],
  ]);
  expect(back.seen).toEqual({
    _auth_user_id: '42',
    _auth_user_backend: login._auth_user_backend,
    _auth_user_hash: login._auth_user_hash,
    cart: [1, 2],
  });
}
