import { writeFile } from 'node:fs/promises';
import { describeKeyRotation } from '../../django-interop/src/index.js';
import { managerFor, newSecretKey, openDjangoFileWorld, sessionFile, sessionPath } from './django-support.js';

/**
 * Rotating SECRET_KEY in a shared SESSION_FILE_PATH: the new key signs, old keys (`secretKeyFallbacks`,
 * Django's SECRET_KEY_FALLBACKS) still verify, and a file signed with an old key is signed with the new
 * one when the session is next saved.
 */
const world = await openDjangoFileWorld('rotation');
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
  stored: (key) => sessionFile(world, key),
  // Stored as a file in SESSION_FILE_PATH, with the mode Django gives its files.
  plant: (key, text) => writeFile(sessionPath(world, key), text, { mode: 0o600 }),
});
