import {
  type Clock,
  DJANGO_SESSION_SALT,
  DJANGO_VERSION_EXPECTED,
  type DjangoLoadFailure,
  parseDjangoVersion,
  type Secret,
} from '@sess/core';
import { DJANGO_TABLE_NAME } from './django-schema.js';
import {
  checkPoolAndOptions,
  fail,
  resolveSharedOptions,
  SHARED_OPTIONS,
  type SharedDbOptions,
  valueOr,
} from './options.js';

/** Options of {@link createDjangoDbStore}. */
export interface DjangoDbStoreOptions {
  /**
   * Django's `SECRET_KEY`: signs the `session_data` the store writes and verifies what it reads. Text is used
   * as UTF-8 (as Django does), bytes raw. Required.
   */
  secretKey: Secret;
  /**
   * Django's `SECRET_KEY_FALLBACKS`: older keys, tried in order to verify rows, never used to sign. A row
   * signed with one is signed again with `secretKey` when the session is next saved.
   * @default []
   */
  secretKeyFallbacks?: readonly Secret[];
  /**
   * The salt of Django's `SessionStore.encode()`: `'django.contrib.sessions.' + SessionStore.__qualname__`.
   * Change it only when the Django project uses its own `SessionStore` subclass (its class name changes the salt).
   * @default 'django.contrib.sessions.SessionStore'
   */
  keySalt?: string;
  /**
   * The Django version (`'MAJOR.MINOR'`, 3.1 or later) that reads the same table. Below 4.1 Django cannot
   * read an ISO date in `_session_expiry`, so the store writes one as whole seconds from the save instead
   * (which Django treats as an inactivity age). From 4.1 on nothing changes.
   * @default '5.2'
   */
  version?: string;
  /**
   * Django's session table: `name` or `schema.name` (`db_table` of the session model).
   * @default 'django_session'
   */
  tableName?: string;
  /** Where "now" comes from when deciding whether a row has expired. @default the system clock */
  clock?: Clock;
  /**
   * `'manual'`: Django's migrations own the table (or call `store.migrate()` in development).
   * `'on-first-use'`: the first operation creates the table as Django would, if it is missing.
   * @default 'manual'
   */
  migrate?: 'manual' | 'on-first-use';
  /** How many expired rows one `DELETE` of `clearExpired()` removes. @default 1000 */
  batchSize?: number;
  /**
   * Called when a row's `session_data` fails verification (a wrong `secretKey`, a tampered row) or cannot be
   * decoded; the session is then treated as absent. Where Django logs "Session data corrupted". Never given
   * the key or the data.
   * @default none
   */
  onInvalidData?: (reason: DjangoLoadFailure) => void;
}

/** Options after validation. */
export interface ResolvedDjangoDbStoreOptions extends SharedDbOptions {
  secretKey: Secret;
  secretKeyFallbacks: readonly Secret[];
  keySalt: string;
  /** `[major, minor]`. */
  version: readonly [number, number];
  onInvalidData: ((reason: DjangoLoadFailure) => void) | undefined;
}

const KNOWN = ['secretKey', 'secretKeyFallbacks', 'keySalt', 'version', 'onInvalidData', ...SHARED_OPTIONS];
const SECRET_EXPECTED = 'a non-empty string or Uint8Array (Django’s SECRET_KEY)';

const isSecret = (value: unknown): value is Secret =>
  (typeof value === 'string' || value instanceof Uint8Array) && value.length > 0;

/** Validates Django mode's options (never quoting a secret in an error) and fills in the defaults. */
export function resolveDjangoDbStoreOptions(pool: unknown, input: unknown): ResolvedDjangoDbStoreOptions {
  const options = checkPoolAndOptions(pool, input, KNOWN);
  const shared = resolveSharedOptions(options, DJANGO_TABLE_NAME);

  const secretKey = options.secretKey;
  if (!isSecret(secretKey)) fail('secretKey', SECRET_EXPECTED);

  const fallbacks = valueOr(options, 'secretKeyFallbacks', []);
  if (!Array.isArray(fallbacks)) fail('secretKeyFallbacks', 'an array of secrets, newest first');
  (fallbacks as unknown[]).forEach((each, index) => {
    if (!isSecret(each)) fail(`secretKeyFallbacks[${index}]`, SECRET_EXPECTED);
  });

  const keySalt = valueOr(options, 'keySalt', DJANGO_SESSION_SALT);
  if (typeof keySalt !== 'string' || keySalt === '') fail('keySalt', 'a non-empty string', keySalt);

  const versionText = valueOr(options, 'version', '5.2');
  const version = parseDjangoVersion(versionText);
  if (!version) fail('version', DJANGO_VERSION_EXPECTED, versionText);

  const onInvalidData = options.onInvalidData;
  if (onInvalidData !== undefined && typeof onInvalidData !== 'function') {
    fail('onInvalidData', 'a function', onInvalidData);
  }

  return {
    ...shared,
    secretKey: secretKey as Secret,
    secretKeyFallbacks: [...(fallbacks as Secret[])],
    keySalt: keySalt as string,
    version: version as readonly [number, number],
    onInvalidData: onInvalidData as ResolvedDjangoDbStoreOptions['onInvalidData'],
  };
}
