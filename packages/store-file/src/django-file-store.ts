import { createDjangoFileFormat } from './django-file-format.js';
import { DJANGO_FILE_STORE_OPTIONS, type DjangoFileStoreOptions } from './django-options.js';
import { createFileStore, type FileStore } from './file-store.js';

/** The Django-mode {@link FileStore}: Django's session directory, file names and signed content. */
export interface DjangoFileStore extends FileStore {
  /** The Django version the store writes for, `'MAJOR.MINOR'`. */
  readonly djangoVersion: string;
  /** `SESSION_COOKIE_AGE` the store dates files with, seconds. */
  readonly cookieAge: number;
}

/**
 * A session store on a Django project's session directory (`SESSION_FILE_PATH` of Django's `file`
 * engine), so a Node app and a running Django app share sessions: files are named as Django names them
 * (`<directory>/sessionid<key>`) and hold Django's signed format (see `djangoFileFormat`), and Django's
 * own files are read, changed and swept. Writes are atomic (a temp file renamed into place); between
 * Django and Node the last writer wins, as between two Django processes (Django takes no lock).
 *
 * @example
 * const store = createDjangoFileStore({
 *   directory: '/var/lib/myproject/sessions', // settings.SESSION_FILE_PATH
 *   secretKey: process.env.DJANGO_SECRET_KEY!,
 * });
 */
export function createDjangoFileStore(options: DjangoFileStoreOptions): DjangoFileStore {
  const resolved = DJANGO_FILE_STORE_OPTIONS.resolve(options);
  const { directory, cookieName, fileMode, fsync, lockTimeoutMs, lockStaleMs, clock } = resolved;
  const format = createDjangoFileFormat(resolved);
  const store = createFileStore({
    directory,
    prefix: cookieName,
    fileMode,
    fsync,
    lockTimeoutMs,
    lockStaleMs,
    clock,
    format,
  });
  return Object.assign(store, { djangoVersion: format.djangoVersion, cookieAge: format.cookieAge });
}
