import { createSessionManager, type SessionManager } from '@sess/core';
import { afterAll } from 'vitest';
import { type Django, majorMinor, newSecretKey, openDjango } from '../../django-interop/src/index.js';

export { newSecretKey, nodeRequest } from '../../django-interop/src/index.js';

import { createDjangoDbStore, type DjangoDbStore, type DjangoDbStoreOptions } from '../src/index.js';
import { openTestDb, type TestDb } from './support.js';

/** One test file's world: a fresh database with Django's table (made by Django), a Django on it, a pool. */
export interface DjangoWorld extends TestDb {
  django: Django;
  secretKey: string;
  /** `'3.2'` for Django 3.2: the form the store's `version` option takes. */
  version: string;
  /** A Django-mode store on the database, for the Django in hand unless `options` say otherwise. */
  store(options?: Partial<DjangoDbStoreOptions>): DjangoDbStore;
  /** Another Django on the same database with other settings (another SECRET_KEY); closed after the file. */
  otherDjango(secretKey: string, secretKeyFallbacks?: string[]): Promise<Django>;
}

/** Opens the world of one test file; everything is closed and dropped after the file. */
export async function openDjangoWorld(prefix: string): Promise<DjangoWorld> {
  const db = await openTestDb(prefix);
  const secretKey = newSecretKey();
  const opened: Django[] = [];
  const start = async (key: string, fallbacks: string[] = []) => {
    const django = await openDjango({
      secretKey: key,
      secretKeyFallbacks: fallbacks,
      databaseUrl: db.database.url,
    });
    opened.push(django);
    return django;
  };
  // Registered after openTestDb's hook, so it runs first: Django's connections end before the drop.
  afterAll(async () => {
    await Promise.all(opened.map((django) => django.close()));
  });
  const django = await start(secretKey);
  await django.migrate();
  const version = majorMinor(django.version);
  return {
    ...db,
    django,
    secretKey,
    version,
    store: (options = {}) => createDjangoDbStore(db.pool, { secretKey, version, ...options }),
    otherDjango: start,
  };
}

/** The manager over `store`, with Django's defaults (cookie `sessionid`, two weeks). */
export const managerFor = (store: DjangoDbStore): SessionManager => createSessionManager({ store });

/** The row of `key` in `django_session`, as stored (expired or not), or null. */
export async function djangoRow(
  world: TestDb,
  key: string,
  table = 'django_session',
): Promise<{ sessionData: string; expireDate: Date } | null> {
  const { rows } = await world.pool.query(
    `SELECT session_data, expire_date FROM ${table} WHERE session_key = $1`,
    [key],
  );
  const row = rows[0];
  return row ? { sessionData: row.session_data, expireDate: row.expire_date } : null;
}
