import { Buffer } from 'node:buffer';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { SessionConfigError } from '../errors.js';
import { decodeBase62, encodeBase62 } from './base62.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { pythonJsonDumps } from './python-json.js';
import { kindOf, type Secret, secretBytes } from './secrets.js';
import { parseJsonSafely } from './serializer.js';

/** The salt of `SessionBase.encode/decode`: the db, cache, cached_db and file backends' stored data. */
export const DJANGO_SESSION_SALT = 'django.contrib.sessions.SessionStore';
/** The salt of the value of a `signed_cookies` session cookie. */
export const DJANGO_SIGNED_COOKIES_SALT = 'django.contrib.sessions.backends.signed_cookies';
/** The default bound on the decoded (and decompressed) JSON of a Django signed value: 1 MiB. */
export const DJANGO_DEFAULT_MAX_LENGTH = 1024 * 1024;

const SOURCE = '@sess/core';
const SIGNATURE_LENGTH = 43;

/** Why {@link djangoLoads} refused a value. */
export type DjangoLoadFailure = 'malformed' | 'bad-signature' | 'expired' | 'too-large';

/**
 * The outcome of reading a Django signed value. On success, `secretIndex` is 0 for the current secret and
 * `i + 1` for `fallbackSecrets[i]`, so a caller can re-sign values still signed with an old secret.
 */
export type DjangoLoadResult =
  | { ok: true; value: unknown; secretIndex: number }
  | { ok: false; reason: DjangoLoadFailure };

/** Options of {@link createDjangoSigner}. */
export interface DjangoSignerOptions {
  /** Django's `SECRET_KEY`; signs and verifies. Text is used as UTF-8, bytes raw, as Django does. */
  readonly secret: Secret;
  /**
   * Django's `SECRET_KEY_FALLBACKS` (4.1+): verify only, tried in order after `secret`.
   * @default []
   */
  readonly fallbackSecrets?: readonly Secret[];
  /** The salt: {@link DJANGO_SESSION_SALT} or {@link DJANGO_SIGNED_COOKIES_SALT} for sessions. */
  readonly salt: string;
  /**
   * Compress with zlib when that saves at least 2 bytes, marking the payload with a leading `.`.
   * @default true
   */
  readonly compress?: boolean;
  /**
   * The largest decoded JSON accepted, in bytes, after decompression; bounds zlib's output, so a zip bomb
   * is refused as `too-large` instead of exhausting memory.
   * @default 1048576 (1 MiB)
   */
  readonly maxLength?: number;
  /**
   * Turns the verified JSON text into a value; may throw on invalid text (reported as `malformed`). The
   * default drops `__proto__` keys and `constructor` keys holding a `prototype`; a store that must give
   * back exactly what Django stored (every key as own data) passes `JSON.parse`.
   * @default parseJsonSafely
   */
  readonly parse?: (json: string) => unknown;
}

/** Per-call options of {@link DjangoSigner.loads}. */
export interface DjangoLoadOptions {
  /** Refuse values signed more than this many seconds ago (`age > maxAgeSeconds`, fractional age). */
  readonly maxAgeSeconds?: number;
  /** The current time in milliseconds. @default Date.now() */
  readonly nowMs?: number;
}

/** A Django-compatible `signing.dumps`/`loads` pair whose HMAC keys were derived once. */
export interface DjangoSigner {
  /** Django's `signing.dumps(value, salt=salt, compress=compress)` at `nowMs` (default `Date.now()`). */
  dumps(value: unknown, nowMs?: number): string;
  /** Django's `signing.loads(text, salt=salt, max_age=…, fallback_keys=…)`, as a result; never throws. */
  loads(text: string, options?: DjangoLoadOptions): DjangoLoadResult;
}

/** Django's `salted_hmac` key with SHA-256: SHA256(utf8(salt + 'signer') ‖ secret). */
export function deriveDjangoKey(secret: Secret, salt: string): Buffer {
  return createHash('sha256').update(`${salt}signer`, 'utf8').update(secretBytes(secret)).digest();
}

function hmac(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

function assertSecret(secret: unknown, option: string): void {
  const valid =
    typeof secret === 'string' ? secret.length > 0 : secret instanceof Uint8Array && secret.length > 0;
  if (!valid) throw new SessionConfigError(SOURCE, option, 'a non-empty string or Uint8Array');
}

function fail(reason: DjangoLoadFailure): DjangoLoadResult {
  return { ok: false, reason };
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * Creates a Django-compatible signer (`django.core.signing.TimestampSigner` with `sign_object`), deriving
 * the HMAC key of each secret once. Output is byte-identical to Django's for the same JSON and zlib bytes.
 * Throws {@link SessionConfigError} for an empty secret, a non-string salt or an invalid `maxLength`.
 */
export function createDjangoSigner(options: DjangoSignerOptions): DjangoSigner {
  const {
    secret,
    fallbackSecrets = [],
    salt,
    compress = true,
    maxLength = DJANGO_DEFAULT_MAX_LENGTH,
    parse = parseJsonSafely,
  } = options;
  assertSecret(secret, 'secret');
  if (!Array.isArray(fallbackSecrets)) {
    throw new SessionConfigError(
      SOURCE,
      'fallbackSecrets',
      `an array of secrets (got ${kindOf(fallbackSecrets)})`,
    );
  }
  fallbackSecrets.forEach((fallback: unknown, index) => {
    assertSecret(fallback, `fallbackSecrets[${index}]`);
  });
  if (typeof salt !== 'string') throw new SessionConfigError(SOURCE, 'salt', 'a string', salt);
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new SessionConfigError(SOURCE, 'maxLength', 'a positive integer (bytes)', maxLength);
  }
  if (typeof parse !== 'function') throw new SessionConfigError(SOURCE, 'parse', 'a function', parse);
  const keys = [secret, ...fallbackSecrets].map((each) => deriveDjangoKey(each, salt));
  const signingKey = keys[0] as Buffer;
  // Base64 of maxLength bytes, a '.', two ':' separators, a timestamp and the signature, with room to spare.
  const maxTextLength = Math.ceil(maxLength / 3) * 4 + 128;

  function dumps(value: unknown, nowMs: number = Date.now()): string {
    const json = Buffer.from(pythonJsonDumps(value), 'latin1');
    let payload = encodeBase64Url(json);
    if (compress) {
      const deflated = deflateSync(json);
      if (deflated.length < json.length - 1) payload = `.${encodeBase64Url(deflated)}`;
    }
    const signed = `${payload}:${encodeBase62(Math.floor(nowMs / 1000))}`;
    return `${signed}:${encodeBase64Url(hmac(signingKey, signed))}`;
  }

  function loads(text: string, loadOptions: DjangoLoadOptions = {}): DjangoLoadResult {
    if (typeof text !== 'string') return fail('malformed');
    if (text.length > maxTextLength) return fail('too-large');
    const sigStart = text.lastIndexOf(':') + 1;
    if (sigStart === 0 || text.length - sigStart !== SIGNATURE_LENGTH) return fail('malformed');
    const signature = decodeBase64Url(text.slice(sigStart));
    if (signature === null) return fail('malformed');
    const signed = text.slice(0, sigStart - 1);
    const secretIndex = keys.findIndex((key) => timingSafeEqual(hmac(key, signed), signature));
    if (secretIndex < 0) return fail('bad-signature');

    const tsStart = signed.lastIndexOf(':') + 1;
    if (tsStart === 0) return fail('malformed');
    const timestamp = decodeBase62(signed.slice(tsStart));
    if (timestamp === null) return fail('malformed');
    const { maxAgeSeconds, nowMs = Date.now() } = loadOptions;
    // Written as "not within" so that a NaN age or limit fails closed.
    if (maxAgeSeconds !== undefined && !(nowMs / 1000 - timestamp <= maxAgeSeconds)) return fail('expired');

    const payload = signed.slice(0, tsStart - 1);
    const compressed = payload.startsWith('.');
    const bytes = decodeBase64Url(compressed ? payload.slice(1) : payload);
    if (bytes === null) return fail('malformed');
    let json: Buffer = bytes;
    if (compressed) {
      try {
        json = inflateSync(bytes, { maxOutputLength: maxLength });
      } catch (error) {
        return fail(isTooLarge(error) ? 'too-large' : 'malformed');
      }
    } else if (json.length > maxLength) {
      return fail('too-large');
    }
    try {
      return { ok: true, value: parse(json.toString('latin1')), secretIndex };
    } catch {
      return fail('malformed');
    }
  }

  return { dumps, loads };
}

/** Options of {@link djangoDumps}. */
export interface DjangoDumpsOptions {
  /** Django's `SECRET_KEY`. */
  readonly secret: Secret;
  /** The salt, e.g. {@link DJANGO_SESSION_SALT}. */
  readonly salt: string;
  /** @default true */
  readonly compress?: boolean;
  /** @default Date.now() */
  readonly nowMs?: number;
}

/**
 * Django's `signing.dumps(value, salt=salt, compress=compress)`: `<payload>:<b62 time>:<signature>`.
 * Derives the key on every call; reuse {@link createDjangoSigner} on a hot path.
 */
export function djangoDumps(value: unknown, options: DjangoDumpsOptions): string {
  const { secret, salt, compress = true, nowMs } = options;
  return createDjangoSigner({ secret, salt, compress }).dumps(value, nowMs);
}

/** Options of {@link djangoLoads}. */
export interface DjangoLoadsOptions extends DjangoLoadOptions {
  /** Django's `SECRET_KEY`. */
  readonly secret: Secret;
  /** @default [] */
  readonly fallbackSecrets?: readonly Secret[];
  /** The salt the value was signed with. */
  readonly salt: string;
  /** @default 1048576 (1 MiB) */
  readonly maxLength?: number;
}

/**
 * Django's `signing.loads(text, salt=salt, max_age=…, fallback_keys=…)`, returned as a result. Never throws
 * on any `text`: malformed input, a wrong signature, an expired timestamp and an oversized (or zip bomb)
 * payload are each reported by `reason`. Invalid options throw {@link SessionConfigError}, as
 * {@link createDjangoSigner} does. Derives the keys on every call; reuse a signer on a hot path.
 */
export function djangoLoads(text: string, options: DjangoLoadsOptions): DjangoLoadResult {
  const { secret, fallbackSecrets = [], salt, maxLength, maxAgeSeconds, nowMs } = options;
  const signer = createDjangoSigner({
    secret,
    fallbackSecrets,
    salt,
    ...(maxLength === undefined ? {} : { maxLength }),
  });
  return signer.loads(text, {
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    ...(nowMs === undefined ? {} : { nowMs }),
  });
}
