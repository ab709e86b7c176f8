import {
  DJANGO_SIGNED_COOKIES_SALT,
  DJANGO_VERSION_EXPECTED,
  MIN_SECRET_LENGTH,
  parseDjangoVersion,
  type Secret,
  SessionConfigError,
} from '@sess/core';

/** The name the backend reports in errors and in `backend.name`. */
export const BACKEND_NAME = '@sess/store-cookie';

/**
 * How the session is written into the cookie: `'sealed'` encrypts it (AES-256-GCM, the client cannot read
 * it), `'signed'` writes Django's `signed_cookies` value (readable by the client, tamper-proof).
 */
export type CookieMode = 'sealed' | 'signed';

/** Options of `createCookieBackend`. */
export interface CookieBackendOptions {
  /**
   * Secrets, newest first: the first one seals (or signs) every cookie, and every one opens them, so a
   * new secret goes in front and an old one is removed once no cookie sealed with it can still be valid.
   * A cookie opened with an older secret is re-sealed with the first one on the same response.
   * Sealed mode: each at least 32 characters (string) or 32 bytes (Uint8Array).
   * Signed mode: Django's `SECRET_KEY` followed by its `SECRET_KEY_FALLBACKS`, any non-empty value.
   * Required: there is no default.
   */
  secrets: readonly Secret[];
  /**
   * `'sealed'` (AES-256-GCM, unreadable by the client) or `'signed'` (Django's `signed_cookies` format:
   * base64 JSON the client can read, with an HMAC it cannot forge).
   * @default 'sealed'
   */
  mode?: CookieMode;
  /**
   * Deflate the session before sealing or signing when that makes it shorter. Off by default in sealed
   * mode: compressing data that is partly attacker-controlled before encrypting it leaks secrets through
   * the length of the cookie. On by default in signed mode, as in Django (the data is readable anyway).
   * Opening accepts compressed and uncompressed cookies whatever this says.
   * @default false (sealed), true (signed)
   */
  compress?: boolean;
  /**
   * How many cookies one session may span: `name`, then `name.1`, `name.2`, … Past the limit, saving
   * throws `CookieTooLarge`. Raise it only if every server and proxy in front of the app accepts a
   * `Cookie` header that large (nginx and Apache refuse one header over 8 KB by default, Node's HTTP
   * server refuses over 16 KB of headers in total).
   * @default 1
   */
  maxCookies?: number;
  /**
   * The largest cookie written, counted as `name=value` in bytes (attributes are not counted: browsers
   * limit them separately). Chromium drops a cookie whose name and value exceed 4096 bytes.
   * @default 4096
   */
  maxCookieBytes?: number;
  /**
   * Signed mode only: the signing salt. The default is the one Django's `signed_cookies` engine uses, so
   * a Django app with the same `SECRET_KEY` reads and writes the same cookies.
   * @default 'django.contrib.sessions.backends.signed_cookies'
   */
  salt?: string;
  /**
   * Signed mode only: the Django version (`'MAJOR.MINOR'`, 3.1 or later) that reads the same cookies.
   * Below 4.1 Django cannot read an ISO date in `_session_expiry` (its middleware fails when it saves
   * such a session), so a `setExpiry(date)` is written as whole seconds from the save instead.
   * @default '5.2'
   */
  version?: string;
}

/** Options after validation and defaults. */
export interface ResolvedCookieOptions {
  secrets: readonly Secret[];
  mode: CookieMode;
  compress: boolean;
  maxCookies: number;
  maxCookieBytes: number;
  salt: string;
  /** The Django version signed mode writes for, `[major, minor]`. */
  version: readonly [number, number];
}

/** The most cookies one session may span. */
export const MAX_COOKIES_LIMIT = 10;
/** The smallest `maxCookieBytes`: room for the name, a chunk header and some of the value. */
export const MIN_COOKIE_BYTES = 256;
/** The largest `maxCookieBytes`: what browsers keep for a cookie's name and value. */
export const MAX_COOKIE_BYTES = 4096;

const KNOWN = ['secrets', 'mode', 'compress', 'maxCookies', 'maxCookieBytes', 'salt', 'version'];

function fail(option: string, expected: string, ...received: [unknown?]): never {
  throw new SessionConfigError(BACKEND_NAME, option, expected, ...received);
}

function integerIn(value: unknown, option: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(option, `a whole number from ${min} to ${max}`, value);
  }
  return value;
}

/** What a value is, without quoting it: errors about secrets never echo them. */
function kind(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkSecrets(value: unknown, mode: CookieMode): readonly Secret[] {
  if (!Array.isArray(value) || value.length === 0) {
    const got = Array.isArray(value) ? 'an empty array' : kind(value);
    fail('secrets', `a non-empty array of secrets, newest first (got ${got})`);
  }
  const min = mode === 'sealed' ? MIN_SECRET_LENGTH : 1;
  value.forEach((secret: unknown, index) => {
    const option = `secrets[${index}]`;
    const size =
      typeof secret === 'string' ? secret.length : secret instanceof Uint8Array ? secret.length : -1;
    if (size < 0) fail(option, `a string or a Uint8Array (got ${kind(secret)})`);
    if (size < min) {
      const unit = typeof secret === 'string' ? 'characters' : 'bytes';
      const why = mode === 'sealed' ? `at least ${min} ${unit} in sealed mode` : 'not empty';
      fail(option, `${why} (this one has ${size})`);
    }
  });
  return Object.freeze([...value] as Secret[]);
}

/** Validates the options, naming the offending one, and fills in the defaults. */
export function resolveCookieOptions(input: CookieBackendOptions): ResolvedCookieOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail('options', 'an object', input);
  const options = input as unknown as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!KNOWN.includes(name)) fail(name, `a known option (${KNOWN.join(', ')})`, options[name]);
  }
  const mode = options.mode ?? 'sealed';
  if (mode !== 'sealed' && mode !== 'signed') fail('mode', "'sealed' or 'signed'", mode);
  const secrets = checkSecrets(options.secrets, mode);
  const compress = options.compress ?? mode === 'signed';
  if (typeof compress !== 'boolean') fail('compress', 'a boolean', compress);
  const maxCookies = integerIn(options.maxCookies ?? 1, 'maxCookies', 1, MAX_COOKIES_LIMIT);
  const maxCookieBytes = integerIn(
    options.maxCookieBytes ?? MAX_COOKIE_BYTES,
    'maxCookieBytes',
    MIN_COOKIE_BYTES,
    MAX_COOKIE_BYTES,
  );
  if (options.salt !== undefined && mode !== 'signed') fail('salt', "omitted unless mode is 'signed'");
  const salt = options.salt ?? DJANGO_SIGNED_COOKIES_SALT;
  if (typeof salt !== 'string') fail('salt', 'a string', salt);
  return { secrets, mode, compress, maxCookies, maxCookieBytes, salt, version: djangoVersion(options, mode) };
}

function djangoVersion(options: Record<string, unknown>, mode: CookieMode): readonly [number, number] {
  if (options.version !== undefined && mode !== 'signed') fail('version', "omitted unless mode is 'signed'");
  const text = options.version ?? '5.2';
  const version = parseDjangoVersion(text);
  if (!version) fail('version', DJANGO_VERSION_EXPECTED, text);
  return version;
}
