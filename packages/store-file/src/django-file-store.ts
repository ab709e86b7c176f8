import { djangoFileFormat } from './django-file-format.js';
import { checkOptionNames, type DjangoFileStoreOptions, FORMAT_OPTIONS, fail } from './django-options.js';
import { createFileStore, type FileStore } from './file-store.js';

/** The Django-mode {@link FileStore}: Django's session directory, file names and signed content. */
export interface DjangoFileStore extends FileStore {
  /** The Django version the store writes for, `'MAJOR.MINOR'`. */
  readonly djangoVersion: string;
  /** `SESSION_COOKIE_AGE` the store dates files with, seconds. */
  readonly cookieAge: number;
}

const STORE_OPTIONS = [
  'directory',
  'cookieName',
  'fileMode',
  'fsync',
  'lockTimeoutMs',
  'lockStaleMs',
  'clock',
];
// Django joins the cookie name and the key into a file name: only names that cannot form a path.
const COOKIE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

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
  const given = checkOptionNames(options, [...FORMAT_OPTIONS, ...STORE_OPTIONS]);
  const { directory, cookieName = 'sessionid' } = given;
  if (directory === undefined) {
    fail(
      'directory',
      "given: Django's SESSION_FILE_PATH, a directory both apps share (Django's default, the temp dir, is refused)",
    );
  }
  if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
    fail('cookieName', "Django's SESSION_COOKIE_NAME: 1 to 100 letters, digits, `_`, `.` or `-`", cookieName);
  }
  const formatOptions = Object.fromEntries(
    FORMAT_OPTIONS.filter((name) => given[name] !== undefined).map((name) => [name, given[name]]),
  );
  const format = djangoFileFormat(formatOptions as unknown as DjangoFileStoreOptions);
  const storeOptions = Object.fromEntries(
    STORE_OPTIONS.filter((name) => name !== 'cookieName' && given[name] !== undefined).map((name) => [
      name,
      given[name],
    ]),
  );
  const store = createFileStore({ ...storeOptions, prefix: cookieName, format });
  return Object.assign(store, { djangoVersion: format.djangoVersion, cookieAge: format.cookieAge });
}
