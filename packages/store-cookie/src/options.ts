import { SessionConfigError } from '@sess/core';
import { MIN_SECRET_LENGTH, type Secret } from '@sess/core/codecs';
import {
  DJANGO_SIGNED_COOKIES_SALT,
  DJANGO_VERSION_EXPECTED,
  type DjangoVersion,
  declareOptions,
  djangoFormatOptionSpecs,
  type OptionsInput,
  option,
  parseDjangoVersion,
  type ResolvedOptions,
} from '@sess/core/store';

/** The name the engine reports in errors and as its `name`. */
export const BACKEND_NAME = '@sess/store-cookie';

/**
 * How the session is written into the cookie: `'sealed'` encrypts it (AES-256-GCM, the client cannot read
 * it), `'signed'` writes Django's `signed_cookies` value (readable by the client, tamper-proof).
 */
export type CookieMode = 'sealed' | 'signed';

/** The most cookies one session may span. */
export const MAX_COOKIES_LIMIT = 10;
/** The smallest `maxCookieBytes`: room for the name, a chunk header and some of the value. */
export const MIN_COOKIE_BYTES = 256;
/** The largest `maxCookieBytes`: what browsers keep for a cookie's name and value. */
export const MAX_COOKIE_BYTES = 4096;

const DJANGO = djangoFormatOptionSpecs(DJANGO_SIGNED_COOKIES_SALT);

/** Options users bring from elsewhere (the engine's earlier names, other libraries): what to use instead. */
const HINTS: Readonly<Record<string, string>> = {
  secrets: 'now `secretKey` (the newest secret, which seals or signs) and `secretKeyFallbacks` (older ones)',
  secret: 'use `secretKey` (and `secretKeyFallbacks` for older secrets)',
  keys: 'use `secretKey` (the newest) and `secretKeyFallbacks` (older ones)',
  password: 'use `secretKey` (and `secretKeyFallbacks` for older secrets)',
  salt: 'now `keySalt` (signed mode only)',
  maxAge: "the cookie's lifetime is the manager's `cookieAge` option (seconds)",
  cookieName: "the cookie's name is the manager's `cookieName` option",
  name: "the cookie's name is the manager's `cookieName` option",
};

/** The options of `createCookieStore`, declared once: checks, defaults, docs and the options type. */
export const COOKIE_STORE_OPTIONS = declareOptions(
  BACKEND_NAME,
  {
    /**
     * The secret that seals (sealed mode) or signs (signed mode) every cookie; it opens them too. Sealed
     * mode: at least 32 characters (string) or 32 bytes (Uint8Array). Signed mode: Django's `SECRET_KEY`,
     * any non-empty value. Required.
     */
    secretKey: DJANGO.secretKey,
    /**
     * Older secrets, newest first: they only open cookies, never seal or sign them. A cookie opened with
     * one of them is sealed or signed again with `secretKey` on the same response. Remove a secret once no
     * cookie it sealed can still be valid. Sealed mode: each at least 32 characters or bytes. Signed mode:
     * Django's `SECRET_KEY_FALLBACKS`.
     */
    secretKeyFallbacks: DJANGO.secretKeyFallbacks,
    /**
     * `'sealed'` (AES-256-GCM, unreadable by the client) or `'signed'` (Django's `signed_cookies` format:
     * base64 JSON the client can read, with an HMAC it cannot forge).
     */
    mode: option.oneOf(['sealed', 'signed'] as const, { default: 'sealed' }),
    /**
     * Deflate the session before sealing or signing when that makes it shorter. Off by default in sealed
     * mode: compressing data that is partly attacker-controlled before encrypting it leaks secrets through
     * the length of the cookie. On by default in signed mode, as in Django (the data is readable anyway).
     * Opening accepts compressed and uncompressed cookies whatever this says.
     */
    compress: option.custom<boolean | undefined>({
      default: undefined,
      defaultText: 'false (sealed), true (signed)',
      expected: 'a boolean',
      check: (value, invalid) => (typeof value === 'boolean' ? value : invalid()),
    }),
    /**
     * How many cookies one session may span: `name`, then `name.1`, `name.2`, … Past the limit, saving
     * throws `CookieTooLarge`. Raise it only if every server and proxy in front of the app accepts a
     * `Cookie` header that large (nginx and Apache refuse one header over 8 KB by default, Node's HTTP
     * server refuses over 16 KB of headers in total).
     */
    maxCookies: option.integer({ default: 1, min: 1, max: MAX_COOKIES_LIMIT }),
    /**
     * The largest cookie written, counted as `name=value` in bytes (attributes are not counted: browsers
     * limit them separately). Chromium drops a cookie whose name and value exceed 4096 bytes.
     */
    maxCookieBytes: option.integer({
      default: MAX_COOKIE_BYTES,
      min: MIN_COOKIE_BYTES,
      max: MAX_COOKIE_BYTES,
      unit: 'bytes',
    }),
    /**
     * Signed mode only: the signing salt. The default is the one Django's `signed_cookies` engine uses, so
     * a Django app with the same `SECRET_KEY` reads and writes the same cookies.
     */
    keySalt: DJANGO.keySalt,
    /**
     * Signed mode only: the Django version (`'MAJOR.MINOR'`, 3.1 or later) that reads the same cookies.
     * Below 4.1 Django cannot read an ISO date in `_session_expiry` (its middleware fails when it saves
     * such a session), so a `setExpiry(date)` is written as whole seconds from the save instead.
     */
    // Not DJANGO.version: that spec's value type is the parsed `[major, minor]`, so the options type would
    // ask users for a tuple instead of the `'4.2'` they write. Checked the same way, parsed below.
    version: option.custom<string>({
      default: '5.2',
      defaultText: "'5.2'",
      expected: DJANGO_VERSION_EXPECTED,
      check: (value, invalid) => (parseDjangoVersion(value) ? (value as string) : invalid()),
    }),
  },
  HINTS,
);

/** Options of `createCookieStore`. */
export type CookieStoreOptions = OptionsInput<typeof COOKIE_STORE_OPTIONS.specs>;

/** Options after validation and defaults. */
export type ResolvedCookieOptions = Omit<
  ResolvedOptions<typeof COOKIE_STORE_OPTIONS.specs>,
  'compress' | 'version'
> & {
  compress: boolean;
  /** The Django version signed mode writes for. */
  version: DjangoVersion;
};

function fail(option: string, expected: string): never {
  throw new SessionConfigError(BACKEND_NAME, option, expected);
}

/** Sealed mode derives AES keys from the secrets: each must carry enough entropy. Never quotes one. */
function checkSealingSecrets(secretKey: Secret, fallbacks: readonly Secret[]): void {
  const tooShort = (secret: Secret) => secret.length < MIN_SECRET_LENGTH;
  const measure = (secret: Secret) =>
    `${secret.length} ${typeof secret === 'string' ? 'characters' : 'bytes'}`;
  const rule = `at least ${MIN_SECRET_LENGTH} characters (or a Uint8Array of ${MIN_SECRET_LENGTH} bytes) in sealed mode`;
  if (tooShort(secretKey)) fail('secretKey', `${rule} (this one has ${measure(secretKey)})`);
  fallbacks.forEach((secret, index) => {
    if (tooShort(secret)) fail('secretKeyFallbacks', `${rule}; entry ${index} has ${measure(secret)}`);
  });
}

/** Validates the options, naming the offending one, and fills in the defaults. */
export function resolveCookieOptions(input: CookieStoreOptions): ResolvedCookieOptions {
  const resolved = COOKIE_STORE_OPTIONS.resolve(input);
  const given = input as unknown as Record<string, unknown>;
  const { mode } = resolved;
  if (mode === 'sealed') {
    checkSealingSecrets(resolved.secretKey, resolved.secretKeyFallbacks);
    for (const name of ['keySalt', 'version'] as const) {
      if (given[name] !== undefined) fail(name, "omitted unless mode is 'signed'");
    }
  }
  return Object.freeze({
    ...resolved,
    secretKeyFallbacks: Object.freeze([...resolved.secretKeyFallbacks]),
    compress: resolved.compress ?? mode === 'signed',
    version: parseDjangoVersion(resolved.version) as DjangoVersion,
  });
}
