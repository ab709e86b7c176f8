import { randomBytes } from 'node:crypto';
import { createSessionManager, type Session, type SessionManager } from '@sess/core';
import { afterAll } from 'vitest';
import { type Django, majorMinor, openDjango } from '../../django-interop/src/index.js';
import { createDjangoDbStore, type DjangoDbStore, type DjangoDbStoreOptions } from '../src/index.js';
import { openTestDb, type TestDb } from './support.js';

/** A random SECRET_KEY, as long as Django's `get_random_secret_key()` makes them. */
export const newSecretKey = (): string => `django-insecure-${randomBytes(25).toString('hex')}`;

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

/** What one request through the manager did. */
export interface NodeRequest {
  /** The key the response's cookie carries, null when the cookie was deleted, undefined when none was sent. */
  cookieKey: string | null | undefined;
  /** The whole `Set-Cookie` header of the session cookie, when one was sent. */
  setCookie: string | undefined;
  action: string;
}

/**
 * One request through `createSessionManager({ store })`, as an adapter makes it: the `Cookie` header
 * `sessionid=<key>` (when a key is given), the handler, then the commit.
 */
export async function nodeRequest(
  manager: SessionManager,
  key: string | null,
  handler: (session: Session) => unknown,
): Promise<NodeRequest> {
  const request = manager.open({ cookieHeader: key === null ? undefined : `sessionid=${key}` });
  await handler(await request.load());
  const result = await request.commit(200);
  const cookie = result.setCookie.find((header) => header.startsWith('sessionid='));
  const value = cookie?.slice('sessionid='.length, cookie.indexOf(';'));
  return {
    cookieKey: value === undefined ? undefined : value || null,
    setCookie: cookie,
    action: result.action,
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
