import { describeKeyRotation } from '../../django-interop/src/index.js';
import { djangoRow, managerFor, newSecretKey, openDjangoWorld } from './django-support.js';

/**
 * Rotating SECRET_KEY: the new key signs, old keys (`secretKeyFallbacks`, Django's SECRET_KEY_FALLBACKS)
 * still verify, and a session signed with an old key is signed with the new one when next saved.
 */
const world = await openDjangoWorld('store_db_django_rotation');
const newKey = newSecretKey();

describeKeyRotation({
  oldDjango: world.django,
  oldKey: world.secretKey,
  newDjango: await world.otherDjango(newKey, [world.secretKey]),
  newKey,
  version: world.version,
  store: world.store,
  managerFor,
  otherDjango: (secretKey) => world.otherDjango(secretKey),
  stored: async (key) => (await djangoRow(world, key))?.sessionData ?? null,
  // Stored as a row of django_session.
  plant: async (key, text) => {
    await world.pool.query("INSERT INTO django_session VALUES ($1, $2, now() + interval '1 hour')", [
      key,
      text,
    ]);
  },
});
