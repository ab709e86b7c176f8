import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSessionManager, type Session, type SessionManager } from '@sess/core';
import { afterAll } from 'vitest';
import { type Django, majorMinor, openDjango } from '../../django-interop/src/index.js';
import { createDjangoFileStore, type DjangoFileStore, type DjangoFileStoreOptions } from '../src/index.js';

/** A random SECRET_KEY, as long as Django's `get_random_secret_key()` makes them. */
export const newSecretKey = (): string => `django-insecure-${randomBytes(25).toString('hex')}`;

/** Django's default SESSION_COOKIE_AGE, seconds. */
export const COOKIE_AGE = 1_209_600;

/** One test file's world: a fresh session directory, a real Django (file engine) on it, and stores. */
export interface DjangoFileWorld {
  /** `SESSION_FILE_PATH` of both sides. */
  directory: string;
  django: Django;
  secretKey: string;
  /** `'3.2'` for Django 3.2: the form the store's `version` option takes. */
  version: string;
  /** A Django-mode store on the directory, for the Django in hand unless `options` say otherwise. */
  store(options?: Partial<DjangoFileStoreOptions>): DjangoFileStore;
  /** Another Django on the same directory with other settings; closed after the file. */
  otherDjango(
    secretKey: string,
    secretKeyFallbacks?: string[],
    settings?: Record<string, unknown>,
  ): Promise<Django>;
}

/** Opens the world of one test file; everything is closed and removed after the file. */
export async function openDjangoFileWorld(label: string): Promise<DjangoFileWorld> {
  const directory = await mkdtemp(path.join(os.tmpdir(), `sess-django-${label}-`));
  const secretKey = newSecretKey();
  const opened: Django[] = [];
  const start = async (key: string, fallbacks: string[] = [], settings: Record<string, unknown> = {}) => {
    const django = await openDjango({
      secretKey: key,
      secretKeyFallbacks: fallbacks,
      engine: 'file',
      sessionFilePath: directory,
      settings,
    });
    opened.push(django);
    return django;
  };
  afterAll(async () => {
    await Promise.all(opened.map((django) => django.close()));
    await rm(directory, { recursive: true, force: true });
  });
  const django = await start(secretKey);
  const version = majorMinor(django.version);
  return {
    directory,
    django,
    secretKey,
    version,
    store: (options = {}) => createDjangoFileStore({ directory, secretKey, version, ...options }),
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
export const managerFor = (store: DjangoFileStore): SessionManager => createSessionManager({ store });

/** The path of session `key` as Django names it: `<SESSION_FILE_PATH>/sessionid<key>`. */
export const sessionPath = (world: DjangoFileWorld, key: string): string =>
  path.join(world.directory, `sessionid${key}`);

/** The content of session `key`'s file as stored (expired or not), or null when there is none. */
export async function sessionFile(world: DjangoFileWorld, key: string): Promise<string | null> {
  try {
    return await readFile(sessionPath(world, key), 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The mtime of session `key`'s file, ms since the epoch. */
export const mtimeOf = async (world: DjangoFileWorld, key: string): Promise<number> =>
  (await stat(sessionPath(world, key))).mtimeMs;

/** Moves the mtime of session `key`'s file to `mtimeMs` (what time does to a file nobody writes). */
export const setMtimeOf = (world: DjangoFileWorld, key: string, mtimeMs: number): Promise<void> =>
  utimes(sessionPath(world, key), new Date(), mtimeMs / 1000);
