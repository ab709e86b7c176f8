import { describe, expect, it } from 'vitest';
import { type Django, hasSecretKeyFallbacks } from './django.js';
import { type ManagerLike, newSecretKey, nodeRequest } from './node-request.js';
import type { SessionLike } from './round-trips.js';

/** The store options the rotation cases set (each engine's Django-mode store takes them). */
export interface RotationStoreOptions {
  secretKey?: string;
  secretKeyFallbacks?: string[];
  onInvalidData?: (reason: string) => void;
}

/** What the rotation cases do with a Django-mode store. */
export interface RotationStore {
  load(key: string): Promise<{ data: Record<string, unknown> } | null>;
}

/** One engine's side of {@link describeKeyRotation}: the Django before and after rotating SECRET_KEY. */
export interface KeyRotation<S extends SessionLike, T extends RotationStore> {
  /** The Django in hand, on the project's SECRET_KEY before rotation (`oldKey`). */
  oldDjango: Django;
  oldKey: string;
  /** A Django on SECRET_KEY `newKey` with SECRET_KEY_FALLBACKS `[oldKey]`. */
  newDjango: Django;
  newKey: string;
  /** `'3.2'` for Django 3.2: the form the store's `version` option takes. */
  version: string;
  /** A Django-mode store of the engine beside `oldDjango`, with `options` over the project's. */
  store(options?: RotationStoreOptions): T;
  managerFor(store: T): ManagerLike<S>;
  /** Another Django on the same storage with SECRET_KEY `secretKey` and no fallbacks. */
  otherDjango(secretKey: string): Promise<Django>;
  /** The signed text of session `key` as stored, by a raw read, or null. */
  stored(key: string): Promise<string | null>;
  /** Stores `text` as session `key` by a raw write, live for at least an hour. */
  plant(key: string, text: string): Promise<void>;
}

/**
 * The describes "key rotation on our side" and "key rotation in Django <version>": the new key signs,
 * old keys (`secretKeyFallbacks`, Django's SECRET_KEY_FALLBACKS) still verify, and a session signed with
 * an old key is signed with the new one when next saved.
 */
export function describeKeyRotation<S extends SessionLike, T extends RotationStore>(
  engine: KeyRotation<S, T>,
): void {
  const { oldDjango, oldKey, newDjango, newKey, version, managerFor, stored } = engine;
  const fallbacksInDjango = hasSecretKeyFallbacks(newDjango.version);

  describe('key rotation on our side', () => {
    it('a session Django signed with the old key is read through secretKeyFallbacks, and re-signed on save', async () => {
      const key = (await oldDjango.createSession({ _auth_user_id: '3' })).key as string;
      const rotated = managerFor(engine.store({ secretKey: newKey, secretKeyFallbacks: [oldKey] }));

      const before = await stored(key);
      let user: unknown;
      await nodeRequest(rotated, key, (session) => {
        user = session.get('_auth_user_id');
      });
      expect(user).toBe('3');
      expect(await stored(key)).toBe(before);

      await nodeRequest(rotated, key, (session) => session.set('cart', [1]));
      const after = (await stored(key)) as string;
      expect(after).not.toBe(before);
      expect((await engine.store({ secretKey: newKey }).load(key))?.data).toEqual({
        _auth_user_id: '3',
        cart: [1],
      });
      expect(await engine.store({ secretKey: oldKey }).load(key)).toBeNull();
      const [signedWithNew] = await newDjango.run([
        { op: 'signingLoads', text: after, salt: 'django.contrib.sessions.SessionStore', key: newKey },
      ]);
      expect(signedWithNew).toMatchObject({ ok: true, value: { _auth_user_id: '3', cart: [1] } });
      expect(await oldDjango.loadSession(key)).toMatchObject({ data: {} });
    });

    it('without the fallback the old session is refused', async () => {
      const key = (await oldDjango.createSession({ a: 1 })).key as string;
      const reasons: string[] = [];
      const store = engine.store({ secretKey: newKey, onInvalidData: (reason) => reasons.push(reason) });
      expect(await store.load(key)).toBeNull();
      expect(reasons).toEqual(['bad-signature']);
    });

    it('fallbacks are tried in order, and a reference vector verifies through one', async () => {
      // Vector 1 of the reference (Django 3.2.25, SECRET_KEY below, time 1700000000), stored by a raw write.
      const vectorKey = 'django-insecure-test-secret-key-0001';
      const vector = 'eyJmb28iOiJiYXIifQ:1r31eq:5ALnRI4-N1wPo2WLCSvuvW9whIDMh7f_RCEXv9isj74';
      const key = 'v'.repeat(32);
      await engine.plant(key, vector);
      const store = engine.store({
        secretKey: newKey,
        secretKeyFallbacks: [newSecretKey(), oldKey, vectorKey],
      });
      expect((await store.load(key))?.data).toEqual({ foo: 'bar' });
    });
  });

  describe(`key rotation in Django ${version}`, () => {
    it(
      fallbacksInDjango
        ? `Django ${version} reads with SECRET_KEY_FALLBACKS what we signed with the old key`
        : `Django ${version} has no SECRET_KEY_FALLBACKS (added in 4.1): it ignores the setting, so rotation is proved on our side`,
      async () => {
        const key = (
          await nodeRequest(managerFor(engine.store({ secretKey: oldKey })), null, (session) =>
            session.set('n', 1),
          )
        ).cookieKey as string;
        expect(newDjango.settings.SECRET_KEY_FALLBACKS).toEqual([oldKey]);
        const seen = await newDjango.loadSession(key);
        if (fallbacksInDjango) {
          expect(seen).toMatchObject({ key, data: { n: 1 }, logs: [] });
        } else {
          expect(seen.data).toEqual({});
          expect(seen.logs.map((log) => log.message)).toContain('Session data corrupted');
        }
      },
    );

    it('after our re-signing, a Django on the new key reads the session without any fallback', async () => {
      const key = (await oldDjango.createSession({ n: 1 })).key as string;
      const rotated = managerFor(engine.store({ secretKey: newKey, secretKeyFallbacks: [oldKey] }));
      await nodeRequest(rotated, key, (session) => session.set('n', 2));
      const plain = await engine.otherDjango(newKey);
      expect(await plain.loadSession(key)).toMatchObject({ key, data: { n: 2 }, logs: [] });
    });
  });
}
