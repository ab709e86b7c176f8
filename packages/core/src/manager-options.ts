import type { SessionBackend } from './backend.js';
import { resolveBackend, storesRawKeys } from './backend-options.js';
import { type Clock, systemClock } from './clock.js';
import type { SameSite } from './cookie-header.js';
import { resolveCookieAttributes } from './cookie-options.js';
import { bool, fail } from './option-checks.js';
import {
  POLICY_OPTION_NAMES,
  type PolicyOptions,
  type ResolvedPolicy,
  resolvePolicyOptions,
} from './policy-options.js';
import type { StandardSchemaLike } from './standard-schema.js';
import type { SessionData, SessionStore } from './store.js';
import { checkStrict, presetOf, type SessionPreset, withStrictDefaults } from './strict-preset.js';
import { type ResolvedTokenHeader, resolveTokenHeader, type TokenHeaderOptions } from './token-header.js';

/**
 * Options of the session manager, named after Django's `SESSION_*` settings. Lifetimes are seconds,
 * as in Django; I/O timeouts are milliseconds and end in `Ms`.
 */
export interface SessionManagerOptions<Data extends SessionData = SessionData> extends PolicyOptions {
  /** A server store (PostgreSQL, Redis, memory…). Exactly one of `store` and `backend`. */
  store?: SessionStore;
  /** A session backend that is not a server store (the cookie engine). */
  backend?: SessionBackend;
  /** SESSION_COOKIE_NAME. A `__Host-` prefix requires `cookieSecure: true`, path `/` and no domain. @default 'sessionid' */
  cookieName?: string;
  /** SESSION_COOKIE_AGE, seconds. @default 1209600 (two weeks) */
  cookieAge?: number;
  /** SESSION_COOKIE_DOMAIN. @default null (host-only) */
  cookieDomain?: string | null;
  /** SESSION_COOKIE_PATH. @default '/' */
  cookiePath?: string;
  /** SESSION_COOKIE_SECURE; `'auto'` follows the request's protocol (behind a trusted proxy). @default false */
  cookieSecure?: boolean | 'auto';
  /** SESSION_COOKIE_HTTPONLY. @default true */
  cookieHttpOnly?: boolean;
  /** SESSION_COOKIE_SAMESITE, any case; `false` omits the attribute. `None` requires Secure. @default 'Lax' */
  cookieSameSite?: 'Lax' | 'Strict' | 'None' | 'lax' | 'strict' | 'none' | false;
  /** Adds `Partitioned` (CHIPS); requires Secure. @default false */
  cookiePartitioned?: boolean;
  /** Adds `Priority=`. @default undefined (omitted) */
  cookiePriority?: 'Low' | 'Medium' | 'High' | 'low' | 'medium' | 'high';
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE. @default false */
  expireAtBrowserClose?: boolean;
  /** SESSION_SAVE_EVERY_REQUEST. @default false */
  saveEveryRequest?: boolean;
  /** Deadline of each store operation when `store` is given, milliseconds. @default 5000 */
  storeTimeoutMs?: number;
  /** Where time comes from. @default the system clock */
  clock?: Clock;
  /** Validates loaded data (zod, valibot… any Standard Schema); invalid data starts a fresh session. */
  schema?: StandardSchemaLike<Data>;
  /**
   * Carries the key in headers instead of the cookie (API clients that cannot keep cookies): read from
   * `request` (`Authorization` = `Bearer <key>`), sent back in `response`. Server-side stores only.
   * @default undefined (the cookie)
   */
  tokenHeader?: TokenHeaderOptions;
  /**
   * Store each session under a one-way hash of its key, so a stolen table or dump yields no cookie that
   * opens a session. `'migrate'` also finds sessions an earlier deployment stored under the raw key and
   * moves them on first use. Server stores in their native format only (Django looks up raw keys).
   * @default false (true under `preset: 'strict'`)
   */
  hashKeysAtRest?: boolean | 'migrate';
  /**
   * `'django'`: Django's defaults. `'strict'`: what OWASP ASVS 5 asks beyond them — a `__Host-` Secure
   * cookie that ends with the browser, a 30-minute idle and a 12-hour absolute timeout, keys hashed at
   * rest — and options that would weaken it are refused (see `STRICT_DEFAULTS` and SECURITY.md).
   * @default 'django'
   */
  preset?: SessionPreset;
}

/** Options after validation and defaults. */
export interface ResolvedManagerOptions<Data extends SessionData> {
  backend: SessionBackend;
  cookieName: string;
  cookieAge: number;
  cookieDomain: string | undefined;
  cookiePath: string;
  cookieSecure: boolean | 'auto';
  cookieHttpOnly: boolean;
  cookieSameSite: SameSite;
  cookiePartitioned: boolean;
  cookiePriority: 'Low' | 'Medium' | 'High' | undefined;
  expireAtBrowserClose: boolean;
  saveEveryRequest: boolean;
  clock: Clock;
  schema: StandardSchemaLike<Data> | undefined;
  tokenHeader?: ResolvedTokenHeader | undefined;
  hashKeysAtRest: boolean | 'migrate';
  preset: SessionPreset;
  /** Touch, timeouts, rotation, owner limit, handles and events. */
  policy: ResolvedPolicy;
}

const KNOWN = new Set([
  'store',
  'backend',
  'cookieName',
  'cookieAge',
  'cookieDomain',
  'cookiePath',
  'cookieSecure',
  'cookieHttpOnly',
  'cookieSameSite',
  'cookiePartitioned',
  'cookiePriority',
  'expireAtBrowserClose',
  'saveEveryRequest',
  'storeTimeoutMs',
  'clock',
  'schema',
  'tokenHeader',
  'hashKeysAtRest',
  'preset',
  ...POLICY_OPTION_NAMES,
]);

/** Validates the options (naming the offending one) and fills in Django's defaults. */
export function resolveManagerOptions<Data extends SessionData>(
  input: SessionManagerOptions<Data>,
): ResolvedManagerOptions<Data> {
  if (typeof input !== 'object' || input === null) fail('options', 'an object', input);
  for (const name of Object.keys(input)) {
    if (!KNOWN.has(name)) fail(name, `a known option (${[...KNOWN].join(', ')})`, (input as never)[name]);
  }
  const preset = presetOf(input as Record<string, unknown>);
  const options =
    preset === 'strict'
      ? withStrictDefaults(input as Record<string, unknown>)
      : (input as Record<string, unknown>);

  const timeout = options.storeTimeoutMs ?? 5000;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout <= 0) {
    fail('storeTimeoutMs', 'a positive whole number of milliseconds', timeout);
  }
  const backend = resolveBackend(options, timeout);

  const cookie = resolveCookieAttributes(options);
  const cookieAge = options.cookieAge ?? 1209600;
  if (typeof cookieAge !== 'number' || !Number.isInteger(cookieAge) || cookieAge <= 0) {
    fail('cookieAge', 'a positive whole number of seconds', cookieAge);
  }

  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'object' || clock === null || typeof (clock as { now?: unknown }).now !== 'function') {
    fail('clock', 'an object with now()', clock);
  }
  const schema = options.schema;
  if (schema !== undefined && typeof (schema as StandardSchemaLike)?.['~standard']?.validate !== 'function') {
    fail('schema', 'a Standard Schema (zod, valibot…)', schema);
  }

  const policy = resolvePolicyOptions(options);
  if (preset === 'strict') {
    checkStrict({
      cookieName: cookie.name,
      cookieSecure: cookie.secure,
      cookieHttpOnly: cookie.httpOnly,
      cookieSameSite: cookie.sameSite,
      absoluteTimeout: policy.absoluteTimeout,
      rawKeysFrom: storesRawKeys(backend)
        ? options.store !== undefined
          ? 'hashKeysAtRest'
          : 'backend'
        : null,
      tokenHeader: options.tokenHeader !== undefined,
      metadata: backend.capabilities.metadata !== false,
      backendName: backend.name,
    });
  }
  if (policy.rotateInterval !== null && !backend.capabilities.serverSide) {
    fail('rotateInterval', 'null with a backend that has no server-side keys', policy.rotateInterval);
  }
  // Without stored metadata a server store reports load time as lastSeenAt and createdAt, so a touch or a
  // rotation would never fall due: refuse them rather than accept options that silently do nothing.
  const dataOnlyServer = backend.capabilities.serverSide && backend.capabilities.metadata === false;
  if (policy.touchInterval !== null && dataOnlyServer) {
    fail('touchInterval', `null with ${backend.name}, which keeps no session metadata`, policy.touchInterval);
  }
  if (policy.rotateInterval !== null && dataOnlyServer) {
    fail(
      'rotateInterval',
      `null with ${backend.name}, which keeps no session metadata`,
      policy.rotateInterval,
    );
  }
  if (policy.absoluteTimeout !== null && backend.capabilities.metadata === false) {
    fail(
      'absoluteTimeout',
      `null with ${backend.name}, which keeps no session metadata`,
      policy.absoluteTimeout,
    );
  }
  if (policy.ownerLimit !== null && !backend.capabilities.ownerIndex) {
    fail('ownerLimit', 'null with a store that has no owner index', policy.ownerLimit);
  }

  return {
    backend,
    cookieName: cookie.name,
    cookieAge,
    cookieDomain: cookie.domain,
    cookiePath: cookie.path,
    cookieSecure: cookie.secure,
    cookieHttpOnly: cookie.httpOnly,
    cookieSameSite: cookie.sameSite,
    cookiePartitioned: cookie.partitioned,
    cookiePriority: cookie.priority,
    expireAtBrowserClose: bool(options, 'expireAtBrowserClose', false),
    saveEveryRequest: bool(options, 'saveEveryRequest', false),
    clock: clock as Clock,
    schema: schema as StandardSchemaLike<Data> | undefined,
    tokenHeader: resolveTokenHeader(options.tokenHeader, backend),
    hashKeysAtRest: (options.hashKeysAtRest ?? false) as boolean | 'migrate',
    preset,
    policy,
  };
}
