import {
  type Clock,
  DJANGO_SESSION_SALT,
  DJANGO_VERSION_EXPECTED,
  type DjangoLoadFailure,
  parseDjangoVersion,
  type Secret,
  SessionConfigError,
} from '@sess/core';
import { STORE_NAME } from './options.js';

/** Options of `djangoFileFormat`: how Django signs and dates its session files. */
export interface DjangoFileFormatOptions {
  /**
   * Django's `SECRET_KEY`: signs the files the store writes and verifies what it reads. Text is used as
   * UTF-8 (as Django does), bytes raw. Required.
   */
  secretKey: Secret;
  /**
   * Django's `SECRET_KEY_FALLBACKS`: older keys, tried in order to verify files, never used to sign. A
   * file signed with one is signed again with `secretKey` when the session is next saved.
   * @default []
   */
  secretKeyFallbacks?: readonly Secret[];
  /**
   * The salt of Django's `SessionStore.encode()`: `'django.contrib.sessions.' + SessionStore.__qualname__`.
   * Change it only when the Django project uses its own `SessionStore` subclass (its class name changes it).
   * @default 'django.contrib.sessions.SessionStore'
   */
  keySalt?: string;
  /**
   * The Django version (`'MAJOR.MINOR'`, 3.1 or later) that shares the directory. Below 4.1 Django cannot
   * read an ISO date in `_session_expiry`, so one is written as whole seconds from the save instead.
   * @default '5.2'
   */
  version?: string;
  /**
   * Django's `SESSION_COOKIE_AGE`, in seconds: a file without its own expiry expires this long after its
   * mtime. Must equal Django's setting (and the manager's `cookieAge`).
   * @default 1209600 (two weeks)
   */
  cookieAge?: number;
  /**
   * Called when a file fails verification (a wrong `secretKey`, a tampered file) or cannot be decoded;
   * the session is then treated as absent. Where Django logs "Session data corrupted". Never given the
   * key or the data. A sweep (`clearExpired()`) reading such a file reports it too.
   * @default none
   */
  onInvalidData?: (reason: DjangoLoadFailure) => void;
}

/** Options of `createDjangoFileStore`: the format's, plus where the files are and how they are written. */
export interface DjangoFileStoreOptions extends DjangoFileFormatOptions {
  /**
   * Django's `SESSION_FILE_PATH`: the directory both apps share. Required (Django's default, the system
   * temp dir, is refused: every local user can list it, and the file names are the session keys).
   * Must be owned by the user running Node (the user Django runs as: Django creates its files `0600`)
   * or root, and not writable by every user. Created (mode `0700`) when absent.
   */
  directory: string;
  /**
   * Django's `SESSION_COOKIE_NAME`, which Django's file backend puts before each key in a file name:
   * session `key` lives in `<directory>/<cookieName><key>`. Give the manager the same `cookieName`.
   * @default 'sessionid'
   */
  cookieName?: string;
  /** Permission bits of the files written (Django writes `0600`). @default 0o600 */
  fileMode?: number;
  /** `fsync` each write before it is renamed into place, and the directory after. @default false */
  fsync?: boolean;
  /** How long an operation waits for a session's lock (held by another Node process), in ms. @default 3000 */
  lockTimeoutMs?: number;
  /** A lock older than this (ms) is presumed abandoned and broken. @default 10000 */
  lockStaleMs?: number;
  /** Where "now" comes from for every expiry decision. Give it the same clock as the manager. @default the system clock */
  clock?: Clock;
}

/** The format's options after validation. */
export interface ResolvedDjangoFormatOptions {
  secretKey: Secret;
  secretKeyFallbacks: readonly Secret[];
  keySalt: string;
  /** `[major, minor]`. */
  version: readonly [number, number];
  cookieAge: number;
  onInvalidData: ((reason: DjangoLoadFailure) => void) | undefined;
}

/** The options of the format, by name. */
export const FORMAT_OPTIONS = [
  'secretKey',
  'secretKeyFallbacks',
  'keySalt',
  'version',
  'cookieAge',
  'onInvalidData',
] as const;

const SECRET_EXPECTED = 'a non-empty string or Uint8Array (Django’s SECRET_KEY)';

/** Throws the store's {@link SessionConfigError} for `option`. */
export function fail(option: string, expected: string, ...received: [unknown?]): never {
  throw new SessionConfigError(STORE_NAME, option, expected, ...received);
}

const isSecret = (value: unknown): value is Secret =>
  (typeof value === 'string' || value instanceof Uint8Array) && value.length > 0;

/** Checks that `input` is an options object naming only `known` options. */
export function checkOptionNames(input: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail('options', 'an object', input);
  const options = input as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) fail(name, `a known option (${known.join(', ')})`, options[name]);
  }
  return options;
}

function parseVersion(value: unknown): readonly [number, number] {
  const version = parseDjangoVersion(value);
  if (!version) fail('version', DJANGO_VERSION_EXPECTED, value);
  return version;
}

/** Validates the format's options in `options` (never quoting a secret) and fills in the defaults. */
export function resolveDjangoFormatOptions(options: Record<string, unknown>): ResolvedDjangoFormatOptions {
  const { secretKey } = options;
  if (!isSecret(secretKey)) fail('secretKey', SECRET_EXPECTED);

  const fallbacks = options.secretKeyFallbacks ?? [];
  if (!Array.isArray(fallbacks)) fail('secretKeyFallbacks', 'an array of secrets, newest first');
  (fallbacks as unknown[]).forEach((each, index) => {
    if (!isSecret(each)) fail(`secretKeyFallbacks[${index}]`, SECRET_EXPECTED);
  });

  const keySalt = options.keySalt ?? DJANGO_SESSION_SALT;
  if (typeof keySalt !== 'string' || keySalt === '') fail('keySalt', 'a non-empty string', keySalt);

  const cookieAge = options.cookieAge ?? 1_209_600;
  if (typeof cookieAge !== 'number' || !Number.isSafeInteger(cookieAge) || cookieAge <= 0) {
    fail('cookieAge', 'a positive whole number of seconds (Django’s SESSION_COOKIE_AGE)', cookieAge);
  }

  const { onInvalidData } = options;
  if (onInvalidData !== undefined && typeof onInvalidData !== 'function') {
    fail('onInvalidData', 'a function', onInvalidData);
  }

  return {
    secretKey,
    secretKeyFallbacks: [...(fallbacks as Secret[])],
    keySalt,
    version: parseVersion(options.version ?? '5.2'),
    cookieAge,
    onInvalidData: onInvalidData as ResolvedDjangoFormatOptions['onInvalidData'],
  };
}
