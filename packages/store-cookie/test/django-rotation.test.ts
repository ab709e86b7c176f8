import { djangoLoads } from '@sess/core/codecs';
import { describe, expect, it } from 'vitest';
import { hasSecretKeyFallbacks } from '../../django-interop/src/index.js';
import { COOKIE_SALT, newSecretKey, nodeRequest, openDjangoCookieWorld } from './django-support.js';

/**
 * Rotating SECRET_KEY with signed cookies: `secretKey` signs, `secretKeyFallbacks` (Django's SECRET_KEY_FALLBACKS)
 * still open, and a cookie opened with an old key is signed again with the new one on the same response.
 */
const world = await openDjangoCookieWorld();
const { django: oldDjango, secretKey: oldKey, version } = world;
const newKey = newSecretKey();
const newDjango = await world.otherDjango(newKey, [oldKey]);
const fallbacksInDjango = hasSecretKeyFallbacks(newDjango.version);
const rotated = world.manager({ secretKey: newKey, secretKeyFallbacks: [oldKey] });

/** A cookie the old Django set for a new session holding `data`. */
async function oldCookie(data: Record<string, unknown>): Promise<string> {
  return (await oldDjango.request(undefined, [['update', data]])).cookies.sessionid?.value as string;
}

describe('key rotation on our side', () => {
  it('a cookie Django signed with the old key opens through the fallback, and is re-signed with the new key at once', async () => {
    const value = await oldCookie({ _auth_user_id: '3' });
    let user: unknown;
    const response = await nodeRequest(rotated, value, (session) => {
      user = session.get('_auth_user_id');
    });
    expect(user).toBe('3');
    expect(response.action).toBe('save');
    const resigned = response.value as string;
    expect(djangoLoads(resigned, { secret: newKey, salt: COOKIE_SALT })).toMatchObject({
      ok: true,
      value: { _auth_user_id: '3' },
    });
    expect(djangoLoads(resigned, { secret: oldKey, salt: COOKIE_SALT }).ok).toBe(false);
    const [signedWithNew] = await newDjango.run([
      { op: 'signingLoads', text: resigned, salt: COOKIE_SALT, key: newKey },
    ]);
    expect(signedWithNew).toMatchObject({ ok: true, value: { _auth_user_id: '3' } });
    // Nothing changed and the cookie is on the new key: the next request writes nothing.
    expect((await nodeRequest(rotated, resigned, () => {})).action).toBe('none');
  });

  it('without the fallback the old cookie opens nothing', async () => {
    const value = await oldCookie({ a: 1 });
    const newOnly = world.manager({ secretKey: newKey });
    await nodeRequest(newOnly, value, (session) => expect(session.size).toBe(0));
  });
});

describe(`key rotation in Django ${version}`, () => {
  it(
    fallbacksInDjango
      ? `Django ${version} opens with SECRET_KEY_FALLBACKS a cookie we signed with the old key`
      : `Django ${version} has no SECRET_KEY_FALLBACKS (added in 4.1): it ignores the setting, so rotation is proved on our side`,
    async () => {
      const { value } = await nodeRequest(world.manager(), null, (session) => session.set('n', 1));
      expect(newDjango.settings.SECRET_KEY_FALLBACKS).toEqual([oldKey]);
      const seen = await newDjango.request(`sessionid=${value}`, [['get', 'n']]);
      expect(seen.seen).toEqual({ n: fallbacksInDjango ? 1 : null });
    },
  );

  it('after our re-signing, a Django on the new key opens the cookie without any fallback', async () => {
    const value = await oldCookie({ n: 1 });
    const { value: resigned } = await nodeRequest(rotated, value, (session) => session.set('n', 2));
    const plain = await world.otherDjango(newKey);
    expect((await plain.request(`sessionid=${resigned}`, [['get', 'n']])).seen).toEqual({ n: 2 });
  });
});
