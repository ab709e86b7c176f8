import type { SessionBackend } from './backend.js';
import { type Clock, systemClock } from './clock.js';
import type { SameSite } from './cookie-header.js';
import { isCookieName } from './cookie-header.js';
import { SessionConfigError } from './errors.js';
import {
  POLICY_OPTION_NAMES,
  type PolicyOptions,
  type ResolvedPolicy,
  resolvePolicyOptions,
} from './policy-options.js';
import { recordIdOf } from './record-ids.js';
import type { StandardSchemaLike } from './standard-schema.js';
import type { SessionData, SessionStore } from './store.js';
import { createStoreBackend } from './store-backend.js';
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

const SOURCE = '@sess/core';
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

function fail(option: string, expected: string, received: unknown): never {
  throw new SessionConfigError(SOURCE, option, expected, received);
}

function bool(options: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, 'a boolean', value);
  return value;
}

function capitalized<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  const found = typeof value === 'string' && allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found) fail(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  return found;
}

function isStoreLike(value: unknown): value is SessionStore {
  const store = value as SessionStore;
  return (
    typeof value === 'object' &&
    value !== null &&
    ['load', 'create', 'update', 'touch', 'destroy'].every(
      (m) => typeof (store as never)[m] === 'function',
    ) &&
    typeof store.capabilities === 'object'
  );
}

function isBackendLike(value: unknown): value is SessionBackend {
  const b = value as SessionBackend;
  return (
    typeof value === 'object' &&
    value !== null &&
    ['load', 'save', 'touch', 'destroy', 'cookiesToClear'].every((m) => typeof (b as never)[m] === 'function')
  );
}

// A well-formed key, to ask a prebuilt backend whether it stores keys as they are.
const PROBE_KEY = 'a'.repeat(32);

/** Validates `hashKeysAtRest` against the store it applies to. */
function hashKeysAtRest(value: unknown, store: SessionStore): boolean | 'migrate' {
  if (value === undefined) return false;
  if (typeof value !== 'boolean' && value !== 'migrate')
    fail('hashKeysAtRest', "true, false or 'migrate'", value);
  if (value !== false && store.capabilities.sharedKeys === true) {
    fail('hashKeysAtRest', `false with ${store.name}, whose records Django looks up by their raw key`, value);
  }
  return value;
}

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
  let backend: SessionBackend;
  if (options.store !== undefined && options.backend !== undefined)
    fail('store', 'omitted when `backend` is given', 'both');
  if (options.store !== undefined) {
    if (!isStoreLike(options.store))
      fail('store', 'a SessionStore (load, create, update, touch, destroy)', options.store);
    backend = createStoreBackend(options.store, {
      timeoutMs: timeout,
      hashKeys: hashKeysAtRest(options.hashKeysAtRest, options.store),
    });
  } else if (options.backend !== undefined) {
    if (!isBackendLike(options.backend)) fail('backend', 'a SessionBackend', options.backend);
    if (options.hashKeysAtRest !== undefined && options.hashKeysAtRest !== false) {
      fail(
        'hashKeysAtRest',
        'false with a `backend` (createStoreBackend takes `hashKeys`)',
        options.hashKeysAtRest,
      );
    }
    backend = options.backend;
  } else {
    fail('store', 'a SessionStore (or give `backend`)', undefined);
  }

  const cookieName = options.cookieName ?? 'sessionid';
  if (typeof cookieName !== 'string' || !isCookieName(cookieName))
    fail('cookieName', 'a cookie name token', cookieName);

  const cookieAge = options.cookieAge ?? 1209600;
  if (typeof cookieAge !== 'number' || !Number.isInteger(cookieAge) || cookieAge <= 0) {
    fail('cookieAge', 'a positive whole number of seconds', cookieAge);
  }

  const domain = options.cookieDomain ?? undefined;
  if (domain !== undefined && (typeof domain !== 'string' || !/^\.?[A-Za-z0-9.-]+$/.test(domain))) {
    fail('cookieDomain', 'a domain name or null', domain);
  }
  const path = options.cookiePath ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/') || /[;\s]/.test(path)) {
    fail('cookiePath', 'a path starting with "/"', path);
  }
  const secure = options.cookieSecure ?? false;
  if (secure !== 'auto' && typeof secure !== 'boolean') fail('cookieSecure', "true, false or 'auto'", secure);

  const rawSameSite = options.cookieSameSite ?? 'Lax';
  const sameSite: SameSite =
    rawSameSite === false
      ? false
      : capitalized('cookieSameSite', rawSameSite, ['Lax', 'Strict', 'None'] as const);
  if (sameSite === 'None' && secure === false)
    fail('cookieSameSite', "'None' only with cookieSecure true or 'auto'", 'None');

  const partitioned = bool(options, 'cookiePartitioned', false);
  if (partitioned && secure === false)
    fail('cookiePartitioned', "true only with cookieSecure true or 'auto'", true);
  const priority =
    options.cookiePriority === undefined
      ? undefined
      : capitalized('cookiePriority', options.cookiePriority, ['Low', 'Medium', 'High'] as const);

  if (cookieName.startsWith('__Host-')) {
    if (secure !== true) fail('cookieSecure', 'true for a __Host- cookie', secure);
    if (path !== '/') fail('cookiePath', "'/' for a __Host- cookie", path);
    if (domain !== undefined) fail('cookieDomain', 'null for a __Host- cookie', domain);
  } else if (cookieName.startsWith('__Secure-') && secure !== true) {
    fail('cookieSecure', 'true for a __Secure- cookie', secure);
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
  const cookieHttpOnly = bool(options, 'cookieHttpOnly', true);
  if (preset === 'strict') {
    checkStrict({
      cookieName,
      cookieSecure: secure,
      cookieHttpOnly,
      cookieSameSite: sameSite,
      absoluteTimeout: policy.absoluteTimeout,
      hashKeysAtRest: (options.hashKeysAtRest ?? false) as boolean | 'migrate',
      serverStore: options.store !== undefined,
      rawKeysBackend:
        options.backend !== undefined &&
        backend.capabilities.serverSide &&
        recordIdOf(backend, PROBE_KEY) === PROBE_KEY,
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
    cookieName,
    cookieAge,
    cookieDomain: domain,
    cookiePath: path,
    cookieSecure: secure,
    cookieHttpOnly,
    cookieSameSite: sameSite,
    cookiePartitioned: partitioned,
    cookiePriority: priority,
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
