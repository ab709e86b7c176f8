import { describe, expect, it } from 'vitest';
import { hasSecretKeyFallbacks } from '../../django-interop/src/index.js';
import { djangoRow, managerFor, newSecretKey, nodeRequest, openDjangoWorld } from './django-support.js';

/**
 * Rotating SECRET_KEY: the new key signs, old keys (`secretKeyFallbacks`, Django's SECRET_KEY_FALLBACKS)
 * still verify, and a session signed with an old key is signed with the new one when next saved.
 */
const world = await openDjangoWorld('store_db_django_rotation');
const { django: oldDjango, secretKey: oldKey, version } = world;
const newKey = newSecretKey();
const newDjango = await world.otherDjango(newKey, [oldKey]);
const fallbacksInDjango = hasSecretKeyFallbacks(newDjango.version);

describe('key rotation on our side', () => {
  it('a session Django signed with the old key is read through secretKeyFallbacks, and re-signed on save', async () => {
    const key = (await oldDjango.createSession({ _auth_user_id: '3' })).key as string;
    const rotated = managerFor(world.store({ secretKey: newKey, secretKeyFallbacks: [oldKey] }));

    const before = (await djangoRow(world, key))?.sessionData;
    let user: unknown;
    await nodeRequest(rotated, key, (session) => {
      user = session.get('_auth_user_id');
    });
    expect(user).toBe('3');
    expect((await djangoRow(world, key))?.sessionData).toBe(before);

    await nodeRequest(rotated, key, (session) => session.set('cart', [1]));
    const after = (await djangoRow(world, key))?.sessionData as string;
    expect(after).not.toBe(before);
    expect((await world.store({ secretKey: newKey }).load(key))?.data).toEqual({
      _auth_user_id: '3',
      cart: [1],
    });
    expect(await world.store({ secretKey: oldKey }).load(key)).toBeNull();
    const [signedWithNew] = await newDjango.run([
      { op: 'signingLoads', text: after, salt: 'django.contrib.sessions.SessionStore', key: newKey },
    ]);
    expect(signedWithNew).toMatchObject({ ok: true, value: { _auth_user_id: '3', cart: [1] } });
    expect(await oldDjango.loadSession(key)).toMatchObject({ data: {} });
  });

  it('without the fallback the old session is refused', async () => {
    const key = (await oldDjango.createSession({ a: 1 })).key as string;
    const reasons: string[] = [];
    const store = world.store({ secretKey: newKey, onInvalidData: (reason) => reasons.push(reason) });
    expect(await store.load(key)).toBeNull();
    expect(reasons).toEqual(['bad-signature']);
  });

  it('fallbacks are tried in order, and a reference vector verifies through one', async () => {
    // Vector 1 of the reference (Django 3.2.25, SECRET_KEY below, time 1700000000), stored as a row.
    const vectorKey = 'django-insecure-test-secret-key-0001';
    const vector = 'eyJmb28iOiJiYXIifQ:1r31eq:5ALnRI4-N1wPo2WLCSvuvW9whIDMh7f_RCEXv9isj74';
    const key = 'v'.repeat(32);
    await world.pool.query("INSERT INTO django_session VALUES ($1, $2, now() + interval '1 hour')", [
      key,
      vector,
    ]);
    const store = world.store({ secretKey: newKey, secretKeyFallbacks: [newSecretKey(), oldKey, vectorKey] });
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
        await nodeRequest(managerFor(world.store({ secretKey: oldKey })), null, (session) =>
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
    const rotated = managerFor(world.store({ secretKey: newKey, secretKeyFallbacks: [oldKey] }));
    await nodeRequest(rotated, key, (session) => session.set('n', 2));
    const plain = await world.otherDjango(newKey);
    expect(await plain.loadSession(key)).toMatchObject({ key, data: { n: 2 }, logs: [] });
  });
});
