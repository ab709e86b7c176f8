import { mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSessionManager, type SessionManager } from '@sess/core';
import { afterAll } from 'vitest';
import { type Django, majorMinor, newSecretKey, openDjango } from '../../django-interop/src/index.js';

export { newSecretKey, nodeRequest } from '../../django-interop/src/index.js';

import { createDjangoFileStore, type DjangoFileStore, type DjangoFileStoreOptions } from '../src/index.js';

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
